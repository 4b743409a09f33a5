// #region TimeoutError
/**
 * The error a deadline rejects with. Its `name` is `"TimeoutError"`, like the
 * one `AbortSignal.timeout()` uses.
 */
export class TimeoutError extends Error {
  override name = "TimeoutError";

  constructor(message = "The operation timed out") {
    super(message);
  }
}
// #endregion TimeoutError

// #region withTimeout
/**
 * Runs `work` with a deadline: the twin of `async with
 * asyncio.timeout(seconds):`.
 *
 * `work` gets a signal that aborts when `ms` pass (its reason: a
 * `TimeoutError`) or when the outer `signal` aborts (its reason). The promise
 * rejects with that reason at once, even when `work` ignores its signal and
 * keeps running. When `work` settles first, it settles the same way, and no
 * timer and no listener on the outer signal are left behind.
 *
 * @example
 * const page = await withTimeout(2_000, (signal) => fetch(url, { signal }));
 */
export async function withTimeout<T>(
  ms: number,
  work: (signal: AbortSignal) => Promise<T>,
  signal?: AbortSignal,
): Promise<T> {
  signal?.throwIfAborted();
  const controller = new AbortController();

  return new Promise<T>((resolve, reject) => {
    const cleanUp = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onOuterAbort);
    };
    // We cannot stop `work`, only ask it to stop. So we reject now, whether or
    // not it listens.
    const stop = (reason: unknown) => {
      cleanUp();
      controller.abort(reason);
      reject(reason);
    };
    const onOuterAbort = () => stop(signal?.reason);
    const timer = setTimeout(
      () => stop(new TimeoutError(`Timed out after ${ms} ms`)),
      ms,
    );
    signal?.addEventListener("abort", onOuterAbort, { once: true });

    // new Promise() turns a synchronous throw in work() into a rejection. Once
    // we rejected at the deadline, work's own late result or error lands here
    // and is ignored (a promise settles once).
    new Promise<T>((settle) => settle(work(controller.signal))).then(
      (value) => {
        cleanUp();
        resolve(value);
      },
      (error: unknown) => {
        cleanUp();
        reject(error);
      },
    );
  });
}
// #endregion withTimeout
