// mistake: a then() without a rejection handler on each task (a task that rejects after wait returned is unhandled)
// expect: rejected after wait returned and nobody handled it
import type { ReturnWhen } from "../../../solutions/02-tasks/wait.ts";
export * from "../../../solutions/02-tasks/wait.ts";

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
    for (const task of pending) {
      const settled = (rejected: boolean) => {
        if (returned) return;
        pending.delete(task);
        done.add(task);
        if (pending.size === 0 || returnWhen === "FIRST_COMPLETED" || (rejected && returnWhen === "FIRST_EXCEPTION")) finish();
      };
      // The mistake: then(f) returns a new promise that rejects when task rejects, and nobody handles it.
      task.then(() => settled(false));
      task.catch(() => settled(true));
    }
    if (timeoutMs !== undefined) timer = setTimeout(finish, timeoutMs);
  });
}
