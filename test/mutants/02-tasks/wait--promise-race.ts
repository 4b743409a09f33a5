// mistake: using Promise.race directly (rejects on the first error)
// expect: did you use Promise.race directly?
import type { ReturnWhen } from "../../../solutions/02-tasks/wait.ts";
export * from "../../../solutions/02-tasks/wait.ts";

export async function wait<T>(
  tasks: Iterable<Promise<T>>,
  options: { returnWhen?: ReturnWhen; timeoutMs?: number } = {},
): Promise<{ done: Set<Promise<T>>; pending: Set<Promise<T>> }> {
  const { returnWhen = "ALL_COMPLETED", timeoutMs } = options;
  const pending = new Set(tasks);
  const done = new Set<Promise<T>>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<"timeout">((resolve) => {
    if (timeoutMs !== undefined) timer = setTimeout(() => resolve("timeout"), timeoutMs);
  });
  try {
    while (pending.size > 0) {
      // Each round waits for the next task to settle... and rejects when that task rejects.
      const first = await Promise.race([...[...pending].map(async (task) => [await task, task] as const), deadline]);
      if (first === "timeout") break;
      pending.delete(first[1]);
      done.add(first[1]);
      if (returnWhen === "FIRST_COMPLETED") break;
    }
    return { done, pending };
  } finally {
    clearTimeout(timer);
  }
}
