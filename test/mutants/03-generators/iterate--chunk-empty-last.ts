// mistake: chunk yields an empty trailing chunk when the source divides evenly
// expect: yield the leftover only when it has items
export * from "../../../solutions/03-generators/iterate.ts";

export function* chunk<T>(source: Iterable<T>, size: number): Generator<T[]> {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`size ${size}`);
  let current: T[] = [];
  for (const item of source) {
    current.push(item);
    if (current.length === size) {
      yield current;
      current = [];
    }
  }
  yield current;
}
