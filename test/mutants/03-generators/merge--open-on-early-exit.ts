// mistake: merge leaving sources open when the consumer stops early (no finally)
// expect: call return() on every unfinished source in a finally block
export * from "../../../solutions/03-generators/merge.ts";

export async function* merge<T>(...sources: AsyncIterable<T>[]): AsyncGenerator<T> {
  type Settled = { index: number; result: IteratorResult<T> } | { index: number; error: unknown };
  const iterators = sources.map((source) => source[Symbol.asyncIterator]());
  const pending = new Map<number, Promise<Settled>>();
  const finished = new Set<number>();
  const pull = (index: number) => {
    pending.set(index, iterators[index]!.next().then((result): Settled => ({ index, result }), (error: unknown): Settled => ({ index, error })));
  };
  iterators.forEach((_, index) => pull(index));
  while (pending.size > 0) {
    const settled = await Promise.race(pending.values());
    pending.delete(settled.index);
    if ("error" in settled) {
      finished.add(settled.index);
      // Closes the others on the error path only.
      await Promise.allSettled(iterators.filter((_, index) => !finished.has(index)).map((iterator) => iterator.return?.()));
      throw settled.error;
    }
    if (settled.result.done) {
      finished.add(settled.index);
      continue;
    }
    yield settled.result.value;
    pull(settled.index);
  }
}
