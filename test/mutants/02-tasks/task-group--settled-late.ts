// mistake: unhandled rejections (tasks collected in an array and only looked at with Promise.allSettled once body returned)
// expect: went unhandled although the group watches it
import type { TaskGroup } from "../../../solutions/02-tasks/task-group.ts";
export * from "../../../solutions/02-tasks/task-group.ts";

export async function taskGroup<T>(body: (group: TaskGroup) => Promise<T>, signal?: AbortSignal): Promise<T> {
  signal?.throwIfAborted();
  const controller = new AbortController();
  const onOuterAbort = () => controller.abort(signal?.reason);
  signal?.addEventListener("abort", onOuterAbort, { once: true });
  const tasks: Promise<unknown>[] = [];
  let closed = false;
  const group: TaskGroup = {
    signal: controller.signal,
    spawn<R>(task: (signal: AbortSignal) => Promise<R>): Promise<R> {
      if (closed) throw new Error("spawn after settle");
      const run = new Promise<R>((settle) => settle(task(controller.signal)));
      tasks.push(run);
      return run;
    },
  };
  const failures: unknown[] = [];
  try {
    return await body(group);
  } catch (error) {
    failures.push(error);
    controller.abort(error);
    throw error;
  } finally {
    // Waits for every task, also the ones spawned meanwhile, but only now attaches handlers.
    for (let seen = 0; seen < tasks.length; seen = tasks.length) {
      for (const outcome of await Promise.allSettled(tasks.slice(seen))) {
        if (outcome.status === "rejected" && outcome.reason !== controller.signal.reason) failures.push(outcome.reason);
      }
    }
    closed = true;
    signal?.removeEventListener("abort", onOuterAbort);
    if (failures.length > 0) throw failures.length === 1 ? failures[0] : new AggregateError(failures);
  }
}
