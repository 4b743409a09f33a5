/**
 * What a test run says about the record: for each lesson that ran, every
 * exercise's state, or nothing for an exercise a filter left out (it keeps
 * what the record said).
 */
import type { TestModule } from "vitest/node";
import type { Hint } from "../lint/hints.ts";
import { plain } from "../colors.ts";
import { plainMessage } from "../vitest/messages.ts";
import { loadErrorPlace } from "../vitest/next-step.ts";
import { testStatus, type LessonProgress } from "../vitest/progress.ts";
import { blameMessage, currentHash } from "../vitest/blame.ts";
import { borrowedLine } from "../borrow/graph.ts";
import {
  shortMessage,
  type ExerciseRecord,
  type HintRecord,
  type UpdatedLesson,
} from "./record.ts";

export function recordUpdate(
  progress: readonly LessonProgress[],
  filtered: boolean,
  hints: ReadonlyMap<string, readonly Hint[]> = new Map(),
): Record<string, UpdatedLesson> {
  const update: Record<string, UpdatedLesson> = {};
  for (const lesson of progress) {
    if (lesson.loadError) {
      const place = loadErrorPlace(lesson.loadError) ?? "could not load";
      update[lesson.id] = { exercises: {}, loadError: shortMessage(place) };
      continue;
    }
    const exercises: Record<string, ExerciseRecord | undefined> = {};
    for (const [name, leftOut] of exerciseNames(lesson.module, filtered)) {
      const exercise = lesson.exercises.find((e) => e.name === name);
      if (leftOut || !exercise) {
        exercises[name] = undefined;
        continue;
      }
      const failed = exercise.tests.find(
        (t) => t.status === "failed" || t.status === "skipped",
      );
      exercises[name] =
        exercise.status === "failing" && failed
          ? {
              state: "failing",
              failure: {
                test: failed.name,
                message:
                  failed.status === "skipped"
                    ? "skipped: every test must run"
                    : shortMessage(
                        plainMessage(
                          plain(
                            failed.test.result().errors?.[0]?.message ?? "",
                          ),
                        ),
                      ),
              },
            }
          : { state: exercise.status };
      const found = lintFindings(hints, lesson.id, name);
      if (exercise.status !== "not started" && found.length > 0)
        exercises[name] = { ...exercises[name], hints: found };
      if (exercise.blame)
        exercises[name] = {
          ...exercises[name],
          blame: {
            exercise: exercise.blame.exercise,
            file: exercise.blame.file,
            message: blameMessage(exercise.blame, { name, lesson: lesson.id }),
          },
        };
      const source = exercise.file && currentHash(exercise.file);
      if (source) exercises[name] = { ...exercises[name], source };
    }
    const borrowed = lesson.borrowed.map((b) => ({
      file: b.file,
      names: b.names,
      line: borrowedLine(b),
    }));
    update[lesson.id] =
      borrowed.length > 0 ? { exercises, borrowed } : { exercises };
  }
  return update;
}

function lintFindings(
  hints: ReadonlyMap<string, readonly Hint[]>,
  lesson: string,
  exercise: string,
): HintRecord[] {
  return (hints.get(exercise) ?? [])
    .filter((hint) => hint.lesson === lesson)
    .map(({ file, line, message }) => ({ file, line, message }));
}

/**
 * The top-level describes, in order, and whether a filter left out any of
 * their tests.
 */
function exerciseNames(
  module: TestModule,
  filtered: boolean,
): Map<string, boolean> {
  const names = new Map<string, boolean>();
  for (const child of module.children) {
    if (child.type !== "suite") continue;
    const leftOut = [...child.children.allTests()].some(
      (test) => testStatus(test, filtered) === "left out",
    );
    names.set(child.name, (names.get(child.name) ?? false) || leftOut);
  }
  return names;
}
