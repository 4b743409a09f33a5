import { EventEmitter } from "node:events";
import { describe, expect, it } from "vitest";
import { AsyncEvent } from "#exercises/04-queues/event.ts";
import { AsyncQueue, QueueClosedError } from "#exercises/04-queues/queue.ts";
import { fromEvents } from "#exercises/04-queues/from-events.ts";
import { settle } from "#kit/testing/clock.ts";
import { deferred, observe } from "#kit/testing/deferred.ts";
import { startAbortable } from "#kit/testing/abort.ts";
import { abortListeners, unhandledErrors } from "#kit/testing/leaks.ts";
import { mergeWithQueue } from "./fixtures/merge-with-queue.ts";

describe("AsyncEvent", () => {
  it("starts clear, and wait resolves once set is called", async () => {
    const event = new AsyncEvent();
    expect(event.isSet, "a new AsyncEvent should start clear").toBe(false);
    const waited = observe(event.wait());
    await settle();
    expect(waited.state, "wait() resolved although nobody called set()").toBe(
      "pending",
    );
    event.set();
    await settle();
    expect(event.isSet, "isSet should be true after set()").toBe(true);
    expect(waited.state, "wait() did not resolve after set()").toBe(
      "fulfilled",
    );
  });

  it("resolves wait at once when the event is already set", async () => {
    const event = new AsyncEvent();
    event.set();
    const waited = observe(event.wait());
    await settle();
    expect(
      waited.state,
      "wait() on an event that is already set should resolve at once",
    ).toBe("fulfilled");
  });

  it("wakes every waiter on set, not just the first", async () => {
    const event = new AsyncEvent();
    const waiters = [
      observe(event.wait()),
      observe(event.wait()),
      observe(event.wait()),
    ];
    await settle();
    event.set();
    await settle();
    const woken = waiters.filter((w) => w.state === "fulfilled").length;
    expect(
      woken,
      `set() woke ${woken} of 3 waiters: set must wake every waiter, not just the first`,
    ).toBe(3);
  });

  it("wakes the waiters of the moment even when clear follows set at once", async () => {
    const event = new AsyncEvent();
    const waited = observe(event.wait());
    await settle();
    event.set();
    event.clear();
    await settle();
    expect(
      waited.state,
      "a waiter was not woken because clear() came right after set(): wake the waiters inside set(), do not make them look at the flag later",
    ).toBe("fulfilled");
  });

  it("makes later waits wait again after clear", async () => {
    const event = new AsyncEvent();
    event.set();
    event.clear();
    expect(event.isSet, "isSet should be false after clear()").toBe(false);
    const waited = observe(event.wait());
    await settle();
    expect(
      waited.state,
      "wait() resolved after clear(): clear must make later waits wait again",
    ).toBe("pending");
    event.set();
    await settle();
    expect(waited.state).toBe("fulfilled");
  });

  it("rejects an aborted wait with signal.reason, and still wakes the other waiters", async () => {
    const event = new AsyncEvent();
    const aborted = startAbortable("wait(signal)", (signal) =>
      event.wait(signal),
    );
    const other = observe(event.wait());
    await aborted.abortAndCheck();
    event.set();
    await settle();
    expect(
      other.state,
      "the waiter that did not abort should still wake on set()",
    ).toBe("fulfilled");
  });

  it("rejects at once when the signal is already aborted", async () => {
    const event = new AsyncEvent();
    const reason = new Error("too late");
    const waited = observe(event.wait(AbortSignal.abort(reason)));
    await settle();
    expect(
      waited.state,
      "wait() with an aborted signal should reject without waiting",
    ).toBe("rejected");
    expect(waited.reason).toBe(reason);
  });

  it("leaves no abort listener on the signal of a waiter that set woke", async () => {
    const event = new AsyncEvent();
    const controller = new AbortController();
    const waited = event.wait(controller.signal);
    event.set();
    await waited;
    expect(
      abortListeners(controller.signal),
      "set() woke the waiter but its abort listener is still on the signal: remove it when the waiter wakes",
    ).toBe(0);
  });
});

