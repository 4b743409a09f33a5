// mistake: rejecting at the first failure, before the aborted siblings have settled
// expect: even when failing, wait for every task to settle
import type { TaskGroup } from "../../../solutions/02-tasks/task-group.ts";
export * from "../../../solutions/02-tasks/task-group.ts";

export async function taskGroup<T>(body: (group: TaskGroup) => Promise<T>, signal?: AbortSignal): Promise<T> {
  signal?.throwIfAborted();
  const controller = new AbortController();
  let running = 0;
  let closed = false;
  let finish!: (outcome: { ok: true } | { ok: false; error: unknown }) => void;
  const outcome = new Promise<{ ok: true } | { ok: false; error: unknown }>((resolve) => (finish = resolve));
  const fail = (error: unknown) => {
    if (controller.signal.aborted) return;
    controller.abort(error);
    finish({ ok: false, error }); // the mistake: the group settles now, the siblings are still running
  };
  const onOuterAbort = () => fail(signal?.reason);
  signal?.addEventListener("abort", onOuterAbort, { once: true });
  const track = (promise: Promise<unknown>) => {
    running += 1;
    promise.then(undefined, fail).then(() => {
      running -= 1;
      if (running === 0) finish({ ok: true });
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
  const end = await outcome;
  closed = true;
  signal?.removeEventListener("abort", onOuterAbort);
  if (!end.ok) throw end.error;
  return result;
}
