// #region fetchSequential
/**
 * Fetches every id, one call at a time: each call starts after the previous one
 * finished. Results come back in the order of `ids`.
 *
 * @example
 * // [userA, userB], one call after the other:
 * const users = await fetchSequential(["a", "b"], fetchUser);
 */
export async function fetchSequential<T>(
  ids: readonly string[],
  fetchOne: (id: string) => Promise<T>,
): Promise<T[]> {
  const results: T[] = [];
  for (const id of ids) {
    results.push(await fetchOne(id));
  }
  return results;
}
// #endregion fetchSequential

// #region fetchConcurrent
/**
 * Fetches every id at once: the twin of `await asyncio.gather(*(fetch_one(i)
 * for i in ids))`. Starts every call before awaiting any; results come back in
 * the order of `ids`, whatever order the calls finish in. Rejects with the
 * first error, and several failures cause no unhandled rejection.
 *
 * @example
 * // both requests in flight together:
 * const users = await fetchConcurrent(["a", "b"], fetchUser);
 */
export async function fetchConcurrent<T>(
  ids: readonly string[],
  fetchOne: (id: string) => Promise<T>,
): Promise<T[]> {
  // map() starts every call; Promise.all only waits. It keeps the input order,
  // rejects with the first error, and handles every later rejection.
  return Promise.all(ids.map((id) => fetchOne(id)));
}
// #endregion fetchConcurrent
