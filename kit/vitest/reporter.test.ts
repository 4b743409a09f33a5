/**
 * The learner's runs, end to end: a sandbox copy of the workbook with a
 * learner's edits, and the real `vitest` with the workbook's reporter.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { workbookRoot } from "../catalog.ts";
import { createSandbox } from "../../scripts/sandbox.ts";

const solution = (path: string) =>
  readFileSync(join(workbookRoot, "solutions", path), "utf8");
const stub = (path: string) =>
  readFileSync(join(workbookRoot, "lessons", path), "utf8");

/** A stub whose `todo("<task>…")` call is replaced by `body`. */
function written(path: string, task: string, body: string): string {
  const call = new RegExp(`todo\\(\\s*"${task}[^"]*",?\\s*\\);`);
  const text = stub(path);
  if (!call.test(text))
    throw new Error(`no todo("${task}…") in lessons/${path}`);
  return text.replace(call, body);
}

async function vitest(changes: Record<string, string>, ...args: string[]) {
  await using sandbox = await createSandbox(changes);
  const bin = join(sandbox.root, "node_modules", "vitest", "vitest.mjs");
  // `return await`: the sandbox must outlive the run, not just its start.
  return await sandbox.run(process.execPath, [bin, "run", ...args]);
}

describe("npm test", () => {
  it.concurrent(
    "leaves tests that a -t filter did not select out of the counts",
    async () => {
      const { code, output } = await vitest(
        {
          "lessons/01-coroutines/sleep.ts": solution("01-coroutines/sleep.ts"),
        },
        "01",
        "-t",
        "sleep",
      );
      expect(output).toContain(
        "6 passed, 0 failed, 0 not started (19 left out by the filter)",
      );
      expect(output).not.toContain("skipped");
      expect(output).not.toContain("fetchSequential");
      expect(code).toBe(0);
    },
  );

  it.concurrent(
    "shows a test file that cannot load, and points Next at the broken line",
    async () => {
      const broken = written(
        "01-coroutines/fetch-all.ts",
        "Await",
        "const results = ;",
      );
      const { code, output } = await vitest({
        "lessons/01-coroutines/fetch-all.ts": broken,
      });
      expect(output).toContain("This test file could not load");
      expect(output).toMatch(
        /01 Coroutines and the event loop\s+could not load/,
      );
      expect(output).toMatch(
        /Next: test\/01-coroutines\.test\.ts could not load.*\n\s+fix\s+lessons\/01-coroutines\/fetch-all\.ts:\d+:\d+: Unexpected token/,
      );
      expect(code).toBe(1);
    },
  );

  it.concurrent("says how to filter when no lesson matches", async () => {
    const { code, output } = await vitest({}, "sleep");
    expect(output).toContain('No lesson matches "sleep".');
    expect(output).toContain("npm test -- 01 -t sleep");
    expect(output).not.toContain("0 passed, 0 failed");
    expect(code).toBe(1);
  });

  it.concurrent(
    "names the next exercise with its file and its place on the local site",
    async () => {
      const sequentialButWrong = written(
        "01-coroutines/fetch-all.ts",
        "Await",
        "return Promise.all(ids.map(fetchOne));",
      );
      const { code, output } = await vitest(
        {
          "lessons/01-coroutines/sleep.ts": solution("01-coroutines/sleep.ts"),
          "lessons/01-coroutines/fetch-all.ts": sequentialButWrong,
        },
        "01",
      );
      expect(output).toMatch(/Next: fetchSequential \(failing\)/);
      expect(output).toContain("edit lessons/01-coroutines/fetch-all.ts");
      expect(output).toContain(
        "read http://localhost:5173/lessons/01-coroutines#exercise-2-one-after-another-or-all-at-once",
      );
      expect(output).not.toMatch(/Object\.is equality|\+0\b/);
      expect(code).toBe(1);
    },
  );

  it.concurrent(
    "reports a promise that never settles in plain words",
    async () => {
      const hangs = written(
        "01-coroutines/sleep.ts",
        "Resolve",
        "return new Promise(() => {});",
      );
      const { output } = await vitest(
        { "lessons/01-coroutines/sleep.ts": hangs },
        "01",
        "-t",
        "once it resolves",
        "--testTimeout",
        "300",
      );
      expect(output).toContain(
        "The test waited 0.3 s for a promise that never settled (did you forget to resolve it, or to call a callback?)",
      );
      expect(output).not.toContain("testTimeout");
    },
  );
});
