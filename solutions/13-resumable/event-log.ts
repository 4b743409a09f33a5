type Step<T> = IteratorResult<{ id: number; event: T }, undefined>;
const DONE = { value: undefined, done: true } as const;

// #region GoneError
/**
 * What `EventLog.read` throws when the events asked for are no longer kept:
 * the reader started, or fell, behind the window of the last `maxEvents`.
 */
export class GoneError extends Error {
  override name = "GoneError";

  constructor(message = "The events asked for are no longer kept") {
    super(message);
  }
}
// #endregion GoneError

// #region EventLog
/**
 * The events of one run, numbered 1, 2, 3…, for any number of readers at
 * once: each reads the kept events after an id it names, then follows new
 * ones as they are appended, until the log is closed. A client that lost its
 * connection reads again after the last id it received and misses nothing.
 *
 * Only the last `maxEvents` are kept (default 10,000): `append` never waits
 * for a reader, and a slow reader costs no memory of its own; one that falls
 * out of the window gets a `GoneError`.
 *
 * @example
 * const log = new EventLog<DomainEvent>();
 * log.append({ type: "text", delta: "Hi" }); // 1
 * for await (const { id, event } of log.read(lastEventId, signal)) {
 *   send(id, event);
 * }
 */
export class EventLog<T> {
  // The kept events in a ring: event `id` sits at `id % maxEvents`, where
  // event `id + maxEvents` overwrites it. A reader needs nothing but its id.
  readonly #ring: T[] = [];
  readonly #maxEvents: number;
  #lastId = 0;
  #ending: { error?: unknown } | undefined;
  // One promise that every waiting reader shares, settled by the next append
  // or close: waking 100 readers costs one resolve, not 100.
  #changed: { promise: Promise<void>; resolve: () => void } | undefined;

  /** @throws RangeError when `maxEvents` is not a positive integer. */
  constructor(options: { maxEvents?: number } = {}) {
    const { maxEvents = 10_000 } = options;
    if (!Number.isInteger(maxEvents) || maxEvents < 1)
      throw new RangeError(
        `maxEvents must be a positive integer, got ${maxEvents}`,
      );
    this.#maxEvents = maxEvents;
  }

  /** True once `close()` was called. */
  get closed(): boolean {
    return this.#ending !== undefined;
  }

  /** The id of the last event appended; 0 while there is none. */
  get lastId(): number {
    return this.#lastId;
  }

  /** The oldest id kept; `lastId + 1` while there is none. */
  get firstId(): number {
    return Math.max(1, this.#lastId - this.#maxEvents + 1);
  }

  /**
   * Adds `event` and returns its id. Never waits: readers that wait are
   * woken, the others find it when they get there.
   *
   * @throws Error once the log is closed.
   */
  append(event: T): number {
    if (this.#ending)
      throw new Error("append() after close(): this log is closed");
    this.#lastId += 1;
    this.#ring[this.#lastId % this.#maxEvents] = event;
    this.#wake();
    return this.#lastId;
  }

  /**
   * Ends the log: readers get the events left, then end, or throw `error`
   * when one is given. Calling it again does nothing.
   */
  close(error?: unknown): void {
    if (this.#ending) return;
    this.#ending = error === undefined ? {} : { error };
    this.#wake();
  }

  /**
   * The events after `afterId` (0 for all), as `{ id, event }`: the kept
   * ones first, then each new one as it is appended; ends once the log is
   * closed and read to its end. An `afterId` beyond `lastId` waits for the
   * events after it.
   *
   * Throws `GoneError` when the next event to read is no longer kept (before
   * the first, or when the reader fell behind), and `signal.reason` on abort.
   *
   * @throws RangeError when `afterId` is not a non-negative integer.
   */
  read(
    afterId: number,
    signal?: AbortSignal,
  ): AsyncIterable<{ id: number; event: T }> {
    if (!Number.isInteger(afterId) || afterId < 0)
      throw new RangeError(
        `afterId must be a non-negative integer, got ${afterId}`,
      );
    // A hand-written iterator rather than an `async *` generator, which
    // costs two more promise turns per event: a run's log is read by every
    // client, for every token (`npm run bench -- 13`).
    let next = afterId + 1; // the id this reader wants
    let ended = false;
    const end = (result: Promise<Step<T>>) => ((ended = true), result);
    // "Is event `next` here yet?", asked again after every wait: one path
    // for the replay and the live part, so nothing falls between the two.
    const step = (): Promise<Step<T>> => {
      if (ended) return Promise.resolve(DONE);
      if (signal?.aborted) return end(Promise.reject(signal.reason));
      if (next < this.firstId) return end(Promise.reject(this.#gone(next)));
      if (next <= this.#lastId) {
        // Read now: while the consumer holds it, appends may reuse its slot.
        const event = this.#ring[next % this.#maxEvents]!;
        const value = { id: next, event };
        next += 1;
        return Promise.resolve({ value, done: false });
      }
      if (this.#ending) {
        const ending = this.#ending;
        return end(
          "error" in ending
            ? Promise.reject(ending.error)
            : Promise.resolve(DONE),
        );
      }
      return this.#nextChange(signal).then(step, (reason: unknown) =>
        end(Promise.reject(reason)),
      );
    };
    const iterator: AsyncIterator<{ id: number; event: T }> = {
      next: step,
      return: () => end(Promise.resolve(DONE)),
    };
    return { [Symbol.asyncIterator]: () => iterator };
  }

  #gone(id: number): GoneError {
    return new GoneError(
      `event ${id} is no longer kept: this log keeps the last ` +
        `${this.#maxEvents} (now ${this.firstId} to ${this.#lastId})`,
    );
  }

  /** Settles at the next append or close, or rejects when `signal` aborts. */
  #nextChange(signal: AbortSignal | undefined): Promise<void> {
    if (!this.#changed) {
      let resolve!: () => void;
      const promise = new Promise<void>((r) => (resolve = r));
      this.#changed = { promise, resolve };
    }
    const { promise } = this.#changed;
    if (!signal) return promise;
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => reject(signal.reason);
      signal.addEventListener("abort", onAbort, { once: true });
      void promise.then(() => {
        signal.removeEventListener("abort", onAbort);
        resolve();
      });
    });
  }

  #wake(): void {
    const changed = this.#changed;
    this.#changed = undefined;
    changed?.resolve();
  }
}
// #endregion EventLog
