/**
 * Lesson 01 demo: the same three fetches, one after another and then all at
 * once, with a timeline of when each started and finished. Then a CPU-bound
 * job beside a heartbeat timer: in one go (the timer starves), and with
 * processInChunks (it ticks between chunks).
 *
 * Run it: npm run demo -- 01        (your code)
 *         npm run demo -- 01 --solution
 */
import { runDemo } from "#kit/run-demo.ts";
import { sleep } from "#exercises/01-coroutines/sleep.ts";
import {
  fetchConcurrent,
  fetchSequential,
} from "#exercises/01-coroutines/fetch-all.ts";
import { processInChunks } from "#exercises/01-coroutines/cooperate.ts";

// Each part of the demo restarts the clock, so its first call is at 0 ms.
let started = performance.now();
const at = () =>
  `${String(Math.round(performance.now() - started)).padStart(4)} ms`;

// #region fake-fetch
/**
 * A pretend HTTP call: takes 100 ms for "a", 200 ms for "b", 150 ms for "c".
 */
async function fetchUser(id: string): Promise<string> {
  const delays: Record<string, number> = { a: 100, b: 200, c: 150 };
  console.log(`${at()}  start  ${id}`);
  await sleep(delays[id] ?? 100);
  console.log(`${at()}  done   ${id}`);
  return `user ${id}`;
}
// #endregion fake-fetch

async function main() {
  console.log("fetchSequential: each call waits for the one before it");
  started = performance.now();
  console.log(
    await fetchSequential(["a", "b", "c"], fetchUser),
    `in ${at().trim()}\n`,
  );

  console.log("fetchConcurrent: all three in flight at once");
  started = performance.now();
  console.log(
    await fetchConcurrent(["a", "b", "c"], fetchUser),
    `in ${at().trim()}\n`,
  );

  console.log("A heartbeat wants to run every 10 ms while we crunch numbers:");
  const starved = await withHeartbeat(() => items.forEach(crunch));
  console.log(`  in one go:       ${starved}`);
  const chunked = await withHeartbeat(() =>
    processInChunks(items, 100_000, crunch),
  );
  console.log(`  chunks of 100k:  ${chunked}`);
}

// #region heartbeat
const items = Array.from({ length: 2_000_000 }, (_, i) => i);
let total = 0;
/** About 250 ms of CPU work for all 2,000,000 items. */
function crunch(n: number): void {
  for (let k = 0; k < 25; k += 1) total += Math.sqrt(n + k);
}

/** Runs `job` while a timer tries to tick every 10 ms: how often did it? */
async function withHeartbeat(job: () => void | Promise<void>) {
  let beats = 0;
  const heartbeat = setInterval(() => (beats += 1), 10);
  const started = performance.now();
  await job();
  clearInterval(heartbeat);
  const ms = Math.round(performance.now() - started);
  return `${ms} ms of work, the heartbeat ran ${beats} time(s)`;
}
// #endregion heartbeat

runDemo(main);
