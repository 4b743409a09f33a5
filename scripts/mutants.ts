/**
 * Proves that each lesson's tests catch the mistakes CURRICULUM.md lists. Every
 * file `test/mutants/NN-slug/<file>--<mistake>.diff` is a reference solution
 * with one mistake in it, written as a unified diff against
 * `solutions/NN-slug/<file>.ts`, after two header lines that name the mistake
 * and a phrase the failure message must contain:
 *
 *   mistake: awaiting inside the loop (sequential in disguise)
 *   expect: did you await inside the loop?
 *
 *   --- a/solutions/01-coroutines/fetch-all.ts
 *   +++ b/solutions/01-coroutines/fetch-all.ts
 *   @@ …
 *
 * (`git apply test/mutants/…diff` puts the mistake in place, to try it by
 * hand.) Each mutant runs as its own vitest project in which the solution file
 * is loaded with the diff applied. A mutant survives when its lesson's tests
 * all pass, or when they fail without saying the expected phrase. A diff that
 * no longer applies, because the solution changed, is an error. Usage: `npm run
 * mutants [-- 01]`.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { availableParallelism } from "node:os";
import { defaultServerConditions, type Plugin } from "vite";
import { startVitest, type Reporter, type TestModule } from "vitest/node";
import { exerciseFile, workbookRoot } from "../kit/catalog.ts";
import { borrowPlan } from "../kit/borrow/graph.ts";
import { lessonExercises } from "../kit/exercise-code.ts";
import { bold, green, red } from "../kit/colors.ts";

interface Mutant {
  id: string;
  lesson: string;
  target: string;
  source: string;
  mistake: string;
  expected: string;
  /** The lesson's exercises whose tests run: those whose code runs it. */
  describes: string[];
}

function findMutants(filter: string | undefined): Mutant[] {
  const folder = join(workbookRoot, "test", "mutants");
  if (!existsSync(folder)) return [];
  return readdirSync(folder)
    .filter((lesson) => !filter || lesson.startsWith(filter.padStart(2, "0")))
    .sort()
    .flatMap((lesson) =>
      readdirSync(join(folder, lesson))
        .filter((file) => file.endsWith(".diff"))
        .sort()
        .map((file) => readMutant(lesson, join(folder, lesson, file))),
    );
}

function readMutant(lesson: string, path: string): Mutant {
  const name = relative(workbookRoot, path);
  const text = readFileSync(path, "utf8");
  const header = (key: string) =>
    new RegExp(`^${key}: (.+)$`, "m").exec(text)?.[1]?.trim();
  const mistake = header("mistake");
  const expected = header("expect");
  const targetPath = /^--- a\/(.+)$/m.exec(text)?.[1];
  if (!mistake || !expected || !targetPath)
    throw new Error(
      `${name} needs "mistake:" and "expect:" lines, then a diff against a solution file`,
    );
  const target = join(workbookRoot, targetPath);
  if (!existsSync(target))
    throw new Error(`${name}: no solution file ${targetPath} to change`);
  const source = applyDiff(readFileSync(target, "utf8"), text, name);
  const describes =
    header("describes")?.split(/,\s*/) ?? exercisesRunning(lesson, target);
  return {
    describes,
    id: `${lesson}/${name
      .split("/")
      .pop()
      ?.replace(/\.diff$/, "")}`,
    lesson,
    target,
    source,
    mistake,
    expected,
  };
}

/**
 * The exercises of `lesson` whose code runs `target` (theirs, or one it
 * imports, however deep): only their tests can catch a mistake in it, so a
 * mutant runs only those. A `describes:` header names others where a test
 * catches it from further away.
 */
function exercisesRunning(lesson: string, target: string): string[] {
  return lessonExercises(lesson).filter((exercise) => {
    const file = exerciseFile(lesson, exercise);
    if (!file) return true;
    const reference = join(workbookRoot, file.replace(/^lessons/, "solutions"));
    return borrowPlan([reference], {
      tree: "solutions",
      asWritten: true,
    }).files.includes(target);
  });
}

