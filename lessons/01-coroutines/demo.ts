/**
 * Lesson 01 demo: the same three fetches, one after another and then all at
 * once, with a timeline of when each started and finished. Then a CPU-bound
 * job, with and without yielding.
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

const started = performance.now();
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
  let t0 = performance.now();
  console.log(
    await fetchSequential(["a", "b", "c"], fetchUser),
    `in ${Math.round(performance.now() - t0)} ms\n`,
  );

  console.log("fetchConcurrent: all three in flight at once");
  t0 = performance.now();
  console.log(
    await fetchConcurrent(["a", "b", "c"], fetchUser),
    `in ${Math.round(performance.now() - t0)} ms\n`,
  );

  console.log(
    "A heartbeat timer every 10 ms while 2,000,000 items are crunched in chunks of 100,000:",
  );
  let beats = 0;
  const heartbeat = setInterval(() => (beats += 1), 10);
  t0 = performance.now();
  let sum = 0;
  await processInChunks(
    Array.from({ length: 2_000_000 }, (_, i) => i),
    100_000,
    (n) => (sum += Math.sqrt(n)),
  );
  clearInterval(heartbeat);
  console.log(
    `done in ${Math.round(performance.now() - t0)} ms; the heartbeat got to run ${beats} time(s) (0 would mean the loop starved it)`,
  );
  void sum;
}

runDemo(main);
