import type Anthropic from "@anthropic-ai/sdk";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it, vi } from "vitest";
import { emit, type DomainEvent } from "#exercises/06-context/emitter.ts";
import type { AgentOptions } from "#exercises/12-agent/agent.ts";
import { calculator, type Tool } from "#exercises/12-agent/tools.ts";
import { EventLog, GoneError } from "#exercises/13-resumable/event-log.ts";
import {
  createRunEventsTable,
  PgEventLog,
  type RunDatabase,
} from "#exercises/13-resumable/pg-log.ts";
import { RunRegistry } from "#exercises/13-resumable/runs.ts";
import { createResumableServer } from "#exercises/13-resumable/server.ts";
import {
  advance,
  pendingTimers,
  settle,
  useFakeClock,
} from "#kit/testing/clock.ts";
import { useDatabase } from "#kit/testing/database.ts";
import { deferred, observe, type Deferred } from "#kit/testing/deferred.ts";
import { abortListeners } from "#kit/testing/leaks.ts";
import {
  startFakeAnthropic,
  type FakeAnthropic,
  type FakeTurn,
} from "#kit/fake-anthropic.ts";

// PGlite in memory, or the Postgres of DATABASE_URL: one per test file. Ten
// connections: with pg, each reader that follows a run LISTENs on its own.
const database = useDatabase({ connections: 10 });
const shared = () => database.db as unknown as RunDatabase;

type Entry<T> = { id: number; event: T };

/** Everything a reader yields until it ends (or throws). */
async function readAll<T>(entries: AsyncIterable<Entry<T>>) {
  const seen: Entry<T>[] = [];
  for await (const entry of entries) seen.push(entry);
  return seen;
}

/**
 * Lets real I/O run until `condition` holds; fails with `message` after 1 s,
 * or at once with `work`'s own error if it fails first (so a stub's todo()
 * reports "not started", and a thrown error is shown, without the wait).
 */
async function until(
  condition: () => boolean,
  message: string,
  work?: Promise<unknown>,
) {
  let failed: { error: unknown } | undefined;
  work?.catch((error: unknown) => (failed = { error }));
  const end = performance.now() + 1_000;
  while (!condition()) {
    if (failed) throw failed.error;
    if (performance.now() > end) expect.fail(message);
    await settle();
  }
}

