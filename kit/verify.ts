/**
 * `npm run verify`: everything CI checks, in one command. Every step runs even
 * when an earlier one failed, so one run shows every problem. The last line is
 * the reference-solution run's `N passed, N failed`.
 */
import { spawn, spawnSync } from "node:child_process";
import { workbookRoot } from "./catalog.ts";
import { bold, green, red, stripColors, yellow } from "./colors.ts";

interface Step {
  name: string;
  command: string[];
  /** Why the step is skipped in this checkout, if it is. */
  skip?: () => string | undefined;
}

const steps: Step[] = [
  {
    name: "types, and stubs that match their solutions",
    command: ["npm", "run", "--silent", "typecheck"],
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
  },
  {
    name: "each listed mistake is caught",
    command: ["npm", "run", "--silent", "mutants"],
  },
  {
    name: "the site builds",
    command: ["npm", "run", "--silent", "docs:build"],
  },
  {
    name: "every page renders in a browser",
    command: ["npm", "run", "--silent", "browser-check"],
  },
];

function learnerHasEdited(): boolean {
  const status = spawnSync(
    "git",
    ["status", "--porcelain", "--untracked-files=no", "--", "lessons"],
    { cwd: workbookRoot, encoding: "utf8" },
  );
  return status.status === 0 && status.stdout.trim() !== "";
}

function run(command: string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const [file, ...args] = command as [string, ...string[]];
    const child = spawn(file, args, {
      cwd: workbookRoot,
      stdio: ["ignore", "pipe", "inherit"],
      env: { ...process.env, FORCE_COLOR: process.stdout.isTTY ? "1" : "" },
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      process.stdout.write(chunk);
    });
    child.on("close", (code) => resolve({ code: code ?? 1, output }));
  });
}

const results: {
  name: string;
  outcome: "passed" | "failed" | "skipped";
  note?: string;
}[] = [];
let closingLine = "0 passed, 1 failed";
for (const step of steps) {
  const reason = step.skip?.();
  console.log(bold(`\n━━ ${step.name}`));
  if (reason) {
    console.log(yellow(`skipped: ${reason}`));
    results.push({ name: step.name, outcome: "skipped", note: reason });
    continue;
  }
  const { code, output } = await run(step.command);
  results.push({ name: step.name, outcome: code === 0 ? "passed" : "failed" });
  if (step.command.includes("solutions")) {
    const line = stripColors(output)
      .split("\n")
      .reverse()
      .find((l) => /^\d+ passed, \d+ failed$/.test(l.trim()));
    closingLine = line?.trim() ?? "0 passed, 1 failed";
  }
}

console.log(bold("\n━━ verify"));
for (const { name, outcome, note } of results) {
  const mark =
    outcome === "passed"
      ? green("✓")
      : outcome === "failed"
        ? red("✗")
        : yellow("-");
  console.log(`${mark} ${name}${note ? ` (${note})` : ""}`);
}
const failed = results.some((r) => r.outcome === "failed");
console.log("");
console.log(closingLine);
process.exitCode = failed ? 1 : 0;
