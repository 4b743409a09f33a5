/**
 * What a lesson page says about its exercises, read from the Markdown itself:
 * each `## Exercise N: …` section, the stub files it includes from `lessons/`,
 * and its hints. The site uses it to print "edit this file, run this command"
 * under each exercise heading and to refuse a page whose hints are missing or
 * out of order; the progress reporter uses it to link to the exercise.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { workbookRoot } from "./catalog.ts";

/** The grades of the hints under an exercise, in the order they must come. */
export const HINT_GRADES = ["a nudge", "the approach", "nearly the answer"];

export interface Hint {
  title: string;
  /** The exercise it is for: named before "hint" in the title, if any. */
  exercise: string | undefined;
  number: number;
  grade: string;
  line: number;
}

export interface ExerciseSection {
  /** `Exercise 1: \`sleep\`` */
  heading: string;
  /** The heading's id on the page: `exercise-1-sleep`. */
  anchor: string;
  /** 1-based line of the heading in the Markdown. */
  line: number;
  /**
   * Stub files the section includes, `lessons/01-coroutines/sleep.ts`; a
   * lesson's `demo.ts` is not one.
   */
  files: string[];
  /** Regions included from those files: `sleep`, `TimeoutError`… */
  regions: string[];
  hints: Hint[];
  /** Hint titles that do not read `[<exercise>, ]hint <n>: <grade>`. */
  malformedHints: { title: string; line: number }[];
}

const EXERCISE_HEADING = /^## (Exercise \d+: .+)$/;
const STUB_INCLUDE =
  /^<<< @\/\.\.\/(lessons\/\d\d-[a-z0-9-]+\/[\w.-]+\.ts)(?:#([\w-]+))?/;
const DETAILS = /^::: details (.+)$/;
const HINT = /^(?:(\w+), h|H)int (\d+): (.+)$/;

export function exerciseSections(markdown: string): ExerciseSection[] {
  const sections: ExerciseSection[] = [];
  let current: ExerciseSection | undefined;
  let fence: string | undefined;
  markdown.split("\n").forEach((text, index) => {
    const line = index + 1;
    const fenceMark = /^(```+|~~~+)/.exec(text)?.[1];
    if (fenceMark && (!fence || fenceMark.startsWith(fence))) {
      fence = fence ? undefined : fenceMark;
      return;
    }
    if (fence) return;
    if (text.startsWith("## ")) {
      const heading = EXERCISE_HEADING.exec(text)?.[1];
      current = heading
        ? {
            heading,
            anchor: slugify(plainHeading(heading)),
            line,
            files: [],
            regions: [],
            hints: [],
            malformedHints: [],
          }
        : undefined;
      if (current) sections.push(current);
      return;
    }
    if (!current) return;
    const include = STUB_INCLUDE.exec(text);
    // A demo snippet shown beside an exercise is read, not edited.
    if (include && !include[1]!.endsWith("/demo.ts")) {
      const [, file, region] = include as unknown as [string, string, string?];
      if (!current.files.includes(file)) current.files.push(file);
      if (region) current.regions.push(region);
      return;
    }
    const title = DETAILS.exec(text)?.[1]?.trim();
    if (!title || !/\bhint\b/i.test(title)) return;
    const hint = HINT.exec(title);
    if (!hint) {
      current.malformedHints.push({ title, line });
      return;
    }
    current.hints.push({
      title,
      exercise: hint[1],
      number: Number(hint[2]),
      grade: hint[3]!.trim(),
      line,
    });
  });
  return sections;
}

/** What is wrong with a section's hints for `exercise`, or nothing. */
export function hintProblems(
  section: ExerciseSection,
  exercise: string,
  sectionExercises: readonly string[],
): string[] {
  const problems: string[] = [];
  const mine = section.hints.filter((hint) =>
    sectionExercises.length > 1
      ? hint.exercise === exercise
      : hint.exercise === undefined || hint.exercise === exercise,
  );
  if (mine.length < 2) {
    const how =
      sectionExercises.length > 1
        ? `titled "${exercise}, hint 1: a nudge"…`
        : `titled "Hint 1: a nudge"…`;
    problems.push(
      `${exercise} has ${mine.length} hint(s); give it at least two (${how})`,
    );
  }
  let lastGrade = -1;
  mine.forEach((hint, index) => {
    const grade = HINT_GRADES.indexOf(hint.grade);
    if (hint.number !== index + 1) {
      problems.push(
        `line ${hint.line}: "${hint.title}" should be hint ${index + 1}`,
      );
    }
    if (grade === -1) {
      problems.push(
        `line ${hint.line}: "${hint.title}": the grade must be one of ` +
          HINT_GRADES.map((g) => `"${g}"`).join(", "),
      );
    } else if (index === 0 ? grade !== 0 : grade <= lastGrade) {
      problems.push(
        `line ${hint.line}: "${hint.title}": hints go ${HINT_GRADES.join(", then ")}`,
      );
    }
    lastGrade = grade;
  });
  return problems;
}

/** Hint titles in a section that do not follow the pattern. */
export function malformedHintProblems(section: ExerciseSection): string[] {
  return section.malformedHints.map(
    ({ title, line }) =>
      `line ${line}: "${title}" should read "Hint <n>: <grade>"` +
      ` (or "<exercise>, hint <n>: <grade>")`,
  );
}

/** The exercises of a lesson: the top-level `describe("…")` names of its test file. */
export function lessonExercises(
  lessonId: string,
  root = workbookRoot,
): string[] {
  const tests = readFileSync(join(root, "test", `${lessonId}.test.ts`), "utf8");
  return [...tests.matchAll(/^describe\("([^"]+)"/gm)].map((m) => m[1]!);
}

/** The section of a lesson page that teaches `exercise`, if there is one. */
export function sectionOf(
  lessonId: string,
  exercise: string,
  root = workbookRoot,
): ExerciseSection | undefined {
  const page = readFileSync(
    join(root, "docs", "lessons", `${lessonId}.md`),
    "utf8",
  );
  return exerciseSections(page).find((s) => s.regions.includes(exercise));
}

/** Heading text as the page shows it: Markdown code marks removed. */
function plainHeading(heading: string): string {
  return heading.replace(/`/g, "");
}

/**
 * VitePress's own heading slug (`@mdit-vue/shared`), given to VitePress in
 * `.vitepress/config.ts` so that the site and the reporter agree on anchors.
 */
export function slugify(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/[\u0300-\u036F]/g, "")
    .replace(/[\u0000-\u001f]/g, "")
    .replace(/[\s~`!@#$%^&*()\-_+=[\]{}|\\;:"'“”‘’<>,.?/]+/g, "-")
    .replace(/-{2,}/g, "-")
    .replace(/^-+|-+$/g, "")
    .replace(/^(\d)/, "_$1")
    .toLowerCase();
}
