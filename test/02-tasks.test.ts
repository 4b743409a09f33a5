import { describe, expect, it } from "vitest";
import { wait } from "#exercises/02-tasks/wait.ts";
import { TimeoutError, withTimeout } from "#exercises/02-tasks/timeout.ts";
import { firstSuccess } from "#exercises/02-tasks/race.ts";
import { taskGroup, type TaskGroup } from "#exercises/02-tasks/task-group.ts";
import {
  advance,
  pendingTimers,
  settle,
  useFakeClock,
} from "#kit/testing/clock.ts";
import { deferred, observe, type Deferred } from "#kit/testing/deferred.ts";
import { abortListeners, unhandledErrors } from "#kit/testing/leaks.ts";

/**
 * Names a promise in a failure message: "a", "b", … in the order the test
 * created them.
 */
function names<T>(
  set: Set<Promise<T>> | undefined,
  all: Record<string, Promise<T>>,
): string[] {
  return Object.entries(all)
    .filter(([, promise]) => set?.has(promise))
    .map(([name]) => name);
}

describe("wait", () => {
  it("returns two empty sets for no tasks", async () => {
    const { done, pending } = await wait([]);
    expect(
      [done.size, pending.size],
      "wait([]) should return { done: new Set(), pending: new Set() }",
    ).toEqual([0, 0]);
  });

  it("by default returns once every task has settled", async () => {
    const [a, b, c] = [
      deferred<string>(),
      deferred<string>(),
      deferred<string>(),
    ];
    const tasks = { a: a.promise, b: b.promise, c: c.promise };
    const result = observe(wait(new Set(Object.values(tasks))));
    a.resolve("A");
    b.resolve("B");
    await settle();
    expect(
      result.state,
      "wait returned while task c was still running: the default is ALL_COMPLETED",
    ).toBe("pending");
    c.resolve("C");
    await settle();
    expect(result.state, "every task had settled but wait did not return").toBe(
      "fulfilled",
    );
    expect(
      names(result.value?.done, tasks),
      "done should hold every task",
    ).toEqual(["a", "b", "c"]);
    expect(result.value?.pending.size, "pending should be empty").toBe(0);
  });

  it("never rejects: a task that rejected is done", async () => {
    const [a, b] = [deferred<string>(), deferred<string>()];
    const tasks = { a: a.promise, b: b.promise };
    const result = observe(wait(Object.values(tasks)));
    b.reject(new Error("b failed"));
    a.resolve("A");
    await settle();
    expect(
      result.state,
      "wait rejected because a task rejected. wait never rejects; did you use Promise.all or Promise.race directly?",
    ).not.toBe("rejected");
    expect(
      result.state,
      "both tasks had settled (one by rejecting) but wait did not return: a rejected task is done, not pending",
    ).toBe("fulfilled");
    expect(
      names(result.value?.done, tasks),
      "done should hold the fulfilled and the rejected task",
    ).toEqual(["a", "b"]);
    expectRejectionsHandled("task b rejected");
  });

  it("FIRST_COMPLETED returns as soon as one task settles", async () => {
    const [a, b, c] = [
      deferred<string>(),
      deferred<string>(),
      deferred<string>(),
    ];
    const tasks = { a: a.promise, b: b.promise, c: c.promise };
    const result = observe(
      wait(Object.values(tasks), { returnWhen: "FIRST_COMPLETED" }),
    );
    await settle();
    expect(result.state, "wait returned before any task had settled").toBe(
      "pending",
    );
    b.resolve("B");
    await settle();
    expect(
      result.state,
      "task b had settled but FIRST_COMPLETED did not return",
    ).toBe("fulfilled");
    expect(names(result.value?.done, tasks)).toEqual(["b"]);
    expect(
      names(result.value?.pending, tasks),
      "the tasks still running belong in pending",
    ).toEqual(["a", "c"]);
  });

  it("FIRST_COMPLETED counts a rejection as the first completion", async () => {
    const [a, b] = [deferred<string>(), deferred<string>()];
    const tasks = { a: a.promise, b: b.promise };
    const result = observe(
      wait(Object.values(tasks), { returnWhen: "FIRST_COMPLETED" }),
    );
    a.reject(new Error("a failed"));
    await settle();
    expect(
      result.state,
      "wait rejected when the first task rejected: did you use Promise.race directly? It rejects on the first error; here a rejected task is simply done",
    ).not.toBe("rejected");
    expect(
      names(result.value?.done, tasks),
      "the rejected task a should be in done (a rejected task is done)",
    ).toEqual(["a"]);
    expect(names(result.value?.pending, tasks)).toEqual(["b"]);
    expectRejectionsHandled("task a rejected");
  });

  it("FIRST_EXCEPTION returns as soon as a task rejects", async () => {
    const [a, b, c] = [
      deferred<string>(),
      deferred<string>(),
      deferred<string>(),
    ];
    const tasks = { a: a.promise, b: b.promise, c: c.promise };
    const result = observe(
      wait(Object.values(tasks), { returnWhen: "FIRST_EXCEPTION" }),
    );
    a.resolve("A");
    await settle();
    expect(
      result.state,
      "FIRST_EXCEPTION returned when a task fulfilled: it waits for a rejection (or for every task)",
    ).toBe("pending");
    b.reject(new Error("b failed"));
    await settle();
    expect(
      result.state,
      "task b rejected but FIRST_EXCEPTION did not return",
    ).toBe("fulfilled");
    expect(
      names(result.value?.done, tasks),
      "done should hold the fulfilled a and the rejected b",
    ).toEqual(["a", "b"]);
    expect(names(result.value?.pending, tasks)).toEqual(["c"]);
    expectRejectionsHandled("task b rejected");
  });

  it("FIRST_EXCEPTION returns when every task is done and none rejected", async () => {
    const [a, b] = [deferred<string>(), deferred<string>()];
    const result = observe(
      wait([a.promise, b.promise], { returnWhen: "FIRST_EXCEPTION" }),
    );
    a.resolve("A");
    b.resolve("B");
    await settle();
    expect(
      result.state,
      "every task fulfilled, so FIRST_EXCEPTION should return: there is nothing left to wait for",
    ).toBe("fulfilled");
    expect(result.value?.done.size, "both tasks belong in done").toBe(2);
  });

  it("after timeoutMs returns what is done so far, and leaves the rest running", async () => {
    useFakeClock();
    const [a, b] = [deferred<string>(), deferred<string>()];
    const tasks = { a: a.promise, b: b.promise };
    const result = observe(wait(Object.values(tasks), { timeoutMs: 100 }));
    await advance(50);
    a.resolve("A");
    await advance(49);
    expect(result.state, "wait returned before timeoutMs had passed").toBe(
      "pending",
    );
    await advance(1);
    expect(result.state, "wait did not return after timeoutMs").toBe(
      "fulfilled",
    );
    expect(names(result.value?.done, tasks)).toEqual(["a"]);
    expect(
      names(result.value?.pending, tasks),
      "b was still running at the deadline: it belongs in pending",
    ).toEqual(["b"]);
    b.resolve("B");
    await settle();
    expect(
      names(result.value?.pending, tasks),
      "b settled after wait returned and left the pending set: the sets belong to the caller once wait has returned, stop updating them",
    ).toEqual(["b"]);
  });

  it("after timeoutMs, a task that rejected is in done", async () => {
    useFakeClock();
    const [a, b] = [deferred<string>(), deferred<string>()];
    const tasks = { a: a.promise, b: b.promise };
    const result = observe(wait(Object.values(tasks), { timeoutMs: 100 }));
    a.reject(new Error("a failed"));
    await advance(100);
    expect(result.state, "wait did not return at the deadline").toBe(
      "fulfilled",
    );
    expect(
      names(result.value?.done, tasks),
      `done held [${names(result.value?.done, tasks)}] and pending [${names(result.value?.pending, tasks)}]: ` +
        "task a rejected, and a rejected task is done, not pending",
    ).toEqual(["a"]);
    expectRejectionsHandled("task a rejected");
  });

  it("clears its timer when it returns before timeoutMs", async () => {
    useFakeClock();
    const [a, b] = [deferred<string>(), deferred<string>()];
    const result = observe(
      wait([a.promise, b.promise], {
        returnWhen: "FIRST_COMPLETED",
        timeoutMs: 1_000,
      }),
    );
    a.resolve("A");
    await settle();
    expect(
      result.state,
      "task a settled but FIRST_COMPLETED did not return",
    ).toBe("fulfilled");
    expect(
      pendingTimers(),
      "wait returned but its timeout timer is still armed: clearTimeout when wait returns before the deadline",
    ).toBe(0);
  });

  it("causes no unhandled rejection when a task rejects after wait returned", async () => {
    const [a, b] = [deferred<string>(), deferred<string>()];
    const result = observe(
      wait([a.promise, b.promise], { returnWhen: "FIRST_COMPLETED" }),
    );
    a.resolve("A");
    await settle();
    expect(
      result.state,
      "task a settled but FIRST_COMPLETED did not return",
    ).toBe("fulfilled");
    b.reject(new Error("b failed late"));
    await settle();
    expectRejectionsHandled("task b rejected after wait returned");
  });
});

