// mistake: never yielding
// expect: the event loop never ran between chunks
export * from "../../../solutions/01-coroutines/cooperate.ts";

export async function processInChunks<T>(items: readonly T[], chunkSize: number, work: (item: T) => void): Promise<void> {
  if (!Number.isInteger(chunkSize) || chunkSize < 1) throw new RangeError("chunkSize");
  for (const item of items) work(item);
}
