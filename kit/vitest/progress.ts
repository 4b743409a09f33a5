/**
 * Turns vitest's results into exercises: a lesson's test file holds one
 * top-level `describe("<exported name>")` per exercise, so the describe names
 * are the exercises.
 */
import type {
  SerializedError,
  TestCase,
  TestModule,
  TestSuite,
} from "vitest/node";
import { basename } from "node:path";
import { exerciseFile, listLessons, type Lesson } from "../catalog.ts";
import { borrowPlan, type Borrowed } from "../borrow/graph.ts";
import type { Blame } from "./blame.ts";

/**
 * `left out`: a filter (`-t`, `.only`, a file:line) did not select the test.
 * `skipped`: the test was skipped although nothing filtered it.
 */
export type TestStatus =
  "passed" | "failed" | "not started" | "skipped" | "left out";
export type ExerciseStatus = "done" | "failing" | "not started";

export interface TestOutcome {
  name: string;
  status: TestStatus;
  test: TestCase;
  /** Another exercise of the learner's that this outcome comes from. */
  blame?: Blame;
}

export interface Exercise {
  name: string;
  file: string | undefined;
  /** The tests that ran (tests left out by a filter are not here). */
  tests: TestOutcome[];
  status: ExerciseStatus;
  /** Another exercise of the learner's that its trouble comes from. */
  blame?: Blame;
}

export interface LessonProgress {
  id: string;
  lesson: Lesson | undefined;
  module: TestModule;
  /** The test file failed to load (a syntax error in an exercise, say). */
  loadError: SerializedError | undefined;
  exercises: Exercise[];
  /** How many of the lesson's tests a filter left out. */
  leftOut: number;
  /** Untouched stubs of other lessons that ran as the reference. */
  borrowed: Borrowed[];
}

export function testStatus(test: TestCase, filtered: boolean): TestStatus {
  const result = test.result();
  if (result.state === "passed") return "passed";
  if (result.state === "failed") return "failed";
  if (test.meta().notStarted) return "not started";
  return filtered ? "left out" : "skipped";
}

export function exerciseStatus(tests: readonly TestOutcome[]): ExerciseStatus {
  if (tests.some((t) => t.status === "failed" || t.status === "skipped")) {
    return "failing";
  }
  if (tests.every((t) => t.status === "passed")) return "done";
  return "not started";
}

/** `filtered`: the run selected tests by name or place, so a skip is a filter's. */
export function lessonProgress(
  modules: readonly TestModule[],
  filtered: boolean,
  borrowing = true,
): LessonProgress[] {
  const lessons = listLessons();
  return modules
    .map((module) => {
      const id = basename(module.moduleId).replace(/\.test\.ts$/, "");
      const byExercise = new Map<string, TestOutcome[]>();
      let leftOut = 0;
      for (const test of module.children.allTests()) {
        const status = testStatus(test, filtered);
        if (status === "left out") {
          leftOut += 1;
          continue;
        }
        const name = topLevelSuite(test)?.name ?? "(tests outside a describe)";
        const list = byExercise.get(name) ?? [];
        list.push({ name: test.name, status, test });
        byExercise.set(name, list);
      }
      const exercises = [...byExercise].map(([name, tests]) => ({
        name,
        file: exerciseFile(id, name),
        tests,
        status: exerciseStatus(tests),
      }));
      const ran = [...module.children.allTests()].length > 0;
      const loadError = ran ? undefined : module.errors()[0];
      const lesson = lessons.find((l) => l.id === id);
      const borrowed = borrowing ? borrowPlan([module.moduleId]).borrowed : [];
      return { id, lesson, module, loadError, exercises, leftOut, borrowed };
    })
    .sort((a, b) => a.id.localeCompare(b.id));
}

function topLevelSuite(test: TestCase): TestSuite | undefined {
  let suite: TestSuite | undefined;
  for (
    let parent = test.parent;
    parent.type === "suite";
    parent = parent.parent
  ) {
    suite = parent;
  }
  return suite;
}
