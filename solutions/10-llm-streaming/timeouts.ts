import { TimeoutError } from "../02-tasks/timeout.ts";

// #region withTimeouts
/**
 * Passes on the items of `source`, with two deadlines: `firstMs` for the
 * first item (a model's time to first token), `idleMs` for each gap after
 * it (a stream that stalls). A deadline that passes throws a `TimeoutError`
 * and closes the source. An option left out sets no deadline for its part.
 *
 * Time counts only while waiting for the source: the time the consumer takes
 * with an item does not count against the next one. A source stuck in an
 * `await` cannot close until that `await` ends; `withTimeouts` asks it to
 * close and throws at once, without waiting for that. No timer outlives it.
 *
 * @example
 * const deltas = withTimeouts(streamText(client, params, signal), {
 *   firstMs: 30_000,
 *   idleMs: 10_000,
 * });
 */
export async function* withTimeouts<T>(
  source: AsyncIterable<T>,
  options: { firstMs?: number; idleMs?: number },
): AsyncGenerator<T> {
  const iterator = source[Symbol.asyncIterator]();
  let first = true;
  // False once the source ended, failed or was told to close: then it must
  // not be closed (again) on the way out.
  let open = true;
  try {
    while (true) {
      const ms = first ? options.firstMs : options.idleMs;
      let result: IteratorResult<T> | typeof TIMED_OUT;
      try {
        result = await nextWithin(iterator, ms);
      } catch (error) {
        open = false; // a source that threw is finished
        throw error;
      }
      if (result === TIMED_OUT) {
        open = false;
        closeWithoutWaiting(iterator);
        throw new TimeoutError(
          first
            ? `No first item within ${ms} ms`
            : `No item for ${ms} ms after the last one`,
        );
      }
      if (result.done) {
        open = false;
        return;
      }
      first = false;
      // The clock is stopped while the consumer holds the item.
      yield result.value;
    }
  } finally {
    // The consumer left early: the source waits at a yield, so its return()
    // (its finally blocks) runs now, and its errors are the consumer's.
    if (open) await iterator.return?.();
  }
}
// #endregion withTimeouts

// #region helpers
const TIMED_OUT = Symbol("timed out");

/** The source's next result, or TIMED_OUT once `ms` passed (if given). */
function nextWithin<T>(
  iterator: AsyncIterator<T>,
  ms: number | undefined,
): Promise<IteratorResult<T> | typeof TIMED_OUT> {
  const next = iterator.next();
  if (ms === undefined) return next;
  return new Promise((resolve, reject) => {
    // A fresh timer for every wait, cleared as soon as the wait ends.
    const timer = setTimeout(() => resolve(TIMED_OUT), ms);
    // Also handles a rejection that comes after the deadline.
    next.then(
      (result) => {
        clearTimeout(timer);
        resolve(result);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

/**
 * Asks a source that is stuck in an `await` to close. An async generator
 * queues the request until that `await` ends, which may be never: awaiting
 * it would hang the consumer that the deadline was meant to free.
 */
function closeWithoutWaiting(iterator: AsyncIterator<unknown>): void {
  try {
    Promise.resolve(iterator.return?.()).catch(() => {});
  } catch {
    // A return() that throws at once: nothing more can be done.
  }
}
// #endregion helpers
