/**
 * Finds which exercise a stack trace points at: the first frame inside
 * `lessons/NN-slug/`.
 */

export interface ExerciseLocation {
  /**
   * The function or method that called `todo()`, as the stack names it
   * (`sleep`, `AsyncQueue.put`).
   */
  exercise: string;
  /**
   * Relative to the workbook root, with forward slashes:
   * `lessons/01-coroutines/sleep.ts`.
   */
  file: string;
  /** The lesson folder: `01-coroutines`. */
  lesson: string;
  /** The page that explains it: `docs/lessons/01-coroutines.md`. */
  page: string;
}

// ` at sleep (file:///…/lessons/01-coroutines/sleep.ts:12:3)` or ` at
// file:///…/x.ts:1:1`
const FRAME =
  /^\s*at (?:(?:async )?(.*?) \()?(?:file:\/\/)?(.*?(?:lessons|solutions)\/(\d\d-[a-z0-9-]+)\/([\w.-]+\.ts)):\d+:\d+\)?$/;

export function locateExercise(stack: string): ExerciseLocation | undefined {
  for (const line of stack.split("\n")) {
    const match = FRAME.exec(line);
    if (!match) continue;
    const [, fn, , lesson, fileName] = match;
    return {
      exercise: cleanFunctionName(fn) ?? fileName.replace(/\.ts$/, ""),
      file: `lessons/${lesson}/${fileName}`,
      lesson,
      page: `docs/lessons/${lesson}.md`,
    };
  }
  return undefined;
}

function cleanFunctionName(name: string | undefined): string | undefined {
  if (!name) return undefined;
  const cleaned = name
    .replace(/^new /, "")
    .replace(/^Object\./, "")
    .replace(/ \[as [^\]]+\]$/, "")
    .replace(/^(Generator|AsyncGenerator)\.(next|return|throw)$/, "")
    .trim();
  return cleaned === "" ? undefined : cleaned;
}
