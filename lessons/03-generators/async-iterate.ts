import { todo } from "#kit/todo.ts";

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
  todo("for await over source; yield await fn(item, index) for each item.");
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
  todo("Yield each item; return right after the nth (n <= 0: pull nothing).");
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
  todo("for await over source, push every item into an array, return it.");
}
// #endregion collect
