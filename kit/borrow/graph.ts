/**
 * What a run borrows, found before it starts: a walk over the imports of the
 * files it runs (tests, a demo, a benchmark, the agent), through the
 * exercise files of both trees, with the same rule the resolvers apply.
 * Static on purpose: it can be said once, up front, and the same for every
 * runner.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { workbookRoot } from "../catalog.ts";
import { exerciseAt, redirect, type BorrowOptions } from "./rule.ts";

export interface Borrowed {
  /** The learner's file the reference stands in for: `lessons/04-queues/queue.ts`. */
  file: string;
  /** `04-queues` */
  lesson: string;
  /** What the borrowing code uses from it: `AsyncQueue`. */
  names: string[];
}

export interface BorrowPlan {
  /** Reference files that run in place of untouched stubs. */
  borrowed: Borrowed[];
  /** Every lesson whose exercise code runs, and whose it is. */
  lessons: Map<string, "yours" | "reference">;
  /** Every exercise file that runs, in either tree (absolute paths). */
  files: string[];
}

interface Edge {
  specifier: string;
  names: string[];
}

const IMPORT =
  /(?:^|[;\n])\s*(import|export)\s+(type\s+)?([\w*\s{},$]*?)\s*from\s*["']([^"']+)["']/g;
const SIDE_EFFECT = /(?:^|[;\n])\s*import\s*["']([^"']+)["']/g;
const DYNAMIC = /\bimport\(\s*["']([^"']+)["']\s*\)/g;
const URL_OF =
  /new URL\(\s*["'](\.{1,2}\/[^"']+\.ts)["']\s*,\s*import\.meta\.url\s*\)/g;

/** The imports of a TypeScript source that load code at run time. */
export function runtimeImports(source: string): Edge[] {
  const edges: Edge[] = [];
  for (const [, , typeOnly, clause, specifier] of source.matchAll(IMPORT)) {
    if (typeOnly) continue;
    edges.push({ specifier: specifier!, names: importedNames(clause!) });
  }
  for (const pattern of [SIDE_EFFECT, DYNAMIC, URL_OF])
    for (const [, specifier] of source.matchAll(pattern))
      edges.push({ specifier: specifier!, names: [] });
  return edges;
}

function importedNames(clause: string): string[] {
  const inBraces = /\{([^}]*)\}/.exec(clause)?.[1];
  if (inBraces === undefined) return [];
  return inBraces
    .split(",")
    .map((part) => part.trim())
    .filter((part) => part !== "" && !part.startsWith("type "))
    .map((part) => part.split(/\s+as\s+/)[0]!.trim());
}

function resolveSpecifier(
  specifier: string,
  from: string,
  root: string,
  tree: "lessons" | "solutions",
): string | undefined {
  if (specifier.startsWith("#exercises/"))
    return join(root, tree, specifier.slice("#exercises/".length));
  if (specifier.startsWith("./") || specifier.startsWith("../"))
    return resolve(dirname(from), specifier);
  return undefined;
}

/** The names a file exports that are values (functions, classes, consts). */
function exportedValues(path: string): string[] {
  const source = readFileSync(path, "utf8");
  return [
    ...source.matchAll(
      /^export\s+(?:async\s+)?(?:function\*?|class|const)\s+([A-Za-z_$][\w$]*)/gm,
    ),
  ].map((match) => match[1]!);
}

export function borrowPlan(
  entries: readonly string[],
  options: BorrowOptions & {
    /** Where `#exercises/*` leads: the learner's tree, or the reference's. */
    tree?: "lessons" | "solutions";
    /** Follow the imports as written, borrowing nothing. */
    asWritten?: boolean;
  } = {},
): BorrowPlan {
  const root = options.root ?? workbookRoot;
  const tree = options.tree ?? "lessons";
  const borrowed = new Map<string, Borrowed>();
  const lessons = new Map<string, "yours" | "reference">();
  const seen = new Set<string>();
  const files: string[] = [];
  const queue = [...entries];
  while (queue.length > 0) {
    const file = queue.shift()!;
    if (seen.has(file) || !existsSync(file)) continue;
    seen.add(file);
    const here = exerciseAt(file, root);
    if (here) {
      files.push(file);
      lessons.set(here.lesson, here.tree === "lessons" ? "yours" : "reference");
    }
    for (const edge of runtimeImports(readFileSync(file, "utf8"))) {
      const target = resolveSpecifier(edge.specifier, file, root, tree);
      if (!target) continue;
      const final = options.asWritten
        ? target
        : (redirect(target, file, { ...options, root }) ?? target);
      const ref = exerciseAt(final, root);
      if (
        ref?.tree === "solutions" &&
        exerciseAt(target, root)?.tree === "lessons"
      ) {
        const entry = borrowed.get(ref.file) ?? {
          file: ref.file,
          lesson: ref.lesson,
          names: [],
        };
        const names =
          edge.names.length > 0 ? edge.names : exportedValues(final);
        for (const name of names)
          if (!entry.names.includes(name)) entry.names.push(name);
        borrowed.set(ref.file, entry);
      }
      if (ref) queue.push(final);
    }
  }
  return {
    borrowed: [...borrowed.values()].sort((a, b) =>
      a.file.localeCompare(b.file),
    ),
    lessons,
    files,
  };
}

/** `uses the reference AsyncQueue (lessons/04-queues/queue.ts, not started yet)` */
export function borrowedLine(borrowed: Borrowed): string {
  return `uses the reference ${listNames(borrowed.names)} (${borrowed.file}, not started yet)`;
}

function listNames(names: readonly string[]): string {
  if (names.length <= 1) return names[0] ?? "code";
  return `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`;
}
