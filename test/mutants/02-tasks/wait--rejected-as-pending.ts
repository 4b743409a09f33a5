// mistake: counting a rejected task as pending
// expect: a rejected task is done
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
      task.then(
        () => {
          if (returned) return;
          pending.delete(task);
          done.add(task);
          if (pending.size === 0 || returnWhen === "FIRST_COMPLETED") finish();
        },
        // The mistake: a rejection leaves the task where it was.
        () => {
          if (returnWhen !== "ALL_COMPLETED") finish();
        },
      );
    }
    if (timeoutMs !== undefined) timer = setTimeout(finish, timeoutMs);
  });
}