/**
 * Fails, naming the likely mistake, when a task's rejection went unhandled
 * (left to the setup file, the failure would only say that one did).
 */
function expectRejectionsHandled(what: string): void {
  expect(
    unhandledErrors().splice(0).map(String),
    `${what} and nobody handled it. task.then(f) makes a new promise that rejects when the task does, ` +
      "and a task.catch(g) beside it handles only the task, not that new promise: " +
      "give every task both callbacks in one then(onFulfilled, onRejected)",
  ).toEqual([]);
}

/**
 * A unit of work that the test finishes by hand, and that stops when its signal
 * aborts.
 */
function stoppableWork() {
  const call = deferred<string>();
  const seen: { signal?: AbortSignal } = {};
  const work = (signal: AbortSignal) => {
    seen.signal = signal;
    signal.addEventListener("abort", () => call.reject(signal.reason), {
      once: true,
    });
    return call.promise;
  };
  return { call, seen, work };
}

describe("withTimeout", () => {
  it("resolves with work's value when work finishes in time", async () => {
    useFakeClock();
    const result = observe(withTimeout(100, async () => "done"));
    await settle();
    expect(
      result.value,
      "work finished at once but withTimeout did not resolve with its value",
    ).toBe("done");
  });

  it("rejects with work's own error when work fails in time", async () => {
    useFakeClock();
    const boom = new Error("work failed");
    const result = observe(
      withTimeout(100, async () => {
        throw boom;
      }),
    );
    await settle();
    expect(
      result.reason,
      "withTimeout should reject with the error work threw, unchanged",
    ).toBe(boom);
  });

  it("at the deadline rejects with a TimeoutError, and aborts work's signal with it", async () => {
    useFakeClock();
    const { seen, work } = stoppableWork();
    const result = observe(withTimeout(100, work));
    await advance(99);
    expect(result.state, "withTimeout settled before its deadline").toBe(
      "pending",
    );
    expect(
      seen.signal?.aborted,
      "work's signal aborted before the deadline",
    ).toBe(false);
    await advance(1);
    expect(
      result.state,
      "withTimeout(100, …) had not rejected after 100 ms",
    ).toBe("rejected");
    expect(
      result.reason,
      "at the deadline, reject with a TimeoutError",
    ).toBeInstanceOf(TimeoutError);
    expect(
      (result.reason as Error).name,
      'the TimeoutError\'s name should be "TimeoutError"',
    ).toBe("TimeoutError");
    expect(
      seen.signal?.aborted,
      "the deadline passed but work's signal did not abort: abort the controller whose signal work got",
    ).toBe(true);
    expect(
      seen.signal?.reason,
      "work's signal should abort with the same TimeoutError withTimeout rejects with",
    ).toBe(result.reason);
  });

  it("rejects at the deadline even when work ignores its signal", async () => {
    useFakeClock();
    const stubborn = deferred<string>();
    const result = observe(withTimeout(100, () => stubborn.promise));
    await advance(100);
    expect(
      result.state,
      "work ignored its signal, and withTimeout was still waiting for it after the deadline: reject when the timer fires, " +
        "don't wait for work to end (aborting a signal only asks work to stop)",
    ).toBe("rejected");
    expect(
      result.reason,
      "at the deadline, reject with a TimeoutError",
    ).toBeInstanceOf(TimeoutError);
    stubborn.reject(new Error("work failed long after the deadline"));
    await settle();
    expect(
      result.reason,
      "work's late error must not replace the TimeoutError",
    ).toBeInstanceOf(TimeoutError);
    expect(
      unhandledErrors().splice(0).map(String),
      "work's error after the deadline went unhandled: keep a rejection handler on work's promise",
    ).toEqual([]);
  });

  it("clears its timer when work finishes in time", async () => {
    useFakeClock();
    await withTimeout(1_000, async () => "done");
    expect(
      pendingTimers(),
      "withTimeout resolved but its timer is still armed: clearTimeout once work settles",
    ).toBe(0);
    await withTimeout(1_000, async () => {
      throw new Error("work failed");
    }).catch(() => {});
    expect(
      pendingTimers(),
      "withTimeout rejected with work's error but its timer is still armed: clearTimeout once work settles, also on failure",
    ).toBe(0);
  });

  it("rejects with the outer signal's reason when it aborts, and aborts work's signal with it", async () => {
    useFakeClock();
    const outer = new AbortController();
    const { seen, work } = stoppableWork();
    const result = observe(withTimeout(1_000, work, outer.signal));
    await advance(10);
    const reason = new Error("the user left");
    outer.abort(reason);
    await settle();
    expect(
      result.state,
      "the outer signal aborted but withTimeout did not reject",
    ).toBe("rejected");
    expect(
      result.reason,
      "reject with the outer signal's reason itself, not a TimeoutError or a new Error",
    ).toBe(reason);
    expect(
      seen.signal?.reason,
      "the outer signal aborted but work's signal did not abort with its reason",
    ).toBe(reason);
    expect(
      pendingTimers(),
      "withTimeout was aborted but its timer is still armed: clear it on every way out",
    ).toBe(0);
  });

  it("rejects at once when the outer signal is already aborted", async () => {
    useFakeClock();
    const reason = new Error("already cancelled");
    const result = observe(
      withTimeout(100, async () => "done", AbortSignal.abort(reason)),
    );
    await settle();
    expect(
      result.reason,
      "an already aborted outer signal should reject at once with its reason",
    ).toBe(reason);
    expect(
      pendingTimers(),
      "an already aborted outer signal should leave no timer behind",
    ).toBe(0);
  });

  it("removes its listener from the outer signal once it settles", async () => {
    useFakeClock();
    const outer = new AbortController();
    await withTimeout(100, async () => "done", outer.signal);
    expect(
      abortListeners(outer.signal),
      "withTimeout resolved but its listener is still on the outer signal: removeEventListener once work settles",
    ).toBe(0);
    const late = observe(
      withTimeout(100, () => deferred<string>().promise, outer.signal),
    );
    await advance(100);
    expect(late.state, "withTimeout had not rejected at its deadline").toBe(
      "rejected",
    );
    expect(
      abortListeners(outer.signal),
      "withTimeout timed out but its listener is still on the outer signal",
    ).toBe(0);
  });

  it("turns a synchronous throw in work into a rejection", async () => {
    useFakeClock();
    const boom = new Error("thrown synchronously");
    const result = observe(
      withTimeout(100, (): Promise<string> => {
        throw boom;
      }),
    );
    await settle();
    expect(
      result.reason,
      "work threw before returning a promise: withTimeout should reject with that error",
    ).toBe(boom);
    expect(pendingTimers(), "work threw but the timer is still armed").toBe(0);
  });
});