/** Waits at most `ms` of real time for `promise`; says what it settled to. */
async function within<T>(promise: Promise<T>, ms: number): Promise<T | "late"> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<"late">((resolve) => {
    timer = setTimeout(resolve, ms, "late");
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** A reader driven one `next()` at a time, recording what it saw. */
function stepper<T>(entries: AsyncIterable<Entry<T>>) {
  const iterator = entries[Symbol.asyncIterator]();
  const seen: Entry<T>[] = [];
  return {
    seen,
    next: () =>
      iterator.next().then((step) => {
        if (!step.done) seen.push(step.value);
        return step;
      }),
    return: () => iterator.return?.(),
  };
}

const ids = (entries: { id: number }[]) => entries.map((e) => e.id);

describe("EventLog", () => {
  it("numbers events 1, 2, 3… and reads them all after id 0", async () => {
    const log = new EventLog<string>();
    expect(
      [log.lastId, log.firstId],
      "an empty log: lastId 0, firstId 1",
    ).toEqual([0, 1]);
    expect([log.append("a"), log.append("b"), log.append("c")]).toEqual([
      1, 2, 3,
    ]);
    expect([log.firstId, log.lastId]).toEqual([1, 3]);
    log.close();
    expect(await readAll(log.read(0))).toEqual([
      { id: 1, event: "a" },
      { id: 2, event: "b" },
      { id: 3, event: "c" },
    ]);
  });

  it("reads only the events after afterId: read(2) starts at 3", async () => {
    const log = new EventLog<string>();
    for (const event of ["a", "b", "c", "d"]) log.append(event);
    log.close();
    const seen = ids(await readAll(log.read(2)));
    expect(
      seen,
      `read(2) yielded ids ${seen.join(", ")}: afterId is the last id the ` +
        "client has (its Last-Event-ID), so the reader starts at afterId + 1",
    ).toEqual([3, 4]);
    expect(
      ids(await readAll(log.read(4))),
      "read(lastId) of a closed log",
    ).toEqual([]);
  });

  it("follows new events after the kept ones, and ends once closed and read", async () => {
    const log = new EventLog<string>();
    log.append("kept");
    const reader = observe(readAll(log.read(0)));
    await settle();
    log.append("new 1");
    await settle();
    log.append("new 2");
    log.close();
    await until(
      () => reader.state !== "pending",
      "the reader did not end after close(): it should read the events " +
        "left and then end",
    );
    expect(reader.value?.map((e) => e.event)).toEqual([
      "kept",
      "new 1",
      "new 2",
    ]);
  });

  it("misses and doubles nothing at the turn from the kept events to waiting", async () => {
    // Three kept events, then event 4 appended at each moment a reader can
    // be in: before and right after each next(), in the same turn.
    for (let step = 0; step <= 4; step += 1) {
      for (const when of ["before", "right after"] as const) {
        const log = new EventLog<string>();
        for (const event of ["e1", "e2", "e3"]) log.append(event);
        const reader = stepper(log.read(0));
        const pending: Promise<unknown>[] = [];
        for (let call = 0; call <= 4; call += 1) {
          if (call === step && when === "before") log.append("e4");
          const next = reader.next();
          if (call === step && when === "right after") log.append("e4");
          pending.push(next);
          if (call < 3) await next; // the kept events: there at once
        }
        log.close();
        const all = observe(Promise.all(pending));
        await until(() => all.state !== "pending", "the reader never ended");
        const where =
          `with e4 appended ${when} next() call ${step + 1} (three events ` +
          "kept before)";
        expect(
          reader.seen.map((e) => e.event),
          `${where}, the reader saw ${JSON.stringify(reader.seen.map((e) => e.event))}` +
            ": an event was lost or doubled between the replay and the live " +
            "part. Ask the log for event `next` again after every wait, " +
            "rather than copying the kept events and then subscribing",
        ).toEqual(["e1", "e2", "e3", "e4"]);
        expect(ids(reader.seen), where).toEqual([1, 2, 3, 4]);
      }
    }
  });

  it("wakes a reader that waits when the log is closed", async () => {
    const log = new EventLog<string>();
    log.append("only");
    const reader = observe(readAll(log.read(0)));
    await settle();
    log.close();
    await settle();
    expect(
      reader.state,
      "a reader waiting for the next event was left waiting after close(): " +
        "close() must wake every waiting reader, which then ends",
    ).toBe("fulfilled");
    const late = observe(readAll(log.read(1)));
    await settle();
    expect(late.state, "a reader that starts after close() ends").toBe(
      "fulfilled",
    );
  });

  it("throws close's error after the events, to every reader", async () => {
    const log = new EventLog<string>();
    log.append("before the failure");
    const waiting = stepper(log.read(0));
    await waiting.next();
    const pending = observe(waiting.next());
    const boom = new Error("the model went away");
    log.close(boom);
    await settle();
    expect(
      pending.reason,
      "a waiting reader should throw the error given to close()",
    ).toBe(boom);
    const late: string[] = [];
    const failure = await (async () => {
      for await (const { event } of log.read(0)) late.push(event);
    })().catch((error: unknown) => error);
    expect(late, "the events come first").toEqual(["before the failure"]);
    expect(failure, "then close()'s error").toBe(boom);
  });

  it("lets many readers read at once, each from its own id", async () => {
    const log = new EventLog<number>();
    log.append(1);
    log.append(2);
    const readers = [0, 1, 2, 0].map((after) =>
      observe(readAll(log.read(after))),
    );
    await settle();
    for (let n = 3; n <= 5; n += 1) log.append(n);
    log.close();
    await settle();
    expect(readers.map((r) => r.value && ids(r.value))).toEqual([
      [1, 2, 3, 4, 5],
      [2, 3, 4, 5],
      [3, 4, 5],
      [1, 2, 3, 4, 5],
    ]);
  });

  it("waits for the events after an afterId beyond lastId", async () => {
    const log = new EventLog<string>();
    log.append("one");
    const reader = observe(readAll(log.read(3)));
    for (const event of ["two", "three", "four", "five"]) log.append(event);
    log.close();
    await settle();
    expect(
      reader.value,
      "read(3) on a log at id 1 should wait and yield ids 4 and 5",
    ).toEqual([
      { id: 4, event: "four" },
      { id: 5, event: "five" },
    ]);
  });

  it("keeps only the last maxEvents, and throws GoneError for an older afterId", async () => {
    const log = new EventLog<number>({ maxEvents: 3 });
    for (let n = 1; n <= 5; n += 1) log.append(n);
    log.close();
    expect([log.firstId, log.lastId], "ids 3 to 5 are kept").toEqual([3, 5]);
    expect(
      ids(await readAll(log.read(2))),
      "read(2) starts at 3, kept",
    ).toEqual([3, 4, 5]);
    for (const after of [0, 1]) {
      const seen: number[] = [];
      const error = await (async () => {
        for await (const { id } of log.read(after)) seen.push(id);
      })().catch((e: unknown) => e);
      expect(
        error,
        `read(${after}) needs event ${after + 1}, which is no longer kept: ` +
          "throw GoneError (the server answers 410)",
      ).toBeInstanceOf(GoneError);
      expect(seen, "GoneError comes before any event").toEqual([]);
    }
  });

  it("gives a reader that falls behind the window a GoneError: readers hold no queue", async () => {
    const log = new EventLog<number>({ maxEvents: 10 });
    log.append(1);
    const slow = stepper(log.read(0));
    await slow.next(); // event 1, then the reader rests
    for (let n = 2; n <= 100; n += 1) log.append(n);
    const next = await slow.next().catch((error: unknown) => error);
    expect(
      next,
      "a reader that rested while 99 events were appended to a log that " +
        "keeps 10 got something other than GoneError: it should read the " +
        "log itself, not a queue of its own (a slow reader's queue grows " +
        "without end, one per reader)",
    ).toBeInstanceOf(GoneError);
  });

  it("never waits in append, refuses it once closed, and closes once", () => {
    const log = new EventLog<string>({ maxEvents: 2 });
    for (let n = 0; n < 1_000; n += 1) log.append("x");
    expect(log.lastId).toBe(1_000);
    expect(log.closed).toBe(false);
    log.close();
    log.close(new Error("second close: ignored"));
    expect(log.closed).toBe(true);
    expect(
      () => log.append("late"),
      "append() after close() should throw",
    ).toThrow();
  });

  it("ends a waiting reader with signal.reason on abort, and leaves no listener", async () => {
    const log = new EventLog<string>();
    const controller = new AbortController();
    const reader = observe(readAll(log.read(0, controller.signal)));
    await settle();
    expect(reader.state, "nothing to read: the reader waits").toBe("pending");
    const reason = new Error("the client went away");
    controller.abort(reason);
    await settle();
    expect(
      reader.reason,
      "an aborted reader should reject with signal.reason",
    ).toBe(reason);
    expect(
      abortListeners(controller.signal),
      "the aborted reader left its abort listener on the signal",
    ).toBe(0);

    const kept = new AbortController();
    const other = stepper(log.read(0, kept.signal));
    const waiting = other.next();
    log.append("one");
    await waiting;
    expect(
      abortListeners(kept.signal),
      "a wait that ended with an event should remove its abort listener",
    ).toBe(0);
    await other.return();
    const gone = new AbortController();
    gone.abort(new Error("already"));
    const early = await readAll(log.read(0, gone.signal)).catch(
      (e: unknown) => e,
    );
    expect(early, "an aborted signal rejects at once").toBe(gone.signal.reason);
  });

  it("refuses a maxEvents or an afterId that is not valid, with a RangeError", async () => {
    for (const maxEvents of [0, -1, 1.5, Number.NaN])
      expect(
        () => new EventLog({ maxEvents }),
        `maxEvents ${maxEvents}`,
      ).toThrow(RangeError);
    const log = new EventLog<string>();
    log.close();
    for (const after of [-1, 0.5, Number.NaN]) {
      const error = await (async () => readAll(log.read(after)))().catch(
        (e: unknown) => e,
      );
      expect(error, `read(${after})`).toBeInstanceOf(RangeError);
    }
  });
});

// ---------------------------------------------------------------------------
// RunRegistry: work with a deferred finish, emitting through lesson 06.

/** Work that emits what the test asks, until the test ends it. */
function controlledWork() {
  const steps: Deferred<DomainEvent | "end" | Error>[] = [deferred()];
  let signal: AbortSignal | undefined;
  let aborted = false;
  const work = async (workSignal: AbortSignal) => {
    signal = workSignal;
    const stopped = new Promise<never>((_, reject) =>
      workSignal.addEventListener("abort", () => {
        aborted = true;
        reject(workSignal.reason);
      }),
    );
    stopped.catch(() => {});
    for (let i = 0; ; i += 1) {
      const step = await Promise.race([steps[i]!.promise, stopped]);
      if (step === "end") return;
      if (step instanceof Error) throw step;
      await emit(step);
    }
  };
  const push = (step: DomainEvent | "end" | Error) => {
    steps.at(-1)!.resolve(step);
    steps.push(deferred());
  };
  return {
    work,
    emit: (event: DomainEvent) => push(event),
    end: () => push("end"),
    fail: (error: Error) => push(error),
    get signal() {
      return signal;
    },
    get aborted() {
      return aborted;
    },
  };
}

describe("RunRegistry", () => {
  it("runs work apart from its readers: every emit lands in the run's log, in order", async () => {
    await using runs = new RunRegistry();
    const job = controlledWork();
    const run = runs.start(job.work);
    expect(runs.get(run.id), "get(id) finds the run").toBe(run);
    await settle();
    expect(
      job.signal,
      "start() should run work at once, with nobody reading",
    ).toBeInstanceOf(AbortSignal);
    job.emit({ type: "text", delta: "a" });
    job.emit({ type: "text", delta: "b" });
    await settle();
    expect(
      run.log.lastId,
      "the events are in the log before anyone reads",
    ).toBe(2);
    job.end();
    await run.done;
    expect(run.log.closed, "the log closes when work ends").toBe(true);
    expect(await readAll(run.log.read(0))).toEqual([
      { id: 1, event: { type: "text", delta: "a" } },
      { id: 2, event: { type: "text", delta: "b" } },
    ]);
  });

  it("keeps a run going when its readers leave", async () => {
    await using runs = new RunRegistry();
    const job = controlledWork();
    const run = runs.start(job.work);
    job.emit({ type: "text", delta: "first" });
    for await (const _ of run.log.read(0)) break; // the first reader leaves
    const second = observe(readAll(run.log.read(0)));
    job.emit({ type: "text", delta: "second" });
    job.end();
    await settle();
    expect(
      job.aborted,
      "the run stopped when its first reader left: nobody who reads may " +
        "stop it (the registry reads the event stream itself)",
    ).toBe(false);
    await run.done;
    await settle();
    expect(second.value?.map((e) => e.event.delta)).toEqual([
      "first",
      "second",
    ]);
  });

  it("closes the log with work's error, after its events, and done still resolves", async () => {
    await using runs = new RunRegistry();
    const job = controlledWork();
    const run = runs.start(job.work);
    job.emit({ type: "text", delta: "half" });
    const boom = new Error("tool crashed");
    job.fail(boom);
    await expect(run.done, "done resolves, also when work fails").resolves.toBe(
      undefined,
    );
    const seen: unknown[] = [];
    const error = await (async () => {
      for await (const { event } of run.log.read(0)) seen.push(event);
    })().catch((e: unknown) => e);
    expect(seen).toEqual([{ type: "text", delta: "half" }]);
    expect(
      error,
      "a reader should get work's error after the events: the run's error " +
        "was lost (close the log with it)",
    ).toBe(boom);
  });

  it("aborts work's signal on stop(), with the reason given", async () => {
    await using runs = new RunRegistry();
    let seen: unknown;
    const run = runs.start(
      (signal) =>
        new Promise((_, reject) =>
          signal.addEventListener("abort", () => {
            seen = signal.reason;
            reject(signal.reason);
          }),
        ),
    );
    const reason = new Error("stopped by the user");
    run.stop(reason);
    await run.done;
    expect(seen, "stop(reason) aborts work's signal with reason").toBe(reason);
    expect(run.log.closed).toBe(true);
  });

  it("gives each run an unguessable id", async () => {
    await using runs = new RunRegistry({ maxRuns: 20 });
    const made = Array.from({ length: 20 }, () => runs.start(async () => {}));
    const seen = made.map((run) => run.id);
    expect(new Set(seen).size, "every id differs").toBe(20);
    for (const id of seen) {
      const plain = id.replace(/-/g, "");
      expect(
        /^[0-9a-f]{32}$/i.test(plain) || /^[\w-]{22,}$/.test(id),
        `the run id "${id}" can be guessed: whoever knows an id can read ` +
          "and stop the run, so use crypto.randomUUID(), never a counter or " +
          "the time",
      ).toBe(true);
    }
    const shared = commonPrefix(seen);
    expect(
      shared,
      `the ids share their first ${shared} characters: a counter or a clock ` +
        "in the id makes it guessable: use crypto.randomUUID()",
    ).toBeLessThan(12);
    await Promise.all(made.map((run) => run.done));
  });

  it("refuses to start past maxRuns running, and counts only running runs", async () => {
    await using runs = new RunRegistry({ maxRuns: 2 });
    const a = controlledWork();
    const b = controlledWork();
    const first = runs.start(a.work);
    runs.start(b.work);
    expect(
      () => runs.start(async () => {}),
      "a third run with maxRuns 2 should throw a RangeError",
    ).toThrow(RangeError);
    a.end();
    await first.done;
    expect(runs.size, "an ended run is still held").toBe(2);
    const third = runs.start(async () => {});
    await third.done;
    expect(runs.size).toBe(3);
    b.end();
  });

  it("drops a run keepMs after it ends, not before", async () => {
    useFakeClock();
    const runs = new RunRegistry({ keepMs: 1_000 });
    const job = controlledWork();
    const run = runs.start(job.work);
    await advance(5_000);
    expect(runs.get(run.id), "a running run is never dropped").toBe(run);
    job.end();
    await run.done;
    await advance(999);
    expect(runs.get(run.id), "kept until keepMs after its end").toBe(run);
    await advance(1);
    expect(
      runs.get(run.id),
      "a run that ended keepMs ago should be dropped: finished runs that " +
        "stay for ever are a memory leak",
    ).toBeUndefined();
    expect(runs.size).toBe(0);
    await runs.close();
    expect(pendingTimers()).toBe(0);
  });

  it("keeps ended runs 10 minutes by default, for ever with Infinity, without keeping the process up", async () => {
    useFakeClock();
    const byDefault = new RunRegistry();
    const forEver = new RunRegistry({ keepMs: Infinity });
    const a = byDefault.start(async () => {});
    const b = forEver.start(async () => {});
    await Promise.all([a.done, b.done]);
    await advance(599_999);
    expect(byDefault.get(a.id), "kept 10 minutes by default").toBe(a);
    await advance(1);
    expect(byDefault.get(a.id), "dropped after 10 minutes").toBeUndefined();
    await advance(10 ** 9);
    expect(forEver.get(b.id), "keepMs Infinity keeps it").toBe(b);
    await forEver.close();
    await byDefault.close();

    // Real timers: the timer that will drop a run must not keep the
    // process alive.
    vi.useRealTimers();
    const armed = vi.spyOn(globalThis, "setTimeout");
    const real = new RunRegistry({ keepMs: 60_000 });
    await real.start(async () => {}).done;
    await settle();
    const drops = armed.mock.calls.flatMap(([, ms], i) =>
      ms === 60_000 ? [armed.mock.results[i]?.value as NodeJS.Timeout] : [],
    );
    const kept = drops.filter((timer) => timer.hasRef()).length;
    await real.close();
    expect(
      kept,
      "the timer that drops an ended run keeps the process alive: call " +
        "unref() on it",
    ).toBe(0);
  });

  it("stops every run on close() and waits for them", async () => {
    const runs = new RunRegistry();
    const jobs = [controlledWork(), controlledWork()];
    const started = jobs.map((job) => runs.start(job.work));
    await settle();
    await runs.close();
    expect(
      jobs.map((job) => job.aborted),
      "close() should abort every running run",
    ).toEqual([true, true]);
    expect(started.map((run) => run.log.closed)).toEqual([true, true]);
    expect(() => runs.start(async () => {}), "start() after close()").toThrow();
  });

  it("refuses maxRuns, keepMs or maxEvents that are not valid, with a RangeError", () => {
    for (const options of [
      { maxRuns: 0 },
      { maxRuns: 1.5 },
      { maxEvents: 0 },
      { keepMs: -1 },
      { keepMs: 2 ** 31 },
      { keepMs: Number.NaN },
    ])
      expect(() => new RunRegistry(options), JSON.stringify(options)).toThrow(
        RangeError,
      );
    expect(() => new RunRegistry({ keepMs: 0 })).not.toThrow();
  });
});

function commonPrefix(values: string[]): number {
  let length = 0;
  while (values.every((v) => v[length] === values[0]![length])) length += 1;
  return length;
}

// ---------------------------------------------------------------------------
// The server, with a real loopback client and the workbook's fake Claude.

const MODEL = "claude-sonnet-5-5";
const QUESTION: Anthropic.MessageParam[] = [
  { role: "user", content: "Count for me." },
];

interface Sse {
  event: string;
  id: string;
  data: string;
}

/** Starts `server` on a free loopback port; disposing it closes everything. */
async function serve(server: http.Server) {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    async [Symbol.asyncDispose]() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

/** One request on its own connection, read to its end. */
function send(
  port: number,
  options: {
    method?: string;
    path?: string;
    headers?: Record<string, string | number>;
    body?: string;
  } = {},
): Promise<Reply> {
  const { method = "GET", path = "/", headers = {}, body } = options;
  return new Promise((resolve, reject) => {
    const length =
      body === undefined ? {} : { "content-length": Buffer.byteLength(body) };
    const req = http.request(
      {
        host: "127.0.0.1",
        port,
        method,
        path,
        headers: { ...length, ...headers },
        agent: false,
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (text += chunk));
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text }),
        );
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

/** POST /api/runs; resolves with the 202's body. */
async function startRun(port: number, messages: unknown = QUESTION) {
  const reply = await send(port, {
    method: "POST",
    path: "/api/runs",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ messages }),
  });
  expect(
    reply.status,
    `POST /api/runs answered ${reply.status} ${reply.text}: it should ` +
      "answer 202 at once, with the run going on",
  ).toBe(202);
  return JSON.parse(reply.text) as { id: string; events: string };
}

/** The blocks of an SSE body: `event`, `id` and `data`, comments skipped. */
function parseSse(text: string): Sse[] {
  return text
    .split("\n\n")
    .filter((block) => /^(event|id|data):/m.test(block))
    .map((block) => {
      const field = (name: string) =>
        block
          .split("\n")
          .filter((line) => line.startsWith(`${name}: `))
          .map((line) => line.slice(name.length + 2))
          .join("\n");
      return { event: field("event"), id: field("id"), data: field("data") };
    });
}

/**
 * GET a run's events; with `dropAfter`, the client cuts the connection as
 * soon as it has that many events (0: right after the headers), or as soon
 * as `dropWhen` says so, or when `leaveOn` settles.
 */
function follow(
  port: number,
  path: string,
  options: {
    headers?: Record<string, string>;
    dropAfter?: number;
    dropWhen?: (events: Sse[]) => boolean;
    leaveOn?: Promise<unknown>;
    /** Told the events received so far, after each chunk. */
    progress?: (events: Sse[]) => void;
  } = {},
) {
  const { headers = {}, dropAfter } = options;
  let leave = false;
  const dropWhen =
    options.dropWhen ??
    (dropAfter === undefined
      ? options.leaveOn && (() => leave)
      : (events: Sse[]) => events.length >= dropAfter);
  let text = "";
  const events = () => parseSse(text.slice(0, text.lastIndexOf("\n\n") + 2));
  return new Promise<{ status: number; events: Sse[]; dropped: boolean }>(
    (resolve, reject) => {
      const req = http.request(
        { host: "127.0.0.1", port, path, headers, agent: false },
        (res) => {
          const status = res.statusCode ?? 0;
          res.setEncoding("utf8");
          const check = () => {
            options.progress?.(events());
            if (!dropWhen?.(events())) return;
            res.off("data", onData);
            req.destroy();
            const seen = events();
            const kept =
              dropAfter === undefined ? seen : seen.slice(0, dropAfter);
            resolve({ status, events: kept, dropped: true });
          };
          const onData = (chunk: string) => {
            text += chunk;
            check();
          };
          res.on("data", onData);
          res.on("error", () => {});
          void options.leaveOn?.finally(() => {
            leave = true;
            check();
          });
          res.on("end", () =>
            resolve({ status, events: events(), dropped: false }),
          );
          check();
        },
      );
      req.on("error", (error) => {
        if (!req.destroyed || dropWhen === undefined) reject(error);
      });
      req.end();
      // A run in these tests ends within milliseconds: a stream still open
      // after 3 s would only run into the test's timeout, saying less.
      const stuck = setTimeout(() => {
        req.destroy();
        reject(
          new Error(
            `GET ${path} was still open 3 s later, with ${events().length} ` +
              "event(s): the stream should end after the run's last event " +
              "(does close() wake the readers that wait for the next one?)",
          ),
        );
      }, 3_000);
      req.on("close", () => clearTimeout(stuck));
    },
  );
}

/** A scripted model turn: text chunks, then tool calls. */
function turn(text: string[], ...calls: [string, object][]): FakeTurn {
  return {
    content: [
      ...(text.length > 0 ? [{ type: "text" as const, text }] : []),
      ...calls.map(([name, input]) => ({
        type: "tool_use" as const,
        name,
        input: input as Record<string, unknown>,
      })),
    ],
  };
}

/** A tool whose calls wait until the test ends them, or until aborted. */
function gatedTool() {
  const calls: { signal: AbortSignal; done: Deferred<string> }[] = [];
  const tool: Tool = {
    name: "job",
    description: "A job that the test finishes.",
    inputSchema: { type: "object" },
    run: async (_input: unknown, signal: AbortSignal) => {
      const done = deferred<string>();
      calls.push({ signal, done });
      signal.addEventListener("abort", () => done.reject(signal.reason), {
        once: true,
      });
      return done.promise;
    },
  };
  return { tool, calls };
}

const COUNT = turn(
  ["One", ",", " two", ",", " three", "…"],
  ["calculator", { expression: "2 + 2" }],
);
const AFTER = turn(["Four", " is", " 2", " + ", "2", "."]);

async function resumableServer(
  script: FakeTurn[] | ((request: unknown, index: number) => FakeTurn),
  more: {
    tools?: Tool[];
    registry?: RunRegistry;
    db?: RunDatabase;
    fake?: Partial<Parameters<typeof startFakeAnthropic>[0]>;
  } = {},
) {
  const fake: FakeAnthropic = await startFakeAnthropic({
    script,
    ...more.fake,
  });
  const registry = more.registry ?? new RunRegistry();
  const errors: unknown[] = [];
  const options: AgentOptions = {
    client: fake.client({ maxRetries: 0 }),
    model: MODEL,
    tools: more.tools ?? [calculator],
  };
  const server = createResumableServer(
    { ...options, registry, db: more.db },
    { onError: (error) => errors.push(error) },
  );
  const app = await serve(server);
  return {
    fake,
    errors,
    registry,
    port: app.port,
    async [Symbol.asyncDispose]() {
      await app[Symbol.asyncDispose]();
      await registry.close();
      await fake.close();
    },
  };
}

const data = (events: Sse[]) =>
  events.map((e) => JSON.parse(e.data) as DomainEvent);
const numbered = (events: Sse[]) => events.map((e) => Number(e.id));
const oneToN = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

describe("createResumableServer", () => {
  it("answers POST /api/runs with 202 at once and streams the run's events as SSE", async () => {
    await using app = await resumableServer([COUNT, AFTER]);
    const { id, events } = await startRun(app.port);
    expect(events, "the 202 names the run's events URL").toBe(
      `/api/runs/${id}/events`,
    );
    const reply = await follow(app.port, events);
    expect(reply.status).toBe(200);
    const types = reply.events.map((e) => e.event);
    expect(
      types.at(-1),
      `the stream should end with done; it sent ${types.join(", ")}`,
    ).toBe("done");
    expect(types).toContain("tool_result");
    expect(
      numbered(reply.events),
      "id: should be the log's id, 1, 2, 3…",
    ).toEqual(oneToN(reply.events.length));
    for (const event of reply.events)
      expect(
        JSON.parse(event.data).type,
        "event: is the event's type, data: its JSON",
      ).toBe(event.event);
    const done = JSON.parse(reply.events.at(-1)!.data) as {
      messages: Anthropic.MessageParam[];
    };
    expect(done.messages.length, "done carries the transcript").toBe(4);
  });

  it("resumes after Last-Event-ID wherever the connection dropped: every event once, the same transcript", async () => {
    await using app = await resumableServer(
      (_request, index) => (index % 2 === 0 ? COUNT : AFTER),
      { fake: { tokenDelayMs: 1 } },
    );
    const { events } = await startRun(app.port);
    // Several clients read the run as it streams; each drops at its own
    // point and reconnects with the last id it received.
    const points = [0, 1, 2, 5, 9, 14];
    const clients = points.map(async (dropAfter) => {
      const first = await follow(app.port, events, { dropAfter });
      const last = first.events.at(-1)?.id;
      const headers: Record<string, string> = last
        ? { "Last-Event-ID": last }
        : {};
      const rest = await follow(app.port, events, { headers });
      return { dropAfter, seen: [...first.events, ...rest.events] };
    });
    const whole = await follow(app.port, events);
    const expected = data(whole.events);
    for (const { dropAfter, seen } of await Promise.all(clients)) {
      const got = numbered(seen);
      const doubled = got.length > new Set(got).size;
      expect(
        got,
        `a client that dropped after ${dropAfter} event(s) and reconnected ` +
          `with Last-Event-ID got ids ${got.join(", ")}. ` +
          (doubled
            ? "The answer started over, doubled: start after the id in " +
              "Last-Event-ID"
            : "Events were missed: start right after the id in " +
              "Last-Event-ID, not one later"),
      ).toEqual(oneToN(expected.length));
      expect(
        data(seen),
        "the same events as a client that never dropped",
      ).toEqual(expected);
    }
    expect(
      expected.at(-1)?.type,
      "the run did not end with done: a client that leaves ends only its " +
        "own stream, never the run",
    ).toBe("done");
  });

  it("keeps the run going when every client leaves, and serves it to the next", async () => {
    const { tool, calls } = gatedTool();
    await using app = await resumableServer(
      [turn(["Working."], ["job", {}]), turn(["All done."])],
      { tools: [tool] },
    );
    const { events } = await startRun(app.port);
    // The client leaves while the tool runs.
    const started = until(() => calls.length === 1, "the tool never started");
    const first = await follow(app.port, events, { leaveOn: started });
    await started;
    expect(first.dropped).toBe(true);
    await settle();
    await settle();
    expect(
      calls[0]!.signal.aborted,
      "the run stopped when its client left: a client that leaves ends only " +
        "its own stream (the run is not the request's)",
    ).toBe(false);
    calls[0]!.done.resolve("finished while nobody watched");
    const later = await follow(app.port, events, {
      headers: { "Last-Event-ID": first.events.at(-1)!.id },
    });
    const types = later.events.map((e) => e.event);
    expect(types.at(-1), `the next client got ${types.join(", ")}`).toBe(
      "done",
    );
    expect(JSON.stringify(later.events)).toContain(
      "finished while nobody watched",
    );
  });

  it("lets two clients follow one run, each getting every event once", async () => {
    await using app = await resumableServer([COUNT, AFTER], {
      fake: { tokenDelayMs: 1 },
    });
    const { events } = await startRun(app.port);
    const [a, b] = await Promise.all([
      follow(app.port, events),
      follow(app.port, events),
    ]);
    expect(numbered(a.events)).toEqual(oneToN(a.events.length));
    expect(b.events, "both clients get the same events").toEqual(a.events);
  });

  it("starts after ?after=N, and Last-Event-ID wins over it", async () => {
    await using app = await resumableServer([COUNT, AFTER]);
    const { events } = await startRun(app.port);
    const whole = await follow(app.port, events);
    const query = await follow(app.port, `${events}?after=3`);
    expect(numbered(query.events)[0], "?after=3 starts at id 4").toBe(4);
    const both = await follow(app.port, `${events}?after=3`, {
      headers: { "Last-Event-ID": "5" },
    });
    expect(
      numbered(both.events)[0],
      "with both, the header wins (a browser reconnects to the same URL " +
        "with a newer Last-Event-ID)",
    ).toBe(6);
    expect(both.events.length).toBe(whole.events.length - 5);
  });

  it("answers 404 for an unknown run, 400 for an id that is not digits, 410 for events no longer kept", async () => {
    const registry = new RunRegistry({ maxEvents: 4 });
    await using app = await resumableServer([], { registry });
    const run = registry.start(async () => {
      for (let n = 1; n <= 10; n += 1) await emit({ type: "tick", n });
    });
    await run.done;
    const path = `/api/runs/${run.id}/events`;
    const cases: [string, string, Record<string, string>, number][] = [
      ["an unknown run", "/api/runs/no-such-run/events", {}, 404],
      [
        "an unknown run, with a bad id too (404 comes first)",
        "/api/runs/no-such-run/events",
        { "Last-Event-ID": "x" },
        404,
      ],
      ["Last-Event-ID: abc", path, { "Last-Event-ID": "abc" }, 400],
      ["Last-Event-ID: -1", path, { "Last-Event-ID": "-1" }, 400],
      ["Last-Event-ID: 1.5", path, { "Last-Event-ID": "1.5" }, 400],
      ["?after=x", `${path}?after=x`, {}, 400],
      ["events 1 to 6 are gone", path, { "Last-Event-ID": "2" }, 410],
      ["from the start, gone", path, {}, 410],
    ];
    for (const [what, url, headers, status] of cases) {
      const reply = await send(app.port, { path: url, headers });
      expect(
        reply.status,
        `${what} should get ${status}, got ${reply.status}` +
          (status === 410
            ? ": check firstId before any event is sent (GoneError comes " +
              "too late, after the 200)"
            : ""),
      ).toBe(status);
      expect(reply.headers["content-type"]).toMatch(/^application\/json/);
      expect(Object.keys(JSON.parse(reply.text) as object)).toEqual(["error"]);
    }
    const kept = await follow(app.port, path, {
      headers: { "Last-Event-ID": "6" },
    });
    expect(numbered(kept.events), "ids 7 to 10 are kept").toEqual([
      7, 8, 9, 10,
    ]);
  });

  it("ends the stream of a reader that falls behind; its reconnect gets 410", async () => {
    const registry = new RunRegistry({ maxEvents: 4 });
    await using app = await resumableServer([], { registry });
    const gate = deferred();
    const run = registry.start(() => gate.promise);
    run.log.append({ type: "tick", n: 1 });
    let received = 0;
    const reader = follow(app.port, `/api/runs/${run.id}/events`, {
      progress: (events) => (received = events.length),
    });
    await until(() => received === 1, "the client never got event 1");
    // The server's reader sent event 1 and waits; ten more come in one turn.
    for (let n = 2; n <= 11; n += 1) run.log.append({ type: "tick", n });
    const ended = await within(reader, 2_000);
    gate.resolve();
    expect(
      ended,
      "the stream of a reader that fell behind the kept window should end " +
        "(catch GoneError in the stream and stop)",
    ).not.toBe("late");
    const again = await send(app.port, {
      path: `/api/runs/${run.id}/events`,
      headers: { "Last-Event-ID": "1" },
    });
    expect(again.status, "its reconnect should get 410").toBe(410);
  });

  it("stops a run on DELETE: 204, and the log ends with stopped", async () => {
    const { tool, calls } = gatedTool();
    await using app = await resumableServer([turn(["Waiting."], ["job", {}])], {
      tools: [tool],
    });
    const { id, events } = await startRun(app.port);
    await until(() => calls.length === 1, "the tool never started");
    const deleted = await send(app.port, {
      method: "DELETE",
      path: `/api/runs/${id}`,
    });
    expect(deleted.status, "DELETE of a running run: 204").toBe(204);
    const reply = await follow(app.port, events);
    expect(
      calls[0]!.signal.aborted,
      "DELETE should abort the run's tools",
    ).toBe(true);
    expect(reply.events.at(-1)?.event).toBe("stopped");
    expect(JSON.parse(reply.events.at(-1)!.data)).toEqual({ type: "stopped" });
    const again = await send(app.port, {
      method: "DELETE",
      path: `/api/runs/${id}`,
    });
    expect(again.status, "DELETE of a run that ended: 204 too").toBe(204);
    const unknown = await send(app.port, {
      method: "DELETE",
      path: "/api/runs/no-such-run",
    });
    expect(unknown.status, "DELETE of an unknown run: 404").toBe(404);
  });

  it("answers 503 with Retry-After past maxRuns running", async () => {
    const { tool, calls } = gatedTool();
    const registry = new RunRegistry({ maxRuns: 1 });
    await using app = await resumableServer(
      (_request, index) =>
        index === 0 ? turn([], ["job", {}]) : turn(["Done."]),
      { tools: [tool], registry },
    );
    await startRun(app.port);
    await until(() => calls.length === 1, "the tool never started");
    const refused = await send(app.port, {
      method: "POST",
      path: "/api/runs",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ messages: QUESTION }),
    });
    expect(
      refused.status,
      "a second run with maxRuns 1 got " +
        `${refused.status}: past maxRuns running, answer 503 (runs are ` +
        "not free: every one holds a model request and its tools)",
    ).toBe(503);
    expect(refused.headers["retry-after"], "a 503 says when to retry").toMatch(
      /^\d+$/,
    );
    expect(Object.keys(JSON.parse(refused.text) as object)).toEqual(["error"]);
    calls[0]!.done.resolve("ok");
  });

  it("keeps lesson 12's rules for bad requests", async () => {
    await using app = await resumableServer([]);
    const json = { "content-type": "application/json" };
    const cases: [string, Parameters<typeof send>[1], number][] = [
      [
        "a text/plain body",
        {
          method: "POST",
          path: "/api/runs",
          headers: { "content-type": "text/plain" },
          body: "{}",
        },
        415,
      ],
      [
        "a body over 64 KiB",
        {
          method: "POST",
          path: "/api/runs",
          headers: json,
          body: JSON.stringify({
            messages: [{ role: "user", content: "x".repeat(70_000) }],
          }),
        },
        413,
      ],
      [
        "malformed JSON",
        { method: "POST", path: "/api/runs", headers: json, body: "{" },
        400,
      ],
      [
        "a __proto__ key",
        {
          method: "POST",
          path: "/api/runs",
          headers: json,
          body: '{"messages":[{"role":"user","content":"hi","__proto__":{}}]}',
        },
        400,
      ],
      [
        "no messages",
        {
          method: "POST",
          path: "/api/runs",
          headers: json,
          body: '{"messages":[]}',
        },
        400,
      ],
      ["GET /api/runs", { path: "/api/runs" }, 405],
      [
        "POST to a run's events",
        {
          method: "POST",
          path: "/api/runs/x/events",
          headers: json,
          body: "{}",
        },
        405,
      ],
      ["an unknown API path", { path: "/api/chat" }, 404],
    ];
    for (const [what, request, status] of cases) {
      const reply = await send(app.port, request);
      expect(reply.status, `${what} should get ${status}`).toBe(status);
      expect(Object.keys(JSON.parse(reply.text) as object), what).toEqual([
        "error",
      ]);
      if (status === 405)
        expect(reply.headers.allow, `${what}: a 405 needs Allow`).toBeTruthy();
    }
    expect(app.fake.requests.length, "a bad request reached the model").toBe(0);
  });

  it("serves the resumable chat page and lesson 12's files beside it", async () => {
    await using app = await resumableServer([]);
    const page = await send(app.port, { path: "/" });
    expect(page.status).toBe(200);
    expect(page.text, "GET / serves lessons/13-resumable/public/").toContain(
      "Workbook agent, resumable",
    );
    for (const path of [
      "/style.css",
      "/questions.json",
      "/lib/09-sse/parse.js",
    ]) {
      const file = await send(app.port, { path });
      expect(file.status, `GET ${path}`).toBe(200);
    }
    const climb = await send(app.port, { path: "/..%2f..%2fpackage.json" });
    expect(climb.status).toBe(404);
  });
});

