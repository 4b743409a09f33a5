// mistake: merge round-robin waiting (asks each source in turn and waits for it)
// expect: round-robin waiting
export * from "../../../solutions/03-generators/merge.ts";

export async function* merge<T>(...sources: AsyncIterable<T>[]): AsyncGenerator<T> {
  const live = sources.map((source) => source[Symbol.asyncIterator]());
  try {
    while (live.length > 0) {
      for (const iterator of [...live]) {
        const result = await iterator.next();
        if (result.done) live.splice(live.indexOf(iterator), 1);
        else yield result.value;
      }
    }
  } finally {
    await Promise.allSettled(live.map((iterator) => iterator.return?.()));
  }
}
