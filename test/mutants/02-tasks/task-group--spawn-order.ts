// mistake: several failures listed in the order the tasks were spawned, not the order they failed
// expect: in the order they failed (b, c, a)
import type { TaskGroup } from "../../../solutions/02-tasks/task-group.ts";
export * from "../../../solutions/02-tasks/task-group.ts";

export async function taskGroup<T>(body: (group: TaskGroup) => Promise<T>, signal?: AbortSignal): Promise<T> {
  signal?.throwIfAborted();
  const controller = new AbortController();
  const onOuterAbort = () => controller.abort(signal?.reason);
  signal?.addEventListener("abort", onOuterAbort, { once: true });
  const tasks: Promise<unknown>[] = [];
  let closed = false;
  const track = (promise: Promise<unknown>) => {
    tasks.push(promise);
    promise.catch((error: unknown) => controller.signal.aborted || controller.abort(error));
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
  const outcomes: PromiseSettledResult<unknown>[] = [];
  while (outcomes.length < tasks.length) outcomes.push(...(await Promise.allSettled(tasks.slice(outcomes.length))));
  closed = true;
  signal?.removeEventListener("abort", onOuterAbort);
  const reason = controller.signal.reason;
  // The mistake: failures read back in spawn order. The first failure (the reason) goes first, the rest follow.
  const failures = outcomes.flatMap((o) => (o.status === "rejected" && o.reason !== reason ? [o.reason] : []));
  if (controller.signal.aborted) failures.unshift(reason);
  if (failures.length === 1) throw failures[0];
  if (failures.length > 1) throw new AggregateError(failures);
  return result;
}
