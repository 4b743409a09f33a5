// #region merge
/**
 * Yields the values of every source as they arrive, whichever source they come
 * from: the twin of `aiostream.stream.merge`.
 *
 * Asks every source for its next value at once, and keeps at most one pending
 * `next()` per source. Ends when every source has ended. When a source throws,
 * the others are closed and the error is rethrown; when the consumer stops
 * early, every source is closed.
 *
 * @example
 * for await (const event of merge(keyboard, network, timer)) handle(event);
 */
export async function* merge<T>(
  ...sources: AsyncIterable<T>[]
): AsyncGenerator<T> {
  type Settled =
    | { index: number; result: IteratorResult<T> }
    | { index: number; error: unknown };
  const iterators = sources.map((source) => source[Symbol.asyncIterator]());
  const finished = new Set<number>();
  // Results that came in while we were busy, oldest first: at most one per
  // source, since a source is asked again only once its result is used.
  const ready: Settled[] = [];
  let wake: (() => void) | undefined;
  const arrived = (settled: Settled) => {
    ready.push(settled);
    wake?.();
    wake = undefined;
  };
  const pull = (index: number) => {
    // One handler per next(), attached once. A Promise.race in every round
    // would add one to a silent source's promise per round, each kept until
    // it settles: memory that grows with every value the others yield. A
    // failure becomes a value here, so it can never be an unhandled rejection.
    iterators[index]!.next().then(
      (result) => arrived({ index, result }),
      (error: unknown) => arrived({ index, error }),
    );
  };

  try {
    iterators.forEach((_, index) => pull(index));
    while (finished.size < iterators.length) {
      const settled = ready.shift();
      if (!settled) {
        await new Promise<void>((resolve) => (wake = resolve));
        continue;
      }
      if ("error" in settled) {
        finished.add(settled.index);
        throw settled.error;
      }
      if (settled.result.done) {
        finished.add(settled.index);
        continue;
      }
      yield settled.result.value;
      // Ask the same source again, and only now that the consumer wants more.
      pull(settled.index);
    }
  } finally {
    // Runs when all sources ended, when one threw, and when the consumer left
    // early (its break calls our return(), which resumes us here). A source
    // still busy with a next() handles its return() once that step is done, so
    // this may wait for it.
    const open = iterators.filter((_, index) => !finished.has(index));
    // allSettled: an error while closing must not hide the error that brought
    // us here. The async callback turns a return() that throws at once into a
    // rejection, which allSettled also holds.
    await Promise.allSettled(open.map(async (iterator) => iterator.return?.()));
  }
}
// #endregion merge
