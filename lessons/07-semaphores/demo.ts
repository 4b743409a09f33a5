/**
 * Lesson 07 demo: three tasks that share a Semaphore(2) under `using`; then
 * nine calls of different lengths, at most three at a time, first in batches
 * of three, then through mapWithLimit (a sliding window), each drawn as a
 * timeline (one character is 10 ms); then a token bucket serving a burst.
 *
 * Run it: npm run demo -- 07        (your code)
 *         npm run demo -- 07 --solution
 */
import { setTimeout as delay } from "node:timers/promises";
import { runDemo } from "#kit/run-demo.ts";
import { Semaphore } from "#exercises/07-semaphores/semaphore.ts";
import { mapWithLimit } from "#exercises/07-semaphores/map-limit.ts";
import { TokenBucket } from "#exercises/07-semaphores/rate-limit.ts";

const DURATIONS = [160, 40, 60, 40, 140, 40, 60, 120, 40];
const LIMIT = 3;
const MS_PER_CHAR = 10;

type Call = (index: number, ms: number) => Promise<void>;

// #region window
/** Batches: start `limit` calls, wait for all of them, start the next ones. */
async function inBatches(durations: number[], limit: number, call: Call) {
  for (let i = 0; i < durations.length; i += limit) {
    const batch = durations.slice(i, i + limit);
    await Promise.all(batch.map((ms, j) => call(i + j, ms)));
  }
}

/** A sliding window: a new call starts as soon as any call ends. */
async function inWindow(durations: number[], limit: number, call: Call) {
  await mapWithLimit(durations.entries(), limit, ([i, ms]) => call(i, ms));
}
// #endregion window

/** Runs the calls with `strategy`, timing each, and draws the timeline. */
async function chart(
  title: string,
  strategy: (durations: number[], limit: number, call: Call) => Promise<void>,
): Promise<void> {
  const t0 = performance.now();
  const now = () => performance.now() - t0;
  const bars: { start: number; end: number }[] = [];
  let inFlight = 0;
  let peak = 0;
  const call: Call = async (index, ms) => {
    inFlight += 1;
    peak = Math.max(peak, inFlight);
    const start = now();
    await delay(ms);
    bars[index] = { start, end: now() };
    inFlight -= 1;
  };
  await strategy(DURATIONS, LIMIT, call);
  const total = now();

  console.log(title);
  const chars = (ms: number) => Math.round(ms / MS_PER_CHAR);
  for (const [i, { start, end }] of bars.entries()) {
    const label = `call ${i + 1} ${String(DURATIONS[i]).padStart(4)} ms`;
    const waited = "░".repeat(chars(start));
    const ran = "█".repeat(Math.max(1, chars(end) - chars(start)));
    console.log(`  ${label} │${waited}${ran}`);
  }
  console.log(`  all done       │ after ${Math.round(total)} ms`);
  console.log(`  at most ${peak} calls were in flight at once\n`);
}

// #region lease
/** A task that holds one of the semaphore's permits for `ms`. */
async function task(name: string, ms: number, semaphore: Semaphore) {
  const acquiring = semaphore.acquire();
  console.log(
    `  ${name}: acquire() → ${semaphore.available} free, ` +
      `${semaphore.waiting} waiting`,
  );
  using _lease = await acquiring;
  console.log(`  ${name}: has a permit, works for ${ms} ms`);
  await delay(ms);
  console.log(`  ${name}: done; its lease goes back as the block ends`);
}
// #endregion lease

async function burst(): Promise<void> {
  const bucket = new TokenBucket({ capacity: 3, refillPerSecond: 10 });
  const t0 = performance.now();
  const takes = Array.from({ length: 8 }, () =>
    bucket.take().then(() => performance.now() - t0),
  );
  console.log(
    `  tryTake() while 5 callers wait in take(): ${bucket.tryTake()}`,
  );
  for (const [i, at] of (await Promise.all(takes)).entries()) {
    const waited = "░".repeat(Math.round(at / MS_PER_CHAR));
    console.log(`  take ${i + 1} │${waited}█ ${Math.round(at)} ms`);
  }
}

async function main() {
  console.log("A Semaphore(2) shared by three tasks, each lease under using:");
  const semaphore = new Semaphore(2);
  await Promise.all([
    task("a", 150, semaphore),
    task("b", 20, semaphore),
    task("c", 20, semaphore),
  ]);
  console.log(
    `  afterwards: ${semaphore.available} free, ${semaphore.waiting} waiting\n`,
  );

  console.log(
    `${DURATIONS.length} calls, at most ${LIMIT} at a time. In the charts, ░ ` +
      `is waiting for a slot,\n█ is running, and one character is ` +
      `${MS_PER_CHAR} ms.\n`,
  );
  await chart(
    "In batches of 3: each batch waits for its slowest call",
    inBatches,
  );
  await chart("mapWithLimit: a new call starts as soon as one ends", inWindow);

  console.log(
    "A TokenBucket of capacity 3, 10 tokens per second, and 8 calls at\n" +
      "once: 3 go at once (the burst), then one every 100 ms, in the order\n" +
      "they came",
  );
  await burst();
}

runDemo(main);
