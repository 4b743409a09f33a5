/** Items waiting to be written together, and the promise their adds share. */
interface Batch<T> {
  items: T[];
  written: Promise<void>;
  resolve(): void;
  reject(error: unknown): void;
}

// #region BatchWriter
/**
 * Turns many concurrent callers into few writes: each `add` joins the current
 * batch, and a batch is written when it holds `maxBatch` items or
 * `maxDelayMs` after its first item came, whichever is first. Batches are
 * written one at a time, in order; items added during a write go to the next
 * batch.
 *
 * @example
 * const writer = new BatchWriter<Follow>({
 *   write: async (batch) => {
 *     await upsertFollows(db, batch);
 *   },
 *   maxBatch: 1_000,
 *   maxDelayMs: 50,
 * });
 * // In each request handler: resolves once the row is in the database.
 * await writer.add({ followerId, rkey, subjectId });
 */
export class BatchWriter<T> implements AsyncDisposable {
  readonly #write: (batch: T[]) => Promise<void>;
  readonly #maxBatch: number;
  readonly #maxDelayMs: number;
  #open: Batch<T> | undefined; // the batch that adds join
  #timer: ReturnType<typeof setTimeout> | undefined;
  // The last write in line. It never rejects: a failure belongs to the adds
  // of its batch, not to flush() or to the next batch.
  #tail: Promise<void> = Promise.resolve();
  #closed = false;

  /**
   * @throws RangeError when `maxBatch` is not a positive integer or
   * `maxDelayMs` is negative.
   */
  constructor(options: {
    write: (batch: T[]) => Promise<void>;
    maxBatch: number;
    maxDelayMs: number;
  }) {
    const { maxBatch, maxDelayMs } = options;
    if (!Number.isInteger(maxBatch) || maxBatch < 1)
      throw new RangeError(`maxBatch must be a positive integer: ${maxBatch}`);
    if (!(maxDelayMs >= 0))
      throw new RangeError(`maxDelayMs must be >= 0, got ${maxDelayMs}`);
    this.#write = options.write;
    this.#maxBatch = maxBatch;
    this.#maxDelayMs = maxDelayMs;
  }

  /**
   * Adds `item` to the current batch. Resolves once that batch is written;
   * rejects with the error of that batch's write. After dispose, rejects at
   * once.
   */
  add(item: T): Promise<void> {
    if (this.#closed)
      return Promise.reject(new Error("The BatchWriter is closed"));
    const batch = (this.#open ??= this.#startBatch());
    batch.items.push(item);
    if (batch.items.length >= this.#maxBatch) this.#send();
    return batch.written;
  }

  /**
   * Sends the current batch now, and resolves once every item added so far
   * has been written or has failed. Never rejects.
   */
  flush(): Promise<void> {
    this.#send();
    return this.#tail;
  }

  /** Flushes, then refuses new items. Never rejects. */
  async [Symbol.asyncDispose](): Promise<void> {
    this.#closed = true;
    await this.flush();
  }

  #startBatch(): Batch<T> {
    // One timer per batch, armed by its first item. A timer reset on every
    // add would never fire while items keep coming.
    this.#timer = setTimeout(() => this.#send(), this.#maxDelayMs);
    let resolve!: () => void;
    let reject!: (error: unknown) => void;
    const written = new Promise<void>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return { items: [], written, resolve, reject };
  }

  /** Closes the open batch and puts it in line behind the previous write. */
  #send(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const batch = this.#open;
    if (!batch) return;
    this.#open = undefined; // later adds start a new batch
    this.#tail = this.#tail.then(() => this.#run(batch));
  }

  async #run(batch: Batch<T>): Promise<void> {
    try {
      await this.#write(batch.items);
      batch.resolve();
    } catch (error) {
      batch.reject(error);
    }
  }
}
// #endregion BatchWriter
