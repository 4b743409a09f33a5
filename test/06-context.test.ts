import { AsyncLocalStorage } from "node:async_hooks";
import { aroundEach, describe, expect, it, vi } from "vitest";
import {
  currentRequest,
  log,
  withRequest,
} from "#exercises/06-context/request-context.ts";
import {
  emit,
  eventStream,
  type DomainEvent,
} from "#exercises/06-context/emitter.ts";
import {
  advance,
  pendingTimers,
  settle,
  useFakeClock,
} from "#kit/testing/clock.ts";
import { deferred, observe } from "#kit/testing/deferred.ts";
import { abortListeners } from "#kit/testing/leaks.ts";

// Each test runs in an async context of its own: a withRequest written with
// enterWith() leaks its request into the context it was called in, and that
// must fail the test that called it, not the tests that come after it.
const eachTest = new AsyncLocalStorage<string>();
aroundEach(async (runTest, { task }) => {
  await eachTest.run(task.name, runTest);
});

const NONE = "(none: currentRequest() threw)";

/** The current request's id, or NONE where currentRequest() throws. */
function idNow(): string {
  try {
    return currentRequest().id;
  } catch {
    return NONE;
  }
}

/** Resolves after `ms` of (fake) time, the way real code awaits a timer. */
function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Everything console.log printed during the test, one string per call. */
function captureLog(): string[] {
  const lines: string[] = [];
  vi.spyOn(console, "log").mockImplementation((...args: unknown[]) => {
    lines.push(args.map(String).join(" "));
  });
  return lines;
}

const LOST =
  "A variable that withRequest sets before calling fn and resets after fn " +
  "returns is gone by then: an async fn returns at its first await. Let " +
  "AsyncLocalStorage.run(info, fn) carry the request";

describe("withRequest", () => {
  it("returns what fn returns, and makes info the current request inside", () => {
    const info = { id: "r1", user: "ada" };
    let inside: unknown;
    const result = withRequest(info, () => {
      inside = currentRequest();
      return 42;
    });
    expect(result, "withRequest should return what fn returns").toBe(42);
    expect(
      inside,
      "inside fn, currentRequest() should return the info given to withRequest",
    ).toEqual(info);
  });

  it("keeps two interleaved requests apart: each sees its own info after its awaits", async () => {
    const gateA = deferred();
    const gateB = deferred();
    const seen: string[] = [];
    const a = withRequest({ id: "A" }, async () => {
      seen.push(`A started, sees ${idNow()}`);
      await gateA.promise;
      seen.push(`A resumed, sees ${idNow()}`);
    });
    const b = withRequest({ id: "B" }, async () => {
      seen.push(`B started, sees ${idNow()}`);
      await gateB.promise;
      seen.push(`B resumed, sees ${idNow()}`);
    });
    gateB.resolve();
    await settle();
    gateA.resolve();
    await Promise.all([a, b]);
    expect(
      seen,
      "a request saw another request's info (or none) after an await. A " +
        "module-level variable is one slot shared by every request in " +
        "flight: B's start overwrote A's. Give each request its own slot " +
        "with AsyncLocalStorage",
    ).toEqual([
      "A started, sees A",
      "B started, sees B",
      "B resumed, sees B",
      "A resumed, sees A",
    ]);
  });

  it("keeps the request after awaiting a timer", async () => {
    useFakeClock();
    const done = withRequest({ id: "T" }, async () => {
      await sleep(100);
      return idNow();
    });
    await advance(100);
    expect(
      await done,
      `after awaiting a timer, the request was lost. ${LOST}`,
    ).toBe("T");
  });

  it("keeps the request in a setTimeout callback", async () => {
    const seen = await withRequest(
      { id: "T" },
      () =>
        new Promise<string>((resolve) => {
          setTimeout(() => resolve(idNow()), 0);
        }),
    );
    expect(
      seen,
      `in a setTimeout callback, the request was lost. ${LOST}`,
    ).toBe("T");
  });

  it("keeps the request in every task of a Promise.all", async () => {
    useFakeClock();
    const done = withRequest({ id: "P" }, () =>
      Promise.all(
        [30, 10, 20].map(async (ms) => {
          await sleep(ms);
          return idNow();
        }),
      ),
    );
    await advance(30);
    expect(
      await done,
      `inside the tasks of a Promise.all, the request was lost. ${LOST}`,
    ).toEqual(["P", "P", "P"]);
  });

  it("keeps the request in a queueMicrotask callback and in .then callbacks", async () => {
    const seen = await withRequest({ id: "M" }, async () => {
      await Promise.resolve();
      const micro = await new Promise<string>((resolve) =>
        queueMicrotask(() => resolve(idNow())),
      );
      const then = await Promise.resolve().then(() => idNow());
      return [micro, then];
    });
    expect(
      seen,
      `in a queueMicrotask or .then callback, the request was lost. ${LOST}`,
    ).toEqual(["M", "M"]);
  });

  it("keeps the request inside an async generator", async () => {
    async function* pages() {
      for (let page = 1; page <= 2; page += 1) {
        await Promise.resolve();
        yield `page ${page} for ${idNow()}`;
      }
    }
    const seen = await withRequest({ id: "G" }, async () => {
      const got: string[] = [];
      for await (const page of pages()) got.push(page);
      return got;
    });
    expect(
      seen,
      `inside an async generator, the request was lost. ${LOST}`,
    ).toEqual(["page 1 for G", "page 2 for G"]);
  });

  it("restores the outer request when a nested call returns", async () => {
    const seen = await withRequest({ id: "outer" }, async () => {
      const inner = await withRequest({ id: "inner" }, async () => {
        await Promise.resolve();
        return idNow();
      });
      await Promise.resolve();
      return [inner, idNow()];
    });
    expect(
      seen,
      "a nested withRequest should see its own request, and the outer " +
        "request should be back once it returns",
    ).toEqual(["inner", "outer"]);
  });

  it("leaves no request behind in the caller", async () => {
    withRequest({ id: "sync" }, () => undefined);
    const afterSync = idNow();
    await withRequest({ id: "async" }, async () => {
      await Promise.resolve();
    });
    const afterAsync = idNow();
    expect(
      [afterSync, afterAsync],
      "after withRequest returned, its caller still saw the request: it " +
        "leaked out of withRequest. enterWith() (or a variable that is " +
        "never reset) sets it for the caller too; run() scopes it to fn",
    ).toEqual([NONE, NONE]);
  });
});

