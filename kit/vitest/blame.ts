/**
 * Whose code a failure comes from. Lessons build on each other, and an
 * exercise calls other exercises (06's `emit` puts on 04's `AsyncQueue`,
 * 01's `processInChunks` calls `yieldToEventLoop`): when the other one is
 * the learner's and is what broke, the report names it first and "Next"
 * points there. Four ways to know:
 * - `not written`: the test reached a `todo()` in the other exercise;
 * - `threw`: the error's stack starts in the other exercise's code;
 * - `failing`: the exercise runs the other one, which fails its own tests
 *   (in this run, or in the progress record while its file is unchanged);
 * - `unchecked`: it runs the other one, whose tests have not run since its
 *   file last changed.
 * Untouched stubs are never blamed: they are borrowed, the reference runs.
 */
import type { SerializedError } from "vitest/node";
import { relative } from "node:path";
import { workbookRoot } from "../catalog.ts";
import { exerciseAt } from "../borrow/rule.ts";
import { hashSource } from "../borrow/stubs.ts";
import {
  declarations,
  exportAt,
  exportedNames,
  lessonExercises,
  mentions,
  ownFilesRunBy,
} from "../exercise-code.ts";
import type { ProgressRecord } from "../progress/record.ts";
import type { Exercise, LessonProgress, TestOutcome } from "./progress.ts";
import { readFileSync } from "node:fs";
import { join } from "node:path";

export type BlameReason = "threw" | "not written" | "failing" | "unchecked";

export interface Blame {
  /** The other exercise: `AsyncQueue`. */
  exercise: string;
  /** Its file: `lessons/04-queues/queue.ts`. */
  file: string;
  /** Its lesson: `04-queues`. */
  lesson: string;
  reason: BlameReason;
  /** For `threw`: the error's first line. */
  detail?: string;
}

/** Errors an exercise throws by design: no sign that it is broken. */
const BY_DESIGN = new Set([
  "RangeError",
  "AbortError",
  "TimeoutError",
  "NotStartedError",
  "AssertionError",
]);

export interface ExerciseContext {
  lesson: string;
  exercise: string;
  /** The file that exports it, in `lessons/`. */
  file: string | undefined;
}

/** The blame a single test's outcome carries by itself. */
export function testBlame(
  context: ExerciseContext,
  test: TestOutcome,
  root = workbookRoot,
): Blame | undefined {
  if (test.status === "not started") {
    const hit = test.test.meta().notStarted;
    if (!hit) return undefined;
    const name = hit.exercise.split(".")[0]!;
    if (!isOther(context, hit.file, name)) return undefined;
    // Both unwritten: this one is simply not started.
    if (context.file && stillStub(context.file, context.exercise, root))
      return undefined;
    return {
      exercise: name,
      file: hit.file,
      lesson: hit.file.split("/")[1]!,
      reason: "not written",
    };
  }
  if (test.status !== "failed") return undefined;
  for (const error of test.test.result().errors ?? []) {
    const blame = thrownBy(context, error, root);
    if (blame) return blame;
  }
  return undefined;
}

