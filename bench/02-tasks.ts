/**
 * taskGroup against `Promise.allSettled` on the same 100,000 trivial tasks,
 * with every result awaited. The group does more (a signal, failure
 * bookkeeping, waiting for tasks spawned by tasks), so the target is to stay
 * within 3× of the bare promise combinator, not to beat it.
 */
import { taskGroup } from "#exercises/02-tasks/task-group.ts";
import type { Benchmark } from "#kit/bench/harness.ts";

const TASKS = 100_000;

const trivial = async (i: number) => i;

async function withTaskGroup(): Promise<void> {
  const results = await taskGroup(async (group) => {
    const spawned: Promise<number>[] = [];
    for (let i = 0; i < TASKS; i += 1)
      spawned.push(group.spawn(() => trivial(i)));
    return Promise.all(spawned);
  });
  if (results.length !== TASKS) throw new Error("taskGroup lost results");
}

async function withAllSettled(): Promise<void> {
  const started: Promise<number>[] = [];
  for (let i = 0; i < TASKS; i += 1) started.push(trivial(i));
  const results = await Promise.allSettled(started);
  if (results.length !== TASKS) throw new Error("allSettled lost results");
}

export const benchmarks: Benchmark[] = [
  {
    name: "taskGroup: 100,000 trivial tasks, every result awaited",
    exercise: "taskGroup",
    ops: TASKS,
    op: "one task spawned and its result awaited",
    ours: withTaskGroup,
    peers: { "Promise.allSettled": withAllSettled },
    targets: [
      {
        peer: "Promise.allSettled",
        atLeast: 1 / 3,
        says: "within 3× of Promise.allSettled",
      },
    ],
  },
];