describe("currentRequest", () => {
  it("returns the same info object that was given to withRequest", () => {
    const info = { id: "r2", user: "grace" };
    expect(
      withRequest(info, () => currentRequest()),
      "currentRequest() should return the info object given to withRequest",
    ).toBe(info);
  });

  it("throws an Error saying it was called outside withRequest", () => {
    let error: unknown;
    try {
      currentRequest();
    } catch (caught) {
      error = caught;
    }
    expect(
      error,
      "currentRequest() outside withRequest should throw an Error, not " +
        "return undefined",
    ).toBeInstanceOf(Error);
    const message = (error as Error).message;
    expect(
      /outside/i.test(message) && message.includes("withRequest"),
      `the error should say that currentRequest() was called outside ` +
        `withRequest; its message was: "${message}"`,
    ).toBe(true);
  });
});

describe("log", () => {
  it("prints [<id>] <message> inside a request", () => {
    const lines = captureLog();
    withRequest({ id: "r3" }, () => log("charged the card"));
    expect(
      lines,
      "log() inside withRequest should console.log `[<id>] <message>`",
    ).toEqual(["[r3] charged the card"]);
  });

  it("prints [-] <message> outside a request, without throwing", () => {
    const lines = captureLog();
    expect(
      () => log("idle"),
      "log() outside a request must not throw: it prints [-] instead",
    ).not.toThrow();
    expect(
      lines,
      "log() outside a request should console.log `[-] <message>`",
    ).toEqual(["[-] idle"]);
  });

  it("tags each line with its own request when two requests interleave", async () => {
    const lines = captureLog();
    const gate = deferred();
    const step = async (id: string) =>
      withRequest({ id }, async () => {
        log("start");
        await gate.promise;
        log("end");
      });
    const both = Promise.all([step("A"), step("B")]);
    gate.resolve();
    await both;
    expect(
      lines,
      "interleaved requests logged under the wrong id: each line must carry " +
        "the id of the request that logged it",
    ).toEqual(["[A] start", "[B] start", "[A] end", "[B] end"]);
  });
});

