/**
 * Runs every lesson's demo against the reference solutions, offline, on the
 * Node that runs this file: `npx tsx scripts/demos.ts`, or on another version
 * with `npx -y node@22 --import tsx scripts/demos.ts`. `npm run verify` does it on
 * Node 20, 22 and 24. A demo passes when it exits 0 within a minute; a failing
 * one prints the end of its output.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { listLessons, workbookRoot } from "../kit/catalog.ts";
import { bold, green, red } from "../kit/colors.ts";

const TIME_LIMIT_MS = 60_000;

interface Outcome {
  code: number | null;
  output: string;
  ms: number;
}

function runDemo(file: string): Promise<Outcome> {
  const started = performance.now();
  // Offline whatever the caller's shell holds: the demos must not need a key.
  const env: NodeJS.ProcessEnv = { ...process.env, FORCE_COLOR: "" };
  delete env.ANTHROPIC_API_KEY;
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "--conditions=solutions", file],
    { cwd: workbookRoot, env, stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const limit = setTimeout(() => {
    output += `\n(stopped after ${TIME_LIMIT_MS / 1000} s)`;
    child.kill("SIGKILL");
  }, TIME_LIMIT_MS);
  return new Promise((resolve) =>
    child.on("close", (code) => {
      clearTimeout(limit);
      resolve({ code, output, ms: performance.now() - started });
    }),
  );
}

let failed = 0;
const demos = listLessons()
  .map((lesson) => ({
    lesson,
    file: join(workbookRoot, "lessons", lesson.id, "demo.ts"),
  }))
  .filter(({ file }) => existsSync(file));
for (const { lesson, file } of demos) {
  const { code, output, ms } = await runDemo(file);
  const time = `${(ms / 1000).toFixed(1)} s`;
  if (code === 0) {
    console.log(`${green("✓")} demo ${lesson.number} ${time}`);
    continue;
  }
  failed += 1;
  console.log(`${red("✗")} demo ${lesson.number} exited ${code} (${time})`);
  console.log(output.trimEnd().split("\n").slice(-15).join("\n"));
}
console.log(
  bold(
    `\n${demos.length - failed} of ${demos.length} demos ran against ` +
      `the reference on Node ${process.versions.node}`,
  ),
);
process.exitCode = failed === 0 ? 0 : 1;
