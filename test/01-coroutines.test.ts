import { readFile } from "node:fs";
import { describe, expect, it } from "vitest";
import { sleep } from "#exercises/01-coroutines/sleep.ts";
import {
  fetchConcurrent,
  fetchSequential,
} from "#exercises/01-coroutines/fetch-all.ts";
import { lazy } from "#exercises/01-coroutines/lazy.ts";
import {
  processInChunks,
  yieldToEventLoop,
} from "#exercises/01-coroutines/cooperate.ts";
import { predictOrder } from "#exercises/01-coroutines/predict.ts";
import {
  advance,
  pendingTimers,
  settle,
  useFakeClock,
} from "#kit/testing/clock.ts";
import { deferred, observe, type Deferred } from "#kit/testing/deferred.ts";
import { inFlight } from "#kit/testing/in-flight.ts";
import { abortListeners, unhandledErrors } from "#kit/testing/leaks.ts";
import { eventLoopSnippet } from "./fixtures/event-loop-order.ts";

describe("sleep", () => {
  it("resolves after ms, not before", async () => {
    useFakeClock();
    const slept = observe(sleep(100));
    await advance(99);
    expect(slept.state, "sleep(100) resolved before 100 ms had passed").toBe(
      "pending",
    );
    await advance(1);
    expect(slept.state, "sleep(100) had not resolved after 100 ms").toBe(
      "fulfilled",
    );
  });

  it("rejects at once with signal.reason when the signal is already aborted, and starts no timer", async () => {
    useFakeClock();
    const reason = new Error("stop");
    const slept = observe(sleep(100, AbortSignal.abort(reason)));
    await settle();
    expect(
      slept.state,
      "sleep with an aborted signal should reject without waiting",
    ).toBe("rejected");
    expect(
      slept.reason,
      "reject with signal.reason itself, not a new Error",
    ).toBe(reason);
    expect(
      pendingTimers(),
      "an already-aborted signal must not start a timer",
    ).toBe(0);
  });

  it("rejects with signal.reason when aborted while waiting", async () => {
    useFakeClock();
    const controller = new AbortController();
    const slept = observe(sleep(100, controller.signal));
    await advance(10);
    const reason = new Error("user left");
    controller.abort(reason);
    await settle();
    expect(slept.state, "sleep did not reject when its signal aborted").toBe(
      "rejected",
    );
    expect(
      slept.reason,
      "reject with signal.reason itself (here an Error('user left')), not a new Error",
    ).toBe(reason);
  });

  it("clears its timer when aborted", async () => {
    useFakeClock();
    const controller = new AbortController();
    sleep(100, controller.signal).catch(() => {});
    controller.abort();
    await settle();
    expect(
      pendingTimers(),
      "the timer was still armed after abort: call clearTimeout when the signal aborts",
    ).toBe(0);
  });

  it("leaves no abort listener behind once it resolves", async () => {
    useFakeClock();
    const controller = new AbortController();
    const slept = sleep(100, controller.signal);
    await advance(100);
    await slept;
    expect(
      abortListeners(controller.signal),
      "sleep resolved but its abort listener is still on the signal: remove it when the timer fires",
    ).toBe(0);
  });

  it("leaves no abort listener behind once it rejects", async () => {
    useFakeClock();
    const controller = new AbortController();
    const slept = sleep(100, controller.signal).catch(() => {});
    controller.abort();
    await slept;
    expect(
      abortListeners(controller.signal),
      "sleep rejected but its abort listener is still on the signal",
    ).toBe(0);
  });
});

/** A fake `fetchOne` whose calls finish when the test says so. */
function controlledFetch() {
  const calls = new Map<string, Deferred<string>>();
  const counter = inFlight();
  const fetchOne = counter.wrap((id: string) => {
    const call = deferred<string>();
    calls.set(id, call);
    return call.promise;
  });
  return {
    calls,
    counter,
    fetchOne,
    finish: (id: string) => calls.get(id)?.resolve(id.toUpperCase()),
  };
}

