/**
 * Turns vitest's results into exercises: a lesson's test file holds one
 * top-level `describe("<exported name>")` per exercise, so the describe names
 * are the exercises.
 */
import type { TestCase, TestModule, TestSuite } from "vitest/node";
import { basename } from "node:path";
import { exerciseFile, listLessons, type Lesson } from "../catalog.ts";

export type TestStatus = "passed" | "failed" | "not started" | "skipped";
export type ExerciseStatus = "done" | "failing" | "not started";

export interface TestOutcome {
  name: string;
  status: TestStatus;
  test: TestCase;
}

export interface Exercise {
  name: string;
  file: string | undefined;
  tests: TestOutcome[];
  status: ExerciseStatus;
}

export interface LessonProgress {
  id: string;
  lesson: Lesson | undefined;
  module: TestModule;
  exercises: Exercise[];
}

export function testStatus(test: TestCase): TestStatus {
  const result = test.result();
  if (result.state === "passed") return "passed";
  if (result.state === "failed") return "failed";
  return test.meta().notStarted ? "not started" : "skipped";
}

export function exerciseStatus(tests: readonly TestOutcome[]): ExerciseStatus {
  if (tests.some((t) => t.status === "failed" || t.status === "skipped"))
    return "failing";
  if (tests.every((t) => t.status === "passed")) return "done";
  return "not started";
}

export function lessonProgress(
  modules: readonly TestModule[],
): LessonProgress[] {
  const lessons = listLessons();
  return modules
    .map((module) => {
      const id = basename(module.moduleId).replace(/\.test\.ts$/, "");
      const byExercise = new Map<string, TestOutcome[]>();
      for (const test of module.children.allTests()) {
        const name = topLevelSuite(test)?.name ?? "(tests outside a describe)";
        const list = byExercise.get(name) ?? [];
        list.push({ name: test.name, status: testStatus(test), test });
        byExercise.set(name, list);
      }
      const exercises = [...byExercise].map(([name, tests]) => ({
        name,
        file: exerciseFile(id, name),
        tests,
        status: exerciseStatus(tests),
      }));
      return {
        id,
        lesson: lessons.find((l) => l.id === id),
        module,
        exercises,
      };
    })
    .sort((a, b) => a.id.localeCompare(b.id));
}

function topLevelSuite(test: TestCase): TestSuite | undefined {
  let suite: TestSuite | undefined;
  for (
    let parent = test.parent;
    parent.type === "suite";
    parent = parent.parent
  )
    suite = parent;
  return suite;
}