/**
 * Attempts that the test finishes by hand; remembers which started, in order,
 * and their signals.
 */
function controlledAttempts(count: number) {
  const started: number[] = [];
  const calls: { signal: AbortSignal; result: Deferred<string> }[] = [];
  const attempts = Array.from(
    { length: count },
    (_, i) => (signal: AbortSignal) => {
      started.push(i);
      calls[i] = { signal, result: deferred<string>() };
      return calls[i].result.promise;
    },
  );
  const call = (i: number) => {
    const found = calls[i];
    if (!found)
      throw new Error(
        `the test expected attempt ${i} to have started, but it had not (started: [${started}])`,
      );
    return found;
  };
  return { attempts, started, call };
}

describe("firstSuccess", () => {
  it("resolves with the first attempt that succeeds", async () => {
    const { attempts, call } = controlledAttempts(3);
    const result = observe(firstSuccess(attempts));
    await settle();
    call(1).result.resolve("b");
    await settle();
    expect(
      result.value,
      "attempt 1 succeeded first, so firstSuccess should resolve with its value",
    ).toBe("b");
    call(0).result.resolve("a");
    await settle();
    expect(result.value, "a later success must not change the result").toBe(
      "b",
    );
  });

  it("with no staggerMs, starts every attempt at once", async () => {
    const { attempts, started } = controlledAttempts(3);
    void firstSuccess(attempts).catch(() => {});
    await settle();
    expect(
      started,
      "without staggerMs every attempt should start at once",
    ).toEqual([0, 1, 2]);
  });

  it("aborts every other attempt once one succeeds", async () => {
    const { attempts, call } = controlledAttempts(3);
    const result = observe(firstSuccess(attempts));
    await settle();
    call(1).result.resolve("b");
    await settle();
    expect(
      result.value,
      "attempt 1 succeeded first, so firstSuccess should resolve with its value",
    ).toBe("b");
    expect(
      [call(0).signal.aborted, call(2).signal.aborted],
      "attempts 0 and 2 were still running after attempt 1 won, with signals not aborted: abort the losers",
    ).toEqual([true, true]);
  });

  it("with staggerMs, starts attempt 0 alone, then the next one staggerMs after the previous one", async () => {
    useFakeClock();
    const { attempts, started, call } = controlledAttempts(3);
    const result = observe(firstSuccess(attempts, { staggerMs: 100 }));
    await settle();
    expect(
      started,
      `${started.length} attempts started at once although staggerMs is 100: did you use Promise.any on all attempts? Start attempt 0 alone`,
    ).toEqual([0]);
    await advance(99);
    expect(started, "attempt 1 started before staggerMs had passed").toEqual([
      0,
    ]);
    await advance(1);
    expect(
      started,
      "attempt 1 should start staggerMs (100 ms) after attempt 0",
    ).toEqual([0, 1]);
    await advance(100);
    expect(started, "attempt 2 should start staggerMs after attempt 1").toEqual(
      [0, 1, 2],
    );
    // End the race before the test ends, so that the check for left-over
    // timers looks at a finished firstSuccess, not at one still staggering.
    call(2).result.resolve("c");
    await settle();
    expect(
      result.value,
      "attempt 2 succeeded, so firstSuccess should resolve with it",
    ).toBe("c");
  });

  it("starts the next attempt as soon as the previous one fails", async () => {
    useFakeClock();
    const { attempts, started, call } = controlledAttempts(3);
    const result = observe(firstSuccess(attempts, { staggerMs: 100 }));
    await advance(30);
    call(0).result.reject(new Error("attempt 0 failed"));
    await settle();
    expect(
      started,
      "attempt 0 failed at 30 ms, yet attempt 1 did not start: start the next one as soon as the previous one fails, don't wait out the stagger",
    ).toEqual([0, 1]);
    await advance(99);
    expect(
      started,
      "attempt 2 started less than staggerMs after attempt 1: the stagger counts from the previous attempt's start",
    ).toEqual([0, 1]);
    await advance(1);
    expect(
      started,
      "attempt 2 should start staggerMs after attempt 1 started",
    ).toEqual([0, 1, 2]);
    call(2).result.resolve("c");
    await settle();
    expect(
      result.value,
      "attempt 2 succeeded, so firstSuccess should resolve with its value",
    ).toBe("c");
  });

  it("never starts the remaining attempts once one succeeded", async () => {
    useFakeClock();
    const { attempts, started, call } = controlledAttempts(3);
    const result = observe(firstSuccess(attempts, { staggerMs: 100 }));
    await advance(50);
    call(0).result.resolve("a");
    await advance(1_000);
    expect(
      result.value,
      "attempt 0 succeeded, so firstSuccess should resolve with its value",
    ).toBe("a");
    expect(
      started,
      `attempt(s) ${started.slice(1).join(", ")} started after attempt 0 had already succeeded: once one succeeds, start no more (clear the stagger timer)`,
    ).toEqual([0]);
    expect(
      pendingTimers(),
      "firstSuccess resolved but its stagger timer is still armed: clear it on success",
    ).toBe(0);
  });

  it("rejects with an AggregateError whose errors are in attempt order when every attempt fails", async () => {
    const { attempts, call } = controlledAttempts(3);
    const result = observe(firstSuccess(attempts));
    await settle();
    const errors = [
      new Error("attempt 0"),
      new Error("attempt 1"),
      new Error("attempt 2"),
    ];
    for (const i of [2, 0, 1]) {
      call(i).result.reject(errors[i]);
      await settle();
      if (i !== 1)
        expect(
          result.state,
          `firstSuccess settled after attempt ${i} failed, but other attempts were still running`,
        ).toBe("pending");
    }
    expect(
      result.reason,
      "every attempt failed: reject with an AggregateError",
    ).toBeInstanceOf(AggregateError);
    expect(
      (result.reason as AggregateError).errors,
      "AggregateError.errors came in the order the attempts failed (2, 0, 1): keep them in attempt order (0, 1, 2)",
    ).toEqual(errors);
  });

  it("leaves no timer and no unhandled rejection behind when attempts fail after a success", async () => {
    useFakeClock();
    const { attempts, call } = controlledAttempts(2);
    const result = observe(firstSuccess(attempts, { staggerMs: 100 }));
    await advance(100);
    call(1).result.resolve("b");
    await settle();
    call(0).result.reject(call(0).signal.reason);
    await settle();
    expect(
      result.value,
      "a loser failing after the win must not change the result",
    ).toBe("b");
    expect(
      unhandledErrors().splice(0).map(String),
      "a loser's rejection went unhandled: keep a rejection handler on every attempt",
    ).toEqual([]);
    expect(
      pendingTimers(),
      "firstSuccess resolved but a stagger timer is still armed",
    ).toBe(0);
  });

  it("rejects with an empty AggregateError when there are no attempts", async () => {
    const result = observe(firstSuccess([]));
    await settle();
    expect(
      result.reason,
      "with no attempts nothing can succeed: reject with an AggregateError, as Promise.any([]) does",
    ).toBeInstanceOf(AggregateError);
  });
});

