/**
 * `npm run python`: the Python beside the TypeScript is run too. Every
 * asyncio snippet a page shows is a region of a file in `python/`, and every
 * claim a page makes about Python is a check in `python/NN_slug_facts.py`.
 * This runs each file on every Python version it names (`# versions: A-B`)
 * that this machine has (pyenv's, or `python3.X` on the PATH), two at a time:
 * a snippet must exit 0, a facts file must find every claim true (a version
 * claim is checked on both sides of its version), and a snippet that needs
 * a package PyPI would bring (`# compile-only: …`) is compiled instead. A
 * missing version is skipped with a line that says so, not failed. It also
 * fails when a page shows Python that is not included from `python/`.
 * Part of `npm run verify`.
 */
import { spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { workbookRoot } from "../kit/catalog.ts";
import { bold, dim, green, red, yellow } from "../kit/colors.ts";
import {
  COMPILE,
  findPythons,
  listPythonFiles,
  pythonEnv,
  type PythonFile,
} from "./pythons.ts";

const TIME_LIMIT_MS = 60_000;
const JOBS = 2;

interface Run {
  file: PythonFile;
  version: string;
  python: string;
}

interface Outcome {
  code: number | null;
  output: string;
  ms: number;
}

function execute({ file, python }: Run): Promise<Outcome> {
  const args = file.compileOnly ? [...COMPILE, file.path] : [file.path];
  const started = performance.now();
  const child = spawn(python, args, {
    cwd: workbookRoot,
    env: pythonEnv(),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const limit = setTimeout(() => {
    output += `\n(stopped after ${TIME_LIMIT_MS / 1000} s)`;
    child.kill("SIGKILL");
  }, TIME_LIMIT_MS);
  return new Promise((resolve) => {
    child.on("error", (error) => (output += String(error)));
    child.on("close", (code) => {
      clearTimeout(limit);
      resolve({ code, output, ms: performance.now() - started });
    });
  });
}

/** What a passing run says after its name: the claims, or "compiles". */
function note(file: PythonFile, output: string): string {
  if (file.compileOnly) return `compiles (not run: ${file.compileOnly})`;
  if (!file.facts) return "runs";
  const summary = /^\d+ of \d+ claims as the page says.*$/m.exec(output);
  return summary ? summary[0].replace(/ on Python [\d.]+/, "") : "";
}

/** Python shown on a page must come from a file (`<<< @/../python/…`). */
function inlinePython(): string[] {
  const pages = [
    ...readdirSync(join(workbookRoot, "docs")).map((f) => `docs/${f}`),
    ...readdirSync(join(workbookRoot, "docs/lessons")).map(
      (f) => `docs/lessons/${f}`,
    ),
  ].filter((page) => page.endsWith(".md"));
  return pages.flatMap((page) =>
    readFileSync(join(workbookRoot, page), "utf8")
      .split("\n")
      .flatMap((line, i) =>
        /^\s*(```|~~~)\s*py(thon)?\b/.test(line)
          ? [`${page}:${i + 1} shows Python inline; include it from python/`]
          : [],
      ),
  );
}

const started = performance.now();
const pythons = findPythons();
const files = listPythonFiles();
const runs: Run[] = [];
const skipped = new Map<string, string[]>();
for (const file of files) {
  for (const version of file.versions) {
    const python = pythons.get(version);
    if (python) runs.push({ file, version, python });
    else skipped.set(version, [...(skipped.get(version) ?? []), file.name]);
  }
}

console.log(
  bold(`Python ${[...pythons.keys()].join(", ")}: ${files.length} files`),
);
for (const [version, names] of skipped) {
  console.log(
    yellow(`skipped: Python ${version} not found`) +
      dim(` (not run there: ${names.join(", ")})`),
  );
}

let failed = 0;
const queue = [...runs];
async function worker(): Promise<void> {
  for (let run = queue.shift(); run; run = queue.shift()) {
    const { code, output, ms } = await execute(run);
    const where = `${run.file.name} on ${run.version}`;
    const time = dim(`${(ms / 1000).toFixed(1)} s`);
    if (code === 0) {
      console.log(`${green("✓")} ${where}: ${note(run.file, output)} ${time}`);
      continue;
    }
    failed += 1;
    console.log(`${red("✗")} ${where} exited ${code} ${time}`);
    console.log(output.trimEnd().replace(/^/gm, "    "));
  }
}
await Promise.all(Array.from({ length: JOBS }, worker));

const inline = inlinePython();
for (const problem of inline) console.log(`${red("✗")} ${problem}`);

const seconds = ((performance.now() - started) / 1000).toFixed(1);
console.log(
  bold(
    `\n${runs.length - failed} of ${runs.length} Python runs passed` +
      (skipped.size > 0 ? `, ${skipped.size} version(s) skipped` : "") +
      ` in ${seconds} s`,
  ),
);
process.exitCode = failed === 0 && inline.length === 0 ? 0 : 1;
