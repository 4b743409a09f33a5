/**
 * Every sample output that a page shows, and the command that produces it.
 * `scripts/samples.ts` runs them; pages include `docs/samples/<name>.txt`.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { workbookRoot } from "../../kit/catalog.ts";
import { findPythons, listPythonFiles, SAMPLE_PYTHON } from "../pythons.ts";

export interface Step {
  /** What the page shows after `$`. */
  shows: string;
  /** What really runs, in the sandbox. */
  command: string[];
  /** The exit code the command must have (a failing test run exits 1). */
  exitCode?: number;
}

export interface Sample {
  name: string;
  steps: Step[];
  /** The learner's edits the sample needs, on top of the untouched stubs. */
  changes?: Record<string, string>;
  /** Lines that differ from run to run (a chart of timings): not compared. */
  varies?: RegExp;
  /** Why this machine cannot produce the sample, if it cannot. */
  unavailable?: string;
  /**
   * Runs in this checkout instead of a sandbox copy: for a command that
   * reads only committed files and writes nothing (the Python snippets).
   */
  inPlace?: boolean;
}

const solution = (path: string) =>
  readFileSync(join(workbookRoot, "solutions", path), "utf8");
const stub = (path: string) =>
  readFileSync(join(workbookRoot, "lessons", path), "utf8");

/** A learner's first try at fetchSequential: everything at once, by mistake. */
const fetchAllAtOnce = stub("01-coroutines/fetch-all.ts").replace(
  /todo\(\s*"Await fetchOne[^"]*",?\s*\);/,
  "return Promise.all(ids.map((id) => fetchOne(id)));",
);

const TYPES =
  "process.version + ': ' + [typeof Symbol.asyncDispose, typeof SuppressedError, typeof AsyncDisposableStack].join(' ')";

export const SAMPLES: Sample[] = [
  {
    name: "test-run-01",
    changes: {
      "lessons/01-coroutines/sleep.ts": solution("01-coroutines/sleep.ts"),
      "lessons/01-coroutines/fetch-all.ts": fetchAllAtOnce,
    },
    steps: [
      {
        shows: "npm test -- 01",
        command: ["npm", "test", "--", "01"],
        exitCode: 1,
      },
    ],
  },
  {
    name: "demo-not-started-01",
    steps: [
      {
        shows: "npm run demo -- 01",
        command: ["npm", "run", "demo", "--", "01"],
        exitCode: 1,
      },
    ],
  },
  {
    name: "event-loop-in-a-file",
    // Outside an I/O callback, a 0 ms timer and setImmediate come in either order.
    varies: /^set(Immediate|Timeout)$/,
    steps: [
      {
        shows: "npx tsx test/fixtures/event-loop-in-a-file.ts",
        command: ["npx", "tsx", "test/fixtures/event-loop-in-a-file.ts"],
      },
    ],
  },
  {
    name: "demo-01",
    steps: [
      {
        shows: "npm run demo -- 01 --solution",
        command: ["npm", "run", "demo", "--", "01", "--solution"],
      },
    ],
  },
  {
    name: "demo-04",
    // The fill chart depends on timing; its text around it does not.
    varies: /│/,
    steps: [
      {
        shows: "npm run demo -- 04 --solution",
        command: ["npm", "run", "demo", "--", "04", "--solution"],
      },
    ],
  },
  {
    name: "demo-05",
    steps: [
      {
        shows: "npm run demo -- 05 --solution",
        command: ["npm", "run", "demo", "--", "05", "--solution"],
      },
    ],
  },
  {
    name: "demo-06",
    steps: [
      {
        shows: "npm run demo -- 06 --solution",
        command: ["npm", "run", "demo", "--", "06", "--solution"],
      },
    ],
  },
  {
    name: "demo-07",
    // The timelines are drawn from real timings; the text around them is not.
    varies: /│/,
    steps: [
      {
        shows: "npm run demo -- 07 --solution",
        command: ["npm", "run", "demo", "--", "07", "--solution"],
      },
    ],
  },
  {
    name: "demo-08",
    // Times and speed-ups vary from run to run; the row counts do not.
    varies: / ms|×/,
    steps: [
      {
        shows: "npm run demo -- 08 --solution",
        command: ["npm", "run", "demo", "--", "08", "--solution"],
      },
    ],
  },
  {
    name: "demo-09",
    steps: [
      {
        shows: "npm run demo -- 09 --solution",
        command: ["npm", "run", "demo", "--", "09", "--solution"],
      },
    ],
  },
  {
    name: "demo-10",
    steps: [
      {
        shows: "npm run demo -- 10 --solution",
        command: ["npm", "run", "demo", "--", "10", "--solution"],
      },
    ],
  },
  {
    name: "demo-11",
    steps: [
      {
        shows: "npm run demo -- 11 --solution",
        command: ["npm", "run", "demo", "--", "11", "--solution"],
      },
    ],
  },
  {
    name: "demo-12",
    steps: [
      {
        shows: "npm run demo -- 12 --solution",
        command: ["npm", "run", "demo", "--", "12", "--solution"],
      },
    ],
  },
  {
    name: "demo-13",
    steps: [
      {
        shows: "npm run demo -- 13 --solution",
        command: ["npm", "run", "demo", "--", "13", "--solution"],
      },
    ],
  },
  {
    name: "disposal-by-node-version",
    steps: [
      { shows: `node -p "${TYPES}"`, command: [process.execPath, "-p", TYPES] },
      {
        shows: `npx -y node@22 -p "${TYPES}"`,
        command: ["npx", "-y", "node@22", "-p", TYPES],
      },
      {
        shows: `npx -y node@24 -p "${TYPES}"`,
        command: ["npx", "-y", "node@24", "-p", TYPES],
      },
    ],
  },
];

/**
 * What each Python snippet that runs prints, on one version (the pages say
 * which): `python-06-context.txt` for `python/06_context.py`.
 */
const samplePython = findPythons().get(SAMPLE_PYTHON);
for (const file of listPythonFiles()) {
  if (file.facts || file.compileOnly) continue;
  if (!file.versions.includes(SAMPLE_PYTHON)) continue;
  SAMPLES.push({
    inPlace: true,
    name: `python-${file.name.replace(/\.py$/, "").replace(/_/g, "-")}`,
    steps: [
      {
        shows: `python${SAMPLE_PYTHON} ${file.path}`,
        command: [samplePython ?? `python${SAMPLE_PYTHON}`, file.path],
      },
    ],
    unavailable: samplePython
      ? undefined
      : `Python ${SAMPLE_PYTHON} not found (pyenv or python${SAMPLE_PYTHON} on the PATH)`,
  });
}
