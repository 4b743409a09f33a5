// mistake: yielding with a microtask (timers still starve)
// expect: did you yield with a microtask
export * from "../../../solutions/01-coroutines/cooperate.ts";

export function yieldToEventLoop(): Promise<void> {
  return Promise.resolve();
}

export async function processInChunks<T>(items: readonly T[], chunkSize: number, work: (item: T) => void): Promise<void> {
  if (!Number.isInteger(chunkSize) || chunkSize < 1) throw new RangeError("chunkSize");
  for (let i = 0; i < items.length; i += 1) {
    work(items[i] as T);
    if ((i + 1) % chunkSize === 0) await new Promise<void>((resolve) => queueMicrotask(resolve));
  }
}