// ---------------------------------------------------------------------------
// PgEventLog: one run's log on a database shared by every process.

let runNumber = 0;
/** A fresh run id for each test (one table for the whole file). */
const freshRun = () => `test-run-${process.pid}-${(runNumber += 1)}`;

/** Channels this database session listens on, and connections lent out. */
async function openListeners(db: RunDatabase): Promise<string[]> {
  if ("listen" in db) {
    const { rows } = await db.query<{ channel: string }>(
      "select pg_listening_channels() as channel",
    );
    return rows.map((row) => `channel ${row.channel}`);
  }
  const lent = db.totalCount - db.idleCount;
  return lent > 0 ? [`${lent} connection(s) lent out`] : [];
}

/** Waits (2 s at most) for every listener and connection to be given back. */
async function noneLeftOpen(db: RunDatabase, message: string) {
  const end = performance.now() + 2_000;
  let left = await openListeners(db);
  while (left.length > 0 && performance.now() < end) {
    await settle();
    left = await openListeners(db);
  }
  expect(left, `${message}: ${left.join(", ")}`).toEqual([]);
}

/**
 * The database, with a hook after the first query that reads run_events
 * (the replay): the test inserts a row exactly there, before the reader's
 * next statement.
 */
function afterReplay(db: RunDatabase, hook: () => Promise<void>): RunDatabase {
  let fired = false;
  const wrapQuery =
    (target: { query: (...args: unknown[]) => Promise<unknown> }) =>
    async (...args: unknown[]) => {
      const result = await target.query(...args);
      const sql = typeof args[0] === "string" ? args[0] : "";
      if (!fired && /\bselect\b/i.test(sql) && /\brun_events\b/i.test(sql)) {
        fired = true;
        await hook();
      }
      return result;
    };
  const wrap = <T extends object>(target: T, extra: Record<string, unknown>) =>
    new Proxy(target, {
      get(object, key) {
        if (key in extra) return extra[key as string];
        const value = Reflect.get(object, key, object) as unknown;
        return typeof value === "function" ? value.bind(object) : value;
      },
      has: (object, key) => Reflect.has(object, key),
    });
  const connect = "connect" in db && !("listen" in db) ? db : undefined;
  return wrap(db, {
    query: wrapQuery(db as never),
    ...(connect && {
      connect: async () => {
        const client = await connect.connect();
        return wrap(client, { query: wrapQuery(client as never) });
      },
    }),
  });
}