/**
 * A task the test finishes by hand. When `honoursSignal`, it rejects with the
 * signal's reason on abort.
 */
function controlledTask(options: { honoursSignal?: boolean } = {}) {
  const result = deferred<string>();
  const seen: { signal?: AbortSignal; started: boolean } = { started: false };
  const run = (signal: AbortSignal) => {
    seen.signal = signal;
    seen.started = true;
    if (options.honoursSignal)
      signal.addEventListener("abort", () => result.reject(signal.reason), {
        once: true,
      });
    return result.promise;
  };
  return { result, seen, run };
}

describe("taskGroup", () => {
  it("resolves with what body returns once body and its tasks are done", async () => {
    const a = controlledTask();
    const group = observe(
      taskGroup(async (g) => {
        const value = g.spawn(a.run);
        return `body saw ${await value}`;
      }),
    );
    await settle();
    expect(a.seen.started, "spawn should start the task at once").toBe(true);
    a.result.resolve("A");
    await settle();
    expect(
      group.value,
      "spawn should return the task's promise, and the group should resolve with body's value",
    ).toBe("body saw A");
  });

  it("waits for every spawned task before it settles (no orphans)", async () => {
    const a = controlledTask();
    const group = observe(
      taskGroup(async (g) => {
        void g.spawn(a.run);
        return "body done";
      }),
    );
    await settle();
    expect(
      group.state,
      "taskGroup settled while a spawned task was still running: that task is an orphan. Wait for every task, not only for body",
    ).toBe("pending");
    a.result.resolve("A");
    await settle();
    expect(
      group.value,
      "the last task finished but the group did not resolve with body's value",
    ).toBe("body done");
  });

  it("waits for tasks spawned by tasks", async () => {
    const inner = controlledTask();
    const group = observe(
      taskGroup(async (g) => {
        void g.spawn(async () => {
          await settle();
          void g.spawn(inner.run);
          return "outer task done";
        });
        return "body done";
      }),
    );
    await settle();
    await settle();
    expect(
      inner.seen.started,
      "a task could not spawn another task into the group",
    ).toBe(true);
    expect(
      group.state,
      "taskGroup settled while a task spawned by another task was still running: keep waiting until no task is left; " +
        "the tasks that existed when body returned are not all of them",
    ).toBe("pending");
    inner.result.resolve("inner");
    await settle();
    expect(
      group.value,
      "the last task finished but the group did not resolve with body's value",
    ).toBe("body done");
  });

  it("aborts the other tasks when one fails, with that error as the reason", async () => {
    const a = controlledTask({ honoursSignal: true });
    const boom = new Error("b failed");
    let groupSignal: AbortSignal | undefined;
    const group = observe(
      taskGroup(async (g) => {
        groupSignal = g.signal;
        void g.spawn(a.run);
        void g.spawn(async () => {
          await settle();
          throw boom;
        });
      }),
    );
    await settle();
    await settle();
    expect(
      a.seen.signal?.aborted,
      "task b failed, but its sibling a's signal was not aborted: abort the group's signal with the first error",
    ).toBe(true);
    expect(
      groupSignal?.reason,
      "the group's signal should abort with the error that failed it as its reason",
    ).toBe(boom);
    await settle();
    expect(
      group.reason,
      "the group should reject with the error of the task that failed",
    ).toBe(boom);
  });

  it("aborts the tasks when body fails", async () => {
    const a = controlledTask({ honoursSignal: true });
    const boom = new Error("body failed");
    const group = observe(
      taskGroup(async (g) => {
        void g.spawn(a.run);
        throw boom;
      }),
    );
    await settle();
    expect(
      a.seen.signal?.reason,
      "body failed, but the task's signal did not abort with body's error: body counts as a task of the group",
    ).toBe(boom);
    expect(group.reason, "the group should reject with body's error").toBe(
      boom,
    );
  });

  it("after a failure, still waits for every task before it rejects", async () => {
    const stubborn = controlledTask(); // ignores its signal
    const boom = new Error("b failed");
    const group = observe(
      taskGroup(async (g) => {
        void g.spawn(stubborn.run);
        void g.spawn(async () => {
          throw boom;
        });
      }),
    );
    await settle();
    expect(
      stubborn.seen.signal?.aborted,
      "a task failed but its sibling's signal was not aborted",
    ).toBe(true);
    expect(
      group.state,
      "taskGroup rejected while a task was still running (it ignored the abort): even when failing, wait for every task to settle",
    ).toBe("pending");
    stubborn.result.resolve("finished anyway");
    await settle();
    expect(
      group.reason,
      "every task has settled now: the group should reject with the error of the task that failed",
    ).toBe(boom);
  });

  it("does not count rejections caused by the abort as failures", async () => {
    const a = controlledTask({ honoursSignal: true });
    const c = controlledTask({ honoursSignal: true });
    const boom = new Error("b failed");
    const group = observe(
      taskGroup(async (g) => {
        void g.spawn(a.run);
        void g.spawn(async () => {
          throw boom;
        });
        void g.spawn(c.run);
      }),
    );
    await settle();
    expect(
      group.state,
      "a task failed and every other task stopped, but the group did not reject",
    ).toBe("rejected");
    expect(
      group.reason,
      "the group rejected with something other than the one real failure (b's error). Tasks a and c only rejected with " +
        "the abort's reason: ignore rejections whose reason is the group signal's reason",
    ).toBe(boom);
  });

  it("rejects with an AggregateError, in the order they failed, when several tasks fail independently", async () => {
    // These tasks ignore the abort and fail later on their own: independent
    // failures.
    const [a, b, c] = [controlledTask(), controlledTask(), controlledTask()];
    const [errorA, errorB, errorC] = [
      new Error("a failed"),
      new Error("b failed"),
      new Error("c failed"),
    ];
    const group = observe(
      taskGroup(async (g) => {
        for (const task of [a, b, c]) void g.spawn(task.run);
      }),
    );
    await settle();
    for (const [task, error] of [
      [b, errorB],
      [c, errorC],
      [a, errorA],
    ] as const) {
      task.result.reject(error);
      await settle();
    }
    expect(
      group.reason,
      "three tasks failed with different errors: reject with an AggregateError holding all of them",
    ).toBeInstanceOf(AggregateError);
    expect(
      (group.reason as AggregateError).errors,
      "AggregateError.errors should list the failures in the order they failed (b, c, a), not in the order the tasks were spawned",
    ).toEqual([errorB, errorC, errorA]);
  });

  it("aborts the group when the outer signal aborts, and rejects with its reason", async () => {
    const outer = new AbortController();
    const a = controlledTask({ honoursSignal: true });
    const group = observe(
      taskGroup(async (g) => {
        await g.spawn(a.run);
      }, outer.signal),
    );
    await settle();
    const reason = new Error("the user left");
    outer.abort(reason);
    await settle();
    expect(
      a.seen.signal?.reason,
      "the outer signal aborted but the tasks' signal did not abort with its reason",
    ).toBe(reason);
    expect(
      group.reason,
      "an outer abort should reject the group with the outer reason itself",
    ).toBe(reason);
    expect(
      abortListeners(outer.signal),
      "the group settled but its listener is still on the outer signal",
    ).toBe(0);
  });

  it("removes its listener from the outer signal once it settles", async () => {
    const outer = new AbortController();
    await taskGroup(async (g) => g.spawn(async () => "done"), outer.signal);
    expect(
      abortListeners(outer.signal),
      "the group resolved but its listener is still on the outer signal: remove it once everything settled",
    ).toBe(0);
    await taskGroup(async () => {
      throw new Error("body failed");
    }, outer.signal).catch(() => {});
    expect(
      abortListeners(outer.signal),
      "the group rejected but its listener is still on the outer signal",
    ).toBe(0);
  });

  it("rejects at once with the reason of an outer signal that is already aborted", async () => {
    const reason = new Error("already cancelled");
    const group = observe(
      taskGroup(async () => "done", AbortSignal.abort(reason)),
    );
    await settle();
    expect(
      group.reason,
      "an already aborted outer signal should reject the group with its reason",
    ).toBe(reason);
  });

  it("throws when spawn is called after the group settled", async () => {
    let escaped: TaskGroup | undefined;
    await taskGroup(async (g) => {
      escaped = g;
    });
    const late = controlledTask();
    expect(
      () => escaped?.spawn(late.run),
      "spawn() after the group settled should throw: a task started then would be an orphan that nobody waits for",
    ).toThrow();
    expect(
      late.seen.started,
      "spawn() after the group settled must not start the task",
    ).toBe(false);
  });

  it("does not start a task spawned while the group is failing", async () => {
    const boom = new Error("a failed");
    const late = controlledTask();
    let lateSpawn: { state: string; reason: unknown } | undefined;
    const group = observe(
      taskGroup(async (g) => {
        await g
          .spawn(async () => {
            throw boom;
          })
          .catch(() => {});
        lateSpawn = observe(g.spawn(late.run));
      }),
    );
    await settle();
    expect(
      late.seen.started,
      "a task was started after the group's signal had aborted: a failing group starts nothing new",
    ).toBe(false);
    expect(
      lateSpawn?.reason,
      "spawn() on a failing group should return a promise rejected with the signal's reason",
    ).toBe(boom);
    expect(group.reason, "the group should reject with the first failure").toBe(
      boom,
    );
  });

  it("causes no unhandled rejection when a task whose promise was ignored fails", async () => {
    const bodyWork = deferred<void>();
    const boom = new Error("ignored task failed");
    const group = observe(
      taskGroup(async (g) => {
        void g.spawn(async () => {
          throw boom;
        });
        await bodyWork.promise; // body is still busy when the task fails
      }),
    );
    await settle();
    expect(
      unhandledErrors().splice(0).map(String),
      "a spawned task's rejection went unhandled although the group watches it: attach a rejection handler to each task " +
        "the moment it is spawned, and end every then()/finally() chain you build on it with one",
    ).toEqual([]);
    bodyWork.resolve();
    await settle();
    expect(
      group.reason,
      "body finished: the group should now reject with the failed task's error",
    ).toBe(boom);
    expect(
      unhandledErrors().splice(0).map(String),
      "a rejection went unhandled after the group settled",
    ).toEqual([]);
  });
});
