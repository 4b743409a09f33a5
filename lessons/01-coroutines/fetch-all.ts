import { todo } from "#kit/todo.ts";

// #region fetchSequential
/**
 * Fetches every id, one call at a time: each call starts after the previous one finished.
 * Results come back in the order of `ids`.
 *
 * @example
 * const users = await fetchSequential(["a", "b"], fetchUser); // [userA, userB], one after the other
 */
export async function fetchSequential<T>(ids: readonly string[], fetchOne: (id: string) => Promise<T>): Promise<T[]> {
  todo("Call fetchOne for each id in turn, awaiting each call before starting the next.");
}
// #endregion fetchSequential

// #region fetchConcurrent
/**
 * Fetches every id at once: the twin of `await asyncio.gather(*(fetch_one(i) for i in ids))`.
 * Starts every call before awaiting any; results come back in the order of `ids`, whatever
 * order the calls finish in. Rejects with the first error, and several failures cause no
 * unhandled rejection.
 *
 * @example
 * const users = await fetchConcurrent(["a", "b"], fetchUser); // both requests in flight together
 */
export async function fetchConcurrent<T>(ids: readonly string[], fetchOne: (id: string) => Promise<T>): Promise<T[]> {
  todo("Start every call first, then wait for all of them, keeping the order of ids.");
}
// #endregion fetchConcurrent
