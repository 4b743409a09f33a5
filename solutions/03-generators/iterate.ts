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
  if (n <= 0) return;
  let taken = 0;
  // for…of calls the source's return() when we leave the loop early: that is
  // what closes it.
  for (const item of source) {
    yield item;
    taken += 1;
    // Checked after the yield, not before the next pull: checking at the top of
    // the loop would ask the source for item n + 1 only to throw it away.
    if (taken >= n) return;
  }
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
  if (!Number.isInteger(size) || size < 1) {
    throw new RangeError(`size must be a positive integer, got ${size}`);
  }
  let current: T[] = [];
  for (const item of source) {
    current.push(item);
    if (current.length === size) {
      yield current;
      // A new array, not current.length = 0: the consumer may still hold the
      // one we gave it.
      current = [];
    }
  }
  if (current.length > 0) yield current;
}
// #endregion chunk
