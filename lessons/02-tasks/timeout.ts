import { todo } from "#kit/todo.ts";

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
  todo("Run work with a signal; at the deadline abort it and reject.");
}
// #endregion withTimeout
