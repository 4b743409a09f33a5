// mistake: merge ends as soon as one source ends
// expect: end only when every source has ended
export * from "../../../solutions/03-generators/merge.ts";

export async function* merge<T>(...sources: AsyncIterable<T>[]): AsyncGenerator<T> {
  type Settled = { index: number; result: IteratorResult<T> } | { index: number; error: unknown };
  const iterators = sources.map((source) => source[Symbol.asyncIterator]());
  const pending = new Map<number, Promise<Settled>>();
  const pull = (index: number) => {
    pending.set(index, iterators[index]!.next().then((result): Settled => ({ index, result }), (error: unknown): Settled => ({ index, error })));
  };
  try {
    iterators.forEach((_, index) => pull(index));
    while (pending.size > 0) {
      const settled = await Promise.race(pending.values());
      pending.delete(settled.index);
      if ("error" in settled) throw settled.error;
      if (settled.result.done) return;
      yield settled.result.value;
      pull(settled.index);
    }
  } finally {
    await Promise.allSettled(iterators.map((iterator) => iterator.return?.()));
  }
}
