// mistake: takeAsync pulling after n
// expect: pulled 4 items
export * from "../../../solutions/03-generators/async-iterate.ts";

export async function* takeAsync<T>(source: AsyncIterable<T>, n: number): AsyncGenerator<T> {
  let taken = 0;
  for await (const item of source) {
    if (taken >= n) return;
    yield item;
    taken += 1;
  }
}