/** Reads a whole stream into an array. */
async function collect(stream: AsyncIterable<DomainEvent>) {
  const events: DomainEvent[] = [];
  for await (const event of stream) events.push(event);
  return events;
}

const NEVER_ENDS =
  "the stream did not end after work resolved: close the queue once work " +
  "settles, so the loop ends after the last event";

/**
 * Waits for `promise` while it only needs promise callbacks (no timers), and
 * fails at once with `message` when it does not settle.
 */
async function soon<T>(promise: Promise<T>, message: string): Promise<T> {
  const seen = observe(promise);
  for (let turn = 0; turn < 20 && seen.state === "pending"; turn += 1)
    await settle();
  if (seen.state === "pending") throw new Error(message);
  return promise;
}

/** Reads a whole stream; fails at once when it does not end. */
const collectAll = (stream: AsyncIterable<DomainEvent>) =>
  soon(collect(stream), NEVER_ENDS);

/** The types of the events an iterator has left, up to its end. */
async function typesLeft(iterator: AsyncIterator<DomainEvent>) {
  const left: string[] = [];
  const read = async () => {
    for (let r = await iterator.next(); !r.done; r = await iterator.next())
      left.push(r.value.type);
    return left;
  };
  return soon(read(), NEVER_ENDS);
}

/** The `type`s of some events, to compare in one line. */
const types = (events: readonly DomainEvent[]) => events.map((e) => e.type);

describe("emit", () => {
  it("rejects with an Error that says it was called outside an eventStream", async () => {
    const emitted = observe(emit({ type: "lost" }));
    await settle();
    expect(
      emitted.state,
      "emit() outside an eventStream should reject: there is no stream to " +
        "send the event to",
    ).toBe("rejected");
    expect(emitted.reason).toBeInstanceOf(Error);
    const message = (emitted.reason as Error).message;
    expect(
      /outside/i.test(message) && message.includes("eventStream"),
      `the error should say that emit() was called outside an eventStream; ` +
        `its message was: "${message}"`,
    ).toBe(true);
  });

  it("sends events from deep in the call tree and from spawned tasks, in emit order", async () => {
    useFakeClock();
    async function callTool(tool: string, ms: number) {
      await emit({ type: "tool-started", tool });
      await sleep(ms);
      await emit({ type: "tool-done", tool });
    }
    async function runSteps() {
      await emit({ type: "plan" });
      await Promise.all([callTool("slow", 20), callTool("fast", 10)]);
      await emit({ type: "answer" });
    }
    const events = observe(collect(eventStream(() => runSteps())));
    await advance(20);
    await settle();
    expect(
      events.value?.map((e) => (e.tool ? `${e.type} ${e.tool}` : e.type)),
      "the stream should hold every event, in the order emit() was called, " +
        "from every function and task in work's call tree",
    ).toEqual([
      "plan",
      "tool-started slow",
      "tool-started fast",
      "tool-done fast",
      "tool-done slow",
      "answer",
    ]);
  });
});

