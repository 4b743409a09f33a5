// mistake: unhandled rejections (a finally() chain on each task that nobody handles)
// expect: went unhandled although the group watches it
import type { TaskGroup } from "../../../solutions/02-tasks/task-group.ts";
export * from "../../../solutions/02-tasks/task-group.ts";

export async function taskGroup<T>(body: (group: TaskGroup) => Promise<T>, signal?: AbortSignal): Promise<T> {
  signal?.throwIfAborted();
  const controller = new AbortController();
  const failures: unknown[] = [];
  let running = 0;
  let closed = false;
  let allSettled!: () => void;
  const everythingSettled = new Promise<void>((resolve) => (allSettled = resolve));
  const fail = (error: unknown) => {
    if (controller.signal.aborted && error === controller.signal.reason) return;
    failures.push(error);
    if (!controller.signal.aborted) controller.abort(error);
  };
  const onOuterAbort = () => fail(signal?.reason);
  signal?.addEventListener("abort", onOuterAbort, { once: true });
  const track = (promise: Promise<unknown>) => {
    running += 1;
    promise.catch(fail);
    // The mistake: finally() passes the rejection on, to a promise nobody handles.
    void promise.finally(() => {
      running -= 1;
      if (running > 0) return;
      closed = true;
      allSettled();
    });
  };
  const group: TaskGroup = {
    signal: controller.signal,
    spawn<R>(task: (signal: AbortSignal) => Promise<R>): Promise<R> {
      if (closed) throw new Error("spawn after settle");
      const run = new Promise<R>((settle) => settle(task(controller.signal)));
      track(run);
      return run;
    },
  };
  const result = new Promise<T>((settle) => settle(body(group)));
  track(result);
  await everythingSettled;
  signal?.removeEventListener("abort", onOuterAbort);
  if (failures.length === 1) throw failures[0];
  if (failures.length > 1) throw new AggregateError(failures);
  return result;
}
