/**
 * Lint hints for the learner: typescript-eslint's promise rules over the
 * exercise files in `lessons/`, each finding tied to its exercise (the
 * exported function, class or object that contains it) and told in the
 * workbook's words. A hint never fails a run. Bodies that still call `todo()`
 * give none, so untouched stubs stay quiet.
 *
 * Type-aware lint takes seconds, so results are cached per file in
 * `node_modules/.cache/` (gitignored): a run lints only the files whose lesson
 * folder changed since the last one, and of those only the ones with code of
 * the learner's own. Usage: `tsx kit/lint/hints.ts`.
 */
import { createHash } from "node:crypto";
import {
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  writeFileSync,
} from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { ESLint } from "eslint";
import ts from "typescript";
import tseslint from "typescript-eslint";
import { EXPLANATIONS, RULES, VERSION } from "./rules.ts";
import { listLessons, workbookRoot } from "../catalog.ts";
import {
  exerciseAt,
  exerciseSpans,
  isAttempted,
  isGivenSignature,
  isInStub,
} from "./spans.ts";

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
  const cacheFile =
    options.cacheFile ??
    join(root, "node_modules", ".cache", "async-workbook", "lint-hints.json");
  const cache = cacheFile === false ? {} : readCache(cacheFile);
  const fresh: Record<string, CacheEntry> = {};
  const stale: string[] = [];
  for (const { file, key } of exerciseFiles(root)) {
    const cached = cache[file];
    if (cached?.key === key) fresh[file] = cached;
    else {
      stale.push(file);
      fresh[file] = { key, hints: [] };
    }
  }
  // A file whose exercises are all still todo() has nothing to hint at.
  const attempted = stale.filter((file) =>
    isAttempted(exerciseSpans(readFileSync(join(root, file), "utf8"), file)),
  );
  if (attempted.length > 0) {
    options.onLint?.(attempted);
    for (const [file, hints] of await lint(root, attempted)) {
      fresh[file]!.hints = hints;
    }
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

async function lint(
  root: string,
  files: string[],
): Promise<Map<string, Hint[]>> {
  const paths = files.map((f) => join(root, f));
  const results = await hintLinter(root, paths).lintFiles(paths);
  return new Map(
    results.map((result) => {
      const hints = toHints(root, result);
      return [relative(root, result.filePath).split("\\").join("/"), hints];
    }),
  );
}

/**
 * ESLint with the hints' rules, type-aware, over `root`'s lessons. Given
 * `files`, the type information comes from a program of those files and what
 * they import (quicker than every lesson's); without, from every lesson.
 */
export function hintLinter(root: string, files?: string[]): ESLint {
  const tsconfig = join(root, "kit", "lint", "lessons.tsconfig.json");
  const parserOptions = files
    ? { programs: [program(tsconfig, files)] }
    : { project: tsconfig, tsconfigRootDir: root };
  return new ESLint({
    cwd: root,
    overrideConfigFile: true,
    overrideConfig: [
      {
        files: ["lessons/**/*.ts"],
        languageOptions: { parser: tseslint.parser, parserOptions },
        plugins: {
          "@typescript-eslint": tseslint.plugin as ESLint.Plugin,
        },
        rules: RULES,
      },
    ],
  });
}

function program(tsconfig: string, files: string[]): ts.Program {
  const parsed = ts.getParsedCommandLineOfConfigFile(tsconfig, undefined, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: () => {},
  });
  if (!parsed) throw new Error(`${tsconfig}: could not read it`);
  return ts.createProgram({ rootNames: files, options: parsed.options });
}

/** One file's findings as hints: none inside a stub. */
export function toHints(root: string, result: ESLint.LintResult): Hint[] {
  const file = relative(root, result.filePath).split("\\").join("/");
  const source = result.source ?? readFileSync(result.filePath, "utf8");
  const spans = exerciseSpans(source, file);
  const lesson = file.split("/")[1]!;
  return result.messages.flatMap((message) => {
    // A file the program does not hold is the kit's bug: say so, do not
    // hide it as a parse error.
    if (
      message.fatal &&
      /parserOptions|tsconfig|project/i.test(message.message)
    )
      throw new Error(`lint hints: ${file}: ${message.message}`);
    const rule = message.ruleId?.replace("@typescript-eslint/", "");
    const explain = rule === undefined ? undefined : EXPLANATIONS[rule];
    // A parse error is the tests' to report, not a hint's.
    if (!rule || !explain) return [];
    if (isInStub(spans, message.line)) return [];
    if (rule === "require-await" && isGivenSignature(spans, message.line))
      return [];
    const text = explain[message.messageId ?? ""] ?? explain["*"]!;
    return [
      {
        exercise: exerciseAt(spans, message.line),
        lesson,
        file,
        line: message.line,
        column: message.column,
        rule,
        message: text,
      },
    ];
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
  const hints = await lintHints();
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
