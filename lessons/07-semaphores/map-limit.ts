import { todo } from "#kit/todo.ts";

// #region MapResult
/** What `mapWithLimit` returns: both lists are in input order. */
export interface MapResult<T, R> {
  ok: { item: T; value: R }[];
  failed: { item: T; error: unknown }[];
}
// #endregion MapResult

// #region mapWithLimit
/**
 * Calls `fn` on every item of `items`, never more than `limit` calls at once:
 * a bounded `Promise.all`. A new call starts as soon as one ends (a sliding
 * window, not batches), and the next item is read from `items` only then, so
 * an iterable may be endless or expensive to produce.
 *
 * Without `failFast`, every item runs and failures are collected in `failed`.
 * With `failFast`, the first failure stops new starts, aborts the signal that
 * the running calls got, and rejects with that error once they have settled.
 * An abort of `options.signal` does the same with its reason. Either way the
 * iterator of `items` is closed (`return()`): a generator's `finally` runs.
 *
 * @throws RangeError (as a rejection, before any call) when `limit` is not a
 * positive integer or `Infinity`.
 *
 * @example
 * const { ok, failed } = await mapWithLimit(urls, 8, (url, signal) =>
 *   fetch(url, { signal }).then((res) => res.text()),
 * );
 */
export async function mapWithLimit<T, R>(
  items: Iterable<T>,
  limit: number,
  fn: (item: T, signal: AbortSignal) => Promise<R>,
  options: { failFast?: boolean; signal?: AbortSignal } = {},
): Promise<MapResult<T, R>> {
  todo("Start up to limit workers; each reads an item when it is free.");
}
// #endregion mapWithLimit