describe("eventStream", () => {
  it("yields the events work emits, in order, and ends when work resolves", async () => {
    const events = observe(
      collect(
        eventStream(async () => {
          await emit({ type: "a" });
          await emit({ type: "b", n: 2 });
          await emit({ type: "c" });
        }),
      ),
    );
    await settle();
    expect(events.state, NEVER_ENDS).toBe("fulfilled");
    expect(events.value, "the events, as emitted").toEqual([
      { type: "a" },
      { type: "b", n: 2 },
      { type: "c" },
    ]);
  });

  it("does not start work until the stream is iterated", async () => {
    let calls = 0;
    const stream = eventStream(async () => {
      calls += 1;
      await emit({ type: "started" });
    });
    await settle();
    expect(
      calls,
      "work started before anyone iterated the stream: a stream is lazy, " +
        "start work on the first next()",
    ).toBe(0);
    expect(types(await collectAll(stream))).toEqual(["started"]);
    expect(calls, "work should run once").toBe(1);
  });

  it("yields every event emitted before work resolved, even when the consumer reads late", async () => {
    const workDone = deferred<string>();
    const stream = eventStream(async () => {
      for (const type of ["a", "b", "c", "d"]) await emit({ type });
      workDone.resolve("done");
    });
    const iterator = stream[Symbol.asyncIterator]();
    const first = await iterator.next();
    await workDone.promise;
    await settle(); // work has resolved; b, c and d wait unread
    const rest = await typesLeft(iterator);
    expect(
      [first.value?.type, ...rest],
      "events were lost at the end: work had resolved while b, c and d " +
        "were still queued. Close the queue and let the loop drain it; do " +
        "not stop reading when work resolves",
    ).toEqual(["a", "b", "c", "d"]);
  });

  it("throws work's error after the events emitted before it", async () => {
    const boom = new Error("the tool crashed");
    const failed = deferred();
    const stream = eventStream(async () => {
      for (const type of ["a", "b", "c"]) await emit({ type });
      failed.resolve();
      throw boom;
    });
    const iterator = stream[Symbol.asyncIterator]();
    const seen = [(await iterator.next()).value?.type];
    await failed.promise;
    await settle(); // work has rejected; b and c wait unread
    let thrown: unknown;
    try {
      for (let r = await iterator.next(); !r.done; r = await iterator.next())
        seen.push(r.value.type);
    } catch (error) {
      thrown = error;
    }
    expect(
      seen,
      "the events emitted before work failed should all be yielded first, " +
        "also those still queued when it failed",
    ).toEqual(["a", "b", "c"]);
    expect(
      thrown,
      "when work rejects, the stream should throw that very error after " +
        "its events (it ended quietly, or threw something else)",
    ).toBe(boom);
  });

  it("runs work in the context where the stream was made, with its own queue", async () => {
    const tenant = new AsyncLocalStorage<string>();
    const stream = tenant.run("creator", () =>
      eventStream(async () => {
        await Promise.resolve();
        await emit({ type: "tenant", is: tenant.getStore() ?? "(none)" });
      }),
    );
    const events = await tenant.run("reader", () => collectAll(stream));
    expect(
      events.map((e) => e.is),
      "work saw the context of the code that iterated the stream, not of " +
        "the code that made it: capture the caller's context in " +
        "eventStream() with AsyncLocalStorage.snapshot() and start work in it",
    ).toEqual(["creator"]);
  });

  it("keeps concurrent streams apart", async () => {
    const gates = [deferred(), deferred(), deferred()];
    const order = async (name: string) => {
      for (const gate of gates) {
        await gate.promise;
        await emit({ type: "step", order: name });
      }
    };
    const one = observe(collect(eventStream(() => order("one"))));
    const two = observe(collect(eventStream(() => order("two"))));
    for (const gate of gates) {
      gate.resolve();
      await settle();
    }
    const owners = (events: DomainEvent[] | undefined) =>
      events?.map((e) => e.order);
    expect(
      [owners(one.value), owners(two.value)],
      "a stream saw events of another stream (or lost its own): each " +
        "stream needs its own queue, found through the context, not one " +
        "module-level queue",
    ).toEqual([
      ["one", "one", "one"],
      ["two", "two", "two"],
    ]);
  });

  it("gives a nested stream its own events", async () => {
    const outer = await collectAll(
      eventStream(async () => {
        await emit({ type: "outer-start" });
        const inner = await collect(
          eventStream(async () => {
            await emit({ type: "inner-1" });
            await emit({ type: "inner-2" });
          }),
        );
        await emit({ type: "outer-saw", count: inner.length });
      }),
    );
    expect(
      outer,
      "the inner stream's events went to the outer stream (or were lost): " +
        "a nested eventStream must capture the events of its own work, and " +
        "the outer one keep its own",
    ).toEqual([{ type: "outer-start" }, { type: "outer-saw", count: 2 }]);
  });

  it("makes emit wait for room once maxBuffered events are unread", async () => {
    const emitted: string[] = [];
    const stream = eventStream(
      async () => {
        for (const type of ["a", "b", "c"]) {
          await emit({ type });
          emitted.push(type);
        }
      },
      { maxBuffered: 1 },
    );
    const iterator = stream[Symbol.asyncIterator]();
    const first = observe(iterator.next());
    await settle();
    expect(first.value?.value?.type).toBe("a");
    expect(
      emitted,
      "with maxBuffered 1 and nobody reading, emit() should wait once one " +
        "event is queued (backpressure): put into a queue of maxBuffered",
    ).toEqual(["a", "b"]);
    await iterator.next();
    await settle();
    expect(
      emitted,
      "a read made room, but the waiting emit() did not resume",
    ).toEqual(["a", "b", "c"]);
    expect(await typesLeft(iterator)).toEqual(["c"]);
  });

  it("refuses a maxBuffered below 1 with a RangeError", async () => {
    let calls = 0;
    let error: unknown;
    try {
      const stream = eventStream(
        async () => {
          calls += 1;
        },
        { maxBuffered: 0 },
      );
      await stream[Symbol.asyncIterator]().next();
    } catch (caught) {
      error = caught;
    }
    expect(
      error,
      "maxBuffered 0 can hold nothing: eventStream should throw a " +
        "RangeError (your AsyncQueue's constructor does)",
    ).toBeInstanceOf(RangeError);
    expect(calls, "work must not run with an invalid maxBuffered").toBe(0);
  });

  it("aborts work's signal when the consumer stops early", async () => {
    let signal: AbortSignal | undefined;
    const stream = eventStream(async (s) => {
      signal = s;
      await emit({ type: "a" });
      await new Promise((resolve) => s.addEventListener("abort", resolve));
    });
    for await (const event of stream) {
      expect(event.type).toBe("a");
      break;
    }
    expect(
      signal?.aborted,
      "the consumer left the loop, but work's signal was not aborted: work " +
        "left running after the consumer left. Abort it in a finally",
    ).toBe(true);
  });

  it("returns at once on break, even when work ignores its signal", async () => {
    const never = deferred();
    const stream = eventStream(async () => {
      await emit({ type: "a" });
      await never.promise; // ignores its signal
    });
    const loop = observe(
      (async () => {
        for await (const _ of stream) break;
      })(),
    );
    await settle();
    expect(
      loop.state,
      "the consumer's loop waited for work that ignores its signal after " +
        "break: abort the work, but do not await it in the cleanup",
    ).toBe("fulfilled");
    never.resolve();
  });

  it("rejects later emits with the abort reason once the consumer left", async () => {
    const resume = deferred();
    let signal: AbortSignal | undefined;
    let later: ReturnType<typeof observe> | undefined;
    const workDone = deferred();
    const stream = eventStream(async (s) => {
      signal = s;
      await emit({ type: "a" });
      await resume.promise; // does not look at its signal
      later = observe(emit({ type: "b" }));
      workDone.resolve();
    });
    const left = (async () => {
      for await (const _ of stream) break;
    })();
    await settle();
    resume.resolve();
    await left;
    await workDone.promise;
    await settle();
    expect(
      later?.state,
      "emit() after the consumer left should reject, so that work which " +
        "ignores its signal still stops at its next emit",
    ).toBe("rejected");
    expect(
      later?.reason,
      "emit() after the consumer left should reject with the signal's " +
        "abort reason (signal.reason)",
    ).toBe(signal?.reason);
  });

  it("leaves no abort listener, timer or unhandled rejection behind", async () => {
    useFakeClock();
    let signal: AbortSignal | undefined;
    const stream = eventStream(
      async (s) => {
        signal = s;
        // a fast producer: with maxBuffered 1, most emits wait for room
        for (const type of ["a", "b", "c", "d"]) await emit({ type });
      },
      { maxBuffered: 1 },
    );
    const seen: string[] = [];
    const reading = observe(
      (async () => {
        for await (const event of stream) {
          seen.push(event.type);
          await sleep(5); // a slow consumer
        }
      })(),
    );
    await advance(20);
    await settle();
    expect(reading.state, "the stream should have ended").toBe("fulfilled");
    expect(seen).toEqual(["a", "b", "c", "d"]);
    expect(
      abortListeners(signal!),
      "an abort listener was left on work's signal after the stream ended: " +
        "remove each emit's listener once its event is queued",
    ).toBe(0);
    expect(pendingTimers(), "a timer was left armed").toBe(0);

    // Work that fails after its consumer left: nobody reads its error, and
    // it must not become an unhandled rejection.
    const failing = eventStream(async () => {
      await emit({ type: "a" });
      await sleep(10);
      throw new Error("failed after the consumer left");
    });
    const left = (async () => {
      for await (const _ of failing) break;
    })();
    await advance(10);
    await left;
    await settle();
  });
});
