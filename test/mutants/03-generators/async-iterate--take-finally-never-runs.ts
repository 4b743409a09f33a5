// mistake: takeAsync drives the source by hand, so the source's finally never runs when the consumer stops early
// expect: the source's finally must have run before its loop ended
export * from "../../../solutions/03-generators/async-iterate.ts";

export async function* takeAsync<T>(source: AsyncIterable<T>, n: number): AsyncGenerator<T> {
  const iterator = source[Symbol.asyncIterator]();
  for (let taken = 0; taken < n; taken += 1) {
    const result = await iterator.next();
    if (result.done) return;
    yield result.value;
  }
}
