/**
 * What a lesson's benchmark file exports, and how it is measured. These
 * machines are noisy, so a benchmark never reports a time on its own: each
 * round runs every contender once, in a rotating order, and the result is the
 * ratio of medians between the learner's code and a peer library measured in
 * the same rounds.
 */

/** One whole workload (a million items through a queue, say). */
export type Workload = () => Promise<unknown>;

export interface Target {
  /** A peer's name, or "fastest" for the fastest peer of the run. */
  peer: string;
  /** The least ratio (ours ÷ peer, in ops/s) that meets the target. */
  atLeast: number;
  /** The target in words: "at least as fast as p-limit". */
  says: string;
}

/** A measurement that is not a speed: memory held, say. */
export interface Check {
  says: string;
  met: boolean;
  /** What was measured, in a line. */
  detail: string;
}

export interface Benchmark {
  /** "AsyncQueue, maxSize 100: 1,000,000 items, for await". */
  name: string;
  /** The exercise measured, as the progress table names it. */
  exercise: string;
  /** Operations in one workload (items, calls, rows): for ops/s. */
  ops: number;
  ours: Workload;
  peers: Record<string, Workload>;
  targets: Target[];
  /** Run once after the timing, each a target met or missed. */
  checks?: () => Promise<Check[]>;
}

export interface Measured {
  name: string;
  opsPerSecond: number;
}

export interface Options {
  /** Least rounds to run, and least time to keep running for. */
  minRounds: number;
  minMs: number;
  maxRounds: number;
}

const gc = (globalThis as { gc?: () => void }).gc;

/**
 * Runs every contender once per round (after one warm-up round) and returns
 * each one's median throughput. The first contender starts each round in turn,
 * so none always runs on a heap the others left behind.
 */
export async function measure(
  contenders: [string, Workload][],
  ops: number,
  options: Options,
): Promise<Measured[]> {
  const times = contenders.map((): number[] => []);
  const started = performance.now();
  for (let round = 0; ; round += 1) {
    const enough =
      round > options.minRounds && performance.now() - started > options.minMs;
    if (enough || round > options.maxRounds) break;
    for (let turn = 0; turn < contenders.length; turn += 1) {
      const index = (round + turn) % contenders.length;
      gc?.();
      const before = performance.now();
      await contenders[index]![1]();
      // Round 0 warms the JIT up and is not counted.
      if (round > 0) times[index]!.push(performance.now() - before);
    }
  }
  return contenders.map(([name], index) => ({
    name,
    opsPerSecond: ops / (median(times[index]!) / 1000),
  }));
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2
    ? sorted[middle]!
    : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** The ratio a target compares, ours ÷ peer (or ÷ the fastest peer). */
export function ratioFor(
  target: Target,
  ours: Measured,
  peers: Measured[],
): { ratio: number; peer: string } {
  const peer =
    target.peer === "fastest"
      ? peers.reduce((a, b) => (b.opsPerSecond > a.opsPerSecond ? b : a))
      : peers.find((candidate) => candidate.name === target.peer);
  if (!peer) throw new Error(`No peer named ${target.peer}`);
  return { ratio: ours.opsPerSecond / peer.opsPerSecond, peer: peer.name };
}
