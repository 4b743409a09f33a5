/**
 * Runs the benchmarks of the lessons named on the command line, in this
 * process, against whichever tree the `#exercises/*` import resolves to
 * (`kit/bench.ts` chooses). Exits 1 when a target was missed or an exercise
 * failed; a not-started exercise is reported, not measured.
 */
import { relative } from "node:path";
import { pathToFileURL } from "node:url";
import { findExercise, workbookRoot } from "../catalog.ts";
import { bold, cyan, dim, green, red, yellow } from "../colors.ts";
import { clearTodoHits, isNotStarted, todoHits } from "../todo.ts";
import { benchFile } from "./files.ts";
import {
  measure,
  ratioFor,
  verdict,
  type Benchmark,
  type Measured,
  type Options,
} from "./harness.ts";

const [who, ...rest] = process.argv.slice(2) as [string, ...string[]];
const lessonIds = rest.filter((arg) => !arg.startsWith("--"));
// --quick: one measured round, to see that it runs; no verdict.
const quick = rest.includes("--quick");
const OPTIONS: Options = quick
  ? { minRounds: 1, minMs: 0, maxRounds: 1 }
  : { minRounds: 8, minMs: 2000, maxRounds: 30 };
const FIRST_RUN_SECONDS = 60;
const tally = {
  met: 0,
  missed: 0,
  inconclusive: 0,
  notStarted: 0,
  failed: 0,
};

const format = (n: number) =>
  Math.round(n).toLocaleString("en-US").padStart(12);
const times = (ratio: number) => `${ratio.toFixed(2)}×`;
/** Two decimals, or three where two would round a miss up to the target. */
const against = (ratio: number, target: number) =>
  ratio < target && times(ratio) === times(target)
    ? `${ratio.toFixed(3)}×`
    : times(ratio);

async function runBenchmark(benchmark: Benchmark): Promise<void> {
  console.log(bold(`\n${benchmark.name}`));
  console.log(dim(`  one op: ${benchmark.op}`));
  clearTodoHits();
  try {
    // A first run finds a stub, a bug or a hang before anything is measured.
    await withinSeconds(FIRST_RUN_SECONDS, benchmark.ours());
  } catch (error) {
    if (isNotStarted(error) || todoHits().length > 0) {
      const file = findExercise(benchmark.exercise)?.file ?? "lessons/";
      console.log(
        `  ${yellow("not started")}: ${cyan(benchmark.exercise)} in ${file}`,
      );
      tally.notStarted += 1;
      return;
    }
    console.log(`  ${red("failed")}: ${String(error)}`);
    tally.failed += 1;
    return;
  }
  const ourName = `${who} (${benchmark.exercise})`;
  const peers = Object.entries(benchmark.peers);
  const [ours, ...measured] = await measure(
    [[ourName, benchmark.ours], ...peers],
    benchmark.ops,
    benchmark.minRounds && !quick
      ? { ...OPTIONS, minRounds: benchmark.minRounds, minMs: 0 }
      : OPTIONS,
  );
  printRows(ours!, measured);
  if (quick) {
    console.log(dim("  quick run: one round, no verdict"));
    return;
  }
  for (const target of benchmark.targets) {
    const found = ratioFor(target, ours!, measured);
    const outcome = verdict(target, found);
    tally[outcome] += 1;
    const peerName = target.peer === "fastest" ? ` (${found.peer})` : "";
    const spread = `${times(found.low)}-${times(found.high)}`;
    const needs = dim(`, needs ${times(target.atLeast)}`);
    if (outcome === "inconclusive") {
      console.log(
        `  ${yellow("?")} ${target.says}: ${yellow(`inconclusive: the machine is busy (spread ${spread})`)}, ` +
          `median ${against(found.ratio, target.atLeast)}${peerName}${needs}`,
      );
      continue;
    }
    const mark = outcome === "met" ? green("✓") : red("✗");
    console.log(
      `  ${mark} ${target.says}: ${against(found.ratio, target.atLeast)}${peerName}` +
        dim(` (rounds ${spread})`) +
        needs,
    );
  }
  for (const check of (await benchmark.checks?.()) ?? []) {
    tally[check.met ? "met" : "missed"] += 1;
    console.log(`  ${check.met ? green("✓") : red("✗")} ${check.says}`);
    console.log(dim(`    ${check.detail}`));
  }
}

function withinSeconds(seconds: number, work: Promise<unknown>) {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`one run did not finish in ${seconds} s`)),
      seconds * 1000,
    );
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

function printRows(ours: Measured, peers: Measured[]): void {
  const width = Math.max(...[ours, ...peers].map((row) => row.name.length));
  console.log(
    `  ${ours.name.padEnd(width)} ${format(ours.opsPerSecond)} ops/s`,
  );
  for (const peer of peers) {
    const ratio = ours.opsPerSecond / peer.opsPerSecond;
    console.log(
      `  ${peer.name.padEnd(width)} ${format(peer.opsPerSecond)} ops/s` +
        dim(`   ${who} at ${times(ratio)}`),
    );
  }
}

for (const id of lessonIds) {
  const file = benchFile(id);
  console.log(bold(cyan(`\n━━ ${relative(workbookRoot, file)}`)));
  const module = (await import(pathToFileURL(file).href)) as {
    benchmarks: Benchmark[];
  };
  for (const benchmark of module.benchmarks) await runBenchmark(benchmark);
}

const parts = [`${tally.met} targets met`, `${tally.missed} missed`];
if (tally.inconclusive)
  parts.push(
    `${tally.inconclusive} inconclusive (run again on a quieter machine)`,
  );
if (tally.notStarted) parts.push(`${tally.notStarted} not started`);
if (tally.failed) parts.push(`${tally.failed} failed`);
console.log(`\n${parts.join(", ")}`);
process.exit(tally.missed + tally.failed > 0 ? 1 : 0);
