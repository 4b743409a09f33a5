/**
 * The slow half of kit/lint/hints.ts, loaded only when a file needs linting:
 * typescript-eslint's type-aware promise rules over the exercise files that
 * hold code of the learner's own, each finding turned into a hint.
 */
import { readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { ESLint } from "eslint";
import ts from "typescript";
import tseslint from "typescript-eslint";
import type { Hint } from "./hints.ts";
import { EXPLANATIONS, RULES } from "./rules.ts";
import {
  exerciseAt,
  exerciseSpans,
  isAttempted,
  isGivenSignature,
  isInStub,
} from "./spans.ts";

/**
 * The hints of each of `files` (paths in `root`) that has an attempted
 * exercise; `onLint` is told which those are before the lint starts.
 */
export async function lintAttempted(
  root: string,
  files: readonly string[],
  onLint?: (files: readonly string[]) => void,
): Promise<Map<string, Hint[]>> {
  // A file whose exercises are all still todo() has nothing to hint at.
  const attempted = files.filter((file) =>
    isAttempted(exerciseSpans(readFileSync(join(root, file), "utf8"), file)),
  );
  if (attempted.length === 0) return new Map();
  onLint?.(attempted);
  return lint(root, attempted);
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
 * ESLint with the hints' rules, type-aware, over `files` in `root`'s lessons.
 * The type information comes from a program of those files and what they
 * import, quicker to build than every lesson's.
 */
function hintLinter(root: string, files: string[]): ESLint {
  const tsconfig = join(root, "kit", "lint", "lessons.tsconfig.json");
  const parserOptions = { programs: [program(tsconfig, files)] };
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
function toHints(root: string, result: ESLint.LintResult): Hint[] {
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
