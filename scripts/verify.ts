/**
 * `npm run verify`: everything CI checks, in one command. Steps run two at a
 * time (VERIFY_JOBS to change that), except the site build, which runs
 * first and alone, so its time is fair; each step's output is printed whole
 * when it ends; every step runs even when another failed, so one run shows every
 * problem. The summary gives each step's time. The last line is the
 * reference-solution run's `N passed, N failed`.
 */
import { spawn } from "node:child_process";
import { workbookRoot } from "../kit/catalog.ts";
import { bold, dim, green, red, stripColors, yellow } from "../kit/colors.ts";
import { learnerHasEdited } from "./learner-edits.ts";

interface Step {
  name: string;
  command: string[];
  /** Steps that must have passed first. */
  needs?: string[];
  /** Why the step is skipped in this checkout, if it is. */
  skip?: () => string | undefined;
  /** The step's `N passed, N failed` is verify's closing line. */
  closes?: boolean;
  /**
   * The step runs with nothing beside it: its time is a measurement (the
   * docs build's budget), not a report of the machine's load.
   */
  alone?: boolean;
  /**
   * The step may use the Postgres of DATABASE_URL; every other step runs
   * without it, so that lessons 08 and 13 are also proven on PGlite.
   */
  database?: boolean;
}

const steps: Step[] = [
  // First and alone, so that its time measures the site, not the machine's
  // load: about 10 s on two cores alone, 20-25 s beside the mutants.
  {
    name: "the site builds",
    command: ["npm", "run", "--silent", "docs:build"],
    alone: true,
  },
  // The longest step next, so the other lane does everything else meanwhile.
  {
    name: "each listed mistake is caught",
    command: ["npm", "run", "--silent", "mutants"],
  },
  {
    name: "types, and stubs that match their solutions",
    command: ["npm", "run", "--silent", "typecheck:all"],
  },
  {
    name: "no promise mistakes in solutions, kit, tests and benchmarks (lint)",
    command: ["npm", "run", "--silent", "lint"],
  },
  {
    name: "code is formatted, and lesson code fits 80 columns",
    command: ["npm", "run", "--silent", "format:check"],
  },
  {
    name: "every untouched stub reports not started",
    command: ["npx", "vitest", "run", "--mode", "untouched"],
    skip: () =>
      learnerHasEdited()
        ? "lessons/ holds your own work (CI checks the untouched stubs)"
        : undefined,
  },
  {
    name: "reference solutions pass every test",
    command: ["npx", "vitest", "run", "--mode", "solutions"],
    closes: true,
  },
  {
    name: "lessons 08 and 13 pass on a real Postgres",
    command: [
      ...["npx", "vitest", "run", "--mode", "solutions"],
      ...["test/08-pools.test.ts", "test/13-resumable.test.ts"],
    ],
    database: true,
    skip: () =>
      process.env.DATABASE_URL
        ? undefined
        : "DATABASE_URL is not set, so lessons 08 and 13 ran on PGlite " +
          "only; .ci/run starts a Postgres and sets it",
  },
  {
    name: "Node 22: tests, stubs, version facts and demos",
    command: ["npx", "tsx", "scripts/on-node.ts", "22"],
  },
  {
    name: "Node 24: tests, stubs, version facts and demos",
    command: ["npx", "tsx", "scripts/on-node.ts", "24"],
  },
  {
    name: "every demo runs against the reference",
    command: ["npx", "tsx", "scripts/demos.ts"],
  },
  {
    name: "the pages' Python runs, and their claims about Python hold",
    command: ["npm", "run", "--silent", "python"],
  },
  {
    name: "the workbook's own machinery works",
    command: ["npm", "run", "--silent", "test:kit"],
  },
  {
    name: "sample output on the pages is current",
    command: ["npm", "run", "--silent", "samples", "--", "--check"],
  },
  {
    name: "the agent's chat page works in a browser",
    command: ["npm", "run", "--silent", "test:browser"],
  },
  {
    name: "every page renders in a browser",
    command: ["npm", "run", "--silent", "browser-check"],
    needs: ["the site builds"],
  },
];

