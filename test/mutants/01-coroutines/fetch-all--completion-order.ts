// mistake: results in completion order
// expect: results came back in completion order
export * from "../../../solutions/01-coroutines/fetch-all.ts";

export async function fetchConcurrent<T>(ids: readonly string[], fetchOne: (id: string) => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  await Promise.all(ids.map(async (id) => results.push(await fetchOne(id))));
  return results;
}
