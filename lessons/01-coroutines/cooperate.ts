import { todo } from "#kit/todo.ts";

// #region yieldToEventLoop
/**
 * Gives the event loop a turn: resolves on a later macrotask, in the loop's
 * check phase (where `setImmediate` callbacks run), so timers and I/O
 * callbacks get to run in between. From inside a timer or I/O callback, the
 * first turn comes back before the loop is at its timers again; a second
 * turn gets there (the lesson page has a table). The twin of `await
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
