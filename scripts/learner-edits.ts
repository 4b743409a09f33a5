/**
 * Whether `lessons/` holds the learner's own work (tracked files changed):
 * then the untouched-stub checks are skipped, since they would only report
 * the learner's progress. CI always runs on untouched stubs.
 */
import { spawnSync } from "node:child_process";
import { workbookRoot } from "../kit/catalog.ts";

export function learnerHasEdited(): boolean {
  const status = spawnSync(
    "git",
    ["status", "--porcelain", "--untracked-files=no", "--", "lessons"],
    { cwd: workbookRoot, encoding: "utf8" },
  );
  return status.status === 0 && status.stdout.trim() !== "";
}
