import { describe, expect, it, vi } from "vitest";
import { Semaphore } from "#exercises/07-semaphores/semaphore.ts";
import { mapWithLimit } from "#exercises/07-semaphores/map-limit.ts";
import { TokenBucket } from "#exercises/07-semaphores/rate-limit.ts";
import {
  advance,
  pendingTimers,
  settle,
  useFakeClock,
} from "#kit/testing/clock.ts";
import { deferred, observe, type Deferred } from "#kit/testing/deferred.ts";
import { startAbortable } from "#kit/testing/abort.ts";
import { abortListeners } from "#kit/testing/leaks.ts";

/** Gives a lease back, the way `using` does at the end of its block. */
function dispose(lease: Disposable | undefined): void {
  lease?.[Symbol.dispose]();
}

describe("Semaphore", () => {
  it("lets `permits` callers in at once and makes the next one wait", async () => {
    const semaphore = new Semaphore(2);
    expect(semaphore.available, "a new Semaphore(2) has 2 permits free").toBe(
      2,
    );
    const a = observe(semaphore.acquire());
    const b = observe(semaphore.acquire());
    const c = observe(semaphore.acquire());
    await settle();
    expect(
      [a.state, b.state],
      "with 2 permits free, the first two acquire() calls should resolve at once",
    ).toEqual(["fulfilled", "fulfilled"]);
    expect(
      c.state,
      "the third acquire() on a Semaphore(2) resolved although both permits were out",
    ).toBe("pending");
    expect(semaphore.available, "both permits are out").toBe(0);
    expect(semaphore.waiting, "one caller waits for a permit").toBe(1);
    dispose(a.value);
    await settle();
    expect(
      c.state,
      "a lease was disposed, but the waiting acquire() did not get the permit",
    ).toBe("fulfilled");
    expect(semaphore.waiting).toBe(0);
    dispose(b.value);
    dispose(c.value);
    expect(
      semaphore.available,
      "every lease was disposed: both permits should be free again",
    ).toBe(2);
  });

  it("refuses a permits count that is not a positive integer with a RangeError", () => {
    for (const permits of [0, -1, 1.5, Number.NaN, Infinity]) {
      expect(
        () => new Semaphore(permits),
        `new Semaphore(${permits}) should throw a RangeError`,
      ).toThrow(RangeError);
    }
    expect(() => new Semaphore(1)).not.toThrow();
  });

  it("gives the permit back at the end of a using block, also when the block throws", async () => {
    const semaphore = new Semaphore(1);
    const inside: number[] = [];
    const block = async () => {
      using _lease = await semaphore.acquire();
      inside.push(semaphore.available);
      throw new Error("the block failed");
    };
    const error = await block().catch((e: unknown) => e);
    expect((error as Error).message).toBe("the block failed");
    expect(inside, "inside the block the permit is out").toEqual([0]);
    expect(
      semaphore.available,
      "the using block ended but the permit did not come back: the lease's [Symbol.dispose]() must give it back",
    ).toBe(1);
  });

  it("gives back one permit per lease, however often the lease is disposed", async () => {
    const semaphore = new Semaphore(1);
    const lease = await semaphore.acquire();
    dispose(lease);
    dispose(lease);
    {
      using again = await semaphore.acquire();
      dispose(again); // by hand, then once more by `using`
    }
    expect(
      semaphore.available,
      `a Semaphore(1) has ${semaphore.available} permits free after leases were disposed twice: a second dispose gave back a permit that was not out, and raised the limit. Remember that the lease was given back, and do nothing the second time`,
    ).toBe(1);
    const first = observe(semaphore.acquire());
    const second = observe(semaphore.acquire());
    await settle();
    expect(
      second.state,
      "two callers got in at once on a Semaphore(1) after a lease was disposed twice: the second dispose gave back a permit that was not out",
    ).toBe("pending");
    dispose(first.value);
    await settle();
    dispose(second.value);
  });

  it("serves waiters first in, first out", async () => {
    const semaphore = new Semaphore(1);
    const held = await semaphore.acquire();
    const order: number[] = [];
    const waiters = [1, 2, 3, 4].map((n) =>
      semaphore.acquire().then((lease) => {
        order.push(n);
        dispose(lease);
      }),
    );
    await settle();
    dispose(held);
    await Promise.all(waiters);
    expect(
      order,
      `waiters got the permit in the order ${order.join(", ")}: waiters were served out of order; the one who waited longest goes first`,
    ).toEqual([1, 2, 3, 4]);
  });

  it("hands a freed permit to the first waiter, not to a caller that comes later", async () => {
    const semaphore = new Semaphore(1);
    const held = await semaphore.acquire();
    const waiter = observe(semaphore.acquire());
    await settle();
    dispose(held);
    const availableAfterRelease = semaphore.available;
    const late = observe(semaphore.acquire()); // before the waiter wakes up
    await settle();
    expect(
      waiter.state,
      "the waiter was passed over: a caller that came after the permit was freed took it first. Hand the permit straight to the first waiter when a lease is disposed, instead of counting it as free",
    ).toBe("fulfilled");
    expect(late.state).toBe("pending");
    expect(
      availableAfterRelease,
      "a permit freed while someone waits should go to that waiter, not count as available",
    ).toBe(0);
    dispose(waiter.value);
    await settle();
    dispose(late.value);
  });

  it("runs fn while holding a permit and returns what fn returns", async () => {
    const semaphore = new Semaphore(1);
    const work = deferred<string>();
    const run = observe(semaphore.run(() => work.promise));
    await settle();
    expect(
      semaphore.available,
      "run() should hold a permit while fn runs",
    ).toBe(0);
    work.resolve("done");
    await settle();
    expect(run.value, "run() should resolve with what fn resolved with").toBe(
      "done",
    );
    expect(semaphore.available, "run() should give the permit back").toBe(1);
  });

  it("keeps the permit until fn has finished, so runs take turns", async () => {
    const semaphore = new Semaphore(1);
    const first = deferred<void>();
    const started: string[] = [];
    const runs = [
      semaphore.run(() => {
        started.push("first");
        return first.promise;
      }),
      semaphore.run(async () => void started.push("second")),
    ];
    await settle();
    expect(
      started,
      "the second run() started before the first fn finished: the permit was given back before fn finished. With using or finally, write `return await fn()`: `return fn()` leaves the block at once",
    ).toEqual(["first"]);
    first.resolve();
    await Promise.all(runs);
    expect(started).toEqual(["first", "second"]);
  });

  it("gives the permit back when fn throws or rejects", async () => {
    const semaphore = new Semaphore(1);
    const boom = new Error("fn failed");
    const rejected = await semaphore
      .run(() => Promise.reject(boom))
      .catch((e: unknown) => e);
    expect(rejected, "run() should reject with fn's own error").toBe(boom);
    const lost =
      "a permit was lost when fn failed: give it back whatever fn does (using, or try/finally)";
    expect(semaphore.available, lost).toBe(1);
    const thrown = await semaphore
      .run(() => {
        throw boom;
      })
      .catch((e: unknown) => e);
    expect(thrown, "run() should reject with the error fn threw").toBe(boom);
    expect(semaphore.available, lost).toBe(1);
  });

  it("takes an aborted waiter out of the line, without a permit", async () => {
    const semaphore = new Semaphore(1);
    const held = await semaphore.acquire();
    const aborted = startAbortable("acquire(signal)", (signal) =>
      semaphore.acquire(signal),
    );
    const next = observe(semaphore.acquire());
    await settle();
    expect(semaphore.waiting).toBe(2);
    await aborted.abortAndCheck();
    expect(
      semaphore.waiting,
      "the aborted waiter is still counted as waiting: take the aborted waiter out of the line when its signal aborts",
    ).toBe(1);
    dispose(held);
    await settle();
    expect(
      next.state,
      "the freed permit went to a waiter that had already been aborted, and was lost: take the aborted waiter out of the line when its signal aborts",
    ).toBe("fulfilled");
    dispose(next.value);
    expect(semaphore.available).toBe(1);
  });

  it("rejects at once when the signal is already aborted, and takes no permit", async () => {
    const semaphore = new Semaphore(1);
    const reason = new Error("too late");
    const got = observe(semaphore.acquire(AbortSignal.abort(reason)));
    await settle();
    expect(
      got.state,
      "acquire() with an already-aborted signal should reject, even when a permit is free",
    ).toBe("rejected");
    expect(got.reason).toBe(reason);
    expect(
      semaphore.available,
      "acquire() with an already-aborted signal took a permit",
    ).toBe(1);
  });

  it("leaves no abort listener once a waiter got its permit", async () => {
    const semaphore = new Semaphore(1);
    const free = new AbortController().signal;
    const lease = await semaphore.acquire(free);
    expect(
      abortListeners(free),
      "acquire(signal) got a free permit at once but left an abort listener: listen only while waiting",
    ).toBe(0);
    const waited = new AbortController().signal;
    const later = semaphore.acquire(waited);
    dispose(lease);
    dispose(await later);
    expect(
      abortListeners(waited),
      "a waiter got its permit but its abort listener is still on the signal: remove it when the permit is handed over",
    ).toBe(0);
  });

  it("queues and serves 100,000 waiters without slowing down: acquire and release are O(1)", async () => {
    const total = 100_000;
    const budgetMs = 1_500;
    const semaphore = new Semaphore(1);
    const held = await semaphore.acquire();
    let served = 0;
    const started = performance.now();
    const waiters: Promise<void>[] = [];
    for (let i = 0; i < total; i += 1) {
      waiters.push(
        semaphore.acquire().then((lease) => {
          if (performance.now() - started > budgetMs) return; // keep it, stop
          served += 1;
          dispose(lease);
        }),
      );
    }
    dispose(held);
    const budget = new Promise<void>((resolve) => {
      const check = () =>
        served === total || performance.now() - started > budgetMs
          ? resolve()
          : setImmediate(check);
      check();
    });
    await budget;
    const elapsed = performance.now() - started;
    if (served < total)
      expect.fail(
        `after ${(elapsed / 1000).toFixed(1)} s only ${served.toLocaleString("en")} of 100,000 waiters had been served: ` +
          "is the line of waiters an array read with shift() (or searched with indexOf)? Each shift() moves every " +
          "remaining waiter one place. Use a linked list, a head index, or a Set, which take the first waiter in O(1).",
      );
    await Promise.all(waiters);
    expect(semaphore.available).toBe(1);
  });
});

