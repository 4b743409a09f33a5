// mistake: waiting only for the tasks that existed when body returned (a task's own spawns are orphans)
// expect: a task spawned by another task
import type { TaskGroup } from "../../../solutions/02-tasks/task-group.ts";
export * from "../../../solutions/02-tasks/task-group.ts";

export async function taskGroup<T>(body: (group: TaskGroup) => Promise<T>, signal?: AbortSignal): Promise<T> {
  signal?.throwIfAborted();
  const controller = new AbortController();
  const failures: unknown[] = [];
  const tasks: Promise<unknown>[] = [];
  let closed = false;
  const fail = (error: unknown) => {
    if (controller.signal.aborted && error === controller.signal.reason) return;
    failures.push(error);
    if (!controller.signal.aborted) controller.abort(error);
  };
  const onOuterAbort = () => fail(signal?.reason);
  signal?.addEventListener("abort", onOuterAbort, { once: true });
  const group: TaskGroup = {
    signal: controller.signal,
    spawn<R>(task: (signal: AbortSignal) => Promise<R>): Promise<R> {
      if (closed) throw new Error("spawn after settle");
      const run = new Promise<R>((settle) => settle(task(controller.signal)));
      run.catch(fail);
      tasks.push(run);
      return run;
    },
  };
  const result = new Promise<T>((settle) => settle(body(group)));
  result.catch(fail);
  await result.catch(() => {});
  // The mistake: a snapshot. Tasks spawned while these run are not in it.
  await Promise.allSettled([...tasks]);
  closed = true;
  signal?.removeEventListener("abort", onOuterAbort);
  if (failures.length === 1) throw failures[0];
  if (failures.length > 1) throw new AggregateError(failures);
  return result;
}
