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

// #region Waiter
interface Waiter<V> {
  resolve(value: V): void;
  reject(error: unknown): void;
}
// #endregion Waiter

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
  readonly #maxSize: number;
  readonly #items = new Fifo<T>();
  // Maps and Sets iterate in insertion order: the first entry is the caller
  // who waited longest, and an aborted caller leaves the middle in O(1).
  readonly #getters = new Set<Waiter<T>>();
  readonly #putters = new Map<Waiter<void>, T>();
  #closed = false;

  /** @throws RangeError when `maxSize` is below 1 (or NaN). */
  constructor(maxSize: number = Infinity) {
    if (!(maxSize >= 1))
      throw new RangeError(`maxSize must be at least 1, got ${maxSize}`);
    this.#maxSize = maxSize;
  }

  /**
   * How many items are in the queue (not counting the items of putters that
   * still wait).
   */
  get size(): number {
    return this.#items.length;
  }

  /** True once `close()` was called. */
  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Adds `item` at the back; while the queue is full, waits for room. Rejects
   * with `QueueClosedError` once the queue is closed (also while waiting), and
   * with `signal.reason` when `signal` aborts first; then `item` is not added.
   */
  put(item: T, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.#closed) return Promise.reject(new QueueClosedError());
    // A getter waits only while the queue is empty: hand the item straight on.
    const getter = first(this.#getters);
    if (getter) {
      this.#getters.delete(getter);
      getter.resolve(item);
    } else if (this.#items.length < this.#maxSize) {
      this.#items.push(item);
    } else {
      return park<void>(
        signal,
        (putter) => this.#putters.set(putter, item),
        (putter) => this.#putters.delete(putter),
      );
    }
    return RESOLVED;
  }

  /**
   * Takes the item at the front; while the queue is empty, waits for one. After
   * `close()`, the items left are still handed out; then it rejects with
   * `QueueClosedError`. When `signal` aborts first, rejects with
   * `signal.reason` and takes no item.
   */
  get(signal?: AbortSignal): Promise<T> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.#items.length > 0) return Promise.resolve(this.#takeFront());
    if (this.#closed) return Promise.reject(new QueueClosedError());
    return park<T>(
      signal,
      (getter) => this.#getters.add(getter),
      (getter) => this.#getters.delete(getter),
    );
  }

  /** Takes the front item: a get made room, so the longest putter gets in. */
  #takeFront(): T {
    const item = this.#items.take();
    const putter = first(this.#putters);
    if (putter) {
      this.#items.push(this.#putters.get(putter) as T);
      this.#putters.delete(putter);
      putter.resolve();
    }
    return item;
  }

  /**
   * Closes the queue: later puts reject, and every caller still waiting
   * (getters of an empty queue, putters of a full one) rejects at once with
   * `QueueClosedError`. Items already in the queue stay readable. Calling it
   * again does nothing.
   */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const getter of this.#getters) getter.reject(new QueueClosedError());
    for (const putter of this.#putters.keys())
      putter.reject(new QueueClosedError());
    this.#getters.clear();
    this.#putters.clear();
  }

  /**
   * Yields items as they come, and ends once the queue is closed and drained.
   */
  [Symbol.asyncIterator](): AsyncIterator<T, void, undefined> {
    // A plain iterator rather than an `async *` generator, which costs two
    // more promise turns per item: this queue sits on hot paths (`npm run
    // bench -- 04`). An item that is there already is handed out at once.
    return {
      next: () =>
        this.#items.length > 0
          ? Promise.resolve(yielded(this.#takeFront()))
          : this.get().then(yielded, endWhenClosed),
      return: () => Promise.resolve(DONE),
    };
  }
}
// #endregion AsyncQueue

// #region helpers
// Shared: a settled promise and a finished result can be handed out again.
const RESOLVED = Promise.resolve();
const DONE: IteratorReturnResult<void> = Object.freeze({
  value: undefined,
  done: true,
});

function yielded<T>(value: T): IteratorYieldResult<T> {
  return { value, done: false };
}

/** A closed, drained queue ends the loop; any other error is thrown. */
function endWhenClosed(error: unknown): IteratorReturnResult<void> {
  if (error instanceof QueueClosedError) return DONE;
  throw error;
}

/** The waiter who has waited longest. */
function first<W>(waiters: Set<W> | Map<W, unknown>): W | undefined {
  return waiters.size === 0 ? undefined : waiters.keys().next().value;
}

/**
 * Waits to be served: `enter` files the waiter, and when `signal` aborts,
 * `leave` takes it back out.
 */
function park<V>(
  signal: AbortSignal | undefined,
  enter: (waiter: Waiter<V>) => void,
  leave: (waiter: Waiter<V>) => void,
): Promise<V> {
  return new Promise<V>((resolve, reject) => {
    const onAbort = () => {
      // Leave the line before rejecting: a waiter left behind would be handed
      // an item that nobody will ever read.
      leave(waiter);
      reject(signal?.reason);
    };
    const waiter: Waiter<V> = {
      resolve(value) {
        signal?.removeEventListener("abort", onAbort);
        resolve(value);
      },
      reject(error) {
        signal?.removeEventListener("abort", onAbort);
        reject(error);
      },
    };
    enter(waiter);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * An array read from a moving head index. `Array.prototype.shift()` would move
 * every remaining item one slot down on each call: O(n) per get, minutes for a
 * million items.
 */
class Fifo<T> {
  #items: T[] = [];
  #head = 0;

  get length(): number {
    return this.#items.length - this.#head;
  }

  push(item: T): void {
    this.#items.push(item);
  }

  /** Takes the front item; only call it when `length > 0`. */
  take(): T {
    const item = this.#items[this.#head] as T;
    this.#items[this.#head] = undefined as T; // let it be garbage-collected
    this.#head += 1;
    if (this.#head === this.#items.length) {
      this.#items.length = 0;
      this.#head = 0;
    } else if (this.#head >= 1024 && this.#head * 2 >= this.#items.length) {
      // Drop the dead front once it is half the array: each item is copied at
      // most once more.
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
    return item;
  }
}
// #endregion helpers