/** The order in which promises fulfil, by label. */
function fulfilmentOrder(
  labelled: Array<[string, Promise<unknown>]>,
): string[] {
  const order: string[] = [];
  for (const [label, promise] of labelled)
    promise.then(
      () => order.push(label),
      () => {},
    );
  return order;
}

describe("AsyncQueue", () => {
  it("gets items in the order they were put, and counts them in size", async () => {
    const queue = new AsyncQueue<string>();
    await queue.put("a");
    await queue.put("b");
    await queue.put("c");
    expect(queue.size, "size should count the items in the queue").toBe(3);
    const got = [await queue.get(), await queue.get(), await queue.get()];
    expect(
      got,
      "items came out in the wrong order: a queue is first in, first out",
    ).toEqual(["a", "b", "c"]);
    expect(queue.size).toBe(0);
  });

  it("is unbounded by default: put never waits", async () => {
    const queue = new AsyncQueue<number>();
    const puts = Array.from({ length: 10_000 }, (_, i) =>
      observe(queue.put(i)),
    );
    await settle();
    expect(
      puts.every((p) => p.state === "fulfilled"),
      "put() waited on a queue without maxSize: the default maxSize is Infinity",
    ).toBe(true);
    expect(queue.size).toBe(10_000);
  });

  it("refuses a maxSize below 1 with a RangeError", () => {
    for (const maxSize of [0, -1, 0.5, Number.NaN]) {
      expect(
        () => new AsyncQueue(maxSize),
        `new AsyncQueue(${maxSize}) should throw a RangeError`,
      ).toThrow(RangeError);
    }
    expect(() => new AsyncQueue(1), "maxSize 1 is a valid queue").not.toThrow();
  });

  it("makes get wait while the queue is empty, until an item is put", async () => {
    const queue = new AsyncQueue<string>();
    const got = observe(queue.get());
    await settle();
    expect(got.state, "get() on an empty queue should wait for an item").toBe(
      "pending",
    );
    await queue.put("a");
    await settle();
    expect(
      got.value,
      "the waiting get() should receive the item that was put",
    ).toBe("a");
    expect(
      queue.size,
      "an item handed to a waiting getter should not stay in the queue as well",
    ).toBe(0);
  });

  it("serves waiting getters first in, first out", async () => {
    const queue = new AsyncQueue<string>();
    const getters = [
      observe(queue.get()),
      observe(queue.get()),
      observe(queue.get()),
    ];
    await settle();
    for (const item of ["a", "b", "c"]) await queue.put(item);
    await settle();
    const got = getters.map((g) => g.value);
    expect(
      got,
      `the getters (in the order they called get()) received ${JSON.stringify(got)}: waiters were served out of order; the one who waited longest goes first`,
    ).toEqual(["a", "b", "c"]);
  });

  it("makes put wait while the queue is full, and resume when a get makes room", async () => {
    const queue = new AsyncQueue<string>(2);
    await queue.put("a");
    await queue.put("b");
    const third = observe(queue.put("c"));
    await settle();
    expect(
      third.state,
      "put() on a full queue (2 of maxSize 2) should wait for room",
    ).toBe("pending");
    expect(
      queue.size,
      "a waiting put must not add its item before there is room",
    ).toBe(2);
    expect(await queue.get()).toBe("a");
    await settle();
    expect(
      third.state,
      "a get() made room, but the waiting put() did not resume",
    ).toBe("fulfilled");
    expect(queue.size).toBe(2);
    expect(
      [await queue.get(), await queue.get()],
      "the waiting putter's item should join at the back",
    ).toEqual(["b", "c"]);
  });

  it("resumes waiting putters in the order they arrived, and keeps their items in that order", async () => {
    const queue = new AsyncQueue<string>(1);
    await queue.put("a");
    const order = fulfilmentOrder([
      ["b", queue.put("b")],
      ["c", queue.put("c")],
      ["d", queue.put("d")],
    ]);
    await settle();
    const got: string[] = [];
    for (let i = 0; i < 4; i += 1) {
      got.push(await queue.get());
      await settle();
    }
    expect(
      order,
      `waiting putters resumed as ${order.join(", ")}: waiters were served out of order; the one who waited longest goes first`,
    ).toEqual(["b", "c", "d"]);
    expect(got, "items of waiting putters came out in the wrong order").toEqual(
      ["a", "b", "c", "d"],
    );
  });

  it("still hands out the items left after close, then rejects get with QueueClosedError", async () => {
    const queue = new AsyncQueue<string>();
    await queue.put("a");
    await queue.put("b");
    queue.close();
    const first = await queue.get().catch((error: unknown) => error);
    expect(
      first,
      "close() dropped the items still in the queue: a closed queue must hand out what is left before it refuses",
    ).toBe("a");
    expect(await queue.get()).toBe("b");
    const after = observe(queue.get());
    await settle();
    expect(after.state, "get() on a closed, empty queue should reject").toBe(
      "rejected",
    );
    expect(
      after.reason,
      "reject with a QueueClosedError once the queue is closed and drained",
    ).toBeInstanceOf(QueueClosedError);
  });

  it("rejects put after close with QueueClosedError", async () => {
    const queue = new AsyncQueue<string>();
    expect(queue.closed, "a new queue is open").toBe(false);
    queue.close();
    expect(queue.closed, "closed should be true after close()").toBe(true);
    const put = observe(queue.put("late"));
    await settle();
    expect(
      put.reason,
      "put() after close() should reject with a QueueClosedError",
    ).toBeInstanceOf(QueueClosedError);
    expect(put.reason).toBeInstanceOf(Error);
    expect((put.reason as Error).name).toBe("QueueClosedError");
    expect(queue.size, "a refused item must not be added").toBe(0);
  });

  it("rejects waiting getters and waiting putters at once on close", async () => {
    const empty = new AsyncQueue<string>();
    const getters = [observe(empty.get()), observe(empty.get())];
    const full = new AsyncQueue<string>(1);
    await full.put("a");
    const putter = observe(full.put("b"));
    await settle();
    empty.close();
    full.close();
    await settle();
    expect(
      getters.map((g) => g.state),
      "getters waiting on an empty queue were still waiting after close(): reject them at once, nothing will ever come",
    ).toEqual(["rejected", "rejected"]);
    expect(getters[0]?.reason).toBeInstanceOf(QueueClosedError);
    expect(
      putter.state,
      "a putter waiting for room was still waiting after close(): reject it at once",
    ).toBe("rejected");
    expect(putter.reason).toBeInstanceOf(QueueClosedError);
    expect(
      await full.get(),
      "the item that was in the queue stays readable",
    ).toBe("a");
    const next = observe(full.get());
    await settle();
    expect(
      next.reason,
      "the rejected putter's item must not have been added",
    ).toBeInstanceOf(QueueClosedError);
  });

  it("does nothing when closed a second time", async () => {
    const queue = new AsyncQueue<string>();
    await queue.put("a");
    queue.close();
    expect(
      () => queue.close(),
      "close() should be idempotent: a second call must not throw",
    ).not.toThrow();
    expect(
      await queue.get(),
      "a second close() must not drop the items left",
    ).toBe("a");
  });

  it("iterates with for await until closed and drained", async () => {
    const queue = new AsyncQueue<number>();
    const seen: number[] = [];
    const loop = observe(
      (async () => {
        for await (const item of queue) seen.push(item);
      })(),
    );
    await queue.put(1);
    await queue.put(2);
    await settle();
    expect(seen, "the loop should receive items as they are put").toEqual([
      1, 2,
    ]);
    await queue.put(3);
    queue.close();
    await settle();
    expect(seen, "the loop should drain the items left after close()").toEqual([
      1, 2, 3,
    ]);
    expect(
      loop.state,
      "for await over the queue should end once it is closed and drained",
    ).toBe("fulfilled");
  });

  it("shares the items between several consumers, each item once", async () => {
    const queue = new AsyncQueue<number>(2);
    const consume = async () => {
      const seen: number[] = [];
      for await (const item of queue) seen.push(item);
      return seen;
    };
    const consumers = [consume(), consume()];
    for (let i = 1; i <= 6; i += 1) await queue.put(i);
    queue.close();
    const [a = [], b = []] = await Promise.all(consumers);
    expect(
      [...a, ...b].sort(),
      "every item should reach exactly one consumer",
    ).toEqual([1, 2, 3, 4, 5, 6]);
    expect(
      a.length > 0 && b.length > 0,
      "both consumers should get a share of the items",
    ).toBe(true);
  });

  it("takes no item when a waiting get is aborted", async () => {
    const queue = new AsyncQueue<string>();
    const aborted = startAbortable("get(signal)", (signal) =>
      queue.get(signal),
    );
    const waiting = observe(queue.get());
    await aborted.abortAndCheck();
    await queue.put("a");
    await queue.put("b");
    await settle();
    expect(
      waiting.value,
      "an item was swallowed by a get() that had already been aborted: take the aborted getter out of the line when its signal aborts",
    ).toBe("a");
    expect(await queue.get(), "an item was swallowed by an aborted get()").toBe(
      "b",
    );
  });

  it("takes no item when get is called with an already-aborted signal", async () => {
    const queue = new AsyncQueue<string>();
    await queue.put("a");
    const reason = new Error("too late");
    const got = observe(queue.get(AbortSignal.abort(reason)));
    await settle();
    expect(
      got.reason,
      "get() with an aborted signal should reject with signal.reason",
    ).toBe(reason);
    expect(
      queue.size,
      "get() with an aborted signal took an item that nobody will read",
    ).toBe(1);
  });

  it("adds nothing when a waiting put is aborted", async () => {
    const queue = new AsyncQueue<string>(1);
    await queue.put("a");
    const aborted = startAbortable("put(item, signal)", (signal) =>
      queue.put("b", signal),
    );
    const later = observe(queue.put("c"));
    await aborted.abortAndCheck();
    const got = [await queue.get(), await queue.get()];
    expect(
      got,
      "the item of an aborted put() still entered the queue: take the putter out of the line when its signal aborts",
    ).toEqual(["a", "c"]);
    expect(later.state).toBe("fulfilled");
    expect(queue.size).toBe(0);
  });

  it("adds nothing when put is called with an already-aborted signal", async () => {
    const queue = new AsyncQueue<string>();
    const reason = new Error("too late");
    const put = observe(queue.put("a", AbortSignal.abort(reason)));
    await settle();
    expect(
      put.reason,
      "put() with an aborted signal should reject with signal.reason",
    ).toBe(reason);
    expect(
      queue.size,
      "put() with an aborted signal still added its item",
    ).toBe(0);
  });

  it("leaves no abort listener behind once a waiting get or put is served", async () => {
    const queue = new AsyncQueue<string>(1);
    const getSignal = new AbortController().signal;
    const got = queue.get(getSignal);
    await queue.put("a");
    await got;
    expect(
      abortListeners(getSignal),
      "a get() that received its item left its abort listener on the signal",
    ).toBe(0);
    await queue.put("b");
    const putSignal = new AbortController().signal;
    const put = queue.put("c", putSignal);
    await queue.get();
    await put;
    expect(
      abortListeners(putSignal),
      "a put() that got in left its abort listener on the signal",
    ).toBe(0);
  });

  it("moves 1,000,000 items through without slowing down: each operation is O(1)", async () => {
    const total = 1_000_000;
    const batch = 1_000;
    const budgetMs = 3_000;
    const queue = new AsyncQueue<number>();
    const started = performance.now();
    let put = 0;
    let got = 0;
    // In batches, with a real event-loop turn between them: a slow queue fails
    // after the budget with a message instead of freezing the test run for
    // minutes.
    const checkBudget = () => {
      const elapsed = performance.now() - started;
      if (elapsed <= budgetMs) return;
      expect.fail(
        `after ${(elapsed / 1000).toFixed(1)} s only ${got.toLocaleString("en")} of 1,000,000 items had passed through the queue ` +
          `(${put.toLocaleString("en")} put): is get() calling Array.prototype.shift() on a growing array? Each shift() moves every ` +
          "remaining item one place, so a million gets do about 500 billion moves. Read from a head index instead " +
          "(and if put() is the slow side, unshift() has the same cost).",
      );
    };
    while (put < total) {
      for (const end = put + batch; put < end; put += 1) void queue.put(put);
      await settle();
      checkBudget();
    }
    while (got < total) {
      const values = await Promise.all(
        Array.from({ length: batch }, () => queue.get()),
      );
      for (const value of values) {
        if (value !== got)
          expect.fail(
            `item ${got} came out as ${value}: items must come out in the order they went in`,
          );
        got += 1;
      }
      await settle();
      checkBudget();
    }
    expect(queue.size).toBe(0);
  });

  // lesson 03's merge, in its production shape: a task per source, one queue
  it("carries a merge of two sources: each value arrives as it is produced", async () => {
    // Two queues as the sources: the test decides when each one produces.
    const a = new AsyncQueue<string>();
    const b = new AsyncQueue<string>();
    const seen: string[] = [];
    const run = observe(
      (async () => {
        for await (const value of mergeWithQueue(a, b)) seen.push(value);
      })(),
    );
    for (const [source, value] of [
      [b, "b1"],
      [a, "a1"],
      [b, "b2"],
    ] as const) {
      await source.put(value);
      await settle();
      expect(
        seen.at(-1),
        `${value} was produced, but the merge's consumer got ${seen.join(", ") || "nothing"}: each source's task puts its values into one shared queue, so a put must reach the getter already waiting`,
      ).toBe(value);
    }
    a.close();
    await settle();
    expect(
      run.state,
      "the merge ended when only a had ended: the queue must be closed only once every source's task is done",
    ).toBe("pending");
    b.close();
    await settle();
    expect(
      run.state,
      "both sources ended and the shared queue was closed, but the consumer, waiting in get(), was never told: close() must reject every waiting getter, so that a for await over the queue ends",
    ).toBe("fulfilled");
    expect(seen).toEqual(["b1", "a1", "b2"]);
  });

  it("lets a merge's consumer leave at once while a source is busy, with no unhandled rejection", async () => {
    const log: string[] = [];
    const stuck = deferred();
    async function* busy() {
      try {
        yield "busy1";
        await stuck.promise; // return() cannot interrupt this await
        throw new Error("failed after the consumer left");
      } finally {
        log.push("busy closed");
      }
    }
    async function* fast() {
      try {
        for (let i = 1; i <= 10; i += 1) yield `fast${i}`;
      } finally {
        log.push("fast closed");
      }
    }
    const run = observe(
      (async () => {
        for await (const _ of mergeWithQueue(busy(), fast())) break;
        log.push("consumer left");
      })(),
    );
    await settle();
    expect(
      run.state,
      "the consumer left the merge while a source was busy in an await, and its loop did not end: leaving must close the shared queue and return, without waiting for busy sources",
    ).toBe("fulfilled");
    expect(
      log,
      "fast's task was waiting in put() on the full shared queue when the consumer left: close() must reject waiting putters at once, so the task stops and closes its source (and busy, still in its await, is not closed yet)",
    ).toEqual(["consumer left", "fast closed"]);
    stuck.resolve(); // busy wakes up and throws, with nobody left to tell
    await settle();
    expect(log).toEqual(["consumer left", "fast closed", "busy closed"]);
    expect(
      unhandledErrors(),
      "a source failed after the consumer left, and its error went unhandled",
    ).toEqual([]);
  });
  it("carries a merged source's error to the consumer", async () => {
    const boom = new Error("a failed");
    async function* failing() {
      yield "a1";
      throw boom;
    }
    const idle = new AsyncQueue<string>();
    const seen: string[] = [];
    const run = observe(
      (async () => {
        for await (const value of mergeWithQueue(failing(), idle))
          seen.push(value);
      })(),
    );
    await settle();
    expect(
      run.state,
      "a source threw and the merge closed the shared queue, but the consumer's loop did not end: close() must reject every waiting getter",
    ).toBe("rejected");
    expect(run.reason, "the consumer should get the source's own error").toBe(
      boom,
    );
    expect(seen).toEqual(["a1"]);
    idle.close(); // lets idle's task end
  });
});