/** A generator over `items` that records how far it was read, and closed. */
function recorded<T>(items: readonly T[]) {
  const log = { pulls: 0, closed: false, exhausted: false };
  function* generate(): Generator<T> {
    try {
      for (const item of items) {
        log.pulls += 1;
        yield item;
      }
      log.exhausted = true;
    } finally {
      log.closed = true;
    }
  }
  return { items: generate(), log };
}

/**
 * An `fn` for mapWithLimit whose calls end when the test says: records which
 * items started, how many ran at once, and the signal each call got.
 */
function controlled<R = string>() {
  const calls = new Map<string, { done: Deferred<R>; signal: AbortSignal }>();
  const started: string[] = [];
  let active = 0;
  let peak = 0;
  const fn = (item: string, signal: AbortSignal): Promise<R> => {
    started.push(item);
    active += 1;
    peak = Math.max(peak, active);
    const done = deferred<R>();
    calls.set(item, { done, signal });
    return done.promise.finally(() => (active -= 1));
  };
  const call = (item: string) => {
    const found = calls.get(item);
    if (!found) expect.fail(`fn was never called with ${item}`);
    return found;
  };
  return {
    fn,
    started,
    get active() {
      return active;
    },
    get peak() {
      return peak;
    },
    signal: (item: string) => call(item).signal,
    finish: (item: string, value: R) => call(item).done.resolve(value),
    fail: (item: string, error: unknown) => call(item).done.reject(error),
  };
}

