/**
 * The workbook's reporter: one line per exercise, the failing tests with their
 * messages, then a progress table and the next thing to do. Three modes:
 * - `learner` (`npm test`): not-started exercises are fine; only attempted ones
 *   can fail the run.
 * - `solutions` (`npm run test:solutions`): every test must pass; anything else
 *   fails the run.
 * - `untouched` (part of `npm run verify`): every test must be not started,
 *   proving that each stub fails for the intended reason and no test passes
 *   against an empty stub.
 * Tests a filter left out (`-t`, watch mode's `t`) are not counted at all.
 */
import { execFile } from "node:child_process";
import { basename, relative } from "node:path";
import type {
  Reporter,
  SerializedError,
  TestModule,
  Vitest,
} from "vitest/node";
import { workbookRoot } from "../catalog.ts";
import { isNotStarted } from "../todo.ts";
import { bold, dim, green, plain, red, yellow } from "../colors.ts";
import type { Hint } from "../lint/hints.ts";
import { recordUpdate } from "../progress/from-run.ts";
import { mergeRecord, readRecord, writeRecord } from "../progress/record.ts";
import { plainMessage } from "./messages.ts";
import { nextStep, noLessonMatches } from "./next-step.ts";
import { attachBlame, blameMessage } from "./blame.ts";
import { borrowedLine } from "../borrow/graph.ts";
import {
  lessonProgress,
  type Exercise,
  type LessonProgress,
} from "./progress.ts";

export type ReporterMode = "learner" | "solutions" | "untouched";

const ICON = {
  done: green("✓"),
  failing: red("✗"),
  "not started": dim("○"),
} as const;

export default class WorkbookReporter implements Reporter {
  private readonly lines: string[] = [];
  private hints: Promise<Map<string, Hint[]>> = Promise.resolve(new Map());
  private vitest: Vitest | undefined;

  constructor(private readonly mode: ReporterMode = "learner") {}

  onInit(vitest: Vitest): void {
    this.vitest = vitest;
  }

  onTestRunStart(specifications: ReadonlyArray<{ moduleId: string }>): void {
    this.lines.length = 0;
    // The learner's code only: the reference is linted clean by verify. The
    // lint starts with the tests, beside them, not after them, and lints the
    // lessons of this run only.
    const lessons = specifications.map((s) =>
      basename(s.moduleId).replace(/\.test\.ts$/, ""),
    );
    this.hints =
      this.mode === "learner"
        ? learnerHints(lessons)
        : Promise.resolve(new Map());
  }

  async onTestRunEnd(
    modules: ReadonlyArray<TestModule>,
    unhandled: ReadonlyArray<SerializedError>,
  ): Promise<void> {
    if (modules.length === 0) {
      const filters = (
        this.vitest as { filenamePattern?: string[] } | undefined
      )?.filenamePattern;
      console.log(noLessonMatches(filters ?? []));
      process.exitCode = 1;
      return;
    }
    // A learner may narrow a run with `.only`; a reference run has no excuse.
    const namePattern = this.vitest?.getGlobalTestNamePattern();
    const filtered = this.mode === "learner" || namePattern !== undefined;
    const borrowing = this.mode !== "solutions";
    const progress = lessonProgress(modules, filtered, borrowing);
    if (borrowing) attachBlame(progress, readRecord());
    const hints = await this.hints;
    for (const lesson of progress) this.printLesson(lesson, hints);
    const realUnhandled = unhandled.filter((error) => !isNotStarted(error));
    for (const error of realUnhandled) {
      this.printError("Unhandled error outside any test", error);
    }

    const tests = progress.flatMap((l) => l.exercises.flatMap((e) => e.tests));
    const count = (status: string) =>
      tests.filter((t) => t.status === status).length;
    const passed = count("passed");
    const failed = count("failed") + count("skipped");
    const notStarted = count("not started");
    const leftOut = progress.reduce((sum, l) => sum + l.leftOut, 0);
    const broken =
      modules.filter((m) => m.errors().length > 0).length +
      realUnhandled.length;

    if (this.mode === "learner") {
      this.printTable(progress);
      saveProgress(progress, filtered, hints);
    }
    this.lines.push("");
    let ok: boolean;
    const filterNote =
      leftOut > 0 ? dim(` (${leftOut} left out by the filter)`) : "";
    if (this.mode === "solutions") {
      ok = failed + notStarted + broken === 0 && passed > 0;
      if (passed === 0) this.lines.push(red("No test ran."));
      this.lines.push(
        `${passed} passed, ${failed + notStarted + broken} failed${filterNote}`,
      );
    } else if (this.mode === "untouched") {
      ok = passed + failed + broken === 0 && notStarted > 0;
      if (!ok) {
        this.lines.push(
          red(
            "Against the untouched stubs every test must be not started: a test that passes against a stub checks nothing, and one that fails hits the wrong error.",
          ),
        );
      }
      this.lines.push(
        `${notStarted} not started, ${passed} passed, ${failed + broken} failed`,
      );
    } else {
      ok = failed + broken === 0;
      this.lines.push(
        `${passed} passed, ${failed + broken} failed, ${notStarted} not started${filterNote}`,
      );
    }
    if (!ok) process.exitCode = 1;
    console.log(this.lines.join("\n"));
  }

