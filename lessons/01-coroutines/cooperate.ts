import { todo } from "#kit/todo.ts";

// #region yieldToEventLoop
/**
 * Gives the event loop a turn: resolves on a later macrotask, so timers that
 * are due and I/O callbacks that are ready run first. The twin of `await
 * asyncio.sleep(0)`.
 *
 * @example
 * for (const row of rows) {
 *   crunch(row);
 *   await yieldToEventLoop(); // let the server answer other requests
 * }
 */
export function yieldToEventLoop(): Promise<void> {
  todo("Resolve on a later macrotask (a microtask is not enough).");
}
// #endregion yieldToEventLoop

// #region processInChunks
/**
 * Calls `work` on every item, in order, yielding to the event loop after every
 * `chunkSize` items, so a long CPU-bound job does not starve timers and I/O.
 *
 * @throws RangeError when `chunkSize` is not a positive integer.
 * @example
 * await processInChunks(rows, 1_000, (row) => index.add(row));
 */
export async function processInChunks<T>(
  items: readonly T[],
  chunkSize: number,
  work: (item: T) => void,
): Promise<void> {
  todo("Call work on each item; yield to the event loop after each chunk.");
}
// #endregion processInChunks
