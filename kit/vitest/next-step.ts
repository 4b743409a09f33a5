/**
 * The last words of `npm test`: what to do next, and where to read about it
 * (the file and the page on the local site, at the exercise's heading).
 */
import { relative } from "node:path";
import type { SerializedError } from "vitest/node";
import {
  findExercise,
  listLessons,
  workbookRoot,
  type Lesson,
} from "../catalog.ts";
import { bold, cyan, dim, green, stripColors } from "../colors.ts";
import { sectionOf } from "../pages.ts";
import type { LessonProgress } from "./progress.ts";

/** Where `npm run docs` serves the site (VitePress's default port). */
export const LOCAL_SITE = "http://localhost:5173";

export function nextStep(progress: readonly LessonProgress[]): string[] {
  for (const lesson of progress) {
    if (lesson.loadError) {
      const testFile = relative(workbookRoot, lesson.module.moduleId);
      return [
        `${bold("Next:")} ${testFile} could not load, so none of its tests ran`,
        `  fix  ${cyan(loadErrorPlace(lesson.loadError) ?? testFile)}`,
      ];
    }
    const exercise = lesson.exercises.find((e) => e.status !== "done");
    if (!exercise) continue;
    const blame = exercise.blame;
    if (blame && blame.reason !== "unchecked") {
      // The other exercise is what to fix: point there.
      const other = listLessons().find((l) => l.id === blame.lesson);
      const page = other?.page ?? `docs/lessons/${blame.lesson}.md`;
      return [
        `${bold("Next:")} ${cyan(blame.exercise)} ${dim(`(${exercise.name} needs it first)`)}`,
        `  edit ${blame.file}`,
        `  read ${pageUrl(other, blame.exercise) ?? page}`,
        dim(`       (${page}, on the site that npm run docs serves)`),
      ];
    }
    const page = lesson.lesson?.page ?? `docs/lessons/${lesson.id}.md`;
    return [
      `${bold("Next:")} ${cyan(exercise.name)} ${dim(`(${exercise.status})`)}`,
      `  edit ${exercise.file ?? `lessons/${lesson.id}/`}`,
      `  read ${pageUrl(lesson.lesson, exercise.name) ?? page}`,
      dim(`       (${page}, on the site that npm run docs serves)`),
      ...(blame
        ? [
            dim(
              `  it runs your ${blame.exercise}: check that first with npm test -- ${blame.lesson.slice(0, 2)}`,
            ),
          ]
        : []),
    ];
  }
  const borrowed = progress.flatMap((lesson) =>
    lesson.exercises.some((e) => e.status === "done")
      ? lesson.borrowed.map(
          (b) =>
            `  ${lesson.id.slice(0, 2)} ran on the reference ${b.names.join(", ")}: ` +
            `write ${b.file} to run it all on your own code`,
        )
      : [],
  );
  return [
    green("Every exercise in this run is done."),
    ...[...new Set(borrowed)].map((line) => dim(line)),
  ];
}

/** `lessons/01-coroutines/fetch-all.ts:16:13: Unexpected token` */
export function loadErrorPlace(error: SerializedError): string | undefined {
  const message = stripColors(error.message ?? "");
  const at =
    /((?:lessons|solutions|test|kit)\/[\w./-]+\.ts):(\d+):(\d+)/.exec(
      message,
    )?.[0] ??
    error.stacks
      ?.map((s) => `${relative(workbookRoot, s.file)}:${s.line}:${s.column}`)
      .find((place) => /^(lessons|solutions)\//.test(place));
  const cause =
    /\[[A-Z_]+\] (.+)/.exec(message)?.[1] ??
    message.split("\n").find((line) => line.trim() !== "");
  if (!at) return cause;
  return cause ? `${at}: ${cause.trim()}` : at;
}

function pageUrl(
  lesson: Lesson | undefined,
  exercise: string,
): string | undefined {
  if (!lesson) return undefined;
  const anchor = sectionOf(lesson.id, exercise)?.anchor;
  return `${LOCAL_SITE}${lesson.link}${anchor ? `#${anchor}` : ""}`;
}

/** What to say when `npm test -- <filter>` matched no test file. */
export function noLessonMatches(filters: readonly string[]): string {
  const shown = filters.map((f) => `"${f}"`).join(" ");
  const lines = [
    filters.length > 0
      ? `No lesson matches ${shown}.`
      : "No test file was found.",
    "",
    "Run one lesson by its number or its name:",
    "  npm test -- 01",
    "  npm test -- coroutines",
    "Run the tests whose name contains some words:",
    '  npm test -- -t "rejects with signal.reason"',
  ];
  for (const filter of filters) {
    const found = findExercise(filter);
    if (found) {
      lines.push(
        "",
        `${found.name} is an exercise of lesson ${found.lesson.number} ` +
          `(${found.file}); to run only its tests:`,
        `  npm test -- ${found.lesson.number} -t ${found.name}`,
      );
    }
  }
  const lessons = listLessons();
  if (lessons.length > 0) {
    lines.push("", "Lessons:");
    const width = Math.max(...lessons.map((lesson) => lesson.id.length));
    for (const lesson of lessons) {
      lines.push(`  ${lesson.id.padEnd(width)}  ${lesson.title}`);
    }
  }
  return lines.join("\n");
}
