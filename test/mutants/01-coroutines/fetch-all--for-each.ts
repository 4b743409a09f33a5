// mistake: ids.forEach(async …) returns before the work is done
// expect: did you use ids.forEach(async …)?
export * from "../../../solutions/01-coroutines/fetch-all.ts";

export async function fetchConcurrent<T>(ids: readonly string[], fetchOne: (id: string) => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  ids.forEach(async (id, i) => {
    results[i] = await fetchOne(id);
  });
  return results;
}
