// mistake: the timeout timer left running
// expect: its timeout timer is still armed
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
    const finish = () => {
      if (returned) return;
      returned = true;
      resolve({ done, pending });
    };
    for (const task of pending) {
      const settled = (rejected: boolean) => {
        if (returned) return;
        pending.delete(task);
        done.add(task);
        if (pending.size === 0 || returnWhen === "FIRST_COMPLETED" || (rejected && returnWhen === "FIRST_EXCEPTION")) finish();
      };
      task.then(
        () => settled(false),
        () => settled(true),
      );
    }
    if (timeoutMs !== undefined) setTimeout(finish, timeoutMs);
  });
}
