/**
 * `npm run bench -- 07` measures lesson 07's exercises, your code, against the
 * libraries everyone uses; `--solution` measures the reference instead.
 * Without a lesson, every lesson that has benchmarks. Each result is a ratio
 * to a peer measured in the same run, never a time on its own: these machines
 * are noisy.
 */
import { findLesson } from "./catalog.ts";
import { benchFile, lessonsWithBenchmarks } from "./bench/files.ts";
import { runAgainstTree } from "./run-tree.ts";

const args = process.argv.slice(2);
const solution = args.includes("--solution") || args.includes("--solutions");
const filter = args.find((arg) => !arg.startsWith("--"));
const available = lessonsWithBenchmarks();

function usage(message: string): never {
  console.error(message);
  console.error(
    "\nUsage: npm run bench -- [<lesson>] [--solution] [--quick]\nLessons:",
  );
  for (const lesson of available)
    console.error(`  ${lesson.number}  ${lesson.title}`);
  process.exit(2);
}

let lessons = available;
if (filter) {
  const lesson = findLesson(filter);
  if (!lesson) usage(`There is no lesson "${filter}".`);
  lessons = available.filter((candidate) => candidate.id === lesson.id);
  if (lessons.length === 0) usage(`Lesson ${lesson.id} has no benchmarks.`);
}

console.error(
  `▶ benchmarks against ${solution ? "solutions/ (the reference)" : "lessons/ (your code)"}`,
);
runAgainstTree(
  "kit/bench/run.ts",
  [
    solution ? "reference" : "yours",
    ...lessons.map((lesson) => lesson.id),
    ...(args.includes("--quick") ? ["--quick"] : []),
  ],
  {
    solution,
    // gc() between runs, so one contender's garbage is not another's pause.
    nodeFlags: ["--expose-gc"],
    borrow: {
      entries: lessons.map((lesson) => benchFile(lesson.id)),
      own: lessons.map((lesson) => lesson.id),
    },
  },
);
