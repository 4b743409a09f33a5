/**
 * `tsc -p tsconfig.json` for the learner: type errors in `lessons/` are told
 * per exercise, in the progress table's words (the lesson's number and title,
 * the exercise's exported name), and a lesson's test file that no longer
 * type-checks against the exercises is told under that lesson too. Every
 * other error is printed as tsc would. Exits 1 on any error. Usage: `tsx
 * kit/typecheck.ts [tsconfig]`.
 */
import { mkdirSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import ts from "typescript";
import { listLessons, workbookRoot } from "./catalog.ts";
import { bold, dim, red } from "./colors.ts";
import { exerciseAt, exerciseSpans } from "./lint/spans.ts";

export interface TypeError {
  /** Relative to the root, with forward slashes. */
  file: string;
  line: number;
  column: number;
  message: string;
  /** `01-coroutines`, when the file is a lesson's exercise, demo or test. */
  lesson?: string;
  /** The exported name, or `demo` or `its tests`. */
  exercise?: string;
}

const LESSON_FILE = /^lessons\/(\d\d-[a-z0-9-]+)\/([\w.-]+)\.ts$/;
const TEST_FILE = /^test\/(\d\d-[a-z0-9-]+)\.test\.ts$/;

/** Every type error of the project `tsconfig`, tied to its exercise. */
export function typeErrors(
  root = workbookRoot,
  tsconfig = "tsconfig.json",
  /**
   * Where to keep what this check learned (TypeScript's build info), so
   * that the next one re-checks only what changed.
   */
  cache?: string,
): TypeError[] {
  const parsed = ts.getParsedCommandLineOfConfigFile(
    join(root, tsconfig),
    undefined,
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
        throw new Error(flatten(diagnostic));
      },
    },
  );
  if (!parsed) throw new Error(`${tsconfig}: could not read it`);
  const builder = ts.createIncrementalProgram({
    rootNames: parsed.fileNames,
    options: cache
      ? { ...parsed.options, incremental: true, tsBuildInfoFile: cache }
      : parsed.options,
  });

  const spans = new Map<string, ReturnType<typeof exerciseSpans>>();
  // The builder's own lists: with a cache, it re-checks only what changed.
  const diagnostics = [
    ...builder.getOptionsDiagnostics(),
    ...builder.getGlobalDiagnostics(),
    ...builder.getSyntacticDiagnostics(),
    ...builder.getSemanticDiagnostics(),
  ];
  if (cache) {
    mkdirSync(dirname(cache), { recursive: true });
    builder.emit(); // noEmit: writes the build info alone
  }
  return diagnostics.map((diagnostic) => {
    const message = flatten(diagnostic);
    if (!diagnostic.file || diagnostic.start === undefined)
      return { file: tsconfig, line: 0, column: 0, message };
    const file = relative(root, diagnostic.file.fileName).split("\\").join("/");
    const position = diagnostic.file.getLineAndCharacterOfPosition(
      diagnostic.start,
    );
    const error: TypeError = {
      file,
      line: position.line + 1,
      column: position.character + 1,
      message,
    };
    const exercise = LESSON_FILE.exec(file);
    if (exercise) {
      error.lesson = exercise[1];
      if (exercise[2] === "demo") error.exercise = "demo";
      else {
        let fileSpans = spans.get(file);
        if (!fileSpans) {
          fileSpans = exerciseSpans(
            readFileSync(join(root, file), "utf8"),
            file,
          );
          spans.set(file, fileSpans);
        }
        error.exercise = exerciseAt(fileSpans, error.line);
      }
    }
    const test = TEST_FILE.exec(file);
    if (test) {
      error.lesson = test[1];
      error.exercise = "its tests";
    }
    return error;
  });
}

function flatten(diagnostic: ts.Diagnostic): string {
  // The first line says what is wrong; the rest is the chain of reasons.
  return ts
    .flattenDiagnosticMessageText(diagnostic.messageText, "\n")
    .split("\n")[0]!;
}

/** The report, lesson by lesson, then everything else. */
export function formatTypeErrors(
  errors: readonly TypeError[],
  root = workbookRoot,
): string[] {
  const count = (n: number) => `${n} type error${n === 1 ? "" : "s"}`;
  const where = (e: TypeError) => `${e.file}:${e.line}:${e.column}`;
  const lines: string[] = [];
  for (const lesson of listLessons(root)) {
    const inLesson = errors.filter((e) => e.lesson === lesson.id);
    if (inLesson.length === 0) continue;
    lines.push("", bold(`${lesson.number} · ${lesson.title}`));
    const names = [...new Set(inLesson.map((e) => e.exercise!))];
    for (const name of names) {
      const mine = inLesson.filter((e) => e.exercise === name);
      lines.push(`  ${red("✗")} ${name.padEnd(22)} ${count(mine.length)}`);
      for (const e of mine) lines.push(`      ${dim(where(e))}  ${e.message}`);
    }
    if (names.includes("its tests"))
      lines.push(
        dim(
          "  The tests no longer type-check against your exercises: did " +
            "an exported signature change?",
        ),
      );
  }
  const elsewhere = errors.filter((e) => e.lesson === undefined);
  if (elsewhere.length > 0) {
    lines.push("", bold("Elsewhere"));
    for (const e of elsewhere) lines.push(`  ${dim(where(e))}  ${e.message}`);
  }
  lines.push(
    "",
    errors.length === 0 ? "No type errors." : count(errors.length),
  );
  return lines;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  // `tsx kit/typecheck.ts [tsconfig] [--cache <build info file>] [--quiet]`
  const args = process.argv.slice(2);
  const at = args.indexOf("--cache");
  const cache = at === -1 ? undefined : join(workbookRoot, args[at + 1]!);
  const tsconfig =
    args.find((arg, i) => !arg.startsWith("--") && i !== at + 1) ??
    "tsconfig.json";
  const errors = typeErrors(workbookRoot, tsconfig, cache);
  if (errors.length > 0) {
    console.log(formatTypeErrors(errors).join("\n").replace(/^\n/, ""));
    process.exitCode = 1;
  } else if (!args.includes("--quiet")) console.log("No type errors.");
}
