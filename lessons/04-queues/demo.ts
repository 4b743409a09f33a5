/**
 * Lesson 04 demo: a fast producer, three slow consumers and a queue between
 * them, with a chart of how full the queue was over time. With a bound, the
 * queue fills and then the producer can only go as fast as the consumers
 * (backpressure); without one, the queue just grows. Then an EventEmitter read
 * with `for await`, left with `break`, and no listener left behind.
 *
 * Run it: npm run demo -- 04        (your code)
 *         npm run demo -- 04 --solution
 */
import { EventEmitter } from "node:events";
import { setTimeout as delay } from "node:timers/promises";
import { runDemo } from "#kit/run-demo.ts";
import { AsyncEvent } from "#exercises/04-queues/event.ts";
import { AsyncQueue } from "#exercises/04-queues/queue.ts";
import { fromEvents } from "#exercises/04-queues/from-events.ts";

const ITEMS = 24;
const MAKE_MS = 5; // the producer makes an item every 5 ms...
const HANDLE_MS = 60; // ...and each of the 3 consumers needs 60 ms per item
const SAMPLE_MS = 30;

// #region pipeline
async function pipeline(maxSize: number): Promise<void> {
  const queue = new AsyncQueue<number>(maxSize);
  const start = new AsyncEvent();
  const t0 = performance.now();
  const sizes: number[] = [];
  const sampler = setInterval(() => sizes.push(queue.size), SAMPLE_MS);
  let producerDone = 0;
  let producerWaited = 0;

  const producer = async () => {
    await start.wait();
    for (let item = 0; item < ITEMS; item += 1) {
      await delay(MAKE_MS);
      const before = performance.now();
      await queue.put(item); // backpressure: waits while the queue is full
      producerWaited += performance.now() - before;
    }
    // No sentinel: the consumers' loops end once the queue is drained.
    queue.close();
    producerDone = performance.now() - t0;
  };
  const consumer = async () => {
    await start.wait();
    for await (const item of queue) await delay(HANDLE_MS, item);
  };

  const tasks = [producer(), consumer(), consumer(), consumer()];
  start.set(); // one set() wakes all four at the same moment
  await Promise.all(tasks);
  clearInterval(sampler);

  printFill(sizes, maxSize);
  const ms = (t: number) => `${Math.round(t)} ms`;
  const done = performance.now() - t0;
  console.log(
    `the producer put its last item at ${ms(producerDone)}, after waiting ` +
      `${ms(producerWaited)} in put();\nall done at ${ms(done)}\n`,
  );
}
// #endregion pipeline

/** One line per sample: the time, a bar as long as the queue, its size. */
function printFill(sizes: number[], maxSize: number): void {
  for (const [i, size] of sizes.entries()) {
    const time = `${String((i + 1) * SAMPLE_MS).padStart(5)} ms`;
    const bar = "█".repeat(size).padEnd(ITEMS);
    const full = size >= maxSize ? "  full: put() waits" : "";
    console.log(`${time} │${bar} ${String(size).padStart(2)}${full}`);
  }
}

async function main() {
  console.log(
    `${ITEMS} items, made every ${MAKE_MS} ms, handled by 3 consumers ` +
      `in ${HANDLE_MS} ms each.\n`,
  );
  console.log(
    "A queue of at most 4 items: it fills, then the producer waits for room",
  );
  await pipeline(4);
  console.log(
    "The same with an unbounded queue: the producer never waits, the queue\n" +
      "piles up",
  );
  await pipeline(Infinity);

  console.log(
    "An EventEmitter read with for await; the loop breaks at the third tick:",
  );
  const ticker = new EventEmitter();
  let n = 0;
  const timer = setInterval(() => ticker.emit("tick", (n += 1)), 20);
  for await (const tick of fromEvents<number>(ticker, "tick", {
    close: "end",
  })) {
    const listening = (name: string) => ticker.listenerCount(name);
    console.log(
      `  tick ${tick}  (listeners on the emitter: ${listening("tick")} ` +
        `for tick, ${listening("end")} for end)`,
    );
    if (tick === 3) break;
  }
  clearInterval(timer);
  console.log(
    `  after break: ${ticker.eventNames().length} listener(s) left on the ` +
      "emitter",
  );
}

runDemo(main);
