/**
 * Runs a TypeScript file in a child process against one tree of exercises:
 * `lessons/` (the learner's code) or, with `solution`, `solutions/` (the
 * reference). The `solutions` condition is what switches the `#exercises/*`
 * import. The child's exit code becomes this process's.
 */
import { spawn } from "node:child_process";
import { workbookRoot } from "./catalog.ts";

export function runAgainstTree(
  file: string,
  args: string[],
  options: { solution: boolean; nodeFlags?: string[] },
): void {
  const child = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      ...(options.solution ? ["--conditions=solutions"] : []),
      ...(options.nodeFlags ?? []),
      file,
      ...args,
    ],
    { cwd: workbookRoot, stdio: "inherit" },
  );
  for (const signal of ["SIGINT", "SIGTERM"] as const)
    process.on(signal, () => child.kill(signal));
  child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}