describe("mapWithLimit", () => {
  it("returns every item with its value, in input order", async () => {
    const result = await mapWithLimit([1, 2, 3], 2, async (n) => n * 10);
    expect(
      result,
      "every call succeeded: ok has them all, failed none",
    ).toEqual({
      ok: [
        { item: 1, value: 10 },
        { item: 2, value: 20 },
        { item: 3, value: 30 },
      ],
      failed: [],
    });
    expect(await mapWithLimit([], 3, async (n) => n)).toEqual({
      ok: [],
      failed: [],
    });
  });

  it("keeps input order when calls finish in another order", async () => {
    const calls = controlled<number>();
    const result = observe(mapWithLimit(["a", "b", "c"], 3, calls.fn));
    await settle();
    calls.finish("c", 3);
    calls.finish("a", 1);
    calls.finish("b", 2);
    await settle();
    expect(
      result.value?.ok.map((entry) => entry.item),
      "results came out in the order the calls finished: keep them in input order (store each at its index)",
    ).toEqual(["a", "b", "c"]);
  });

  it("never has more than limit calls in flight", async () => {
    const calls = controlled();
    const items = ["a", "b", "c", "d", "e", "f", "g"];
    const result = observe(mapWithLimit(items, 3, calls.fn));
    await settle();
    expect(
      calls.active,
      `${calls.active} calls started at once with limit 3`,
    ).toBe(3);
    for (const item of items) {
      calls.finish(item, item);
      await settle();
      expect(
        calls.peak,
        `${calls.peak} calls were in flight with limit 3`,
      ).toBe(3);
    }
    expect(result.state).toBe("fulfilled");
    expect(calls.started, "every item should run, in input order").toEqual(
      items,
    );
  });

  it("starts the next call as soon as one ends, not in batches", async () => {
    const calls = controlled();
    const result = observe(mapWithLimit(["a", "b", "c", "d"], 2, calls.fn));
    await settle();
    calls.finish("a", "a");
    await settle();
    expect(
      calls.started,
      "call a ended while b still ran, and c did not start: did you run the items in batches of limit (Promise.all per batch)? Start the next call as soon as any call ends",
    ).toEqual(["a", "b", "c"]);
    for (const item of ["b", "c", "d"]) {
      calls.finish(item, item);
      await settle();
    }
    expect(result.state).toBe("fulfilled");
  });

  it("reads the next item only when a call slot is free", async () => {
    const calls = controlled();
    const source = recorded(["a", "b", "c", "d", "e", "f"]);
    const result = observe(mapWithLimit(source.items, 2, calls.fn));
    await settle();
    expect(
      source.log.pulls,
      `${source.log.pulls} items were read before any call ended, with limit 2: did you read the whole iterable up front ([...items], Array.from)? Take the next item only when a slot is free: an iterable may be endless`,
    ).toBe(2);
    calls.finish("a", "a");
    await settle();
    expect(
      source.log.pulls,
      "one call ended: exactly one more item should be read",
    ).toBe(3);
    for (const item of ["b", "c", "d", "e", "f"]) {
      calls.finish(item, item);
      await settle();
    }
    expect(result.state).toBe("fulfilled");
    expect(source.log.exhausted).toBe(true);
  });

  it("runs everything at once with limit Infinity", async () => {
    const calls = controlled();
    const result = observe(mapWithLimit(["a", "b", "c"], Infinity, calls.fn));
    await settle();
    expect(calls.active, "limit Infinity: every call at once").toBe(3);
    for (const item of ["a", "b", "c"]) calls.finish(item, item);
    await settle();
    expect(result.state).toBe("fulfilled");
  });

  it("rejects a limit that is not a positive integer or Infinity with a RangeError, before any call", async () => {
    for (const limit of [0, -1, 2.5, Number.NaN]) {
      const source = recorded(["a", "b"]);
      let calls = 0;
      let promise: Promise<unknown> | undefined;
      expect(
        () =>
          (promise = mapWithLimit(source.items, limit, async () => {
            calls += 1;
          })),
        "mapWithLimit threw at once: it is async, so it should return a promise that rejects",
      ).not.toThrow();
      const error = await promise?.catch((e: unknown) => e);
      expect(
        error,
        `mapWithLimit(items, ${limit}, fn) should reject with a RangeError`,
      ).toBeInstanceOf(RangeError);
      expect(
        [calls, source.log.pulls],
        `with limit ${limit}, fn was called or the items were read before the RangeError: check the limit first`,
      ).toEqual([0, 0]);
    }
  });

  it("without failFast runs every item and collects the failures, in input order", async () => {
    const calls = controlled<number>();
    const result = observe(
      mapWithLimit(["a", "b", "c", "d", "e"], 2, calls.fn),
    );
    const errors = { b: new Error("b failed"), d: new Error("d failed") };
    await settle();
    calls.fail("b", errors.b);
    await settle();
    calls.finish("a", 1);
    await settle();
    calls.fail("d", errors.d);
    await settle();
    calls.finish("e", 5);
    calls.finish("c", 3);
    await settle();
    expect(
      calls.started,
      "without failFast, a failure must not stop the other items",
    ).toEqual(["a", "b", "c", "d", "e"]);
    expect(result.state, "mapWithLimit without failFast never rejects").toBe(
      "fulfilled",
    );
    expect(
      result.value,
      "ok and failed should each list their items in input order",
    ).toEqual({
      ok: [
        { item: "a", value: 1 },
        { item: "c", value: 3 },
        { item: "e", value: 5 },
      ],
      failed: [
        { item: "b", error: errors.b },
        { item: "d", error: errors.d },
      ],
    });
  });

  it("with failFast stops starting calls at the first error, aborts the running ones and rejects once they settled", async () => {
    const calls = controlled();
    const source = recorded(["a", "b", "c", "d", "e"]);
    const result = observe(
      mapWithLimit(source.items, 2, calls.fn, { failFast: true }),
    );
    await settle();
    const boom = new Error("a failed");
    calls.fail("a", boom);
    await settle();
    expect(
      calls.started,
      `call ${calls.started.slice(2).join(", ")} started after a failed, with failFast: the first error must stop new starts`,
    ).toEqual(["a", "b"]);
    expect(
      calls.signal("b").aborted,
      "b was still running when a failed: the signal the running calls got should abort",
    ).toBe(true);
    expect(
      calls.signal("b").reason,
      "abort the running calls with the first error as the reason",
    ).toBe(boom);
    expect(
      source.log.closed,
      "mapWithLimit stopped early but left the iterator open (a generator's finally did not run): call its return()",
    ).toBe(true);
    expect(
      result.state,
      "mapWithLimit settled while b, which it started, was still running: wait until every started call has settled",
    ).toBe("pending");
    calls.fail("b", calls.signal("b").reason); // b gives up because of the abort
    await settle();
    expect(result.state).toBe("rejected");
    expect(
      result.reason,
      "with failFast, reject with the first error (a's)",
    ).toBe(boom);
    expect(source.log.pulls).toBe(2);
  });

  it("stops like failFast when the outer signal aborts, and rejects with its reason", async () => {
    const calls = controlled();
    const source = recorded(["a", "b", "c", "d"]);
    const controller = new AbortController();
    const result = observe(
      mapWithLimit(source.items, 2, calls.fn, { signal: controller.signal }),
    );
    await settle();
    const reason = new Error("request cancelled");
    controller.abort(reason);
    await settle();
    expect(
      [calls.signal("a").reason, calls.signal("b").reason],
      "the outer signal aborted: the running calls' signal should abort too, with its reason",
    ).toEqual([reason, reason]);
    expect(
      result.state,
      "mapWithLimit settled while started calls were still running: wait for them",
    ).toBe("pending");
    calls.finish("a", "a");
    await settle();
    expect(calls.started, "no call should start after the abort").toEqual([
      "a",
      "b",
    ]);
    calls.finish("b", "b");
    await settle();
    expect(result.reason, "reject with the outer signal's reason").toBe(reason);
    expect(
      source.log.closed,
      "mapWithLimit stopped on an abort but left the iterator open: call its return()",
    ).toBe(true);
    expect(
      abortListeners(controller.signal),
      "mapWithLimit left its abort listener on the outer signal",
    ).toBe(0);
  });

  it("rejects at once when the outer signal is already aborted, and reads nothing", async () => {
    const source = recorded(["a", "b"]);
    const reason = new Error("too late");
    let calls = 0;
    const error = await mapWithLimit(
      source.items,
      2,
      async () => {
        calls += 1;
      },
      { signal: AbortSignal.abort(reason) },
    ).catch((e: unknown) => e);
    expect(error, "reject with the signal's reason").toBe(reason);
    expect(
      [calls, source.log.pulls],
      "with an already-aborted signal, no item should be read and no call made",
    ).toEqual([0, 0]);
  });

  it("rejects with the iterable's own error once the running calls settled", async () => {
    const broken = new Error("the source broke");
    function* source() {
      yield "a";
      yield "b";
      throw broken;
    }
    const calls = controlled();
    const result = observe(mapWithLimit(source(), 2, calls.fn));
    await settle();
    calls.finish("a", "a");
    await settle();
    expect(
      result.state,
      "the iterable threw while b was still running: wait for b before you reject",
    ).toBe("pending");
    expect(
      calls.signal("b").aborted,
      "the iterable threw: abort the running calls, their results will not be used",
    ).toBe(true);
    calls.finish("b", "b");
    await settle();
    expect(result.reason, "reject with the error the iterable threw").toBe(
      broken,
    );
  });

  it("leaves no abort listener on the outer signal once it is done", async () => {
    const controller = new AbortController();
    await mapWithLimit(["a", "b", "c"], 2, async (item) => item, {
      signal: controller.signal,
    });
    expect(
      abortListeners(controller.signal),
      "mapWithLimit finished but left its abort listener on the outer signal: remove it before you return",
    ).toBe(0);
  });
});

