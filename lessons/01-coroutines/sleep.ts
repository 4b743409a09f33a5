import { todo } from "#kit/todo.ts";

// #region sleep
/**
 * Waits `ms` milliseconds: the twin of `await asyncio.sleep(seconds)`.
 *
 * Cancellable through `signal`: when it is already aborted, rejects at once
 * with `signal.reason` and starts no timer; when it aborts while waiting,
 * clears the timer and rejects with `signal.reason`. Once the promise settles,
 * no listener is left on the signal.
 *
 * @example
 * await sleep(100);
 * // rejects after 1 s with a TimeoutError:
 * await sleep(5_000, AbortSignal.timeout(1_000));
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  todo("Resolve after ms (setTimeout); on abort, reject with signal.reason.");
}
// #endregion sleep
