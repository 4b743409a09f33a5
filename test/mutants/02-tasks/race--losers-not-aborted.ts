// mistake: losers not aborted
// expect: abort the losers
export * from "../../../solutions/02-tasks/race.ts";

export async function firstSuccess<T>(
  attempts: ReadonlyArray<(signal: AbortSignal) => Promise<T>>,
  options: { staggerMs?: number } = {},
): Promise<T> {
  const { staggerMs = 0 } = options;
  if (attempts.length === 0) throw new AggregateError([], "firstSuccess: there were no attempts to make");

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
      if (staggerMs > 0 && index + 1 < attempts.length) staggerTimer = setTimeout(startNext, staggerMs);

      new Promise<T>((settle) => settle(attempts[index]!(controller.signal))).then(
        (value) => {
          if (finished) return;
          finished = true;
          clearTimeout(staggerTimer);
          resolve(value);
        },
        (error: unknown) => {
          if (finished) return;
          errors[index] = error; // by index, not push(): errors stay in attempt order
          failures += 1;
          if (failures === attempts.length) {
            finished = true;
            reject(new AggregateError(errors, `all ${attempts.length} attempts failed`));
          } else if (index === controllers.length - 1) {
            // The newest attempt failed: no reason to wait out the stagger for the next one.
            startNext();
          }
        },
      );
    };

    if (staggerMs > 0) startNext();
    else attempts.forEach(() => startNext());
  });
}
