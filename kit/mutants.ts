/**
 * Proves that each lesson's tests catch the mistakes CURRICULUM.md lists. Every file in
 * `test/mutants/NN-slug/<file>--<mistake>.ts` is a reference solution with one mistake in it;
 * its header names the mistake and a phrase the failure message must contain:
 *
 *   // mistake: awaiting inside the loop (sequential in disguise)
 *   // expect: did you await inside the loop?
 *
 * Each mutant runs as its own vitest project, with `solutions/NN-slug/<file>.ts` swapped for the
 * mutant. A mutant survives when its lesson's tests all pass, or when they fail without saying
 * the expected phrase. Usage: `npm run mutants [-- 01]`.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { defaultServerConditions, type Plugin } from "vite";
import { startVitest, type Reporter, type TestModule } from "vitest/node";
import { workbookRoot } from "./catalog.ts";
import { bold, green, red } from "./colors.ts";

interface Mutant {
  id: string;
  lesson: string;
  path: string;
  target: string;
  mistake: string;
  expected: string;
}

function findMutants(filter: string | undefined): Mutant[] {
  const folder = join(workbookRoot, "test", "mutants");
  if (!existsSync(folder)) return [];
  return readdirSync(folder)
    .filter((lesson) => !filter || lesson.startsWith(filter.padStart(2, "0")))
    .sort()
    .flatMap((lesson) =>
      readdirSync(join(folder, lesson))
        .filter((file) => file.endsWith(".ts"))
        .sort()
        .map((file) => {
          const path = join(folder, lesson, file);
          const source = readFileSync(path, "utf8");
          const header = (key: string) => new RegExp(`^// ${key}: (.+)$`, "m").exec(source)?.[1]?.trim();
          const mistake = header("mistake");
          const expected = header("expect");
          if (!mistake || !expected) throw new Error(`${relative(workbookRoot, path)} needs "// mistake:" and "// expect:" header lines`);
          const target = join(workbookRoot, "solutions", lesson, `${file.split("--")[0]}.ts`);
          if (!existsSync(target)) throw new Error(`${relative(workbookRoot, path)}: no solution file ${relative(workbookRoot, target)} to replace`);
          return { id: `${lesson}/${file.replace(/\.ts$/, "")}`, lesson, path, target, mistake, expected };
        }),
    );
}

/** Resolves every import of the solution file to the mutant, except the mutant's own imports. */
function swapIn(mutant: Mutant): Plugin {
  return {
    name: "workbook-mutant",
    enforce: "pre",
    async resolveId(source, importer, options) {
      if (importer === mutant.path) return null;
      const resolved = await this.resolve(source, importer, { ...options, skipSelf: true });
      return resolved?.id === mutant.target ? mutant.path : resolved;
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
    { watch: false, reporters: [collector], config: false },
    {
      test: {
        projects: mutants.map((mutant) => ({
          plugins: [swapIn(mutant)],
          ssr: { resolve: { conditions: ["solutions", ...defaultServerConditions] } },
          test: {
            name: mutant.id,
            root: workbookRoot,
            include: [`test/${mutant.lesson}.test.ts`],
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
    const modules = collector.modules.filter((m) => m.project.name === mutant.id);
    const failures = modules.flatMap((m) => [
      ...m.errors().map((e) => e.message ?? ""),
      ...[...m.children.allTests()].flatMap((t) => (t.result().errors ?? []).map((e) => e.message ?? "")),
    ]);
    const caught = failures.some((message) => message.includes(mutant.expected));
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
  console.log(bold(`\n${mutants.length - survivors} of ${mutants.length} mistakes caught`));
  process.exitCode = survivors === 0 ? 0 : 1;
}

await main();
