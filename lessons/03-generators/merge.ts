import { todo } from "#kit/todo.ts";

// #region merge
/**
 * Yields the values of every source as they arrive, whichever source they come
 * from: the twin of `aiostream.stream.merge`.
 *
 * Asks every source for its next value at once, and keeps at most one pending
 * `next()` per source. Ends when every source has ended. When a source throws,
 * the others are closed and the error is rethrown; when the consumer stops
 * early, every source is closed.
 *
 * @example
 * for await (const event of merge(keyboard, network, timer)) handle(event);
 */
export async function* merge<T>(
  ...sources: AsyncIterable<T>[]
): AsyncGenerator<T> {
  todo("Ask every source at once; yield values as they come; close them all.");
}
// #endregion merge
