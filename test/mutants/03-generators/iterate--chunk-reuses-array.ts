// mistake: chunk empties and reuses one array instead of starting a new one
// expect: you reused one array
export * from "../../../solutions/03-generators/iterate.ts";

export function* chunk<T>(source: Iterable<T>, size: number): Generator<T[]> {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`size ${size}`);
  const current: T[] = [];
  for (const item of source) {
    current.push(item);
    if (current.length === size) {
      yield current;
      current.length = 0;
    }
  }
  if (current.length > 0) yield current;
}
