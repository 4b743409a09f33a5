/**
 * What a lesson's benchmark file exports, and how it is measured. These
 * machines are noisy, so a benchmark never reports a time on its own: each
 * round runs every contender once, in a rotating order, each round gives a
 * ratio between the learner's code and a peer library, and the result is the
 * median of those ratios with their spread (the middle half of the rounds).
 * A busy machine widens the spread; a verdict is given only where the spread
 * allows one.
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
  /** What one operation is, said once: "one item put and taken". */
  op: string;
  /**
   * Least rounds, for a workload that takes seconds (lesson 13's million
   * events): fewer than the usual eight.
   */
  minRounds?: number;
  ours: Workload;
  peers: Record<string, Workload>;
  targets: Target[];
  /** Run once after the timing, each a target met or missed. */
  checks?: () => Promise<Check[]>;
}

export interface Measured {
  name: string;
  /** From the median round. */
  opsPerSecond: number;
  /** Milliseconds each counted round took, round by round. */
  times: number[];
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
    opsPerSecond: ops / (quantile(times[index]!, 0.5) / 1000),
    times: times[index]!,
  }));
}

/** The value below which a share `q` of `values` lie (interpolated). */
export function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (sorted.length - 1) * q;
  const below = Math.floor(at);
  const above = Math.min(below + 1, sorted.length - 1);
  return sorted[below]! + (sorted[above]! - sorted[below]!) * (at - below);
}

export interface Ratio {
  /** The median of the rounds' ratios, ours ÷ peer (in ops/s). */
  ratio: number;
  /** The middle half of the rounds' ratios: the spread noise gives. */
  low: number;
  high: number;
  peer: string;
}

/**
 * The ratio a target compares, ours ÷ peer (or ÷ the fastest peer), round by
 * round: both ran in the same round, so a busy moment slows both.
 */
export function ratioFor(
  target: Target,
  ours: Measured,
  peers: Measured[],
): Ratio {
  const peer =
    target.peer === "fastest"
      ? peers.reduce((a, b) => (b.opsPerSecond > a.opsPerSecond ? b : a))
      : peers.find((candidate) => candidate.name === target.peer);
  if (!peer) throw new Error(`No peer named ${target.peer}`);
  const rounds = ours.times.map((mine, round) => peer.times[round]! / mine);
  return {
    ratio: quantile(rounds, 0.5),
    low: quantile(rounds, 0.25),
    high: quantile(rounds, 0.75),
    peer: peer.name,
  };
}

export type Verdict = "met" | "missed" | "inconclusive";

/**
 * Met when the median ratio reaches the target; missed only when even the
 * better rounds (the top of the middle half) fall short; in between, the
 * machine was too busy to tell.
 */
export function verdict(target: Target, ratio: Ratio): Verdict {
  if (ratio.ratio >= target.atLeast) return "met";
  return ratio.high < target.atLeast ? "missed" : "inconclusive";
}
