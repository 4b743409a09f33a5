/**
 * AsyncQueue against the queues people reach for: one producer, one consumer
 * reading with `for await`, a million items. Every producer awaits once per
 * item (ours awaits `put()`, which may have to wait; the peers' `push` cannot,
 * so they await the same one microtask turn), and lets the event loop turn
 * once per 1,000 items, as a producer reading I/O would. A producer that
 * filled the queue first would measure an array, not a queue (and
 * @esfx/async-queue, which uses `Array.shift()`, would take minutes).
 */
import { EventEmitter, on } from "node:events";
import { AsyncQueue as EsfxQueue } from "@esfx/async-queue";
import { pushable } from "it-pushable";
import { AsyncQueue } from "#exercises/04-queues/queue.ts";
import type { Benchmark } from "#kit/bench/harness.ts";

const ITEMS = 1_000_000;
const CHUNK = 1_000;

/** Lets the consumer catch up after each chunk: one event-loop turn. */
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));
const EXPECTED_SUM = (ITEMS * (ITEMS - 1)) / 2;

function checkSum(sum: number, who: string): void {
  if (sum !== EXPECTED_SUM)
    throw new Error(`${who} lost or repeated items: the sum is ${sum}`);
}

async function ours(maxSize: number): Promise<void> {
  const queue = new AsyncQueue<number>(maxSize);
  const producer = (async () => {
    for (let i = 0; i < ITEMS; i += 1) {
      await queue.put(i); // put() returns a promise: it may have to wait
      if (i % CHUNK === CHUNK - 1) await nextTurn();
    }
    queue.close();
  })();
  let sum = 0;
  for await (const item of queue) sum += item;
  await producer;
  checkSum(sum, "AsyncQueue");
}

async function eventsOn(): Promise<void> {
  const emitter = new EventEmitter();
  const consumer = (async () => {
    let sum = 0;
    for await (const [item] of on(emitter, "data", { close: ["end"] }))
      sum += item as number;
    return sum;
  })();
  for (let i = 0; i < ITEMS; i += 1) {
    emitter.emit("data", i);
    // eslint-disable-next-line @typescript-eslint/await-thenable -- a turn
    await null; // the same one turn as awaiting put()
    if (i % CHUNK === CHUNK - 1) await nextTurn();
  }
  emitter.emit("end");
  checkSum(await consumer, "events.on");
}

async function itPushable(): Promise<void> {
  const queue = pushable<number>({ objectMode: true });
  const consumer = (async () => {
    let sum = 0;
    for await (const item of queue) sum += item;
    return sum;
  })();
  for (let i = 0; i < ITEMS; i += 1) {
    queue.push(i);
    // eslint-disable-next-line @typescript-eslint/await-thenable -- a turn
    await null; // the same one turn as awaiting put()
    if (i % CHUNK === CHUNK - 1) await nextTurn();
  }
  queue.end();
  checkSum(await consumer, "it-pushable");
}

/** @esfx/async-queue has no iterator of its own: the usual loop over get(). */
async function* readEsfx(queue: EsfxQueue<number>): AsyncGenerator<number> {
  while (true) {
    try {
      yield await queue.get();
    } catch (error) {
      if (queue.done) return; // end() rejects the pending get
      throw error;
    }
  }
}

async function esfx(): Promise<void> {
  const queue = new EsfxQueue<number>();
  const consumer = (async () => {
    let sum = 0;
    for await (const item of readEsfx(queue)) sum += item;
    return sum;
  })();
  for (let i = 0; i < ITEMS; i += 1) {
    queue.put(i);
    // eslint-disable-next-line @typescript-eslint/await-thenable -- a turn
    await null; // the same one turn as awaiting put()
    if (i % CHUNK === CHUNK - 1) await nextTurn();
  }
  queue.end();
  checkSum(await consumer, "@esfx/async-queue");
}

const peers = {
  "events.on": eventsOn,
  "it-pushable": itPushable,
  "@esfx/async-queue": esfx,
};

export const benchmarks: Benchmark[] = [
  ["unbounded", Infinity],
  ["maxSize 100", 100],
  ["maxSize 1", 1],
].map(([label, maxSize]) => ({
  name:
    `AsyncQueue, ${label}: 1,000,000 items, one producer, for await` +
    (maxSize === Infinity ? "" : " (the peers have no bound)"),
  exercise: "AsyncQueue",
  ops: ITEMS,
  op: "one item put and taken",
  ours: () => ours(maxSize as number),
  peers,
  targets: [
    { peer: "fastest", atLeast: 1, says: "at least as fast as the fastest" },
  ],
}));