  private printLesson(
    { id, lesson, module, loadError, exercises }: LessonProgress,
    hints: ReadonlyMap<string, Hint[]>,
  ): void {
    const title = lesson ? `${lesson.number} · ${lesson.title}` : id;
    this.lines.push(
      "",
      bold(title) + dim(`  ${relative(workbookRoot, module.moduleId)}`),
    );
    if (loadError) this.printError("This test file could not load", loadError);
    else
      for (const error of module.errors())
        this.printError("This test file failed", error);
    for (const exercise of exercises) {
      const passed = exercise.tests.filter((t) => t.status === "passed").length;
      const waits =
        exercise.status === "not started" &&
        exercise.blame?.reason === "not written";
      const summary = waits
        ? dim(
            `waits for ${exercise.blame!.exercise} (${exercise.blame!.file}), not written yet`,
          )
        : exercise.status === "not started" && passed === 0
          ? dim("not started")
          : `${passed}/${exercise.tests.length} tests${conformance(exercise)}`;
      this.lines.push(
        `  ${ICON[exercise.status]} ${exercise.name.padEnd(22)} ${summary}`,
      );
      if (exercise.blame && exercise.status === "failing")
        this.lines.push(
          `      ${yellow("↳")} ${blameMessage(exercise.blame, { name: exercise.name, lesson: id })}`,
        );
      if (exercise.status === "failing" || this.mode === "solutions") {
        this.printTests(exercise);
      }
      if (exercise.status !== "not started")
        for (const hint of hints.get(exercise.name) ?? [])
          this.lines.push(
            `      ${yellow("hint")} ${hint.file}:${hint.line}  ${hint.message}`,
          );
    }
  }

  private printTests(exercise: Exercise): void {
    for (const { name, status, test } of exercise.tests) {
      if (status === "passed") {
        if (exercise.status === "failing")
          this.lines.push(`      ${green("✓")} ${dim(name)}`);
        continue;
      }
      if (status === "not started") {
        const which = test.meta().notStarted?.exercise;
        this.lines.push(
          `      ${dim("○")} ${name} ${dim(`(not started: ${which})`)}`,
        );
        continue;
      }
      if (status === "skipped") {
        this.lines.push(
          `      ${yellow("↓")} ${name} ${yellow("(skipped: every test must run)")}`,
        );
        continue;
      }
      this.lines.push(`      ${red("✗")} ${name}`);
      for (const error of test.result().errors ?? []) {
        this.lines.push(...formatError(error, "          "));
      }
    }
  }

  private printError(title: string, error: SerializedError): void {
    this.lines.push(`  ${red("✗")} ${title}`, ...formatError(error, "      "));
  }

