// mistake: takeAsync with n = 0 still pulls (and yields) one item
// expect: with n = 0, do not ask the source for anything
export * from "../../../solutions/03-generators/async-iterate.ts";

export async function* takeAsync<T>(source: AsyncIterable<T>, n: number): AsyncGenerator<T> {
  let taken = 0;
  for await (const item of source) {
    yield item;
    taken += 1;
    if (taken >= n) return;
  }
}
