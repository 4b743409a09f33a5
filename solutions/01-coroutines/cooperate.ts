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
  // A microtask (Promise.resolve(), queueMicrotask) would not do: the event
  // loop runs every microtask before it looks at timers or I/O again.
  return new Promise((resolve) => setImmediate(resolve));
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
  if (!Number.isInteger(chunkSize) || chunkSize < 1) {
    throw new RangeError(
      `chunkSize must be a positive integer, got ${chunkSize}`,
    );
  }
  for (let i = 0; i < items.length; i += 1) {
    work(items[i] as T);
    const endOfChunk = (i + 1) % chunkSize === 0;
    if (endOfChunk && i + 1 < items.length) await yieldToEventLoop();
  }
}
// #endregion processInChunks
