import { todo } from "#kit/todo.ts";

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
  todo("Stagger the attempts; the first success wins and aborts the rest.");
}
// #endregion firstSuccess