describe("fetchSequential", () => {
  it("makes one call at a time", async () => {
    const { counter, fetchOne, finish } = controlledFetch();
    const result = observe(fetchSequential(["a", "b", "c"], fetchOne));
    await settle();
    expect(
      counter.started,
      "fetchSequential should start with the first id only: did it start every call before awaiting any (map, Promise.all)?",
    ).toEqual(["a"]);
    finish("a");
    await settle();
    expect(
      counter.started,
      "after the first call finished, the second should start",
    ).toEqual(["a", "b"]);
    finish("b");
    await settle();
    finish("c");
    await settle();
    expect(
      counter.peak,
      `${counter.peak} calls were in flight at once: fetchSequential must await each call before the next`,
    ).toBe(1);
    expect(result.value).toEqual(["A", "B", "C"]);
  });

  it("stops at the first error and does not start the rest", async () => {
    const { counter, calls, fetchOne } = controlledFetch();
    const result = observe(fetchSequential(["a", "b", "c"], fetchOne));
    await settle();
    expect(
      result.state,
      "fetchSequential settled before its first call finished: it must await each call (did you use ids.forEach(async …)? forEach does not wait)",
    ).toBe("pending");
    const boom = new Error("a failed");
    calls.get("a")?.reject(boom);
    await settle();
    expect(
      result.state,
      "the first call failed, yet fetchSequential did not reject: let the error out of the loop rather than catching it and going on",
    ).toBe("rejected");
    expect(
      result.reason,
      "fetchSequential should reject with the error of the call that failed",
    ).toBe(boom);
    expect(
      counter.started,
      "after a failure, the remaining ids should not be fetched",
    ).toEqual(["a"]);
  });

  it("returns an empty array for no ids", async () => {
    await expect(fetchSequential([], async (id) => id)).resolves.toEqual([]);
  });
});

describe("fetchConcurrent", () => {
  it("starts every call before awaiting any", async () => {
    const { counter, fetchOne } = controlledFetch();
    void fetchConcurrent(["a", "b", "c"], fetchOne).catch(() => {});
    await settle();
    expect(
      counter.started,
      `only ${counter.started.length} of 3 calls started before the first one finished: did you await inside the loop?`,
    ).toEqual(["a", "b", "c"]);
  });

  it("returns results in the order of ids, not in the order calls finish", async () => {
    const { fetchOne, finish } = controlledFetch();
    const result = observe(fetchConcurrent(["a", "b", "c"], fetchOne));
    await settle();
    for (const id of ["c", "a", "b"]) {
      finish(id);
      await settle();
    }
    expect(
      result.value,
      "results came back in completion order: keep each result at its id's index",
    ).toEqual(["A", "B", "C"]);
  });

  it("resolves only after every call finished", async () => {
    const { fetchOne, finish } = controlledFetch();
    const result = observe(fetchConcurrent(["a", "b"], fetchOne));
    await settle();
    finish("a");
    await settle();
    expect(
      result.state,
      "fetchConcurrent resolved while a call was still running: did you use ids.forEach(async …)? forEach does not wait for the promises its callback returns",
    ).toBe("pending");
    finish("b");
    await settle();
    expect(result.value).toEqual(["A", "B"]);
  });

  it("rejects with the first error to happen", async () => {
    const { calls, fetchOne } = controlledFetch();
    const result = observe(fetchConcurrent(["a", "b", "c"], fetchOne));
    await settle();
    const first = new Error("c failed first");
    calls.get("c")?.reject(first);
    await settle();
    expect(
      result.state,
      "one call failed, so fetchConcurrent should reject at once, without waiting for the others",
    ).toBe("rejected");
    expect(
      result.reason,
      "reject with the error that happened first in time",
    ).toBe(first);
    calls.get("a")?.resolve("A");
    calls.get("b")?.reject(new Error("b failed later"));
  });

  it("causes no unhandled rejection when several calls fail", async () => {
    const { calls, fetchOne } = controlledFetch();
    const result = fetchConcurrent(["a", "b", "c"], fetchOne);
    const outcome = result.catch((error: unknown) => error);
    await settle();
    calls.get("a")?.reject(new Error("a failed"));
    calls.get("b")?.reject(new Error("b failed"));
    calls.get("c")?.reject(new Error("c failed"));
    await outcome;
    await settle();
    expect(
      unhandledErrors().splice(0).map(String),
      "a failure after the first one went unhandled: awaiting promises one by one leaves the later rejections unobserved (Promise.all handles them)",
    ).toEqual([]);
  });

  it("returns an empty array for no ids", async () => {
    await expect(fetchConcurrent([], async (id) => id)).resolves.toEqual([]);
  });
});

