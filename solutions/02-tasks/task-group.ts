// #region TaskGroup
/**
 * What `taskGroup` hands its body: the group's signal, and `spawn` to start a
 * task inside the group.
 */
export interface TaskGroup {
  /**
   * Aborts when a task or the body fails (reason: that first error) or when the
   * outer signal aborts.
   */
  readonly signal: AbortSignal;
  /**
   * Starts `task` now, inside the group, and returns its promise. You may
   * ignore that promise: the group watches it. Once the group is failing, the
   * task is not started and the promise rejects with the signal's reason.
   * Throws once the group has settled.
   */
  spawn<R>(task: (signal: AbortSignal) => Promise<R>): Promise<R>;
}
// #endregion TaskGroup

// #region taskGroup
/**
 * Structured concurrency: the twin of `async with asyncio.TaskGroup() as tg:`
 * (a Trio nursery).
 *
 * Runs `body` with a group whose `spawn` starts tasks. Settles only after
 * `body` and every task (also tasks spawned by tasks) have settled: no task
 * outlives the group. When `body` or a task fails, the group's signal aborts
 * with that first error as its reason; once everything has settled, the group
 * rejects with it. Rejections caused by that abort (a task rejecting with the
 * signal's reason) are not failures; several independent failures reject with
 * an `AggregateError`, in the order they failed. An outer `signal` abort aborts
 * the group, which rejects with the outer reason. Otherwise resolves with what
 * `body` returned.
 *
 * @example
 * const [user, orders] = await taskGroup(async (group) => {
 *   const user = group.spawn((signal) => fetchUser(id, signal));
 *   const orders = group.spawn((signal) => fetchOrders(id, signal));
 *   return [await user, await orders];
 * });
 */
export async function taskGroup<T>(
  body: (group: TaskGroup) => Promise<T>,
  signal?: AbortSignal,
): Promise<T> {
  signal?.throwIfAborted();
  const controller = new AbortController();
  const failures: unknown[] = [];
  let running = 0;
  let closed = false;
  let allSettled!: () => void;
  const everythingSettled = new Promise<void>(
    (resolve) => (allSettled = resolve),
  );

  const fail = (error: unknown) => {
    // A task that honoured the abort rejects with the signal's reason: the
    // first failure echoed back, not a new one.
    if (controller.signal.aborted && error === controller.signal.reason) return;
    failures.push(error);
    if (!controller.signal.aborted) controller.abort(error);
  };
  const onOuterAbort = () => fail(signal?.reason);
  signal?.addEventListener("abort", onOuterAbort, { once: true });

  const track = (promise: Promise<unknown>) => {
    running += 1;
    // The rejection handler handles the rejection at once, so nobody's ignored
    // promise goes unhandled.
    promise.then(settled, (error: unknown) => {
      fail(error);
      settled();
    });
  };
  const settled = () => {
    running -= 1;
    if (running > 0) return;
    closed = true;
    allSettled();
  };

  const group: TaskGroup = {
    signal: controller.signal,
    spawn<R>(task: (signal: AbortSignal) => Promise<R>): Promise<R> {
      if (closed)
        throw new Error(
          "taskGroup: spawn() was called after the group had settled",
        );
      // A group that is already failing starts nothing new.
      const run = controller.signal.aborted
        ? Promise.reject(controller.signal.reason)
        : start(task, controller.signal);
      track(run);
      return run;
    },
  };

  // The body counts as one more task, so the group cannot look idle before it
  // has returned.
  const result = start(body, group);
  track(result);
  await everythingSettled;
  signal?.removeEventListener("abort", onOuterAbort);

  if (failures.length === 1) throw failures[0];
  if (failures.length > 1)
    throw new AggregateError(
      failures,
      `${failures.length} tasks of the group failed`,
    );
  return result;
}

/**
 * Calls `fn`, and turns a synchronous throw into a rejection. The promise `fn`
 * returns is used as it is: wrapping it in another promise would cost two
 * more turns of the microtask queue per task.
 */
function start<A, R>(fn: (arg: A) => Promise<R>, arg: A): Promise<R> {
  try {
    return Promise.resolve(fn(arg));
  } catch (error) {
    return Promise.reject(error);
  }
}
// #endregion taskGroup
