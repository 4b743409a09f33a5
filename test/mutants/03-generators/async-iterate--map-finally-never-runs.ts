// mistake: mapAsync drives the source by hand, so the source's finally never runs when the consumer stops early
// expect: the source's finally must run before the consumer's loop ends
export * from "../../../solutions/03-generators/async-iterate.ts";

export async function* mapAsync<T, R>(source: AsyncIterable<T>, fn: (item: T, index: number) => R | Promise<R>): AsyncGenerator<R> {
  const iterator = source[Symbol.asyncIterator]();
  for (let index = 0; ; index += 1) {
    const result = await iterator.next();
    if (result.done) return;
    yield await fn(result.value, index);
  }
}
