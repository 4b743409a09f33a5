// mistake: merge concatenating sources one after another
// expect: did you concatenate the sources
export * from "../../../solutions/03-generators/merge.ts";

export async function* merge<T>(...sources: AsyncIterable<T>[]): AsyncGenerator<T> {
  for (const source of sources) {
    for await (const value of source) yield value;
  }
}
