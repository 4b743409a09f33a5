import { todo } from "#kit/todo.ts";

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
  /** @throws RangeError when `maxEvents` is not a positive integer. */
  constructor(options: { maxEvents?: number } = {}) {
    todo("Check maxEvents; keep the last maxEvents events, in a ring.");
  }

  /** True once `close()` was called. */
  get closed(): boolean {
    return todo("Return whether close() was called.");
  }

  /** The id of the last event appended; 0 while there is none. */
  get lastId(): number {
    return todo("Return the id of the last event appended.");
  }

  /** The oldest id kept; `lastId + 1` while there is none. */
  get firstId(): number {
    return todo("Return the oldest id kept (lastId + 1 while empty).");
  }

  /**
   * Adds `event` and returns its id. Never waits: readers that wait are
   * woken, the others find it when they get there.
   *
   * @throws Error once the log is closed.
   */
  append(event: T): number {
    todo("Number it, keep it (dropping the oldest), wake waiting readers.");
  }

  /**
   * Ends the log: readers get the events left, then end, or throw `error`
   * when one is given. Calling it again does nothing.
   */
  close(error?: unknown): void {
    todo("Remember the end (and its error); wake waiting readers.");
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
    todo("Loop: yield event next if kept, end if closed, else wait; Gone.");
  }
}
// #endregion EventLog
