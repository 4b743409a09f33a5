// #region firstSuccess
/**
 * Happy eyeballs: the first attempt to succeed wins. The twin of Python's
 * `asyncio.staggered.staggered_race` (what
 * `asyncio.open_connection(happy_eyeballs_delay=…)` uses).
 *
 * Starts attempt 0; starts each next attempt `staggerMs` after the previous one
 * started, or as soon as the previous one fails, whichever comes first
 * (`staggerMs` 0 or absent: all at once). Resolves with the first success and
 * aborts every other attempt that started; attempts not started yet never
 * start. When every attempt fails, rejects with an `AggregateError` whose
 * `errors` are in attempt order.
 *
 * @example
 * const attempts = addresses.map(
 *   (address) => (signal: AbortSignal) => connect(address, signal),
 * );
 * const socket = await firstSuccess(attempts, { staggerMs: 250 });
 */
export async function firstSuccess<T>(
  attempts: ReadonlyArray<(signal: AbortSignal) => Promise<T>>,
  options: { staggerMs?: number } = {},
): Promise<T> {
  const { staggerMs = 0 } = options;
  if (attempts.length === 0)
    throw new AggregateError(
      [],
      "firstSuccess: there were no attempts to make",
    );

  return new Promise<T>((resolve, reject) => {
    const controllers: AbortController[] = [];
    const errors: unknown[] = [];
    let failures = 0;
    let finished = false;
    let staggerTimer: ReturnType<typeof setTimeout> | undefined;

    const startNext = () => {
      clearTimeout(staggerTimer);
      const index = controllers.length;
      if (finished || index === attempts.length) return;
      const controller = new AbortController();
      controllers.push(controller);
      if (staggerMs > 0 && index + 1 < attempts.length)
        staggerTimer = setTimeout(startNext, staggerMs);

      new Promise<T>((settle) =>
        settle(attempts[index]!(controller.signal)),
      ).then(
        (value) => {
          if (finished) return;
          finished = true;
          clearTimeout(staggerTimer);
          // The losers are still running: tell them to stop. Their later
          // results land in the handlers above and below, which ignore them.
          controllers.forEach(
            (loser, i) =>
              i !== index &&
              loser.abort(new Error(`attempt ${index} won the race`)),
          );
          resolve(value);
        },
        (error: unknown) => {
          if (finished) return;
          // by index, not push(): errors stay in attempt order
          errors[index] = error;
          failures += 1;
          if (failures === attempts.length) {
            finished = true;
            reject(
              new AggregateError(
                errors,
                `all ${attempts.length} attempts failed`,
              ),
            );
          } else if (index === controllers.length - 1) {
            // The newest attempt failed: no reason to wait out the stagger for
            // the next one.
            startNext();
          }
        },
      );
    };

    if (staggerMs > 0) startNext();
    else attempts.forEach(() => startNext());
  });
}
// #endregion firstSuccess
