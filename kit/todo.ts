/**
 * The not-started marker. Every stub in `lessons/` calls `todo("<what to
 * do>")`; the test kit, the progress reporter and the demo runner recognise the
 * error it throws (or, when the error was caught and swallowed somewhere, the
 * record it leaves) and report "not started" instead of a failure.
 */
import { locateExercise, type ExerciseLocation } from "./locate.ts";

export class NotStartedError extends Error {
  override name = "NotStartedError";
  readonly task: string;
  readonly location: ExerciseLocation | undefined;

  constructor(task: string, location: ExerciseLocation | undefined) {
    const where = location
      ? `${location.exercise} in ${location.file}`
      : "this exercise";
    super(`Not started: ${where}. ${task}`);
    this.task = task;
    this.location = location;
  }
}

export interface TodoHit {
  task: string;
  location: ExerciseLocation | undefined;
}

// Kept on globalThis so every copy of this module (test runners load modules
// per test file) writes to the same list.
const HITS = Symbol.for("async-workbook.todo-hits");
type WithHits = typeof globalThis & { [HITS]?: TodoHit[] };

/**
 * Every `todo()` call since the last `clearTodoHits()`, also those whose error
 * was swallowed.
 */
export function todoHits(): readonly TodoHit[] {
  return ((globalThis as WithHits)[HITS] ??= []);
}

export function clearTodoHits(): void {
  (globalThis as WithHits)[HITS] = [];
}

/**
 * Marks an exercise body as not written yet. Replace the call with your
 * implementation.
 */
export function todo(task: string): never {
  const error = new NotStartedError(task, undefined);
  const location = locateExercise(error.stack ?? "");
  const located = new NotStartedError(task, location);
  ((globalThis as WithHits)[HITS] ??= []).push({ task, location });
  throw located;
}

/**
 * True when `error` is, wraps, or aggregates a NotStartedError (also after
 * serialisation).
 */
export function isNotStarted(
  error: unknown,
  seen = new Set<unknown>(),
): boolean {
  if (typeof error !== "object" || error === null || seen.has(error))
    return false;
  seen.add(error);
  const e = error as {
    name?: unknown;
    cause?: unknown;
    errors?: unknown;
    error?: unknown;
    suppressed?: unknown;
  };
  if (e.name === "NotStartedError") return true;
  const nested = [
    e.cause,
    e.error,
    e.suppressed,
    ...(Array.isArray(e.errors) ? e.errors : []),
  ];
  return nested.some((inner) => isNotStarted(inner, seen));
}