  private printTable(progress: LessonProgress[]): void {
    const said = new Set<string>();
    const rows = progress
      .filter((l) => l.loadError || l.exercises.length > 0)
      .map(({ id, lesson, exercises, loadError, borrowed }) => {
        const count = (status: Exercise["status"]) =>
          exercises.filter((e) => e.status === status).length;
        const attempted = exercises.some((e) => e.status !== "not started");
        // Said once per run: a later lesson that borrows it too says so.
        const borrows = (attempted ? borrowed : []).map((b) => {
          const line = said.has(b.file)
            ? `uses the reference ${b.names.join(", ")} too`
            : borrowedLine(b);
          said.add(b.file);
          return line;
        });
        return {
          label: lesson ? `${lesson.number} ${lesson.title}` : id,
          loadError: loadError !== undefined,
          done: count("done"),
          failing: count("failing"),
          notStarted: count("not started"),
          borrows,
        };
      });
    if (rows.length === 0) return;
    // Room for the ⇠ of a lesson that borrows, where one does.
    const width = Math.max(
      6,
      ...rows.map((r) => r.label.length + (r.borrows.length > 0 ? 2 : 0)),
    );
    this.lines.push(
      "",
      bold("Progress"),
      dim(`  ${"lesson".padEnd(width)}  done  failing  not started`),
    );
    for (const row of rows) {
      // ⇠ marks a lesson that ran on borrowed reference code.
      const mark = row.borrows.length > 0 ? " ⇠" : "";
      const label = `  ${(row.label + mark).padEnd(width)}  `;
      if (row.loadError) {
        this.lines.push(label + red("could not load: see above"));
        continue;
      }
      const failing = String(row.failing).padStart(7);
      this.lines.push(
        label +
          `${String(row.done).padStart(4)}  ${row.failing ? red(failing) : failing}  ` +
          String(row.notStarted).padStart(11),
      );
      for (const line of row.borrows) this.lines.push(dim(`     ⇠ ${line}`));
    }
    this.lines.push("", ...nextStep(progress));
  }
}

/**
 * typescript-eslint's promise rules over the attempted exercises, as hints
 * that never fail a run (kit/lint/hints.ts caches them per lesson). The lint
 * runs in a child process: type-aware lint is seconds of CPU, which in this
 * process would hold up vitest's own work (its workers' shutdown).
 */
function learnerHints(lessons: string[]): Promise<Map<string, Hint[]>> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [
        ...["--import", "tsx", "kit/lint/hints.ts", "--json"],
        ...["--lessons", lessons.join(",")],
      ],
      // The timeout is for a hang: on a busy machine the lint takes its time.
      { cwd: workbookRoot, timeout: 300_000, maxBuffer: 16 << 20 },
      (error, stdout) => {
        const byExercise = new Map<string, Hint[]>();
        try {
          if (error) throw error;
          for (const hint of JSON.parse(stdout) as Hint[])
            byExercise.set(hint.exercise, [
              ...(byExercise.get(hint.exercise) ?? []),
              hint,
            ]);
        } catch (failure) {
          console.warn(`Could not lint your exercises: ${String(failure)}`);
        }
        resolve(byExercise);
      },
    );
  });
}

/**
 * How many of an exercise's tests are ported from the web platform's own
 * conformance suite (lesson 09), and how many of those passed: ` (26 of 26
 * web-platform-tests cases)`.
 */
function conformance(exercise: Exercise): string {
  const ported = exercise.tests.filter((t) =>
    /web-platform-tests/.test(
      t.test.parent.type === "suite" ? t.test.parent.name : "",
    ),
  );
  if (ported.length === 0) return "";
  const passed = ported.filter((t) => t.status === "passed").length;
  return dim(` (${passed} of ${ported.length} web-platform-tests cases)`);
}

/** The site's marks come from here; a run never fails for want of them. */
function saveProgress(
  progress: LessonProgress[],
  filtered: boolean,
  hints: ReadonlyMap<string, Hint[]>,
): void {
  try {
    const update = recordUpdate(progress, filtered, hints);
    writeRecord(mergeRecord(readRecord(), update));
  } catch (error) {
    console.warn(`Could not save progress for the site: ${String(error)}`);
  }
}

function formatError(error: SerializedError, indent: string): string[] {
  const message = plainMessage(plain(error.message ?? String(error)));
  const lines = message
    .split("\n")
    .slice(0, 12)
    .map((line) => indent + line);
  const diff = (error as { diff?: string }).diff;
  // A diff of two numbers only repeats the message; show it for arrays,
  // objects and long text.
  const diffLines = diff ? plain(diff).split("\n") : [];
  // "expected:" and "got:" already say it, unless vitest shortened a value.
  const saidInFull = /^expected: /m.test(message) && !message.includes("…");
  if (diffLines.length > 6 && !saidInFull) {
    lines.push(...diffLines.slice(0, 20).map((line) => indent + line));
  }
  const frame = (
    error as { stacks?: { file: string; line: number; column: number }[] }
  ).stacks?.find((s) => /\/(test|lessons|solutions)\//.test(s.file));
  if (frame) {
    lines.push(
      dim(
        `${indent}at ${relative(workbookRoot, frame.file)}:${frame.line}:${frame.column}`,
      ),
    );
  }
  return lines;
}
