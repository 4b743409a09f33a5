/**
 * Facts about the learner's exercise files that a failure report needs,
 * read from the source without a compiler: which top-level declaration a
 * line belongs to, what a file exports, which exported names a declaration
 * mentions, and which other exercise files a file runs.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { workbookRoot } from "./catalog.ts";
import { borrowPlan } from "./borrow/graph.ts";
import { exerciseAt } from "./borrow/rule.ts";

export interface Declaration {
  name: string;
  exported: boolean;
  /** A value (function, class, const) rather than a type. */
  value: boolean;
  /** 1-based, inclusive. */
  start: number;
  end: number;
  text: string;
}

const TOP_LEVEL =
  /^(export\s+)?(?:declare\s+)?(?:abstract\s+)?(?:async\s+)?(function\*?|class|const|let|var|interface|type|enum)\s+([A-Za-z_$][\w$]*)/;

/** The top-level declarations of a file, each up to the next one. */
export function declarations(source: string): Declaration[] {
  const lines = source.split("\n");
  const found: Omit<Declaration, "end" | "text">[] = [];
  lines.forEach((line, index) => {
    const match = TOP_LEVEL.exec(line);
    if (match)
      found.push({
        name: match[3]!,
        exported: !!match[1],
        value: !["interface", "type"].includes(match[2]!),
        start: index + 1,
      });
  });
  return found.map((declaration, i) => {
    const end = (found[i + 1]?.start ?? lines.length + 1) - 1;
    return {
      ...declaration,
      end,
      text: lines.slice(declaration.start - 1, end).join("\n"),
    };
  });
}

function read(file: string, root: string): string | undefined {
  const path = join(root, file);
  return existsSync(path) ? readFileSync(path, "utf8") : undefined;
}

/** The exported declaration that holds `line` of `file`, if any. */
export function exportAt(
  file: string,
  line: number,
  root = workbookRoot,
): string | undefined {
  const source = read(file, root);
  if (source === undefined) return undefined;
  const hit = declarations(source).find(
    (d) => d.start <= line && line <= d.end,
  );
  return hit?.exported ? hit.name : undefined;
}

/** The values a file exports: its functions, classes and constants. */
export function exportedNames(file: string, root = workbookRoot): string[] {
  const source = read(file, root);
  if (source === undefined) return [];
  return declarations(source)
    .filter((d) => d.exported && d.value)
    .map((d) => d.name);
}

/** A lesson's exercises: the top-level describes of its test file. */
export function lessonExercises(lesson: string, root = workbookRoot): string[] {
  const source = read(`test/${lesson}.test.ts`, root);
  if (source === undefined) return [];
  return [...source.matchAll(/^describe\(\s*["'`]([^"'`]+)["'`]/gm)].map(
    (match) => match[1]!,
  );
}

/** Whether the declaration of `name` in `file` mentions `other`. */
export function mentions(
  file: string,
  name: string,
  other: string,
  root = workbookRoot,
): boolean {
  const source = read(file, root);
  if (source === undefined) return false;
  const declaration = declarations(source).find(
    (d) => d.exported && d.name === name,
  );
  return (
    declaration !== undefined &&
    new RegExp(`\\b${other.replace(/[$]/g, "\\$")}\\b`).test(
      codeOnly(declaration.text),
    )
  );
}

/** Source without comments and string literals: what the code calls. */
function codeOnly(source: string): string {
  return source
    .replace(/\/\*[\s\S]*?\*\//g, " ")
    .replace(/(["'`])(?:\\.|(?!\1)[^\\\n])*\1/g, '""')
    .replace(/\/\/.*$/gm, " ");
}

/**
 * The learner's own exercise files (started ones: untouched stubs are
 * borrowed) that `file` runs, itself left out.
 */
export function ownFilesRunBy(file: string, root = workbookRoot): string[] {
  const plan = borrowPlan([join(root, file)], { root });
  const files = new Set<string>();
  for (const path of plan.files) {
    const ref = exerciseAt(path, root);
    if (ref?.tree === "lessons" && ref.file !== file) files.add(ref.file);
  }
  return [...files].sort();
}
