// mistake: tasks that settle after wait returned still move between the returned sets
// expect: the sets belong to the caller once wait has returned
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
    let timer: ReturnType<typeof setTimeout> | undefined;
    const finish = () => {
      clearTimeout(timer);
      resolve({ done, pending });
    };
    for (const task of pending) {
      const settled = (rejected: boolean) => {
        pending.delete(task);
        done.add(task);
        if (pending.size === 0 || returnWhen === "FIRST_COMPLETED" || (rejected && returnWhen === "FIRST_EXCEPTION")) finish();
      };
      task.then(
        () => settled(false),
        () => settled(true),
      );
    }
    if (timeoutMs !== undefined) timer = setTimeout(finish, timeoutMs);
  });
}
