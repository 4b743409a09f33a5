// mistake: takeAsync calls the source's return() without awaiting it (its finally runs after the consumer moved on)
// expect: before the consumer's loop ends
export * from "../../../solutions/03-generators/async-iterate.ts";

export async function* takeAsync<T>(source: AsyncIterable<T>, n: number): AsyncGenerator<T> {
  if (n <= 0) return;
  const iterator = source[Symbol.asyncIterator]();
  let taken = 0;
  try {
    for (;;) {
      const result = await iterator.next();
      if (result.done) return;
      yield result.value;
      taken += 1;
      if (taken === n) return;
    }
  } finally {
    void iterator.return?.();
  }
}
