import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import { chunk, take } from "#exercises/03-generators/iterate.ts";
import {
  collect,
  mapAsync,
  takeAsync,
} from "#exercises/03-generators/async-iterate.ts";
import { merge } from "#exercises/03-generators/merge.ts";
import { streamTokens } from "#exercises/03-generators/tokens.ts";
import {
  advance,
  pendingTimers,
  settle,
  useFakeClock,
} from "#kit/testing/clock.ts";
import { deferred, observe, type Deferred } from "#kit/testing/deferred.ts";
import { abortListeners } from "#kit/testing/leaks.ts";

const EAGER =
  "did you read the whole source into an array ([...source], Array.from) first? A generator must pull one item at a time";

/**
 * An endless source 1, 2, 3, … that counts what was pulled from it and whether
 * it was closed.
 */
function naturals() {
  const stats = { pulls: 0, closed: false };
  function* numbers(): Generator<number> {
    try {
      for (let i = 1; ; i += 1) {
        stats.pulls += 1;
        // A guard, so an eager implementation fails instead of looping forever.
        if (stats.pulls > 1_000)
          throw new Error(
            `pulled over 1,000 items from an endless source: ${EAGER}`,
          );
        yield i;
      }
    } finally {
      stats.closed = true;
    }
  }
  return { source: numbers(), stats };
}

/**
 * The async twin of naturals(): `yield*` pulls one item at a time and forwards
 * return() to it.
 */
function asyncNaturals() {
  const { source: numbers, stats } = naturals();
  async function* asyncNumbers(): AsyncGenerator<number> {
    yield* numbers;
  }
  return { source: asyncNumbers(), stats };
}

async function* fromArray<T>(items: readonly T[]): AsyncGenerator<T> {
  yield* items;
}

describe("take", () => {
  it("yields the first n items", () => {
    expect([...take(["a", "b", "c", "d"], 2)]).toEqual(["a", "b"]);
    expect(
      [...take(["a", "b"], 5)],
      "a source shorter than n: take should yield what there is",
    ).toEqual(["a", "b"]);
  });

  it("pulls exactly n items from the source, never one more", () => {
    const { source, stats } = naturals();
    const items = [...take(source, 3)];
    expect(items).toEqual([1, 2, 3]);
    expect(
      stats.pulls,
      `take(source, 3) pulled ${stats.pulls} items from the source: stop right after yielding the nth item, before the loop asks the source for one more`,
    ).toBe(3);
  });

  it("pulls nothing when n is 0", () => {
    const { source, stats } = naturals();
    const items = [...take(source, 0)];
    expect(
      stats.pulls,
      `take(source, 0) pulled ${stats.pulls} item(s): with n = 0, do not ask the source for anything`,
    ).toBe(0);
    expect(items).toEqual([]);
  });

  it("is lazy: pulls one item per next(), only when asked", () => {
    const { source, stats } = naturals();
    const taken = take(source, 3);
    expect(stats.pulls, "take pulled items before anyone asked for one").toBe(
      0,
    );
    expect(taken.next()).toEqual({ value: 1, done: false });
    expect(
      stats.pulls,
      `the first next() pulled ${stats.pulls} items: ${EAGER}`,
    ).toBe(1);
    taken.next();
    expect(stats.pulls).toBe(2);
  });

  it("closes the source once it has n items", () => {
    const { source, stats } = naturals();
    [...take(source, 2)];
    expect(
      stats.closed,
      "the source's finally never ran: loop over it with for…of, so leaving the loop calls the source's return()",
    ).toBe(true);
  });

  it("closes the source when the consumer stops early", () => {
    const { source, stats } = naturals();
    for (const item of take(source, 5)) {
      if (item === 2) break;
    }
    expect(
      stats.closed,
      "the consumer stopped after 2 of 5 items, but the source's finally never ran",
    ).toBe(true);
    expect(stats.pulls).toBe(2);
  });
});

/** What a wrong list of chunks most likely means. */
function chunkHint(chunks: unknown[][]): string {
  if (chunks.length > 1 && chunks.every((c) => c === chunks[0]))
    return "every chunk is the same array: you reused one array; start a new one after each yield";
  if (chunks.length > 0 && chunks.at(-1)?.length === 0)
    return "the last chunk is empty; yield the leftover only when it has items";
  return "expected [[1,2],[3,4],[5,6]]";
}

