import { todo } from "#kit/todo.ts";

// #region ReturnWhen
/**
 * When `wait` returns: as soon as one task settles, as soon as one rejects, or
 * once all have settled.
 */
export type ReturnWhen =
  "FIRST_COMPLETED" | "FIRST_EXCEPTION" | "ALL_COMPLETED";
// #endregion ReturnWhen

// #region wait
/**
 * Waits for some of `tasks` to settle: the twin of `done, pending = await
 * asyncio.wait(tasks)`.
 *
 * Never rejects: a task that rejected is done, like one that fulfilled (look at
 * its result yourself). `returnWhen` (default `"ALL_COMPLETED"`) says when to
 * return; `"FIRST_EXCEPTION"` returns when a task rejects, or when all are
 * done. After `timeoutMs`, returns whatever is done so far. Pending tasks are
 * not cancelled: they keep running. Empty input returns two empty sets. No
 * timer outlives the call, and a task that rejects after `wait` returned is not
 * an unhandled rejection.
 *
 * @example
 * const { done, pending } = await wait([a, b, c], {
 *   returnWhen: "FIRST_COMPLETED",
 *   timeoutMs: 1_000,
 * });
 */
export async function wait<T>(
  tasks: Iterable<Promise<T>>,
  options: { returnWhen?: ReturnWhen; timeoutMs?: number } = {},
): Promise<{ done: Set<Promise<T>>; pending: Set<Promise<T>> }> {
  todo("Move each task to done as it settles; return when returnWhen says.");
}
// #endregion wait
