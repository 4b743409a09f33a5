/**
 * merge against it-merge, the merge of the libp2p/it family: a million values
 * from 4 sources, then from 16. One `Promise.race` over every source per value
 * would make each value cost O(sources); a merge with one pending `next()`
 * per source does not slow down as sources are added. Against the reference
 * (`--solution`), also the page's production shape, `mergeWithQueue`: a task
 * per source and one lesson 04 `AsyncQueue`.
 */
import itMerge from "it-merge";
import { merge } from "#exercises/03-generators/merge.ts";
import type { Benchmark } from "#kit/bench/harness.ts";
import { mergeWithQueue } from "../test/fixtures/merge-with-queue.ts";

// mergeWithQueue runs on whichever AsyncQueue `#exercises` resolves to: it is
// a fair yardstick only on the reference's, not on a lesson 04 in progress.
const onReference = import.meta
  .resolve("#exercises/04-queues/queue.ts")
  .includes("/solutions/");

const VALUES = 1_000_000;

async function* count(n: number): AsyncGenerator<number> {
  for (let i = 0; i < n; i += 1) yield i;
}

async function drain(
  mergeFn: (...sources: AsyncIterable<number>[]) => AsyncIterable<number>,
  sources: number,
): Promise<void> {
  const each = VALUES / sources;
  const iterables = Array.from({ length: sources }, () => count(each));
  let seen = 0;
  for await (const _ of mergeFn(...iterables)) seen += 1;
  if (seen !== VALUES) throw new Error(`merge yielded ${seen} values`);
}

export const benchmarks: Benchmark[] = [4, 16].map((sources) => ({
  name: `merge: ${sources} sources × ${(VALUES / sources).toLocaleString("en-US")} values`,
  exercise: "merge",
  ops: VALUES,
  op: "one value yielded by a source and read from the merge",
  ours: () => drain(merge, sources),
  peers: {
    "it-merge": () => drain(itMerge, sources),
    ...(onReference && {
      "mergeWithQueue (the page's)": () => drain(mergeWithQueue, sources),
    }),
  },
  targets: [
    { peer: "it-merge", atLeast: 1, says: "at least as fast as it-merge" },
  ],
}));
