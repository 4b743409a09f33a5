import { todo } from "#kit/todo.ts";

// #region TaskGroup
/**
 * What `taskGroup` hands its body: the group's signal, and `spawn` to start a
 * task inside the group.
 */
export interface TaskGroup {
  /**
   * Aborts when a task or the body fails (reason: that first error) or when the
   * outer signal aborts.
   */
  readonly signal: AbortSignal;
  /**
   * Starts `task` now, inside the group, and returns its promise. You may
   * ignore that promise: the group watches it. Once the group is failing, the
   * task is not started and the promise rejects with the signal's reason.
   * Throws once the group has settled.
   */
  spawn<R>(task: (signal: AbortSignal) => Promise<R>): Promise<R>;
}
// #endregion TaskGroup

// #region taskGroup
/**
 * Structured concurrency: the twin of `async with asyncio.TaskGroup() as tg:`
 * (a Trio nursery).
 *
 * Runs `body` with a group whose `spawn` starts tasks. Settles only after
 * `body` and every task (also tasks spawned by tasks) have settled: no task
 * outlives the group. When `body` or a task fails, the group's signal aborts
 * with that first error as its reason; once everything has settled, the group
 * rejects with it. Rejections caused by that abort (a task rejecting with the
 * signal's reason) are not failures; several independent failures reject with
 * an `AggregateError`, in the order they failed. An outer `signal` abort aborts
 * the group, which rejects with the outer reason. Otherwise resolves with what
 * `body` returned.
 *
 * @example
 * const [user, orders] = await taskGroup(async (group) => {
 *   const user = group.spawn((signal) => fetchUser(id, signal));
 *   const orders = group.spawn((signal) => fetchOrders(id, signal));
 *   return [await user, await orders];
 * });
 */
export async function taskGroup<T>(
  body: (group: TaskGroup) => Promise<T>,
  signal?: AbortSignal,
): Promise<T> {
  todo("Count running tasks; the first failure aborts; settle at count 0.");
}
// #endregion taskGroup
