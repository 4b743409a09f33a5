// mistake: take reads the whole source into an array first (eager arrays)
// expect: did you read the whole source into an array
export * from "../../../solutions/03-generators/iterate.ts";

export function* take<T>(source: Iterable<T>, n: number): Generator<T> {
  yield* [...source].slice(0, Math.max(0, n));
}