function run(step: Step): Promise<{ code: number; output: string }> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    FORCE_COLOR: process.stdout.isTTY ? "1" : "",
    // Property-based tests (lesson 09) draw random inputs; CI replays one
    // fixed seed so that a run can be repeated. A failure prints its seed.
    FC_SEED: process.env.FC_SEED ?? "20261122",
  };
  if (!step.database) delete env.DATABASE_URL;
  return new Promise((resolve) => {
    const [file, ...args] = step.command as [string, ...string[]];
    const child = spawn(file, args, {
      cwd: workbookRoot,
      stdio: ["ignore", "pipe", "pipe"],
      env,
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("close", (code) => resolve({ code: code ?? 1, output }));
  });
}

type Outcome = "passed" | "failed" | "skipped";
const results = new Map<
  string,
  { outcome: Outcome; note?: string; seconds?: number }
>();
let closingLine = "0 passed, 1 failed";

async function runStep(step: Step): Promise<void> {
  const unmet = step.needs?.find(
    (name) => results.get(name)?.outcome !== "passed",
  );
  const reason =
    step.skip?.() ?? (unmet && `needs "${unmet}", which did not pass`);
  if (reason) {
    console.log(
      bold(`\n━━ ${step.name}`) + "\n" + yellow(`skipped: ${reason}`),
    );
    results.set(step.name, { outcome: "skipped", note: reason });
    return;
  }
  const started = performance.now();
  const { code, output } = await run(step);
  const seconds = (performance.now() - started) / 1000;
  console.log(bold(`\n━━ ${step.name}`) + dim(` (${seconds.toFixed(1)} s)`));
  process.stdout.write(output.endsWith("\n") ? output : `${output}\n`);
  results.set(step.name, {
    outcome: code === 0 ? "passed" : "failed",
    seconds,
  });
  if (step.closes) {
    const line = stripColors(output)
      .split("\n")
      .reverse()
      .find((l) => /^\d+ passed, \d+ failed/.test(l.trim()));
    closingLine = line?.trim() ?? "0 passed, 1 failed";
  }
}

/**
 * Runs the steps `jobs` at a time, each as soon as the steps it needs are
 * done; a step that must run alone waits for the others to end, and nothing
 * starts beside it.
 */
async function runAll(jobs: number): Promise<void> {
  const waiting = [...steps];
  const running = new Map<string, { step: Step; done: Promise<void> }>();
  while (waiting.length > 0 || running.size > 0) {
    const ready = waiting.findIndex((s) =>
      (s.needs ?? []).every((n) => results.has(n)),
    );
    const room =
      running.size === 0 ||
      (running.size < jobs &&
        ![...running.values()].some((r) => r.step.alone) &&
        !waiting[ready]?.alone);
    if (ready !== -1 && room) {
      const [step] = waiting.splice(ready, 1) as [Step];
      running.set(step.name, {
        step,
        done: runStep(step).finally(() => running.delete(step.name)),
      });
      continue;
    }
    await Promise.race([...running.values()].map((r) => r.done));
  }
}

await runAll(Math.max(1, Number(process.env.VERIFY_JOBS ?? 2)));

console.log(bold("\n━━ verify"));
for (const step of steps) {
  const { outcome, note, seconds } = results.get(step.name)!;
  const mark =
    outcome === "passed"
      ? green("✓")
      : outcome === "failed"
        ? red("✗")
        : yellow("-");
  const time = seconds === undefined ? "" : dim(` ${seconds.toFixed(1)} s`);
  console.log(`${mark} ${step.name}${time}${note ? ` (${note})` : ""}`);
}
const failed = [...results.values()].some((r) => r.outcome === "failed");
console.log("");
console.log(closingLine);
process.exitCode = failed ? 1 : 0;