/**
 * Applies each hunk where its old lines stand, searching forward; line numbers
 * are only hints.
 */
function applyDiff(original: string, diff: string, name: string): string {
  const lines = original.split("\n");
  const hunks = diff.split(/^@@[^\n]*\n/m).slice(1);
  let from = 0;
  for (const hunk of hunks) {
    const body = hunk
      .split("\n")
      .filter((line) => /^[ +-]/.test(line) || line === "");
    while (body.at(-1) === "") body.pop();
    const before = body
      .filter((line) => !line.startsWith("+"))
      .map((line) => line.slice(1));
    const after = body
      .filter((line) => !line.startsWith("-"))
      .map((line) => line.slice(1));
    const at = findBlock(lines, before, from);
    if (at === -1)
      throw new Error(
        `${name} no longer applies to the solution: regenerate it with \`git diff\` after making the mistake by hand`,
      );
    lines.splice(at, before.length, ...after);
    from = at + after.length;
  }
  return lines.join("\n");
}

function findBlock(lines: string[], block: string[], from: number): number {
  for (let i = from; i + block.length <= lines.length; i += 1) {
    if (block.every((line, k) => lines[i + k] === line)) return i;
  }
  return -1;
}

/** Serves the solution file with the mistake in it. */
function swapIn(mutant: Mutant): Plugin {
  return {
    name: "workbook-mutant",
    enforce: "pre",
    load(id) {
      return id.split("?")[0] === mutant.target ? mutant.source : null;
    },
  };
}

class Collector implements Reporter {
  modules: readonly TestModule[] = [];
  onTestRunEnd(modules: readonly TestModule[]): void {
    this.modules = modules;
  }
}

async function main(): Promise<void> {
  const mutants = findMutants(process.argv[2]);
  if (mutants.length === 0) {
    console.log("No mutants found.");
    return;
  }
  const collector = new Collector();
  const vitest = await startVitest(
    "test",
    [],
    // vitest leaves a core free by default; mutants are the longest step of
    // verify, so they take every core (MUTANT_WORKERS to change that).
    {
      watch: false,
      reporters: [collector],
      config: false,
      maxWorkers: Number(process.env.MUTANT_WORKERS ?? availableParallelism()),
    },
    {
      test: {
        projects: mutants.map((mutant) => ({
          plugins: [swapIn(mutant)],
          ssr: {
            resolve: { conditions: ["solutions", ...defaultServerConditions] },
          },
          test: {
            name: mutant.id,
            root: workbookRoot,
            include: [`test/${mutant.lesson}.test.ts`],
            // Read by kit/vitest/runner.ts: the other exercises are skipped.
            env: { WORKBOOK_DESCRIBES: mutant.describes.join(",") },
            runner: join(workbookRoot, "kit/vitest/runner.ts"),
            setupFiles: [join(workbookRoot, "kit/vitest/setup.ts")],
            testTimeout: 5_000,
          },
        })),
      },
    },
  );
  await vitest.close();

  let survivors = 0;
  for (const mutant of mutants) {
    const modules = collector.modules.filter(
      (m) => m.project.name === mutant.id,
    );
    const failures = modules.flatMap((m) => [
      ...m.errors().map((e) => e.message ?? ""),
      ...[...m.children.allTests()].flatMap((t) =>
        (t.result().errors ?? []).map((e) => e.message ?? ""),
      ),
    ]);
    const caught = failures.some((message) =>
      message.includes(mutant.expected),
    );
    if (caught) {
      console.log(`${green("caught")}   ${mutant.id}: ${mutant.mistake}`);
      continue;
    }
    survivors += 1;
    console.log(`${red("survived")} ${mutant.id}: ${mutant.mistake}`);
    console.log(
      failures.length === 0
        ? "         every test passed"
        : `         ${failures.length} failure(s), none saying "${mutant.expected}"; first: ${failures[0]?.split("\n")[0]}`,
    );
  }
  console.log(
    bold(
      `\n${mutants.length - survivors} of ${mutants.length} mistakes caught`,
    ),
  );
  process.exitCode = survivors === 0 ? 0 : 1;
}

await main();
