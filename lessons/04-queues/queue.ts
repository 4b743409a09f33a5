import { todo } from "#kit/todo.ts";

// #region QueueClosedError
/**
 * What `put` and `get` reject with once the queue is closed (for `get`: closed
 * and drained).
 */
export class QueueClosedError extends Error {
  override name = "QueueClosedError";

  constructor(message = "The queue is closed") {
    super(message);
  }
}
// #endregion QueueClosedError

// #region AsyncQueue
/**
 * A first-in, first-out queue for tasks that produce and tasks that consume:
 * the twin of `asyncio.Queue`, plus `close()`. A queue with a `maxSize` applies
 * backpressure: `put` waits while it is full, so a fast producer can only run
 * `maxSize` items ahead of its consumers.
 *
 * Items and waiting callers are served first in, first out, and every operation
 * is O(1) amortised. `close()` stops new items; the items already in the queue
 * can still be read.
 *
 * @example
 * const jobs = new AsyncQueue<string>(10);
 * const worker = (async () => {
 *   // ends once the queue is closed and drained:
 *   for await (const job of jobs) await handle(job);
 * })();
 * for (const url of urls) await jobs.put(url); // waits while 10 are queued
 * jobs.close();
 * await worker;
 */
export class AsyncQueue<T> implements AsyncIterable<T> {
  /** @throws RangeError when `maxSize` is below 1 (or NaN). */
  constructor(maxSize: number = Infinity) {
    todo("Check maxSize; set up the items and the lines of getters, putters.");
  }

  /**
   * How many items are in the queue (not counting the items of putters that
   * still wait).
   */
  get size(): number {
    return todo("Return how many items are in the queue.");
  }

  /** True once `close()` was called. */
  get closed(): boolean {
    return todo("Return whether close() was called.");
  }

  /**
   * Adds `item` at the back; while the queue is full, waits for room. Rejects
   * with `QueueClosedError` once the queue is closed (also while waiting), and
   * with `signal.reason` when `signal` aborts first; then `item` is not added.
   */
  put(item: T, signal?: AbortSignal): Promise<void> {
    todo("Hand it to a waiting getter, or add it if there is room, or wait.");
  }

  /**
   * Takes the item at the front; while the queue is empty, waits for one. After
   * `close()`, the items left are still handed out; then it rejects with
   * `QueueClosedError`. When `signal` aborts first, rejects with
   * `signal.reason` and takes no item.
   */
  get(signal?: AbortSignal): Promise<T> {
    todo("Take the front item (let a putter in), or wait in line.");
  }

  /**
   * Closes the queue: later puts reject, and every caller still waiting
   * (getters of an empty queue, putters of a full one) rejects at once with
   * `QueueClosedError`. Items already in the queue stay readable. Calling it
   * again does nothing.
   */
  close(): void {
    todo("Mark it closed; reject every waiting getter and putter.");
  }

  /**
   * Yields items as they come, and ends once the queue is closed and drained.
   */
  [Symbol.asyncIterator](): AsyncIterator<T, void, undefined> {
    todo("Yield what get() returns until it rejects with QueueClosedError.");
  }
}
// #endregion AsyncQueue
