// mistake: take pulling one item too many
// expect: pulled 4 items from the source
export * from "../../../solutions/03-generators/iterate.ts";

export function* take<T>(source: Iterable<T>, n: number): Generator<T> {
  let taken = 0;
  for (const item of source) {
    if (taken === n) return;
    yield item;
    taken += 1;
  }
}
