/**
 * Sample output on the pages comes from running the real command: each sample
 * here is a command, run in a sandbox copy of the workbook (its `lessons/` as
 * committed, plus the learner's edits the sample asks for), and its output is
 * written to `docs/samples/<name>.txt`, which the page includes.
 *
 *   npm run samples            writes every sample again
 *   npm run samples -- --check fails when a sample no longer matches what its
 *                              command prints (numbers that vary from run to
 *                              run, such as timings, are not compared)
 */
import { spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { workbookRoot } from "../kit/catalog.ts";
import { bold, green, red, yellow } from "../kit/colors.ts";
import { SAMPLES, type Sample } from "./samples/catalog.ts";
import { pythonEnv } from "./pythons.ts";
import { createSandbox, withoutColour } from "./sandbox.ts";

const folder = join(workbookRoot, "docs", "samples");

/** Runs a command in this checkout, for a sample that needs no sandbox. */
function runHere(command: string[]): Promise<{ code: number; output: string }> {
  const [file, ...args] = command as [string, ...string[]];
  const child = spawn(file, args, {
    cwd: workbookRoot,
    env: withoutColour(pythonEnv()),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? 1, output }));
  });
}

async function produce(sample: Sample): Promise<string> {
  await using sandbox = sample.inPlace
    ? undefined
    : await createSandbox(sample.changes ?? {}, { pristineLessons: true });
  const parts: string[] = [];
  for (const step of sample.steps) {
    const { code, output } = sandbox
      ? await sandbox.run(step.command[0]!, step.command.slice(1))
      : await runHere(step.command);
    const expected = step.exitCode ?? 0;
    if (code !== expected) {
      throw new Error(
        `sample ${sample.name}: \`${step.shows}\` exited with ${code}, not ${expected}:\n${output}`,
      );
    }
    parts.push(`$ ${step.shows}\n${cleanOutput(output)}`);
  }
  return `${parts.join("\n\n").trimEnd()}\n`;
}

/** What npm and this machine add that a learner's run would not show. */
function cleanOutput(output: string): string {
  return output
    .split("\n")
    .filter((line) => !/^npm warn /.test(line))
    .filter((line) => !/^> /.test(line))
    .join("\n")
    .replace(/^\n+/, "")
    .trimEnd();
}

/** Numbers that vary from run to run (timings, counts) are not compared. */
function comparable(sample: Sample, text: string): string {
  const lines = text.split("\n").filter((line) => !sample.varies?.test(line));
  return (
    lines
      .join("\n")
      .replace(/\/tmp\/[\w.-]+/g, "/tmp/…") // mkdtemp's random names
      // With the spaces before it: a column of times pads 694 to " 694".
      .replace(/ *\d+(?:[.,]\d+)*/g, " N")
  );
}

async function main(): Promise<void> {
  const check = process.argv.includes("--check");
  const only = process.argv.slice(2).filter((arg) => !arg.startsWith("--"));
  const listed = SAMPLES.filter(
    (s) => only.length === 0 || only.includes(s.name),
  );
  for (const sample of listed.filter((s) => s.unavailable)) {
    console.log(
      `${yellow("skipped")} docs/samples/${sample.name}.txt: ${sample.unavailable}`,
    );
  }
  const chosen = listed.filter((s) => !s.unavailable);
  const produced = await Promise.all(
    chosen.map(async (sample) => ({ sample, text: await produce(sample) })),
  );
  let stale = 0;
  for (const { sample, text } of produced) {
    const path = join(folder, `${sample.name}.txt`);
    if (!check) {
      writeFileSync(path, text);
      console.log(`wrote docs/samples/${sample.name}.txt`);
      continue;
    }
    let committed = "";
    try {
      committed = readFileSync(path, "utf8");
    } catch {
      // a sample that was never written is stale
    }
    if (comparable(sample, committed) === comparable(sample, text)) {
      console.log(`${green("current")} docs/samples/${sample.name}.txt`);
      continue;
    }
    stale += 1;
    console.log(
      `${red("stale")}   docs/samples/${sample.name}.txt: its command now prints`,
    );
    console.log(text.replace(/^/gm, "        "));
  }
  if (check) {
    console.log(
      bold(`\n${chosen.length - stale} of ${chosen.length} samples current`),
    );
    if (stale > 0) {
      console.log(
        "Run `npm run samples` to write them again, and read the pages that show them.",
      );
      process.exitCode = 1;
    }
  }
}

await main();