describe("lazy", () => {
  it("does not call start until it is awaited", async () => {
    let calls = 0;
    const value = lazy(async () => {
      calls += 1;
      return 42;
    });
    await settle();
    expect(
      calls,
      "start() ran before anyone awaited: a coroutine does nothing until awaited",
    ).toBe(0);
    await expect(Promise.resolve(value)).resolves.toBe(42);
    expect(calls).toBe(1);
  });

  it("calls start at most once, however many times it is awaited", async () => {
    let calls = 0;
    const value = lazy(async () => {
      calls += 1;
      return { id: calls };
    });
    const [a, b] = await Promise.all([value, value]);
    const c = await value;
    expect(
      calls,
      `start() ran ${calls} times: keep the first promise and hand it to every awaiter`,
    ).toBe(1);
    expect(a, "every awaiter should get the very same value").toBe(b);
    expect(c).toBe(a);
  });

  it("gives every awaiter the same error, without calling start again", async () => {
    let calls = 0;
    const boom = new Error("boom");
    const value = lazy(async () => {
      calls += 1;
      throw boom;
    });
    await expect(Promise.resolve(value)).rejects.toBe(boom);
    await expect(Promise.resolve(value)).rejects.toBe(boom);
    expect(
      calls,
      "a failed start should not be retried: the error is the result",
    ).toBe(1);
  });

  it("turns a synchronous throw in start into a rejection", async () => {
    const boom = new Error("thrown synchronously");
    const value = lazy((): Promise<number> => {
      throw boom;
    });
    await expect(
      Promise.resolve(value),
      "await should reject, not throw out of then()",
    ).rejects.toBe(boom);
  });
});

/**
 * Burns `ms` of CPU: makes a 0 ms timer due without giving the event loop a
 * turn.
 */
function busy(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // spin
  }
}

describe("yieldToEventLoop", () => {
  it("lets a due timer run", async () => {
    let fired = false;
    const timer = setTimeout(() => (fired = true), 0);
    busy(2);
    // From some event-loop phases a macrotask comes back before the timers
    // phase; two turns always reach it. No number of microtasks ever does.
    await yieldToEventLoop();
    if (!fired) await yieldToEventLoop();
    clearTimeout(timer);
    expect(
      fired,
      "a due timer did not run: did you yield with a microtask (Promise.resolve(), queueMicrotask)? Use setImmediate or setTimeout",
    ).toBe(true);
  });
});

describe("processInChunks", () => {
  it("calls work on every item, in order", async () => {
    const seen: number[] = [];
    await processInChunks([1, 2, 3, 4, 5], 2, (item) => seen.push(item));
    expect(seen).toEqual([1, 2, 3, 4, 5]);
  });

  it("gives the event loop a turn between chunks, not inside them", async () => {
    const log: string[] = [];
    let ticking = true;
    // A ticker that logs "|" on every event-loop turn: it shows where
    // processInChunks yielded.
    const tick = () => {
      if (!ticking) return;
      log.push("|");
      setImmediate(tick);
    };
    setImmediate(tick);
    await processInChunks(["a", "b", "c", "d", "e", "f", "g"], 3, (item) =>
      log.push(item),
    );
    ticking = false;
    await settle();
    const trace = log.join("").replace(/\|+/g, "|");
    expect(
      trace.startsWith("abc"),
      `work ran as ${trace}: the first chunk (a, b, c) must run without a break`,
    ).toBe(true);
    expect(
      trace,
      "the event loop never ran between chunks: did you yield with a microtask, or not at all?",
    ).toContain("abc|def|g");
  });

  it("lets a due timer run during a long job", async () => {
    let firedAfter = -1;
    let processed = 0;
    const timer = setTimeout(() => (firedAfter = processed), 0);
    await processInChunks(
      Array.from({ length: 10 }, (_, i) => i),
      2,
      () => {
        processed += 1;
        busy(0.5);
      },
    );
    clearTimeout(timer);
    expect(
      firedAfter,
      "the timer could only run after all 10 items: yield to the event loop after each chunk",
    ).toBeGreaterThanOrEqual(0);
    expect(firedAfter).toBeLessThan(10);
  });

  it("rejects a chunk size that is not a positive integer", async () => {
    for (const size of [0, -1, 1.5, Number.NaN]) {
      await expect(
        processInChunks([1], size, () => {}),
        `chunkSize ${size} should be refused with a RangeError`,
      ).rejects.toThrow(RangeError);
    }
  });
});

describe("predictOrder", () => {
  it("matches the order the snippet really logs", async () => {
    const actual: string[] = [];
    // Run from inside an I/O callback, as the page says: there, setImmediate
    // comes before a 0 ms timer.
    await new Promise<void>((resolve, reject) =>
      readFile(new URL(import.meta.url), (error) => {
        if (error) return reject(error);
        eventLoopSnippet((label) => {
          actual.push(label);
          if (actual.length === 9) resolve();
        });
      }),
    );
    const predicted = predictOrder();
    const firstDifference = actual.findIndex(
      (label, i) => predicted[i] !== label,
    );
    const hint =
      firstDifference === -1
        ? "your list has extra labels"
        : `at position ${firstDifference + 1} you predicted "${predicted[firstDifference]}" but the event loop ran "${actual[firstDifference]}"`;
    expect(
      predicted,
      `Not quite: ${hint}. The test runs the snippet inside an I/O callback: re-read the diagram under "One thread, one loop" and the hints of "Exercise 5: predict the order" on the page.`,
    ).toEqual(actual);
  });
});
