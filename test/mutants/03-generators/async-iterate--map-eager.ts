// mistake: mapAsync reads the whole source before yielding anything (eager arrays)
// expect: did you read the whole source into an array
export * from "../../../solutions/03-generators/async-iterate.ts";

export async function* mapAsync<T, R>(source: AsyncIterable<T>, fn: (item: T, index: number) => R | Promise<R>): AsyncGenerator<R> {
  const items: T[] = [];
  for await (const item of source) items.push(item);
  for (const [index, item] of items.entries()) yield await fn(item, index);
}
