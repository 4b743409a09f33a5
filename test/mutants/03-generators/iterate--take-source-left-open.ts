// mistake: take drives the source's iterator by hand and never closes it
// expect: the source's finally never ran
export * from "../../../solutions/03-generators/iterate.ts";

export function* take<T>(source: Iterable<T>, n: number): Generator<T> {
  const iterator = source[Symbol.iterator]();
  for (let taken = 0; taken < n; taken += 1) {
    const result = iterator.next();
    if (result.done) return;
    yield result.value;
  }
}