/** When each take() resolved, in fake ms since the start. */
function takeTimes(takes: Promise<void>[]): (number | undefined)[] {
  const start = Date.now();
  const times: (number | undefined)[] = takes.map(() => undefined);
  takes.forEach((take, i) => {
    take.then(
      () => (times[i] = Date.now() - start),
      () => {},
    );
  });
  return times;
}

describe("TokenBucket", () => {
  it("starts full: capacity tokens at once, then none", () => {
    useFakeClock({ performance: true });
    const bucket = new TokenBucket({ capacity: 3, refillPerSecond: 10 });
    const taken = [1, 2, 3, 4].map(() => bucket.tryTake());
    expect(
      taken,
      "a new bucket of capacity 3 should give exactly 3 tokens at once",
    ).toEqual([true, true, true, false]);
  });

  it("refills refillPerSecond tokens per second", async () => {
    useFakeClock({ performance: true });
    const bucket = new TokenBucket({ capacity: 2, refillPerSecond: 10 });
    bucket.tryTake();
    bucket.tryTake();
    await advance(99);
    expect(bucket.tryTake(), "at 10 per second, no token before 100 ms").toBe(
      false,
    );
    await advance(1);
    expect(bucket.tryTake(), "at 10 per second, a token after 100 ms").toBe(
      true,
    );
    expect(bucket.tryTake()).toBe(false);
  });

  it("never holds more than capacity tokens, however long it waits", async () => {
    useFakeClock({ performance: true });
    const bucket = new TokenBucket({ capacity: 3, refillPerSecond: 10 });
    for (let i = 0; i < 3; i += 1) bucket.tryTake();
    await advance(60_000);
    let burst = 0;
    while (burst < 100 && bucket.tryTake()) burst += 1;
    expect(
      burst,
      `after a minute without calls, ${burst} calls got through at once: the bucket should refill to its capacity (3) and no further`,
    ).toBe(3);
  });

  it("refuses a capacity or rate that makes no sense with a RangeError", () => {
    for (const capacity of [0, -1, 1.5, Number.NaN]) {
      expect(
        () => new TokenBucket({ capacity, refillPerSecond: 1 }),
        `capacity ${capacity} should throw a RangeError`,
      ).toThrow(RangeError);
    }
    for (const refillPerSecond of [0, -1, Number.NaN, Infinity]) {
      expect(
        () => new TokenBucket({ capacity: 1, refillPerSecond }),
        `refillPerSecond ${refillPerSecond} should throw a RangeError`,
      ).toThrow(RangeError);
    }
  });

  it("resolves take at once while tokens are left", async () => {
    useFakeClock({ performance: true });
    const bucket = new TokenBucket({ capacity: 2, refillPerSecond: 1 });
    const takes = [observe(bucket.take()), observe(bucket.take())];
    const third = observe(bucket.take());
    await settle();
    expect(
      takes.map((t) => t.state),
      "take() should resolve at once while the bucket has tokens",
    ).toEqual(["fulfilled", "fulfilled"]);
    expect(third.state, "the bucket is empty: take() should wait").toBe(
      "pending",
    );
    await advance(1_000);
    expect(third.state).toBe("fulfilled");
  });

  it("wakes each waiter exactly when its token is due", async () => {
    useFakeClock({ performance: true });
    const bucket = new TokenBucket({ capacity: 1, refillPerSecond: 10 });
    bucket.tryTake();
    const times = takeTimes([bucket.take(), bucket.take(), bucket.take()]);
    await advance(99);
    expect(times, "no token is due before 100 ms").toEqual([
      undefined,
      undefined,
      undefined,
    ]);
    await advance(201);
    expect(
      times,
      `the waiters got their tokens at ${times.join(", ")} ms; at 10 per second they are due at 100, 200 and 300 ms: arm a timer for the moment the next token is due`,
    ).toEqual([100, 200, 300]);
  });

  it("makes a waiter who comes between tokens wait only for the rest of the interval", async () => {
    useFakeClock({ performance: true });
    const bucket = new TokenBucket({ capacity: 1, refillPerSecond: 10 });
    bucket.tryTake();
    await advance(60);
    const times = takeTimes([bucket.take()]);
    await advance(200);
    expect(
      times,
      `the last token was taken at 0 ms, so the next is due at 100 ms; a caller who came at 60 ms got it ${times[0]} ms later instead of 40: the wait is what is left of the interval (the token has been dripping in since 0 ms), not a whole interval from the call`,
    ).toEqual([40]);
  });

  it("serves waiters in the order they came", async () => {
    useFakeClock({ performance: true });
    const bucket = new TokenBucket({ capacity: 1, refillPerSecond: 100 });
    bucket.tryTake();
    const order: number[] = [];
    const takes = [1, 2, 3, 4].map((n) =>
      bucket.take().then(() => void order.push(n)),
    );
    await advance(40);
    await Promise.all(takes);
    expect(
      order,
      `the waiters got tokens in the order ${order.join(", ")}: waiters were served out of order; the one who waited longest goes first`,
    ).toEqual([1, 2, 3, 4]);
  });

  it("arms at most one timer, however many callers wait", async () => {
    useFakeClock({ performance: true });
    const bucket = new TokenBucket({ capacity: 1, refillPerSecond: 10 });
    bucket.tryTake();
    const takes = [1, 2, 3, 4, 5].map(() => bucket.take());
    const counts = [pendingTimers()];
    for (let i = 0; i < 5; i += 1) {
      await advance(100);
      counts.push(pendingTimers());
    }
    await Promise.all(takes);
    expect(
      counts,
      `timers armed while 5 callers waited, every 100 ms: ${counts.join(", ")}. Keep one timer, for the first waiter's token, and arm the next when it fires (one timer per waiter: at most one timer at a time)`,
    ).toEqual([1, 1, 1, 1, 1, 0]);
  });

  it("sleeps until the next token is due instead of polling", async () => {
    useFakeClock({ performance: true });
    const bucket = new TokenBucket({ capacity: 1, refillPerSecond: 1 });
    bucket.tryTake();
    const start = Date.now();
    const waiter = observe(bucket.take());
    await vi.advanceTimersToNextTimerAsync();
    const firstWakeUp = Date.now() - start;
    expect(
      [firstWakeUp, waiter.state],
      `the bucket's first timer fired after ${firstWakeUp} ms, with the token due at 1000 ms: do not poll (setInterval, or a short setTimeout again and again); work out when the next token is due and arm one timer for that moment`,
    ).toEqual([1000, "fulfilled"]);
  });

  it("keeps a token that comes due for the waiter, even from tryTake at that moment", async () => {
    useFakeClock({ performance: true });
    const bucket = new TokenBucket({ capacity: 1, refillPerSecond: 10 });
    bucket.tryTake();
    let barged: boolean | undefined;
    // Armed before the waiter's timer: at 100 ms it runs first.
    setTimeout(() => (barged = bucket.tryTake()), 100);
    const times = takeTimes([bucket.take()]);
    await advance(200);
    expect(
      barged,
      "tryTake() took the token that a waiter in take() was waiting for: while anyone waits, tryTake() must return false",
    ).toBe(false);
    expect(times, "the waiter should get the token due at 100 ms").toEqual([
      100,
    ]);
  });

  it("takes an aborted waiter out of the line, and the next waiter still gets its token on time", async () => {
    useFakeClock({ performance: true });
    const bucket = new TokenBucket({ capacity: 1, refillPerSecond: 10 });
    bucket.tryTake();
    const aborted = startAbortable("take(signal)", (signal) =>
      bucket.take(signal),
    );
    const times = takeTimes([bucket.take(), bucket.take()]);
    await advance(50);
    await aborted.abortAndCheck();
    await advance(250);
    expect(
      times,
      `after the first waiter aborted at 50 ms, the others got tokens at ${times.join(", ")} ms instead of 100 and 200: the token the aborted waiter would have had goes to the next one, on the same schedule (was it handed to the aborted waiter?)`,
    ).toEqual([100, 200]);
  });

  it("rejects at once when the signal is already aborted, and takes no token", async () => {
    useFakeClock({ performance: true });
    const bucket = new TokenBucket({ capacity: 1, refillPerSecond: 1 });
    const reason = new Error("too late");
    const take = observe(bucket.take(AbortSignal.abort(reason)));
    await settle();
    expect(
      take.state,
      "take() with an already-aborted signal should reject",
    ).toBe("rejected");
    expect(take.reason).toBe(reason);
    expect(
      bucket.tryTake(),
      "take() with an already-aborted signal took the token",
    ).toBe(true);
  });

  it("leaves no timer and no listener once every waiter is served or gone", async () => {
    useFakeClock({ performance: true });
    const bucket = new TokenBucket({ capacity: 1, refillPerSecond: 10 });
    bucket.tryTake();
    const served = new AbortController();
    const gone = new AbortController();
    const first = bucket.take(served.signal);
    const second = observe(bucket.take(gone.signal));
    await advance(100);
    await first;
    expect(
      abortListeners(served.signal),
      "a waiter got its token but its abort listener is still on the signal",
    ).toBe(0);
    gone.abort();
    await settle();
    expect(second.state).toBe("rejected");
    expect(
      pendingTimers(),
      "the last waiter left, but the bucket's timer is still armed: clear it when nobody waits",
    ).toBe(0);
  });
});