function stillStub(file: string, exercise: string, root: string): boolean {
  try {
    const source = readFileSync(join(root, file), "utf8");
    const declaration = declarations(source).find((d) => d.name === exercise);
    return declaration !== undefined && /\btodo\(/.test(declaration.text);
  } catch {
    return false;
  }
}

function isOther(
  context: ExerciseContext,
  file: string,
  name: string | undefined,
): boolean {
  if (context.file === undefined) return false;
  if (file !== context.file) return true;
  return name !== undefined && name !== context.exercise;
}

function thrownBy(
  context: ExerciseContext,
  error: SerializedError,
  root: string,
): Blame | undefined {
  const frames =
    (error as { stacks?: { file: string; line: number; method?: string }[] })
      .stacks ?? [];
  const first = frames.find(
    (frame) =>
      !frame.file.includes("/node_modules/") &&
      !relative(root, frame.file).startsWith(".."),
  );
  if (!first) return undefined;
  const ref = exerciseAt(first.file, root);
  if (ref?.tree !== "lessons") return undefined;
  const exported = exportedNames(ref.file, root);
  const method = first.method?.replace(/^async /, "").split(".")[0];
  const name =
    method && exported.includes(method)
      ? method
      : exportAt(ref.file, first.line, root);
  if (!name || !isOther(context, ref.file, name)) return undefined;
  const errorName = error.name ?? "Error";
  if (BY_DESIGN.has(errorName) || exported.includes(errorName))
    return undefined;
  const message = (error.message ?? "").split("\n")[0];
  return {
    exercise: name,
    file: ref.file,
    lesson: ref.lesson,
    reason: "threw",
    detail: message ? `${errorName}: ${message}` : errorName,
  };
}

/**
 * What the learner's other exercises that `context`'s code runs say about
 * its failure: one that fails its own tests, or one not checked since it
 * changed. `stateOf` answers from this run, then from the record.
 */
export function prerequisiteBlame(
  context: ExerciseContext,
  stateOf: (lesson: string, exercise: string, file: string) => State,
  root = workbookRoot,
  /** What this run already saw of other exercises: one threw, say. */
  known: ReadonlyMap<string, Blame> = new Map(),
): Blame | undefined {
  if (!context.file) return undefined;
  const candidates: { exercise: string; file: string; lesson: string }[] = [];
  for (const other of exportedNames(context.file, root))
    if (
      other !== context.exercise &&
      lessonExercises(context.lesson, root).includes(other) &&
      mentions(context.file, context.exercise, other, root)
    )
      candidates.push({
        exercise: other,
        file: context.file,
        lesson: context.lesson,
      });
  for (const file of ownFilesRunBy(context.file, root)) {
    const lesson = file.split("/")[1]!;
    const exercises = lessonExercises(lesson, root);
    for (const exercise of exportedNames(file, root))
      if (exercises.includes(exercise))
        candidates.push({ exercise, file, lesson });
  }
  let unchecked: Blame | undefined;
  for (const candidate of candidates) {
    const seen = known.get(`${candidate.lesson}/${candidate.exercise}`);
    if (seen) return seen;
  }
  for (const candidate of candidates) {
    const state = stateOf(candidate.lesson, candidate.exercise, candidate.file);
    if (state === "failing") return { ...candidate, reason: "failing" };
    if (state === "unknown" && !unchecked)
      unchecked = { ...candidate, reason: "unchecked" };
  }
  return unchecked;
}

export type State = "done" | "failing" | "not started" | "unknown";

/**
 * An exercise's state as this run saw it, or as the record last saw it
 * while its file is unchanged; `unknown` otherwise.
 */
export function stateLookup(
  progress: readonly LessonProgress[],
  record: ProgressRecord | undefined,
  root = workbookRoot,
): (lesson: string, exercise: string, file: string) => State {
  return (lesson, exercise, file) => {
    const ran = progress.find((l) => l.id === lesson);
    const found = ran?.exercises.find((e) => e.name === exercise);
    if (found) return found.status;
    const entry = record?.lessons[lesson]?.exercises[exercise];
    if (!entry?.source || entry.source !== currentHash(file, root))
      return "unknown";
    return entry.state;
  };
}

export function currentHash(
  file: string,
  root = workbookRoot,
): string | undefined {
  try {
    return hashSource(readFileSync(join(root, file), "utf8"));
  } catch {
    return undefined;
  }
}

/**
 * Sets `blame` on every exercise (and test) whose trouble comes from
 * another exercise of the learner's.
 */
export function attachBlame(
  progress: LessonProgress[],
  record: ProgressRecord | undefined,
  root = workbookRoot,
): void {
  const stateOf = stateLookup(progress, record, root);
  const contextOf = (lesson: LessonProgress, exercise: Exercise) => ({
    lesson: lesson.id,
    exercise: exercise.name,
    file: exercise.file,
  });
  // First what the tests themselves show: a todo() reached, an error thrown.
  const known = new Map<string, Blame>();
  for (const lesson of progress)
    for (const exercise of lesson.exercises) {
      for (const test of exercise.tests) {
        test.blame = testBlame(contextOf(lesson, exercise), test, root);
        if (test.blame?.reason === "threw")
          known.set(`${test.blame.lesson}/${test.blame.exercise}`, test.blame);
      }
      exercise.blame =
        exercise.tests.find((t) => t.blame?.reason === "threw")?.blame ??
        exercise.tests.find((t) => t.blame)?.blame;
    }
  // Then failures without such a sign, from the exercises they run.
  for (const lesson of progress)
    for (const exercise of lesson.exercises)
      if (!exercise.blame && exercise.status === "failing")
        exercise.blame = prerequisiteBlame(
          contextOf(lesson, exercise),
          stateOf,
          root,
          known,
        );
  for (const lesson of progress)
    for (const exercise of lesson.exercises)
      if (exercise.blame) exercise.blame = rootCause(exercise.blame, progress);
}

/**
 * `emit` fails because `eventStream` fails because `AsyncQueue` threw: the
 * report names the last one, the code to fix.
 */
function rootCause(blame: Blame, progress: readonly LessonProgress[]): Blame {
  const seen = new Set<string>();
  let current = blame;
  while (current.reason === "failing") {
    const key = `${current.lesson}/${current.exercise}`;
    if (seen.has(key)) break;
    seen.add(key);
    const next = progress
      .find((l) => l.id === current.lesson)
      ?.exercises.find((e) => e.name === current.exercise)?.blame;
    if (!next || next.reason === "unchecked") break;
    current = next;
  }
  return current;
}

/** The sentence that comes first in a blamed failure. */
export function blameMessage(
  blame: Blame,
  exercise: { name: string; lesson: string },
): string {
  const fix =
    blame.lesson === exercise.lesson
      ? `fix ${blame.exercise} first`
      : `fix ${blame.exercise} (lesson ${blame.lesson.slice(0, 2)}) first`;
  switch (blame.reason) {
    case "threw":
      return `your ${blame.exercise} in ${blame.file} threw ${blame.detail}; ${fix}`;
    case "not written":
      return `${exercise.name} needs your ${blame.exercise} in ${blame.file}, which is not written yet (it still calls todo()): write it first`;
    case "failing":
      return `${exercise.name} runs your ${blame.exercise} (${blame.file}), which fails its own tests: ${fix}`;
    case "unchecked":
      return `${exercise.name} runs your own ${blame.exercise} (${blame.file}), changed since its tests last ran: check it with npm test -- ${blame.lesson.slice(0, 2)}`;
  }
}
