// mistake: a served get or put that leaves its abort listener on the signal
// expect: left its abort listener on the signal
import { QueueClosedError } from "../../../solutions/04-queues/queue.ts";
export * from "../../../solutions/04-queues/queue.ts";

interface Waiter<V> {
  resolve(value: V): void;
  reject(error: unknown): void;
}

export class AsyncQueue<T> implements AsyncIterable<T> {
  readonly #maxSize: number;
  readonly #items = new Fifo<T>();
  readonly #getters = new Set<Waiter<T>>();
  readonly #putters = new Map<Waiter<void>, T>();
  #closed = false;

  constructor(maxSize: number = Infinity) {
    if (!(maxSize >= 1)) throw new RangeError(`maxSize must be at least 1, got ${maxSize}`);
    this.#maxSize = maxSize;
  }

  get size(): number {
    return this.#items.length;
  }

  get closed(): boolean {
    return this.#closed;
  }

  put(item: T, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.#closed) return Promise.reject(new QueueClosedError());
    const getter = first(this.#getters);
    if (getter) {
      this.#getters.delete(getter);
      getter.resolve(item);
    } else if (this.#items.length < this.#maxSize) {
      this.#items.push(item);
    } else {
      return park<void>(signal, (putter) => this.#putters.set(putter, item), (putter) => this.#putters.delete(putter));
    }
    return Promise.resolve();
  }

  get(signal?: AbortSignal): Promise<T> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.#items.length > 0) {
      const item = this.#items.take();
      const putter = first(this.#putters);
      if (putter) {
        this.#items.push(this.#putters.get(putter) as T);
        this.#putters.delete(putter);
        putter.resolve();
      }
      return Promise.resolve(item);
    }
    if (this.#closed) return Promise.reject(new QueueClosedError());
    return park<T>(signal, (getter) => this.#getters.add(getter), (getter) => this.#getters.delete(getter));
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const getter of this.#getters) getter.reject(new QueueClosedError());
    for (const putter of this.#putters.keys()) putter.reject(new QueueClosedError());
    this.#getters.clear();
    this.#putters.clear();
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<T, void, undefined> {
    while (true) {
      let item: T;
      try {
        item = await this.get();
      } catch (error) {
        if (error instanceof QueueClosedError) return;
        throw error;
      }
      yield item;
    }
  }
}

function first<W>(waiters: Set<W> | Map<W, unknown>): W | undefined {
  return waiters.size === 0 ? undefined : waiters.keys().next().value;
}

function park<V>(signal: AbortSignal | undefined, enter: (waiter: Waiter<V>) => void, leave: (waiter: Waiter<V>) => void): Promise<V> {
  return new Promise<V>((resolve, reject) => {
    const onAbort = () => {
      leave(waiter);
      reject(signal?.reason);
    };
    const waiter: Waiter<V> = {
      resolve(value) {
        // MISTAKE: the abort listener stays on the signal after the waiter was served.
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

class Fifo<T> {
  #items: T[] = [];
  #head = 0;

  get length(): number {
    return this.#items.length - this.#head;
  }

  push(item: T): void {
    this.#items.push(item);
  }

  take(): T {
    const item = this.#items[this.#head] as T;
    this.#items[this.#head] = undefined as T;
    this.#head += 1;
    if (this.#head === this.#items.length) {
      this.#items.length = 0;
      this.#head = 0;
    } else if (this.#head >= 1024 && this.#head * 2 >= this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
    return item;
  }
}
