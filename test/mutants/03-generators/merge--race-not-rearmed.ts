// mistake: merge losing values from a Promise.race that is not re-armed (a fresh next() on every source each round)
// expect: a Promise.race over fresh next() calls throws away the losers' values
export * from "../../../solutions/03-generators/merge.ts";

export async function* merge<T>(...sources: AsyncIterable<T>[]): AsyncGenerator<T> {
  const live = sources.map((source) => source[Symbol.asyncIterator]());
  try {
    while (live.length > 0) {
      const { iterator, result } = await Promise.race(live.map((iterator) => iterator.next().then((result) => ({ iterator, result }))));
      if (result.done) live.splice(live.indexOf(iterator), 1);
      else yield result.value;
    }
  } finally {
    await Promise.allSettled(live.map((iterator) => iterator.return?.()));
  }
}
