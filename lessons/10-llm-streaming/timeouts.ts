import { todo } from "#kit/todo.ts";
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
  todo("Race each next() against a fresh timer; on timeout close, throw.");
}
// #endregion withTimeouts