describe("chunk", () => {
  it("groups items into arrays of size", () => {
    const chunks = [...chunk([1, 2, 3, 4, 5, 6], 2)];
    expect(
      chunks,
      `chunk([1…6], 2) gave ${JSON.stringify(chunks)}: ${chunkHint(chunks)}`,
    ).toEqual([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
  });

  it("yields the last partial chunk", () => {
    const chunks = [...chunk([1, 2, 3, 4, 5], 2)];
    expect(
      chunks,
      `chunk([1…5], 2) gave ${JSON.stringify(chunks)}: the last partial chunk [5] is missing; after the loop, yield what is left`,
    ).toEqual([[1, 2], [3, 4], [5]]);
  });

  it("never yields an empty chunk", () => {
    expect([...chunk([], 3)], "an empty source has no chunks").toEqual([]);
    const chunks = [...chunk([1, 2, 3, 4], 2)];
    expect(
      chunks,
      `chunk([1…4], 2) gave ${JSON.stringify(chunks)}: yield the leftover only when it has items`,
    ).toEqual([
      [1, 2],
      [3, 4],
    ]);
  });

  it("is lazy: the first chunk pulls only size items", () => {
    const { source, stats } = naturals();
    const chunks = chunk(source, 3);
    expect(chunks.next()).toEqual({ value: [1, 2, 3], done: false });
    expect(
      stats.pulls,
      `the first chunk of 3 pulled ${stats.pulls} items: ${EAGER}`,
    ).toBe(3);
    expect(chunks.next().value).toEqual([4, 5, 6]);
    expect(stats.pulls).toBe(6);
  });

  it("throws a RangeError when size is not a positive integer", () => {
    for (const size of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(
        () => chunk([1, 2, 3], size).next(),
        `chunk(source, ${size}) should throw a RangeError`,
      ).toThrow(RangeError);
    }
  });
});

describe("mapAsync", () => {
  it("calls fn with each item and its index, and yields the results in order", async () => {
    const calls: string[] = [];
    const results = await collectAll(
      mapAsync(fromArray(["a", "b", "c"]), (item, index) => {
        calls.push(`${item}${index}`);
        return item.toUpperCase();
      }),
    );
    expect(results).toEqual(["A", "B", "C"]);
    expect(calls, "fn should get each item with its index: 0, 1, 2").toEqual([
      "a0",
      "b1",
      "c2",
    ]);
  });

  it("awaits an async fn and yields its values", async () => {
    const results = await collectAll(
      mapAsync(fromArray([1, 2, 3]), async (n) => n * 10),
    );
    expect(results).toEqual([10, 20, 30]);
  });

  it("is lazy: pulls and maps one item per next()", async () => {
    const { source, stats } = asyncNaturals();
    let calls = 0;
    const mapped = mapAsync(source, (n) => {
      calls += 1;
      return n * 2;
    });
    expect(await mapped.next()).toEqual({ value: 2, done: false });
    expect(
      stats.pulls,
      `the first next() pulled ${stats.pulls} items: ${EAGER}`,
    ).toBe(1);
    expect(calls).toBe(1);
    await mapped.return(undefined);
  });

  it("closes the source when the consumer stops early, before the consumer's loop ends", async () => {
    const log: string[] = [];
    for await (const item of mapAsync(logged(log), (n) => n)) {
      if (item === 2) break;
    }
    log.push("consumer loop ended");
    expect(
      log,
      "the source's finally must run before the consumer's loop ends: iterate it with for await…of (leaving the loop awaits the source's return())",
    ).toEqual(["source closed", "consumer loop ended"]);
  });

  it("closes the source and rejects when fn throws", async () => {
    const { source, stats } = asyncNaturals();
    const boom = new Error("fn failed");
    const run = collectAll(
      mapAsync(source, (n) => {
        if (n === 2) throw boom;
        return n;
      }),
    );
    await expect(
      run,
      "the error thrown by fn should reach the consumer",
    ).rejects.toBe(boom);
    expect(stats.closed, "fn threw, but the source was never closed").toBe(
      true,
    );
  });
});

describe("takeAsync", () => {
  it("yields the first n items", async () => {
    expect(await collectAll(takeAsync(fromArray(["a", "b", "c"]), 2))).toEqual([
      "a",
      "b",
    ]);
    expect(
      await collectAll(takeAsync(fromArray(["a"]), 3)),
      "a source shorter than n: yield what there is",
    ).toEqual(["a"]);
  });

  it("pulls exactly n items from the source, never one more", async () => {
    const { source, stats } = asyncNaturals();
    expect(await collectAll(takeAsync(source, 3))).toEqual([1, 2, 3]);
    expect(
      stats.pulls,
      `takeAsync(source, 3) pulled ${stats.pulls} items: return right after yielding the nth item, before for await pulls one more`,
    ).toBe(3);
  });

  it("pulls nothing when n is 0", async () => {
    const { source, stats } = asyncNaturals();
    const items = await collectAll(takeAsync(source, 0));
    expect(
      stats.pulls,
      `takeAsync(source, 0) pulled ${stats.pulls} item(s): with n = 0, do not ask the source for anything`,
    ).toBe(0);
    expect(items).toEqual([]);
  });

  it("closes the source once it has n items, before the consumer's loop ends", async () => {
    const log: string[] = [];
    for await (const item of takeAsync(logged(log), 2)) log.push(`got ${item}`);
    log.push("consumer loop ended");
    expect(
      log,
      "after n items the source's finally must have run before the consumer's loop ends: iterate it with for await…of and return (leaving the loop awaits the source's return())",
    ).toEqual(["got 1", "got 2", "source closed", "consumer loop ended"]);
  });

  it("closes the source when the consumer stops early, before the consumer's loop ends", async () => {
    const log: string[] = [];
    for await (const item of takeAsync(logged(log), 5)) {
      if (item === 2) break;
    }
    log.push("consumer loop ended");
    expect(
      log,
      "the consumer broke out after 2 of 5 items, and the source's finally must have run before its loop ended",
    ).toEqual(["source closed", "consumer loop ended"]);
  });
});

describe("collect", () => {
  it("resolves with every item, in order", async () => {
    await expect(collect(fromArray([1, 2, 3]))).resolves.toEqual([1, 2, 3]);
  });

  it("resolves with an empty array for an empty source", async () => {
    await expect(collect(fromArray([]))).resolves.toEqual([]);
  });

  it("rejects with the source's error", async () => {
    const boom = new Error("source failed");
    async function* failing() {
      yield 1;
      throw boom;
    }
    await expect(
      collect(failing()),
      "collect should reject with the error the source threw",
    ).rejects.toBe(boom);
  });
});

/**
 * A hand-made async iterator whose values the test hands out with emit(), end()
 * and fail(). Counts the next() calls merge has waiting on it, and records
 * return().
 */
function controlled<T>(name: string) {
  const waiting: Deferred<IteratorResult<T>>[] = [];
  const ready: IteratorResult<T>[] = [];
  const stats = {
    name,
    nextCalls: 0,
    waitingNow: 0,
    maxWaiting: 0,
    returned: false,
  };
  const iterator: AsyncIterableIterator<T> = {
    [Symbol.asyncIterator]() {
      return iterator;
    },
    next() {
      stats.nextCalls += 1;
      const result = ready.shift();
      if (result) return Promise.resolve(result);
      const call = deferred<IteratorResult<T>>();
      waiting.push(call);
      stats.waitingNow += 1;
      stats.maxWaiting = Math.max(stats.maxWaiting, stats.waitingNow);
      return call.promise;
    },
    return() {
      stats.returned = true;
      for (const call of waiting.splice(0))
        call.resolve({ value: undefined, done: true });
      stats.waitingNow = 0;
      return Promise.resolve({ value: undefined, done: true });
    },
  };
  const settleNext = (result: IteratorResult<T>) => {
    const call = waiting.shift();
    if (!call) return void ready.push(result);
    stats.waitingNow -= 1;
    call.resolve(result);
  };
  return {
    iterator,
    stats,
    emit: (value: T) => settleNext({ value, done: false }),
    end: () => settleNext({ value: undefined, done: true }),
  };
}

/**
 * A source on the fake clock: yields `name1`, `name2`, … at the given times (ms
 * from start).
 */
function timed(name: string, times: readonly number[], log: string[] = []) {
  return (async function* () {
    try {
      let now = 0;
      for (const [i, at] of times.entries()) {
        await wait(at - now);
        now = at;
        yield `${name}${i + 1}`;
      }
    } finally {
      log.push(`${name} closed`);
    }
  })();
}

/**
 * A source that never yields: each next() returns a promise that never
 * settles. When `watched`, the source counts every then() called on those
 * promises (and on the promises derived from them): a Promise.race calls then()
 * on every promise it is given, once per race.
 */
function silent(watched = true) {
  const stats = { thens: 0 };
  class Watched<T> extends Promise<T> {
    override then<R1 = T, R2 = never>(
      onFulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
      onRejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
    ): Promise<R1 | R2> {
      stats.thens += 1;
      return super.then(onFulfilled, onRejected);
    }
  }
  const iterator: AsyncIterableIterator<number> = {
    [Symbol.asyncIterator]() {
      return iterator;
    },
    next() {
      return watched
        ? new Watched<IteratorResult<number>>(() => {})
        : new Promise<IteratorResult<number>>(() => {});
    },
    return() {
      return Promise.resolve({ value: undefined, done: true });
    },
  };
  return { iterator, stats };
}

/**
 * What an observed `next()` came to, for a failure message: its result, or
 * that it is still waiting, or its error.
 */
function outcome(next: ReturnType<typeof observe<unknown>>): unknown {
  if (next.state === "fulfilled") return next.value;
  if (next.state === "rejected") return `rejected with ${String(next.reason)}`;
  return "still waiting";
}

/** 1, 2, …, n without an array: the values themselves take no memory. */
async function* countTo(n: number): AsyncGenerator<number> {
  for (let i = 1; i <= n; i += 1) yield i;
}

/**
 * Pulls `n` values from `merged`, letting the event loop turn for as long as
 * values keep coming; fails instead of waiting for ever.
 */
async function pullValues(merged: AsyncGenerator<number>, n: number) {
  let got = 0;
  const pulled = observe(
    (async () => {
      for (; got < n; got += 1) await merged.next();
    })(),
  );
  for (let seen = -1; pulled.state === "pending" && got > seen;) {
    seen = got;
    await settle();
  }
  if (pulled.state === "rejected") throw pulled.reason;
  expect(
    pulled.state,
    `merge yielded ${got} of ${n} values, then stopped, while one source was silent and the other had values ready: ask every source at once, not one after another (did you concatenate the sources, or take turns?)`,
  ).toBe("fulfilled");
}

// A Promise.race in every round keeps about 390 bytes per value on Node 20:
// 75 MB for 200,000 values. Without it the heap grows by well under 1 MB.
const MEMORY_VALUES = 200_000;
const MEMORY_BUDGET_MB = 8;

// Vitest's workers do not expose gc(); this flag makes it available to new
// contexts.
setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

/** The heap in use once garbage is collected, in MB. */
function heapUsedMb(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed / 2 ** 20;
}

describe("merge", () => {
  it("yields every value of every source", async () => {
    const values = await collectAll(
      merge(fromArray([1, 2]), fromArray([3]), fromArray([4, 5])),
    );
    expect(
      [...values].sort(),
      `from the sources [1, 2], [3] and [4, 5], merge yielded [${values.join(", ")}]: every value of every source must come out, and merge ends only when every source has ended`,
    ).toEqual([1, 2, 3, 4, 5]);
  });

  it("yields each value as soon as its source produces it", async () => {
    useFakeClock();
    const arrivals: string[] = [];
    const start = Date.now();
    const run = observe(
      (async () => {
        for await (const value of merge(
          timed("a", [30, 60, 90]),
          timed("b", [20, 70]),
        ))
          arrivals.push(`${value}@${Date.now() - start}`);
      })(),
    );
    await advance(100);
    const expected = ["b1@20", "a1@30", "a2@60", "b2@70", "a3@90"];
    expect(
      arrivals,
      `merge yielded ${arrivals.join(", ") || "nothing"} but the values arrived as ${expected.join(", ")}: wait on every source at once, not one after another (did you concatenate the sources, or take turns?)`,
    ).toEqual(expected);
    expect(run.state, "merge should end once both sources ended").toBe(
      "fulfilled",
    );
  });

  it("yields a later source's value while an earlier source is silent", async () => {
    const a = controlled<string>("a");
    const b = controlled<string>("b");
    const merged = merge(a.iterator, b.iterator);
    const first = observe(merged.next());
    await settle();
    b.emit("b1");
    await settle();
    expect(
      outcome(first),
      "b produced b1 while a was silent, and merge did not yield it: it must ask every source at once instead of reading them one after another",
    ).toEqual({ value: "b1", done: false });
    await merged.return(undefined);
  });

  it("does not make a source that is ready wait for a silent one's turn", async () => {
    const a = controlled<string>("a");
    const b = controlled<string>("b");
    const merged = merge(a.iterator, b.iterator);
    a.emit("a1");
    b.emit("b1");
    b.emit("b2");
    b.emit("b3");
    const seen: unknown[] = [];
    for (let i = 0; i < 4; i += 1) {
      const next = observe(merged.next());
      await settle();
      if (next.state !== "fulfilled") break;
      seen.push((next.value as IteratorResult<string>).value);
    }
    expect(
      [...seen].sort(),
      `with a silent after a1 and b ready with b1, b2, b3, merge yielded only ${seen.join(", ")}: round-robin waiting (asking a, then b, then a again) holds b back until a speaks`,
    ).toEqual(["a1", "b1", "b2", "b3"]);
    await merged.return(undefined);
  });

  it("keeps at most one pending next() per source", async () => {
    const a = controlled<string>("a");
    const b = controlled<string>("b");
    const merged = merge(a.iterator, b.iterator);
    const seen: unknown[] = [];
    for (const emit of [
      () => a.emit("a1"),
      () => a.emit("a2"),
      () => b.emit("b1"),
      () => a.emit("a3"),
    ]) {
      const next = observe(merged.next());
      await settle();
      emit();
      await settle();
      const result = outcome(next);
      seen.push(
        next.state === "fulfilled"
          ? (result as IteratorResult<string>).value
          : result,
      );
    }
    for (const stats of [a.stats, b.stats]) {
      expect(
        stats.maxWaiting,
        `merge had ${stats.maxWaiting} next() calls waiting on source ${stats.name} at once: keep each source's pending promise across the race and call next() again only on the source that won`,
      ).toBeLessThanOrEqual(1);
    }
    expect(
      seen,
      "a1, a2, b1 and a3 were produced one at a time, each after merge's next() was called: merge should yield each one as it came",
    ).toEqual(["a1", "a2", "b1", "a3"]);
    await merged.return(undefined);
  });

  it("loses no value to a race", async () => {
    useFakeClock();
    const values: string[] = [];
    const run = observe(
      (async () => {
        for await (const value of merge(
          timed("a", [10, 20, 30]),
          timed("b", [15, 25]),
        ))
          values.push(value);
      })(),
    );
    await advance(100);
    const expected = ["a1", "b1", "a2", "b2", "a3"];
    const missing = expected.filter((value) => !values.includes(value));
    expect(
      missing,
      `merge lost ${missing.join(", ")} (it yielded ${values.join(", ")}): a Promise.race over fresh next() calls throws away the losers' values; keep each pending promise and re-arm only the winner`,
    ).toEqual([]);
    expect(
      values,
      `merge yielded ${values.join(", ")} but the values were produced in the order ${expected.join(", ")}: yield each value as soon as its source produces it`,
    ).toEqual(expected);
    expect(run.state, "both sources had ended, but merge did not end").toBe(
      "fulfilled",
    );
  });

  it("ends only when every source has ended", async () => {
    const a = controlled<string>("a");
    const b = controlled<string>("b");
    const merged = merge(a.iterator, b.iterator);
    const first = observe(merged.next());
    await settle();
    a.end();
    await settle();
    expect(
      first.state,
      "merge ended (or failed) when a ended, while b was still open: end only when every source has ended",
    ).toBe("pending");
    b.emit("b1");
    await settle();
    expect(
      outcome(first),
      "a ended and then b produced b1: merge should yield b1",
    ).toEqual({ value: "b1", done: false });
    const second = observe(merged.next());
    await settle();
    b.end();
    await settle();
    expect(outcome(second), "both sources ended, so merge should end").toEqual({
      value: undefined,
      done: true,
    });
  });

  it("ends at once with no sources", async () => {
    expect(
      await collectAll(merge<number>()),
      "merge() with no sources should end at once, yielding nothing",
    ).toEqual([]);
  });

  it("closes every source when the consumer stops early", async () => {
    useFakeClock();
    const log: string[] = [];
    const run = observe(
      (async () => {
        for await (const value of merge(
          timed("a", [10, 20, 30], log),
          timed("b", [25, 50], log),
        )) {
          if (value === "a2") break;
        }
        log.push("consumer loop ended");
      })(),
    );
    await advance(100);
    const open = ["a", "b"].filter((name) => !log.includes(`${name} closed`));
    expect(
      run.state,
      `the consumer broke out of its loop at a2 (20 ms), and 80 ms later its loop had not ended (${open.length > 0 ? `${open.join(" and ")} not closed` : "both sources closed"}): closing merge must not wait for ever`,
    ).toBe("fulfilled");
    expect(
      [...log].sort(),
      open.length > 0
        ? `the consumer stopped early and ${open.join(" and ")} ${open.length > 1 ? "were" : "was"} left open: call return() on every unfinished source in a finally block`
        : `the consumer stopped early and the sources logged [${log.join(", ")}]: each source should close once, before the consumer's loop ends`,
    ).toEqual(["a closed", "b closed", "consumer loop ended"]);
  });

  it("calls return() on every source that has not ended, when the consumer stops early", async () => {
    const a = controlled<string>("a");
    const b = controlled<string>("b");
    const c = controlled<string>("c");
    const merged = merge(a.iterator, b.iterator, c.iterator);
    const first = observe(merged.next());
    await settle();
    c.end();
    a.emit("a1");
    await settle();
    expect(
      outcome(first),
      "c ended and a produced a1 while b was silent: merge should yield a1 (and end only once every source has ended)",
    ).toEqual({ value: "a1", done: false });
    await merged.return(undefined);
    expect(
      [a.stats.returned, b.stats.returned],
      "the consumer left after a1: both a (waiting for its next turn) and b (with a next() pending) must be closed with return()",
    ).toEqual([true, true]);
  });

  it("closes the other sources and rethrows when a source throws", async () => {
    useFakeClock();
    const log: string[] = [];
    const boom = new Error("a failed");
    const failing = (async function* () {
      await wait(10);
      yield "a1";
      await wait(10);
      throw boom;
    })();
    const values: string[] = [];
    const run = observe(
      (async () => {
        for await (const value of merge(
          failing,
          timed("b", [15, 100, 200], log),
        ))
          values.push(value);
      })(),
    );
    await advance(300);
    expect(run.state, "a threw, so the consumer's loop should reject").toBe(
      "rejected",
    );
    expect(run.reason, "rethrow the source's own error").toBe(boom);
    expect(
      values,
      "a yielded a1 at 10 ms and b yielded b1 at 15 ms, then a threw at 20 ms: the consumer should have had a1 and b1 before the error",
    ).toEqual(["a1", "b1"]);
    expect(
      log,
      "a threw, and b was left open: close the other sources in a finally block, on the error path too",
    ).toEqual(["b closed"]);
  });

  it("attaches one handler to a silent source's pending next(), however many values the others yield", async () => {
    const quiet = silent();
    const merged = merge(quiet.iterator, countTo(1_000));
    await pullValues(merged, 1);
    const thensAfterOne = quiet.stats.thens;
    await pullValues(merged, 999);
    const more = quiet.stats.thens - thensAfterOne;
    expect(
      more,
      `while the other source yielded 999 more values, merge called then() ${more} more times on the silent source's pending next(): a Promise.race in every round adds a handler to every promise it races, and a promise that never settles keeps them all, so memory grows with every value. Give each next() one handler, attached once when you call next(), that records the result`,
    ).toBe(0);
    await merged.return(undefined);
  });

  it("does not grow memory while one source never yields", async () => {
    const values = MEMORY_VALUES;
    const before = heapUsedMb();
    // Plain promises, like an async generator's: the leak measured is the one
    // a real silent source would cause.
    const merged = merge(silent(false).iterator, countTo(values));
    await pullValues(merged, values);
    const grown = heapUsedMb() - before;
    // Used after the measurement, so that V8 keeps merged (and whatever it
    // holds) alive while we measure.
    await merged.return(undefined);
    expect(
      grown,
      `the heap grew by ${grown.toFixed(1)} MB while one source stayed silent and the other yielded ${values.toLocaleString("en")} values (budget: ${MEMORY_BUDGET_MB} MB): something is kept for every value. A Promise.race in every round keeps every losing promise's handlers alive until it settles, so memory grows with every value; give each next() one handler`,
    ).toBeLessThan(MEMORY_BUDGET_MB);
  });
});

describe("streamTokens", () => {
  it("yields word tokens that keep their leading whitespace", async () => {
    useFakeClock();
    const tokens = await drain(streamTokens("Hello, async world!", 10), 100);
    expect(
      tokens,
      `got ${JSON.stringify(tokens)}: a token is a word with the whitespace in front of it, like " async"`,
    ).toEqual(["Hello,", " async", " world!"]);
  });

  it("joined, the tokens give back the text", async () => {
    useFakeClock();
    for (const text of [
      "one\ntwo  three",
      "  indented",
      "trailing space ",
      "single",
      "",
    ]) {
      const tokens = await drain(streamTokens(text, 1), 100);
      expect(
        tokens.join(""),
        `the tokens of ${JSON.stringify(text)} were ${JSON.stringify(tokens)}: no whitespace may be lost`,
      ).toBe(text);
      expect(
        tokens.every((token) => token !== ""),
        "no token should be empty",
      ).toBe(true);
    }
  });

  it("waits delayMs before each token, the first one too", async () => {
    useFakeClock();
    const tokens = streamTokens("a b", 100);
    const first = observe(tokens.next());
    await advance(99);
    expect(
      first.state,
      "the first token came before delayMs had passed: await sleep(delayMs) before each yield",
    ).toBe("pending");
    await advance(1);
    expect(first.value).toEqual({ value: "a", done: false });
    const second = observe(tokens.next());
    await advance(99);
    expect(
      second.state,
      "the second token came before another delayMs had passed",
    ).toBe("pending");
    await advance(1);
    expect(second.value).toEqual({ value: " b", done: false });
    const end = observe(tokens.next());
    await settle();
    expect(end.value, "after the last token the stream should end").toEqual({
      value: undefined,
      done: true,
    });
  });

  it("stops with signal.reason when aborted while waiting, and leaves no timer", async () => {
    useFakeClock();
    const controller = new AbortController();
    const tokens = streamTokens("a b c", 100, controller.signal);
    const first = observe(tokens.next());
    await advance(100);
    expect(first.value).toEqual({ value: "a", done: false });
    const second = observe(tokens.next());
    await advance(50);
    const reason = new Error("user pressed stop");
    controller.abort(reason);
    await settle();
    expect(
      second.state,
      "the stream went on waiting after abort: pass the signal to sleep",
    ).toBe("rejected");
    expect(
      second.reason,
      "stop with signal.reason itself, not a new Error",
    ).toBe(reason);
    expect(pendingTimers(), "a timer was still armed after abort").toBe(0);
    expect(
      abortListeners(controller.signal),
      "an abort listener was left on the signal",
    ).toBe(0);
    expect(await tokens.next(), "after an abort the stream is over").toEqual({
      value: undefined,
      done: true,
    });
  });

  it("stops at once, without a timer, when the signal is already aborted", async () => {
    useFakeClock();
    const reason = new Error("already cancelled");
    const first = observe(
      streamTokens("a b", 100, AbortSignal.abort(reason)).next(),
    );
    await settle();
    expect(
      first.state,
      "with an aborted signal the first next() should reject without waiting",
    ).toBe("rejected");
    expect(first.reason, "stop with signal.reason itself").toBe(reason);
    expect(
      pendingTimers(),
      "an already-aborted signal must not start a timer",
    ).toBe(0);
  });
});

/**
 * Reads an async iterable to the end (the tests' own collect, so they do not
 * depend on yours).
 */
async function collectAll<T>(source: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of source) items.push(item);
  return items;
}

/**
 * Reads a timed stream to the end on the fake clock, moving time `ms` at most.
 */
async function drain<T>(source: AsyncIterable<T>, ms: number): Promise<T[]> {
  const items = observe(collectAll(source));
  await advance(ms);
  if (items.state === "rejected") throw items.reason;
  expect(
    items.state,
    `the stream had not ended after ${ms} ms of fake time`,
  ).toBe("fulfilled");
  return items.value ?? [];
}

/**
 * An async source 1, 2, 3, … whose cleanup takes an event-loop turn, then logs
 * "source closed".
 */
async function* logged(log: string[]): AsyncGenerator<number> {
  try {
    for (let i = 1; i <= 100; i += 1) yield i;
  } finally {
    await settle(); // closing takes time, like a file or a connection would
    log.push("source closed");
  }
}

/**
 * The tests' own timer, so merge's tests do not depend on lesson 01's sleep.
 */
function wait(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
