/**
 * EventLog against the design it replaces: a queue per reader (lesson 04's
 * AsyncQueue), filled by the producer for every reader. A million events,
 * appended a thousand per event-loop turn as a model's stream would come,
 * with 100 readers following, one of them slow: it rests 5 turns after each
 * 10,000 events (so it lags by up to about 5,000, inside the log's window
 * of 10,000). Then the memory each design holds for a reader that lags.
 */
import { AsyncQueue } from "#exercises/04-queues/queue.ts";
import { EventLog } from "#exercises/13-resumable/event-log.ts";
import type { Benchmark, Check } from "#kit/bench/harness.ts";

const EVENTS = 1_000_000;
const READERS = 100;
const CHUNK = 1_000;
const SLOW_EVERY = 10_000;
const SLOW_REST = 5;

interface Event {
  type: string;
  n: number;
}

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));
const rest = async (turns: number) => {
  for (let i = 0; i < turns; i += 1) await nextTurn();
};

/** Appends every event, a chunk per turn; `append` must not wait. */
async function produce(append: (event: Event) => void, end: () => void) {
  for (let n = 1; n <= EVENTS; n += 1) {
    append({ type: "text", n });
    if (n % CHUNK === 0) await nextTurn();
  }
  end();
}

/** A reader: counts what it reads; the slow one rests now and then. */
async function consume(events: AsyncIterable<unknown>, slow: boolean) {
  let count = 0;
  for await (const _ of events) {
    count += 1;
    if (slow && count % SLOW_EVERY === 0) await rest(SLOW_REST);
  }
  return count;
}

function check(counts: number[], who: string): void {
  const wrong = counts.find((count) => count !== EVENTS);
  if (wrong !== undefined)
    throw new Error(`${who}: a reader read ${wrong} of ${EVENTS} events`);
}

async function ours(): Promise<void> {
  const log = new EventLog<Event>(); // keeps 10,000
  const readers = Array.from({ length: READERS }, (_, i) =>
    consume(log.read(0), i === 0),
  );
  await produce(
    (event) => log.append(event),
    () => log.close(),
  );
  check(await Promise.all(readers), "EventLog");
}

async function queuePerReader(): Promise<void> {
  const queues = Array.from({ length: READERS }, () => new AsyncQueue<Event>());
  const readers = queues.map((queue, i) => consume(queue, i === 0));
  await produce(
    (event) => {
      for (const queue of queues) void queue.put(event); // unbounded: at once
    },
    () => queues.forEach((queue) => queue.close()),
  );
  check(await Promise.all(readers), "a queue per reader");
}

// #region memory
const gc = (globalThis as { gc?: () => void }).gc;

/** Heap growth, after a full collection, while what `fill` made is kept. */
async function heapGrowth(fill: () => Promise<unknown>): Promise<number> {
  gc?.();
  const before = process.memoryUsage().heapUsed;
  const held = await fill();
  gc?.();
  const after = process.memoryUsage().heapUsed;
  void held; // kept alive until measured
  return after - before;
}

/** One reader read event 1 and stopped; `lag` events came after it. */
async function lagging(design: "log" | "queues", lag: number) {
  if (design === "log") {
    const log = new EventLog<Event>();
    log.append({ type: "text", n: 0 });
    const reader = log.read(0)[Symbol.asyncIterator]();
    await reader.next();
    for (let n = 1; n <= lag; n += 1) log.append({ type: "text", n });
    return [log, reader];
  }
  // The other readers' queues are drained as they go: this one is not.
  const queue = new AsyncQueue<Event>();
  const reader = queue[Symbol.asyncIterator]();
  for (let n = 0; n <= lag; n += 1) void queue.put({ type: "text", n });
  await reader.next();
  return [queue, reader];
}

const LAGS = [10_000, 100_000, 1_000_000];

async function memory(): Promise<Check[]> {
  if (!gc) return [];
  const rows: Record<string, number[]> = { log: [], queues: [] };
  for (const design of ["log", "queues"] as const)
    for (const lag of LAGS)
      rows[design]!.push(await heapGrowth(() => lagging(design, lag)));
  const show = (design: string) =>
    rows[design]!.map((bytes) => (bytes / 2 ** 20).toFixed(1)).join(", ");
  const flat = rows.log!.at(-1)! - rows.log![0]! < 4 * 2 ** 20;
  const lags = LAGS.map((lag) => lag.toLocaleString("en-US")).join(", ");
  return [
    {
      says: "memory flat in the slow reader's lag",
      met: flat,
      detail:
        `heap held for a reader ${lags} events behind: EventLog ` +
        `${show("log")} MB; a queue per reader ${show("queues")} MB`,
    },
  ];
}
// #endregion memory

export const benchmarks: Benchmark[] = [
  {
    name:
      "EventLog: 1,000,000 events, 100 readers following (one slow), " +
      "against a queue per reader",
    exercise: "EventLog",
    ops: EVENTS,
    op: "one event appended and read by all 100 readers",
    // A round takes seconds: four show the spread well enough.
    minRounds: 4,
    ours,
    peers: { "AsyncQueue per reader": queuePerReader },
    targets: [
      {
        peer: "AsyncQueue per reader",
        atLeast: 1,
        says: "at least as fast as a queue per reader",
      },
    ],
    checks: memory,
  },
];
