/**
 * The checks that prove the workbook on another Node version, with a Node
 * binary from the npm registry (`npx -y node@22`): the reference passes every
 * test, every untouched stub reports not started, the version facts the pages
 * state hold, and every demo runs. Usage: `npx tsx scripts/on-node.ts 22`
 * (`npm run verify` runs it for 22 and 24).
 */
import { spawn, spawnSync } from "node:child_process";
import { workbookRoot } from "../kit/catalog.ts";
import { bold, green, red, yellow } from "../kit/colors.ts";
import { learnerHasEdited } from "./learner-edits.ts";

const version = process.argv[2];
if (!version || !/^\d+$/.test(version)) {
  console.error("Usage: npx tsx scripts/on-node.ts <major version, e.g. 22>");
  process.exit(2);
}

// npx fetches the `node` package once (then it is cached) and prints the
// path of its binary, which every check below runs directly.
const found = spawnSync(
  "npx",
  ["-y", `node@${version}`, "-p", "process.execPath"],
  { cwd: workbookRoot, encoding: "utf8" },
);
const node = found.stdout.trim();
if (found.status !== 0 || !node) {
  console.error(
    `Could not get Node ${version} from the npm registry:\n${found.stderr}`,
  );
  process.exit(1);
}

const vitest = [node, "node_modules/vitest/vitest.mjs", "run"];
const checks: { name: string; command: string[]; skip?: string }[] = [
  {
    name: "reference solutions pass every test",
    command: [...vitest, "--mode", "solutions"],
  },
  {
    name: "every untouched stub reports not started",
    command: [...vitest, "--mode", "untouched"],
    skip: learnerHasEdited()
      ? "lessons/ holds your own work (CI checks the untouched stubs)"
      : undefined,
  },
  {
    name: "the pages' version facts hold",
    command: [
      ...[...vitest, "--config", "vitest.kit.config.ts"],
      "scripts/node-versions.test.ts",
    ],
  },
  {
    name: "every demo runs against the reference",
    command: [node, "--import", "tsx", "scripts/demos.ts"],
  },
];

function run(command: string[]): Promise<{ code: number; output: string }> {
  const [file, ...args] = command as [string, ...string[]];
  const child = spawn(file, args, {
    cwd: workbookRoot,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve) =>
    child.on("close", (code) => resolve({ code: code ?? 1, output })),
  );
}

const runtime = spawnSync(node, ["--version"], { encoding: "utf8" });
console.log(bold(`Node ${runtime.stdout.trim()} (${node})`));
let failed = 0;
for (const check of checks) {
  if (check.skip) {
    console.log(`${yellow("-")} ${check.name} (${check.skip})`);
    continue;
  }
  const started = performance.now();
  const { code, output } = await run(check.command);
  const time = `${((performance.now() - started) / 1000).toFixed(1)} s`;
  if (code === 0) {
    console.log(`${green("✓")} ${check.name} ${time}`);
    continue;
  }
  failed += 1;
  console.log(`${red("✗")} ${check.name} ${time}\n${output.trimEnd()}`);
}
process.exitCode = failed === 0 ? 0 : 1;
