/**
 * The progress record: what `npm test` and `npm run watch` last saw of each
 * exercise, in `.workbook/progress.json` (gitignored). The reporter writes it
 * at the end of every run, keeping the lessons and exercises that did not
 * run; `npm run docs` reads it to put marks on the site.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { workbookRoot } from "../catalog.ts";

export type ExerciseState = "done" | "failing" | "not started";

export interface ExerciseRecord {
  state: ExerciseState;
  /** A failing exercise's first failing test and its message. */
  failure?: { test: string; message: string };
  /**
   * Another exercise of the learner's that its trouble comes from (one that
   * threw, is not written, or fails its own tests), said first.
   */
  blame?: { exercise: string; file: string; message: string };
  /**
   * The hash of the exercise's file when its tests gave this state: a later
   * lesson that runs it trusts the state only while the file is unchanged.
   */
  source?: string;
  /**
   * What the lint found in an attempted exercise (kit/lint/hints.ts): hints,
   * never failures. Absent when there is none.
   */
  hints?: HintRecord[];
}

export interface HintRecord {
  /** `lessons/01-coroutines/fetch-all.ts` */
  file: string;
  line: number;
  /** One line in the workbook's words. */
  message: string;
}

export interface LessonRecord {
  /** Every exercise of the lesson (its test file's describes), in order. */
  exercises: Record<string, ExerciseRecord>;
  /** The test file could not load: the error's first line. */
  loadError?: string;
  /**
   * Untouched stubs of other lessons that the run borrowed from the
   * reference: `uses the reference AsyncQueue (lessons/04-queues/queue.ts, …)`.
   */
  borrowed?: BorrowedRecord[];
}

export interface BorrowedRecord {
  file: string;
  names: string[];
  /** The line that says it, as the terminal does. */
  line: string;
}

export interface ProgressRecord {
  version: 1;
  lessons: Record<string, LessonRecord>;
}

export const RECORD_VERSION = 1;

export function recordPath(root = workbookRoot): string {
  return join(root, ".workbook", "progress.json");
}

/** The record, or `undefined` when there is none (or it is unreadable). */
export function readRecord(path = recordPath()): ProgressRecord | undefined {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
  try {
    const record = JSON.parse(text) as Partial<ProgressRecord>;
    if (record.version !== RECORD_VERSION || !record.lessons) return undefined;
    return record as ProgressRecord;
  } catch {
    return undefined;
  }
}

/**
 * `update` on top of `previous`: a lesson that ran replaces its exercises,
 * except those a filter left out (`undefined` in `update`), which keep their
 * last state.
 */
export function mergeRecord(
  previous: ProgressRecord | undefined,
  update: Record<string, UpdatedLesson>,
): ProgressRecord {
  const lessons: Record<string, LessonRecord> = {
    ...previous?.lessons,
  };
  for (const [id, lesson] of Object.entries(update)) {
    const before = previous?.lessons[id];
    const exercises: Record<string, ExerciseRecord> = {};
    const names = lesson.loadError
      ? Object.keys(before?.exercises ?? {})
      : Object.keys(lesson.exercises);
    for (const name of names) {
      exercises[name] = lesson.exercises[name] ??
        before?.exercises[name] ?? { state: "not started" };
    }
    lessons[id] = lesson.loadError
      ? { exercises, loadError: lesson.loadError }
      : {
          exercises,
          ...(lesson.borrowed?.length ? { borrowed: lesson.borrowed } : {}),
        };
  }
  const sorted = Object.fromEntries(
    Object.entries(lessons).sort(([a], [b]) => a.localeCompare(b)),
  );
  return { version: RECORD_VERSION, lessons: sorted };
}

export interface UpdatedLesson {
  /** Every exercise name; `undefined` for one a filter left out. */
  exercises: Record<string, ExerciseRecord | undefined>;
  loadError?: string;
  borrowed?: BorrowedRecord[];
}

/** Writes the record whole, so a reader never sees half a file. */
export function writeRecord(record: ProgressRecord, path = recordPath()): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify(record, null, 2) + "\n");
  renameSync(temporary, path);
}

/**
 * Plain text, short enough to sit under a heading: the first three lines
 * (the test's own words, then expected and got), at most `limit` characters.
 */
export function shortMessage(message: string, limit = 300): string {
  const text = message
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line.length > 0)
    .slice(0, 3)
    .join("\n");
  return text.length > limit ? `${text.slice(0, limit - 1)}…` : text;
}
