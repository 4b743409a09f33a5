// #region Semaphore
/**
 * A number of permits that tasks take and give back: the twin of
 * `asyncio.Semaphore`, with a lease instead of `release()`. `acquire()`
 * resolves with the lease once a permit is free, and disposing the lease gives
 * the permit back, so a `using` declaration hands it back on every way out of
 * the block.
 *
 * Waiters are served first in, first out; acquire and release are O(1).
 *
 * @example
 * const connections = new Semaphore(4);
 * async function query(sql: string): Promise<Row[]> {
 *   using _lease = await connections.acquire(); // waits while 4 are out
 *   return await db.query(sql);
 * } // the permit goes back here, also when the query throws
 */
export class Semaphore {
  #available: number;
  // A doubly linked list of waiters, oldest first: taking the head and
  // unlinking an aborted waiter from the middle are both O(1).
  #head: Waiter | undefined;
  #tail: Waiter | undefined;
  #waiting = 0;

  /** @throws RangeError when `permits` is not a positive integer. */
  constructor(permits: number) {
    if (!Number.isInteger(permits) || permits < 1)
      throw new RangeError(
        `permits must be a positive integer, got ${permits}`,
      );
    this.#available = permits;
  }

  /** How many permits are free right now. */
  get available(): number {
    return this.#available;
  }

  /** How many callers are waiting for a permit. */
  get waiting(): number {
    return this.#waiting;
  }

  /**
   * Takes a permit: at once when one is free, else after everyone who asked
   * earlier. Resolves with the lease; disposing it gives the permit back, only
   * the first time. When `signal` aborts first, rejects with `signal.reason`
   * and leaves the line without taking a permit.
   */
  acquire(signal?: AbortSignal): Promise<Disposable> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.#available > 0) {
      this.#available -= 1;
      return Promise.resolve(new Lease(this.#giveBack));
    }
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        resolve,
        signal,
        onAbort: undefined,
        prev: this.#tail,
        next: undefined,
      };
      if (this.#tail) this.#tail.next = waiter;
      else this.#head = waiter;
      this.#tail = waiter;
      this.#waiting += 1;
      if (signal) {
        waiter.onAbort = () => {
          // Out of the line before rejecting: a waiter left in it would be
          // handed a permit that nobody ever gives back.
          this.#unlink(waiter);
          reject(signal.reason);
        };
        signal.addEventListener("abort", waiter.onAbort, { once: true });
      }
    });
  }

  /**
   * Runs `fn` while holding a permit, and gives the permit back when `fn`
   * settles, whether it resolves or throws. `signal` aborts the wait for the
   * permit.
   */
  async run<T>(fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    using _lease = await this.acquire(signal);
    // `return await`, not `return fn()`: the lease is disposed as the function
    // body exits, and without the await that is before `fn` has finished.
    return await fn();
  }

  // One function per semaphore, shared by all its leases.
  readonly #giveBack = (): void => {
    const next = this.#head;
    if (next === undefined) {
      this.#available += 1;
      return;
    }
    // Hand the permit straight to the first waiter. Counting it as free and
    // letting the waiter take it when it wakes would let a caller that comes
    // before then take it instead: the waiter would be passed over.
    this.#unlink(next);
    if (next.onAbort) next.signal?.removeEventListener("abort", next.onAbort);
    next.resolve(new Lease(this.#giveBack));
  };

  #unlink(waiter: Waiter): void {
    if (waiter.prev) waiter.prev.next = waiter.next;
    else this.#head = waiter.next;
    if (waiter.next) waiter.next.prev = waiter.prev;
    else this.#tail = waiter.prev;
    waiter.prev = waiter.next = undefined;
    this.#waiting -= 1;
  }
}
// #endregion Semaphore

// #region helpers
/** A caller waiting in line, linked to its neighbours. */
interface Waiter {
  resolve(lease: Disposable): void;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
  prev: Waiter | undefined;
  next: Waiter | undefined;
}

/** A permit on loan: disposing it gives the permit back, once. */
class Lease implements Disposable {
  #giveBack: (() => void) | undefined;

  constructor(giveBack: () => void) {
    this.#giveBack = giveBack;
  }

  [Symbol.dispose](): void {
    const giveBack = this.#giveBack;
    // Forgotten before it runs: disposing again (by hand, then by `using`)
    // must not hand back a second permit and raise the limit.
    this.#giveBack = undefined;
    giveBack?.();
  }
}
// #endregion helpers
