import { todo } from "#kit/todo.ts";

// #region take
/**
 * The first `n` items of `source`, lazily: the twin of
 * `itertools.islice(source, n)`.
 *
 * Pulls exactly `n` items, never one more, and closes the source once it has
 * them (or when the consumer stops early): its `finally` blocks run.
 *
 * @example
 * function* naturals() { for (let i = 1; ; i += 1) yield i; }
 * [...take(naturals(), 3)]; // [1, 2, 3], from an endless source
 */
export function* take<T>(source: Iterable<T>, n: number): Generator<T> {
  todo("Yield each item; return right after the nth (n <= 0: yield nothing).");
}
// #endregion take

// #region chunk
/**
 * Groups `source` into arrays of `size` items, lazily: the twin of
 * `itertools.batched`. The last chunk holds whatever is left, so it may be
 * shorter; no chunk is ever empty.
 *
 * @throws RangeError when `size` is not a positive integer (on the first
 *   `next()`, as a generator's body only starts running then).
 * @example
 * [...chunk([1, 2, 3, 4, 5], 2)]; // [[1, 2], [3, 4], [5]]
 */
export function* chunk<T>(source: Iterable<T>, size: number): Generator<T[]> {
  todo("Check size; yield each full chunk, then the partial rest.");
}
// #endregion chunk
