// mistake: chunk accepts a size that is not a positive integer
// expect: should throw a RangeError
export * from "../../../solutions/03-generators/iterate.ts";

export function* chunk<T>(source: Iterable<T>, size: number): Generator<T[]> {
  let current: T[] = [];
  for (const item of source) {
    current.push(item);
    if (current.length >= size) {
      yield current;
      current = [];
    }
  }
  if (current.length > 0) yield current;
}
