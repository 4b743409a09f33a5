// mistake: awaiting inside the loop (sequential in disguise)
// expect: did you await inside the loop?
export * from "../../../solutions/01-coroutines/fetch-all.ts";

export async function fetchConcurrent<T>(ids: readonly string[], fetchOne: (id: string) => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  for (const id of ids) results.push(await fetchOne(id));
  return results;
}
