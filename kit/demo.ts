/**
 * `npm run demo -- 01` runs `lessons/01-coroutines/demo.ts` against your
 * exercises; `npm run demo -- 01 --solution` runs the same demo against the
 * reference solutions.
 */
import { existsSync } from "node:fs";
import { join, relative } from "node:path";
import { findLesson, listLessons, workbookRoot } from "./catalog.ts";
import { runAgainstTree } from "./run-tree.ts";

const args = process.argv.slice(2);
const solution = args.includes("--solution") || args.includes("--solutions");
const filter = args.find((arg) => !arg.startsWith("--"));

function usage(message: string): never {
  console.error(message);
  console.error("\nUsage: npm run demo -- <lesson> [--solution]\nLessons:");
  for (const lesson of listLessons())
    console.error(`  ${lesson.number}  ${lesson.title}`);
  process.exit(2);
}

if (!filter) usage("Which lesson's demo? Name it by number.");
const lesson = findLesson(filter);
if (!lesson) usage(`There is no lesson "${filter}".`);
const demo = join(workbookRoot, "lessons", lesson.id, "demo.ts");
if (!existsSync(demo)) usage(`Lesson ${lesson.id} has no demo.`);

console.error(
  `▶ ${relative(workbookRoot, demo)} against ${solution ? "solutions/ (the reference)" : "lessons/ (your code)"}\n`,
);
runAgainstTree(demo, [], {
  solution,
  borrow: { entries: [demo], own: [lesson.id] },
});
