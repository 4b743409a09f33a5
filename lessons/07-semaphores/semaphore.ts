import { todo } from "#kit/todo.ts";

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
  /** @throws RangeError when `permits` is not a positive integer. */
  constructor(permits: number) {
    todo("Check permits; keep the free count and a line of waiters.");
  }

  /** How many permits are free right now. */
  get available(): number {
    return todo("Return how many permits are free.");
  }

  /** How many callers are waiting for a permit. */
  get waiting(): number {
    return todo("Return how many callers wait in line.");
  }

  /**
   * Takes a permit: at once when one is free, else after everyone who asked
   * earlier. Resolves with the lease; disposing it gives the permit back, only
   * the first time. When `signal` aborts first, rejects with `signal.reason`
   * and leaves the line without taking a permit.
   */
  acquire(signal?: AbortSignal): Promise<Disposable> {
    todo("Take a free permit or wait in line; resolve with a lease.");
  }

  /**
   * Runs `fn` while holding a permit, and gives the permit back when `fn`
   * settles, whether it resolves or throws. `signal` aborts the wait for the
   * permit.
   */
  async run<T>(fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    todo("Acquire, run fn, give the permit back however fn ends.");
  }
}
// #endregion Semaphore
