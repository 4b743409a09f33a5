/**
 * Semaphore against @henrygd/semaphore and async-sema, and mapWithLimit
 * against p-limit. Each workload repeats its pattern 100 times, so that one
 * run lasts long enough to time.
 */
import { getSemaphore } from "@henrygd/semaphore";
import { Sema } from "async-sema";
import pLimit from "p-limit";
import { mapWithLimit } from "#exercises/07-semaphores/map-limit.ts";
import { Semaphore } from "#exercises/07-semaphores/semaphore.ts";
import type { Benchmark } from "#kit/bench/harness.ts";

const REPEATS = 100;
const QUEUED = 1_000;
const CALLS = 10_000;
const LIMIT = 8;

/**
 * 1,000 callers ask for one permit at once: 999 wait in line, and each
 * releases as soon as it is let in.
 */
async function queued(acquire: () => Promise<() => void>): Promise<void> {
  const caller = async () => (await acquire())();
  for (let r = 0; r < REPEATS; r += 1)
    await Promise.all(Array.from({ length: QUEUED }, caller));
}

async function ourSemaphore(): Promise<void> {
  const semaphore = new Semaphore(1);
  await queued(async () => {
    const lease = await semaphore.acquire();
    return () => lease[Symbol.dispose]();
  });
  if (semaphore.available !== 1) throw new Error("a permit was lost");
}

async function henrygd(): Promise<void> {
  const semaphore = getSemaphore(Symbol(), 1);
  await queued(async () => {
    await semaphore.acquire();
    return () => semaphore.release();
  });
}

async function asyncSema(): Promise<void> {
  const semaphore = new Sema(1);
  await queued(async () => {
    await semaphore.acquire();
    return () => semaphore.release();
  });
}

const trivial = async (i: number) => i;
const items = Array.from({ length: CALLS }, (_, i) => i);

async function ourMap(): Promise<void> {
  for (let r = 0; r < REPEATS / 10; r += 1) {
    const { ok } = await mapWithLimit(items, LIMIT, trivial);
    if (ok.length !== CALLS) throw new Error("mapWithLimit lost results");
  }
}

async function withPLimit(): Promise<void> {
  for (let r = 0; r < REPEATS / 10; r += 1) {
    const limit = pLimit(LIMIT);
    await Promise.all(items.map((i) => limit(() => trivial(i))));
  }
}

export const benchmarks: Benchmark[] = [
  {
    name: "Semaphore(1): 1,000 queued acquires and releases, 100 times",
    exercise: "Semaphore",
    ops: REPEATS * QUEUED,
    op: "one acquire and release",
    ours: ourSemaphore,
    peers: { "@henrygd/semaphore": henrygd, "async-sema": asyncSema },
    targets: [
      {
        peer: "fastest",
        atLeast: 1 / 1.5,
        says: "within 1.5× of the fastest",
      },
      { peer: "async-sema", atLeast: 1, says: "faster than async-sema" },
    ],
  },
  {
    name: "mapWithLimit: 10,000 trivial async calls at limit 8, 10 times",
    exercise: "mapWithLimit",
    ops: (REPEATS / 10) * CALLS,
    op: "one call",
    ours: ourMap,
    peers: { "p-limit": withPLimit },
    targets: [
      { peer: "p-limit", atLeast: 1, says: "at least as fast as p-limit" },
    ],
  },
];
