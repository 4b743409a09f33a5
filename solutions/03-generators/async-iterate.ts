// #region mapAsync
/**
 * Calls `fn` on each item of `source` as the consumer asks for it, and yields
 * the results in order. `fn` may be async; its result is awaited before it is
 * yielded. When the consumer stops early, or `fn` throws, the source is closed.
 *
 * @example
 * for await (const user of mapAsync(ids, (id) => fetchUser(id))) {
 *   console.log(user);
 * }
 */
export async function* mapAsync<T, R>(
  source: AsyncIterable<T>,
  fn: (item: T, index: number) => R | Promise<R>,
): AsyncGenerator<R> {
  let index = 0;
  // Leaving a for await loop (return, break, throw) awaits the source's
  // return(): its finally runs before we go on.
  for await (const item of source) {
    yield await fn(item, index);
    index += 1;
  }
}
// #endregion mapAsync

// #region takeAsync
/**
 * The first `n` items of `source`. Pulls exactly `n` (none at all when `n` is
 * 0) and closes the source once it has them or when the consumer stops early:
 * the source's `finally` has run before the consumer's loop ends.
 *
 * @example
 * for await (const token of takeAsync(streamTokens(text, 50), 3)) {
 *   process.stdout.write(token);
 * }
 */
export async function* takeAsync<T>(
  source: AsyncIterable<T>,
  n: number,
): AsyncGenerator<T> {
  if (n <= 0) return;
  let taken = 0;
  for await (const item of source) {
    yield item;
    taken += 1;
    // After the yield: a check at the top of the loop would come after for
    // await had already pulled item n + 1.
    if (taken >= n) return;
  }
}
// #endregion takeAsync

// #region collect
/**
 * Reads `source` to the end and resolves with every item, in order: the twin of
 * `[x async for x in source]`. Rejects with the source's error if it throws.
 *
 * @example
 * const firstThree = await collect(takeAsync(streamTokens(text, 50), 3));
 */
export async function collect<T>(source: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of source) items.push(item);
  return items;
}
// #endregion collect
