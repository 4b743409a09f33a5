// mistake: chunk reads the whole source into an array first (eager arrays)
// expect: did you read the whole source into an array
export * from "../../../solutions/03-generators/iterate.ts";

export function* chunk<T>(source: Iterable<T>, size: number): Generator<T[]> {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`size ${size}`);
  const all = Array.from(source);
  for (let i = 0; i < all.length; i += size) yield all.slice(i, i + size);
}