describe("PgEventLog", () => {
  it("appends events as rows with ids 1, 2, 3…, and reads them after an id", async () => {
    const db = shared();
    await createRunEventsTable(db);
    await createRunEventsTable(db); // "if not exists": twice is fine
    const log = new PgEventLog(db, freshRun());
    expect(await log.append({ type: "text", delta: "a" })).toBe(1);
    expect(await log.append({ type: "text", delta: "b" })).toBe(2);
    expect(await log.append({ type: "text", delta: "c" })).toBe(3);
    await log.close();
    const seen = await readAll(log.read(1));
    expect(seen, "read(1) yields ids 2 and 3").toEqual([
      { id: 2, event: { type: "text", delta: "b" } },
      { id: 3, event: { type: "text", delta: "c" } },
    ]);
    const other = await readAll(
      new PgEventLog(db, freshRun()).read(0, AbortSignal.abort()),
    ).catch((e: unknown) => e);
    expect(other, "an aborted signal rejects").toBeInstanceOf(Error);
  });

  it("follows events appended later, from a reader of its own, and ends at close", async () => {
    const db = shared();
    await createRunEventsTable(db);
    const runId = freshRun();
    const writer = new PgEventLog(db, runId);
    await writer.append({ type: "text", delta: "before" });
    const reader = observe(readAll(new PgEventLog(db, runId).read(0)));
    await writer.append({ type: "text", delta: "during" });
    await writer.append({ type: "text", delta: "later" });
    await writer.close();
    await until(
      () => reader.state !== "pending",
      "the reader did not end after close(): record the end in the table " +
        "and notify, so every reader (on any process) sees it",
    );
    expect(reader.value?.map((e) => e.event.delta)).toEqual([
      "before",
      "during",
      "later",
    ]);
    const late = await readAll(new PgEventLog(db, runId).read(0));
    expect(
      late.length,
      "a reader that comes after the end reads and ends",
    ).toBe(3);
  });

  it("misses nothing appended between the replay query and the start of listening", async () => {
    const db = shared();
    await createRunEventsTable(db);
    const runId = freshRun();
    const writer = new PgEventLog(db, runId);
    await writer.append({ type: "text", delta: "replayed" });
    const hooked = afterReplay(db, async () => {
      await writer.append({ type: "text", delta: "in the gap" });
    });
    const seen: Entry<DomainEvent>[] = [];
    const controller = new AbortController();
    const reading = (async () => {
      for await (const entry of new PgEventLog(hooked, runId).read(
        0,
        controller.signal,
      ))
        seen.push(entry);
    })();
    try {
      await until(
        () => seen.length === 2,
        `the reader got ${seen.length} event(s): the one appended right ` +
          "after your replay SELECT and before your LISTEN was lost. LISTEN " +
          "first, then SELECT: a row added after the SELECT is then notified",
        reading,
      );
    } finally {
      controller.abort(new Error("test over"));
      await reading.catch(() => {});
    }
    expect(seen.map((e) => e.event.delta)).toEqual(["replayed", "in the gap"]);
  });

  it("carries an event larger than a notification's 8,000 bytes", async () => {
    const db = shared();
    await createRunEventsTable(db);
    const runId = freshRun();
    const writer = new PgEventLog(db, runId);
    const reader = observe(readAll(new PgEventLog(db, runId).read(0)));
    await settle();
    const big = { type: "tool_result", output: "x".repeat(20_000) };
    let failure: unknown;
    await writer.append(big).catch((error: unknown) => (failure = error));
    expect(
      failure,
      "appending an event of 20,000 bytes failed: a notification payload " +
        "holds 8,000 bytes at most. Put the event in its row, and notify " +
        "only that there is something to read",
    ).toBeUndefined();
    await writer.close();
    await until(() => reader.state !== "pending", "the reader never ended");
    expect(reader.value?.[0]?.event, "the row is the event").toEqual(big);
  });

  it("gives a late reader the end of a run, and the error of one that failed", async () => {
    const db = shared();
    await createRunEventsTable(db);
    const runId = freshRun();
    const writer = new PgEventLog(db, runId);
    await writer.append({ type: "text", delta: "half" });
    await writer.close(new Error("the agent failed"));
    const seen: unknown[] = [];
    const error = await (async () => {
      for await (const { event } of new PgEventLog(db, runId).read(0))
        seen.push(event);
    })().catch((e: unknown) => e);
    expect(seen).toEqual([{ type: "text", delta: "half" }]);
    expect(
      (error as Error | undefined)?.message,
      "a reader of a failed run throws the error's message after the events",
    ).toBe("the agent failed");
    expect(await new PgEventLog(db, runId).exists()).toBe(true);
    const unknown = new PgEventLog(db, freshRun());
    expect(await unknown.exists(), "no row: the run does not exist").toBe(
      false,
    );
    await unknown.open();
    expect(await unknown.exists(), "open() records the run").toBe(true);
  });

  it("leaves no listener and no connection after a reader ends, breaks or is aborted", async () => {
    const db = shared();
    await createRunEventsTable(db);
    const runId = freshRun();
    const writer = new PgEventLog(db, runId);
    await writer.append({ type: "text", delta: "one" });
    const log = new PgEventLog(db, runId);
    for await (const _ of log.read(0)) break;
    const controller = new AbortController();
    const aborted = observe(readAll(log.read(1, controller.signal)));
    await settle();
    controller.abort(new Error("the client went away"));
    await until(() => aborted.state !== "pending", "the abort was not heard");
    expect(aborted.reason, "an aborted reader rejects with signal.reason").toBe(
      controller.signal.reason,
    );
    await writer.close();
    await readAll(log.read(0));
    await noneLeftOpen(
      db,
      "after its readers ended, broke off or were aborted, a listener or " +
        "connection was left open (stop listening in a finally); the " +
        "database still has",
    );
  });

  it("serves a run from either of two servers on one database: start on one, resume on the other", async () => {
    const db = shared();
    await using fake = await startFakeAnthropic({
      script: (_request, index) => (index % 2 === 0 ? COUNT : AFTER),
      tokenDelayMs: 1,
    });
    const options = {
      client: fake.client({ maxRetries: 0 }),
      model: MODEL,
      tools: [calculator],
      db,
    };
    const errors: unknown[] = [];
    const onError = (error: unknown) => errors.push(error);
    const registries = [new RunRegistry(), new RunRegistry()];
    const [a, b] = registries.map((registry) =>
      createResumableServer({ ...options, registry }, { onError }),
    );
    {
      await using appA = await serve(a!);
      await using appB = await serve(b!);
      const { id, events } = await startRun(appA.port);
      const whole = await follow(appA.port, events);
      for (const dropAfter of [0, 3, 8]) {
        const first = await follow(appA.port, events, { dropAfter });
        const last = first.events.at(-1)?.id;
        const rest = await follow(appB.port, events, {
          headers: last ? { "Last-Event-ID": last } : {},
        });
        expect(
          rest.status,
          "the second server should find the run in the database",
        ).toBe(200);
        const seen = [...first.events, ...rest.events];
        expect(
          numbered(seen),
          `dropped after ${dropAfter} on the first server, resumed on the ` +
            "second: every event once, in order",
        ).toEqual(oneToN(whole.events.length));
        expect(data(seen)).toEqual(data(whole.events));
      }
      expect(registries[1]!.get(id), "the second server does not run it").toBe(
        undefined,
      );
      const missing = await send(appB.port, {
        path: "/api/runs/no-such-run/events",
      });
      expect(missing.status, "unknown in the database too: 404").toBe(404);
    }
    await Promise.all(registries.map((r) => r.close()));
    await noneLeftOpen(db, "the closed servers left open");
    expect(errors).toEqual([]);
  });

  it("stops a run from the server that does not run it", async () => {
    const db = shared();
    const { tool, calls } = gatedTool();
    await using fake = await startFakeAnthropic({
      script: [turn(["Waiting."], ["job", {}])],
    });
    const options = {
      client: fake.client({ maxRetries: 0 }),
      model: MODEL,
      tools: [tool],
      db,
    };
    const registries = [new RunRegistry(), new RunRegistry()];
    const [a, b] = registries.map((registry) =>
      createResumableServer({ ...options, registry }, { onError: () => {} }),
    );
    {
      await using appA = await serve(a!);
      await using appB = await serve(b!);
      const { id, events } = await startRun(appA.port);
      await until(() => calls.length === 1, "the tool never started");
      const deleted = await send(appB.port, {
        method: "DELETE",
        path: `/api/runs/${id}`,
      });
      expect(deleted.status).toBe(204);
      await until(
        () => calls[0]!.signal.aborted,
        "a DELETE on the other server did not stop the run: notify the " +
          "process that runs it",
      );
      const reply = await follow(appB.port, events);
      expect(reply.events.at(-1)?.event).toBe("stopped");
    }
    await Promise.all(registries.map((r) => r.close()));
    await noneLeftOpen(db, "the closed servers left open");
  });
});
