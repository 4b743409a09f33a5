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
  const { returnWhen = "ALL_COMPLETED", timeoutMs } = options;
  const pending = new Set(tasks);
  const done = new Set<Promise<T>>();
  if (pending.size === 0) return { done, pending };

  return new Promise((resolve) => {
    let returned = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const finish = () => {
      if (returned) return;
      returned = true;
      clearTimeout(timer);
      resolve({ done, pending });
    };
    const settled = (task: Promise<T>, rejected: boolean) => {
      // Once we returned, the sets belong to the caller: a late task must not
      // move between them.
      if (returned) return;
      pending.delete(task);
      done.add(task);
      if (
        pending.size === 0 ||
        returnWhen === "FIRST_COMPLETED" ||
        (rejected && returnWhen === "FIRST_EXCEPTION")
      )
        finish();
    };
    for (const task of pending) {
      // Both callbacks in one then(): the rejection is handled here, so a task
      // that fails after we returned is not reported as unhandled.
      // (Promise.race would reject on the first error.)
      task.then(
        () => settled(task, false),
        () => settled(task, true),
      );
    }
    if (timeoutMs !== undefined) timer = setTimeout(finish, timeoutMs);
  });
}
// #endregion wait