/** Every listener still on `emitter`, by event name: `{}` when none is left. */
function listenersLeft(emitter: EventEmitter): Record<string, number> {
  return Object.fromEntries(
    emitter
      .eventNames()
      .map((name) => [String(name), emitter.listenerCount(name)]),
  );
}

/**
 * Runs a `for await` loop over `source` in the background, collecting what it
 * yields.
 */
function drain<T>(
  source: AsyncIterable<T>,
  body: (item: T) => "break" | void = () => {},
) {
  const seen: T[] = [];
  const loop = observe(
    (async () => {
      for await (const item of source) {
        seen.push(item);
        if (body(item) === "break") break;
      }
    })(),
  );
  return { seen, loop };
}

describe("fromEvents", () => {
  it("yields each event's first argument, in order", async () => {
    const emitter = new EventEmitter();
    const { seen, loop } = drain(
      fromEvents<number>(emitter, "data", { close: "end" }),
    );
    await settle();
    emitter.emit("data", 1);
    emitter.emit("data", 2, "extra");
    await settle();
    expect(
      seen,
      "the loop should receive each event's first argument as it is emitted",
    ).toEqual([1, 2]);
    emitter.emit("data", 3);
    await settle();
    expect(seen).toEqual([1, 2, 3]);
    emitter.emit("end");
    await settle();
    expect(loop.state).toBe("fulfilled");
  });

  it("buffers events that come while nobody is reading", async () => {
    const emitter = new EventEmitter();
    const events = fromEvents<number>(emitter, "data", { close: "end" });
    emitter.emit("data", 1);
    emitter.emit("data", 2);
    emitter.emit("data", 3);
    emitter.emit("end");
    const { seen, loop } = drain(events);
    await settle();
    expect(
      seen,
      "events emitted before the loop asked for them were lost: listen as soon as fromEvents is called, and buffer what comes (an AsyncQueue does that)",
    ).toEqual([1, 2, 3]);
    expect(
      loop.state,
      "the loop should end after the buffered events, since the close event came",
    ).toBe("fulfilled");
  });

  it("ends on the close event and removes every listener it added", async () => {
    const emitter = new EventEmitter();
    const { seen, loop } = drain(
      fromEvents<string>(emitter, "line", { close: "close" }),
    );
    emitter.emit("line", "a");
    await settle();
    expect(loop.state, "the loop ended before the close event").toBe("pending");
    emitter.emit("close");
    await settle();
    expect(loop.state, "the loop did not end on the close event").toBe(
      "fulfilled",
    );
    expect(seen).toEqual(["a"]);
    expect(
      listenersLeft(emitter),
      "listener(s) still on the emitter after the loop ended: remove every listener you added",
    ).toEqual({});
  });

  it("makes the loop throw on an error event, and removes every listener", async () => {
    const emitter = new EventEmitter();
    const { seen, loop } = drain(
      fromEvents<string>(emitter, "line", { close: "close" }),
    );
    emitter.emit("line", "a");
    const boom = new Error("disk on fire");
    expect(
      () => emitter.emit("error", boom),
      "emit('error') threw: an emitter throws an 'error' event that nobody listens to; fromEvents should listen for 'error' while the loop runs",
    ).not.toThrow();
    await settle();
    expect(
      seen,
      "the events that came before the error should still be yielded",
    ).toEqual(["a"]);
    expect(
      loop.state,
      "the 'error' event did not make the loop throw (it ended quietly or kept waiting)",
    ).toBe("rejected");
    expect(
      loop.reason,
      "the loop should throw the error the 'error' event carried",
    ).toBe(boom);
    expect(
      listenersLeft(emitter),
      "listener(s) still on the emitter after the error: remove every listener you added",
    ).toEqual({});
  });

  it("ends when the signal aborts, and leaves no listener on the emitter or the signal", async () => {
    const emitter = new EventEmitter();
    const controller = new AbortController();
    const { seen, loop } = drain(
      fromEvents<string>(emitter, "line", {
        close: "close",
        signal: controller.signal,
      }),
    );
    emitter.emit("line", "a");
    await settle();
    controller.abort();
    await settle();
    expect(loop.state, "the loop did not end when the signal aborted").toBe(
      "fulfilled",
    );
    expect(seen).toEqual(["a"]);
    expect(
      listenersLeft(emitter),
      "listener(s) still on the emitter after abort: remove every listener you added",
    ).toEqual({});
    expect(
      abortListeners(controller.signal),
      "the abort listener is still on the signal",
    ).toBe(0);
  });

  it("ends at once and adds no listener when the signal is already aborted", async () => {
    const emitter = new EventEmitter();
    const signal = AbortSignal.abort();
    const events = fromEvents<string>(emitter, "line", {
      close: "close",
      signal,
    });
    expect(
      listenersLeft(emitter),
      "fromEvents added listeners although its signal was already aborted",
    ).toEqual({});
    emitter.emit("line", "a");
    const { seen, loop } = drain(events);
    await settle();
    expect(
      loop.state,
      "the loop should end at once when the signal is already aborted",
    ).toBe("fulfilled");
    expect(seen).toEqual([]);
    expect(abortListeners(signal)).toBe(0);
  });

  it("removes every listener when the loop breaks", async () => {
    const emitter = new EventEmitter();
    const controller = new AbortController();
    const events = fromEvents<number>(emitter, "data", {
      close: "end",
      signal: controller.signal,
    });
    for (const n of [1, 2, 3]) emitter.emit("data", n);
    const { seen, loop } = drain(events, (n) =>
      n === 2 ? "break" : undefined,
    );
    await settle();
    expect(loop.state).toBe("fulfilled");
    expect(seen).toEqual([1, 2]);
    expect(
      listenersLeft(emitter),
      "listener(s) still on the emitter after the loop broke: for await calls the iterator's return(); remove every listener there",
    ).toEqual({});
    expect(
      abortListeners(controller.signal),
      "the abort listener is still on the signal after the loop broke",
    ).toBe(0);
  });

  it("removes every listener when the loop body throws", async () => {
    const emitter = new EventEmitter();
    const controller = new AbortController();
    const events = fromEvents<number>(emitter, "data", {
      close: "end",
      signal: controller.signal,
    });
    const boom = new Error("bad item");
    const { loop } = drain(events, () => {
      throw boom;
    });
    emitter.emit("data", 1);
    await settle();
    expect(
      loop.reason,
      "the loop body's own error should come out of the loop",
    ).toBe(boom);
    expect(
      listenersLeft(emitter),
      "listener(s) still on the emitter after the loop body threw: for await calls the iterator's return(); remove every listener there",
    ).toEqual({});
    expect(
      abortListeners(controller.signal),
      "the abort listener is still on the signal after the loop body threw",
    ).toBe(0);
  });

  it("ends a pending next() when return() is called", async () => {
    const emitter = new EventEmitter();
    const events = fromEvents<number>(emitter, "data");
    const pending = observe(events.next());
    await settle();
    await events.return?.();
    await settle();
    expect(
      pending.state,
      "a next() that was waiting kept waiting after return(): it should end",
    ).toBe("fulfilled");
    expect(pending.value?.done).toBe(true);
    expect(
      listenersLeft(emitter),
      "listener(s) still on the emitter after return()",
    ).toEqual({});
  });
});
