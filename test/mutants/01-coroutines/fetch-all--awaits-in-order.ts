// mistake: starting every call, then awaiting them one by one (later failures go unhandled)
// expect: went unhandled
export * from "../../../solutions/01-coroutines/fetch-all.ts";

export async function fetchConcurrent<T>(ids: readonly string[], fetchOne: (id: string) => Promise<T>): Promise<T[]> {
  const pending = ids.map((id) => fetchOne(id));
  const results: T[] = [];
  for (const call of pending) results.push(await call);
  return results;
}
