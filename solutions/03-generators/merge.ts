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
  // The one pending next() of each source that has not ended yet. Its promise
  // never rejects (a failure is a value here), so the promise of a source we
  // stop listening to cannot turn into an unhandled rejection.
  const pending = new Map<number, Promise<Settled>>();
  const finished = new Set<number>();
  const pull = (index: number) => {
    const next = iterators[index]!.next().then(
      (result): Settled => ({ index, result }),
      (error: unknown): Settled => ({ index, error }),
    );
    pending.set(index, next);
  };

  try {
    iterators.forEach((_, index) => pull(index));
    while (pending.size > 0) {
      // The losers of the race keep their pending promise: calling next() on
      // every source again would throw away the values they are producing.
      const settled = await Promise.race(pending.values());
      pending.delete(settled.index);
      if ("error" in settled) {
        finished.add(settled.index);
        throw settled.error;
      }
      if (settled.result.done) {
        finished.add(settled.index);
        continue;
      }
      yield settled.result.value;
      // Re-arm only the winner, and only now that the consumer asks for more.
      pull(settled.index);
    }
  } finally {
    // Runs when all sources ended, when one threw, and when the consumer left
    // early (its break calls our return(), which resumes us here). A source
    // still busy with a next() handles its return() once that step is done, so
    // this may wait for it.
    const open = iterators.filter((_, index) => !finished.has(index));
    // allSettled: an error while closing must not hide the error that brought
    // us here.
    await Promise.allSettled(open.map((iterator) => iterator.return?.()));
  }
}
// #endregion merge
