/**
 * Runs a TypeScript file in a child process against one tree of exercises:
 * `lessons/` (the learner's code) or, with `solution`, `solutions/` (the
 * reference). The `solutions` condition is what switches the `#exercises/*`
 * import. On the learner's tree, the untouched stubs of the lessons the run
 * builds on are borrowed from the reference (kit/borrow/), which it says
 * once, up front. The child's exit code becomes this process's.
 */
import { spawn } from "node:child_process";
import { join } from "node:path";
import { workbookRoot } from "./catalog.ts";
import { borrowedLine, borrowPlan } from "./borrow/graph.ts";
import { dim } from "./colors.ts";

export interface TreeOptions {
  solution: boolean;
  nodeFlags?: string[];
  /**
   * What the run executes and which lessons it is about (never borrowed):
   * the files whose imports say what it borrows.
   */
  borrow?: Borrowing;
}

interface Borrowing {
  entries: string[];
  own: string[];
  /** Also say, lesson by lesson, whose code runs (the agent does). */
  listLessons?: boolean;
}

export function runAgainstTree(
  file: string,
  args: string[],
  options: TreeOptions,
): void {
  const borrowing = !options.solution && options.borrow !== undefined;
  if (borrowing) announceBorrowed(options.borrow!);
  const child = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      ...(options.solution ? ["--conditions=solutions"] : []),
      ...(borrowing
        ? ["--import", join(workbookRoot, "kit", "borrow", "register.ts")]
        : []),
      ...(options.nodeFlags ?? []),
      file,
      ...args,
    ],
    {
      cwd: workbookRoot,
      stdio: "inherit",
      env: borrowing
        ? { ...process.env, WORKBOOK_OWN: options.borrow!.own.join(",") }
        : process.env,
    },
  );
  for (const signal of ["SIGINT", "SIGTERM"] as const)
    process.on(signal, () => child.kill(signal));
  child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

function announceBorrowed({ entries, own, listLessons }: Borrowing): void {
  const plan = borrowPlan(entries, { own: new Set(own) });
  if (listLessons) {
    const whose = (who: "yours" | "reference") =>
      [...plan.lessons]
        .filter(([, owner]) => owner === who)
        .map(([lesson]) => lesson)
        .sort()
        .join(", ");
    console.error(`  your code:      ${whose("yours") || "none"}`);
    if (whose("reference"))
      console.error(
        `  the reference:  ${whose("reference")} (not started yet)`,
      );
  }
  for (const borrowed of plan.borrowed)
    console.error(dim(`  ${borrowedLine(borrowed)}`));
  if (plan.borrowed.length > 0) console.error("");
}
