import { todo } from "#kit/todo.ts";

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
  /**
   * @throws RangeError when `maxBatch` is not a positive integer or
   * `maxDelayMs` is negative.
   */
  constructor(options: {
    write: (batch: T[]) => Promise<void>;
    maxBatch: number;
    maxDelayMs: number;
  }) {
    todo("Check maxBatch and maxDelayMs; keep them and the write function.");
  }

  /**
   * Adds `item` to the current batch. Resolves once that batch is written;
   * rejects with the error of that batch's write. After dispose, rejects at
   * once.
   */
  add(item: T): Promise<void> {
    todo("Join the open batch (its first item arms the timer); send if full.");
  }

  /**
   * Sends the current batch now, and resolves once every item added so far
   * has been written or has failed. Never rejects.
   */
  flush(): Promise<void> {
    todo("Send the open batch; return the last write in line (never rejects).");
  }

  /** Flushes, then refuses new items. Never rejects. */
  async [Symbol.asyncDispose](): Promise<void> {
    todo("Refuse later adds, then flush.");
  }
}
// #endregion BatchWriter
