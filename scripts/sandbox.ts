/**
 * A throwaway copy of the workbook: the tracked files, `node_modules` linked,
 * and the changes you ask for (a solved exercise, a syntax error). The kit's
 * own tests and the sample generator run real commands in it, as a learner
 * would, without touching this checkout.
 */
import { spawn, spawnSync } from "node:child_process";
import {
  mkdirSync,
  mkdtempSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { copyFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { workbookRoot } from "../kit/catalog.ts";

export interface Sandbox extends AsyncDisposable {
  readonly root: string;
  /** Runs `command` in the sandbox without colours; output is stdout and stderr. */
  run(
    command: string,
    args: string[],
    options?: { env?: Record<string, string> },
  ): Promise<{ code: number; output: string }>;
}

/** `changes` maps a path in the workbook to its new text (`null` deletes it). */
export async function createSandbox(
  changes: Record<string, string | null> = {},
  options: {
    /**
     * Start from the committed exercise stubs, whatever the learner wrote in
     * lessons/ (the demos stay as they are in this checkout).
     */
    pristineLessons?: boolean;
  } = {},
): Promise<Sandbox> {
  const root = mkdtempSync(join(tmpdir(), "workbook-sandbox-"));
  const listed = spawnSync("git", ["ls-files", "-co", "--exclude-standard"], {
    cwd: workbookRoot,
    encoding: "utf8",
  });
  if (listed.status !== 0)
    throw new Error(`git ls-files failed: ${listed.stderr}`);
  const files = listed.stdout.split("\n").filter(Boolean);
  for (const dir of new Set(files.map((file) => dirname(file)))) {
    mkdirSync(join(root, dir), { recursive: true });
  }
  await Promise.all(
    files.map((file) =>
      copyFile(join(workbookRoot, file), join(root, file)).catch(() => {
        // a file deleted in the working tree but still tracked: skip it
      }),
    ),
  );
  if (options.pristineLessons) {
    const archive = spawnSync(
      "sh",
      [
        "-c",
        `git archive HEAD -- lessons ':(exclude)lessons/*/demo.ts' | tar -x -C "${root}"`,
      ],
      { cwd: workbookRoot, encoding: "utf8" },
    );
    if (archive.status !== 0)
      throw new Error(`git archive failed: ${archive.stderr}`);
  }
  symlinkSync(join(workbookRoot, "node_modules"), join(root, "node_modules"));
  for (const [file, text] of Object.entries(changes)) {
    if (text === null) rmSync(join(root, file), { force: true });
    else writeFileSync(join(root, file), text);
  }
  return {
    root,
    run: (command, args, options) => run(root, command, args, options?.env),
    async [Symbol.asyncDispose]() {
      await rm(root, { recursive: true, force: true });
    },
  };
}

function run(
  cwd: string,
  command: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd,
      env: withoutColour({ ...process.env, ...env }),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? 1, output }));
  });
}

/** `env` for a child whose output a test reads: no colour codes, no warning. */
export function withoutColour(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  // Node warns when NO_COLOR and FORCE_COLOR are both set, even to "".
  const { FORCE_COLOR: _, ...rest } = env;
  return { ...rest, NO_COLOR: "1" };
}
