/**
 * Lint hints for the learner: typescript-eslint's promise rules over the
 * exercise files in `lessons/`, each finding tied to its exercise (the
 * exported function, class or object that contains it) and told in the
 * workbook's words. A hint never fails a run. Bodies that still call `todo()`
 * give none, so untouched stubs stay quiet.
 *
 * Type-aware lint takes seconds, so results are cached per file in
 * `.workbook/lint-hints.json` (gitignored): a run lints only the files whose
 * lesson folder changed since the last one, and of those only the ones with
 * code of the learner's own. Usage: `tsx kit/lint/hints.ts [--json]
 * [--lessons 01-coroutines,06-context]`.
 */
import { createHash } from "node:crypto";
import {
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  writeFileSync,
} from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { VERSION } from "./rules.ts";
import { listLessons, workbookRoot } from "../catalog.ts";

export interface Hint {
  /** The exported name the progress table shows: `fetchConcurrent`. */
  exercise: string;
  /** `01-coroutines` */
  lesson: string;
  /** `lessons/01-coroutines/fetch-all.ts` */
  file: string;
  line: number;
  column: number;
  /** `no-floating-promises` */
  rule: string;
  /** One line in the workbook's words. */
  message: string;
}

interface CacheEntry {
  key: string;
  hints: Hint[];
}

export interface LintHintsOptions {
  root?: string;
  /** Where the cache lives; `false` lints every file. */
  cacheFile?: string | false;
  /**
   * Told which files this run lints: not those from the cache, nor those
   * whose exercises all still call todo().
   */
  onLint?: (files: readonly string[]) => void;
  /**
   * Lint only these lessons' files (`npm test -- 06` lints lesson 06); the
   * others keep what the cache says, however old.
   */
  lessons?: readonly string[];
}

/**
 * The hints for every exercise file in `lessons/`, by exercise name.
 *
 * @example
 * for (const [exercise, hints] of await lintHints())
 *   console.log(exercise, hints.map(formatHint));
 */
export async function lintHints(
  options: LintHintsOptions = {},
): Promise<Map<string, Hint[]>> {
  const root = options.root ?? workbookRoot;
  // Beside the progress record, not in node_modules/.cache: a sandbox links
  // this checkout's node_modules, and its runs must not overwrite the
  // learner's entries.
  const cacheFile =
    options.cacheFile ?? join(root, ".workbook", "lint-hints.json");
  const cache = cacheFile === false ? {} : readCache(cacheFile);
  const fresh: Record<string, CacheEntry> = {};
  const stale: string[] = [];
  for (const { file, key } of exerciseFiles(root)) {
    const cached = cache[file];
    const wanted =
      options.lessons === undefined ||
      options.lessons.includes(file.split("/")[1]!);
    if (cached?.key === key) fresh[file] = cached;
    else if (!wanted) {
      if (cached) fresh[file] = cached;
    } else {
      stale.push(file);
      fresh[file] = { key, hints: [] };
    }
  }
  if (stale.length > 0) {
    // Loaded only when there is something to lint: ESLint, TypeScript and
    // typescript-eslint take most of a second to load, which a run whose
    // answers all come from the cache should not pay.
    const { lintAttempted } = await import("./lint-files.ts");
    const linted = await lintAttempted(root, stale, options.onLint);
    for (const [file, hints] of linted) fresh[file]!.hints = hints;
  }
  if (stale.length > 0 && cacheFile !== false) writeCache(cacheFile, fresh);
  const byExercise = new Map<string, Hint[]>();
  for (const { hints } of Object.values(fresh)) {
    for (const hint of hints) {
      const list = byExercise.get(hint.exercise) ?? [];
      list.push(hint);
      byExercise.set(hint.exercise, list);
    }
  }
  return byExercise;
}

/** `lessons/01-coroutines/fetch-all.ts:34  a promise nobody awaits: …` */
export function formatHint(hint: Hint): string {
  return `${hint.file}:${hint.line}  ${hint.message}`;
}

/**
 * Every exercise file, with a key that changes when a file of its lesson, or
 * of a lesson it imports from, changes: types flow along the imports.
 */
function exerciseFiles(root: string): { file: string; key: string }[] {
  const lessons = listLessons(root).map((lesson) => {
    const folder = join(root, "lessons", lesson.id);
    const names = readdirSync(folder)
      .filter((name) => name.endsWith(".ts") && name !== "demo.ts")
      .sort();
    const texts = names.map((name) => readFileSync(join(folder, name), "utf8"));
    const hash = createHash("sha1");
    texts.forEach((text) => hash.update(text).update("\0"));
    const imports = new Set(
      texts.flatMap((text) =>
        [...text.matchAll(/from "\.\.\/(\d\d-[a-z0-9-]+)\//g)].map(
          (m) => m[1]!,
        ),
      ),
    );
    return { id: lesson.id, names, hash: hash.digest("hex"), imports };
  });
  const byId = new Map(lessons.map((lesson) => [lesson.id, lesson]));
  return lessons.flatMap((lesson) => {
    // The lesson and every lesson it reaches through its imports.
    const reached = new Set([lesson.id]);
    for (const id of reached)
      for (const next of byId.get(id)?.imports ?? []) reached.add(next);
    const key = [
      VERSION,
      ...[...reached].sort().map((id) => byId.get(id)?.hash),
    ];
    return lesson.names.map((name) => ({
      file: `lessons/${lesson.id}/${name}`,
      key: key.join(":"),
    }));
  });
}

function readCache(path: string): Record<string, CacheEntry> {
  try {
    return JSON.parse(readFileSync(path, "utf8")) as Record<string, CacheEntry>;
  } catch {
    return {};
  }
}

function writeCache(path: string, cache: Record<string, CacheEntry>): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, JSON.stringify(cache));
}

if (
  process.argv[1] &&
  existsSync(process.argv[1]) &&
  fileURLToPath(import.meta.url) === process.argv[1]
) {
  const started = performance.now();
  const at = process.argv.indexOf("--lessons");
  const lessons = at === -1 ? undefined : process.argv[at + 1]!.split(",");
  const hints = await lintHints({ lessons });
  // The reporter of `npm test` reads this, in a process of its own, so that
  // seconds of type-aware lint never block vitest's own process.
  if (process.argv.includes("--json")) {
    console.log(JSON.stringify([...hints.values()].flat()));
    process.exit(0);
  }
  for (const [exercise, list] of hints) {
    console.log(exercise);
    for (const hint of list) console.log(`  ${formatHint(hint)}`);
  }
  const ms = Math.round(performance.now() - started);
  console.log(`${[...hints.values()].flat().length} hints in ${ms} ms`);
}
