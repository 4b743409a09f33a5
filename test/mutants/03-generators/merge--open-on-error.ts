// mistake: merge leaving the other sources open when one source throws
// expect: on the error path too
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
    if ("error" in settled) throw settled.error; // the other sources stay open
    if (settled.result.done) {
      finished.add(settled.index);
      continue;
    }
    // Closes the sources only when the consumer leaves at this yield.
    let resumed = false;
    try {
      yield settled.result.value;
      resumed = true;
    } finally {
      if (!resumed) await Promise.allSettled(iterators.filter((_, index) => !finished.has(index)).map((iterator) => iterator.return?.()));
    }
    pull(settled.index);
  }
}
