// mistake: returning while tasks still run (orphans)
// expect: that task is an orphan
import type { TaskGroup } from "../../../solutions/02-tasks/task-group.ts";
export * from "../../../solutions/02-tasks/task-group.ts";

export async function taskGroup<T>(body: (group: TaskGroup) => Promise<T>, signal?: AbortSignal): Promise<T> {
  signal?.throwIfAborted();
  const controller = new AbortController();
  const failures: unknown[] = [];
  const fail = (error: unknown) => {
    if (controller.signal.aborted && error === controller.signal.reason) return;
    failures.push(error);
    if (!controller.signal.aborted) controller.abort(error);
  };
  const onOuterAbort = () => fail(signal?.reason);
  signal?.addEventListener("abort", onOuterAbort, { once: true });
  let closed = false;
  const group: TaskGroup = {
    signal: controller.signal,
    spawn<R>(task: (signal: AbortSignal) => Promise<R>): Promise<R> {
      if (closed) throw new Error("spawn after settle");
      const run = new Promise<R>((settle) => settle(task(controller.signal)));
      run.catch(fail);
      return run;
    },
  };
  try {
    // The mistake: only body is awaited; the tasks it spawned run on without anyone waiting.
    const value = await body(group);
    if (failures.length > 0) throw failures[0];
    return value;
  } catch (error) {
    fail(error);
    throw failures.length > 1 ? new AggregateError(failures) : failures[0];
  } finally {
    closed = true;
    signal?.removeEventListener("abort", onOuterAbort);
  }
}
