// mistake: siblings not aborted on failure
// expect: abort the group's signal with the first error
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
    // A task that honoured the abort rejects with the signal's reason: the first failure echoed
    // back, not a new one.
    if (controller.signal.aborted && error === controller.signal.reason) return;
    failures.push(error);
    // the mistake: the failure is recorded, but nobody tells the siblings
  };
  const onOuterAbort = () => fail(signal?.reason);
  signal?.addEventListener("abort", onOuterAbort, { once: true });

  const track = (promise: Promise<unknown>) => {
    running += 1;
    // then(_, fail) handles the rejection at once, so nobody's ignored promise goes unhandled.
    promise.then(undefined, fail).then(() => {
      running -= 1;
      if (running > 0) return;
      closed = true;
      allSettled();
    });
  };

  const group: TaskGroup = {
    signal: controller.signal,
    spawn<R>(task: (signal: AbortSignal) => Promise<R>): Promise<R> {
      if (closed) throw new Error("taskGroup: spawn() was called after the group had settled");
      // A group that is already failing starts nothing new.
      const run = controller.signal.aborted
        ? Promise.reject(controller.signal.reason)
        : new Promise<R>((settle) => settle(task(controller.signal)));
      track(run);
      return run;
    },
  };

  // The body counts as one more task, so the group cannot look idle before it has returned.
  const result = new Promise<T>((settle) => settle(body(group)));
  track(result);
  await everythingSettled;
  signal?.removeEventListener("abort", onOuterAbort);

  if (failures.length === 1) throw failures[0];
  if (failures.length > 1) throw new AggregateError(failures, `${failures.length} tasks of the group failed`);
  return result;
}
