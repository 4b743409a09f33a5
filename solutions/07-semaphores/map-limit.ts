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
  if (!(Number.isInteger(limit) && limit >= 1) && limit !== Infinity)
    throw new RangeError(
      `limit must be a positive integer or Infinity, got ${limit}`,
    );
  const { failFast = false, signal } = options;
  if (signal?.aborted) throw signal.reason;

  const iterator = items[Symbol.iterator]();
  const controller = new AbortController();
  // Indexed by input position; each has holes where the other has entries.
  const ok: MapResult<T, R>["ok"] = [];
  const failed: MapResult<T, R>["failed"] = [];
  let pulled = 0;
  let exhausted = false;
  let stopped: { reason: unknown } | undefined;

  const stop = (reason: unknown): void => {
    if (stopped) return; // the first reason wins
    stopped = { reason };
    controller.abort(reason);
    if (exhausted) return;
    exhausted = true;
    // Close it now, not once the running calls are done: a generator over a
    // cursor or a file should let go of it as soon as nobody will read on.
    try {
      iterator.return?.();
    } catch {
      // We reject with `reason` already; as in a for…of left by a throw, an
      // error from return() does not replace it.
    }
  };
  const onAbort = () => stop(signal?.reason);
  signal?.addEventListener("abort", onAbort, { once: true });

  // One worker per slot. A worker reads the next item only when its last call
  // has ended: that is what makes the window slide, and the reads lazy.
  const worker = async (): Promise<void> => {
    while (!stopped && !exhausted) {
      let next: IteratorResult<T>;
      try {
        next = iterator.next();
      } catch (error) {
        exhausted = true; // an iterator that threw is finished: no return()
        stop(error);
        return;
      }
      if (next.done) {
        exhausted = true;
        return;
      }
      const index = pulled++;
      const item = next.value;
      try {
        ok[index] = { item, value: await fn(item, controller.signal) };
      } catch (error) {
        failed[index] = { item, error };
        if (failFast) stop(error);
      }
    }
  };

  const workers: Promise<void>[] = [];
  while (workers.length < limit && !stopped && !exhausted)
    workers.push(worker());
  await Promise.all(workers); // workers never reject: they catch everything
  signal?.removeEventListener("abort", onAbort);
  if (stopped) throw stopped.reason;
  // filter() skips holes: what is left is in input order.
  return { ok: ok.filter(() => true), failed: failed.filter(() => true) };
}
// #endregion mapWithLimit
