import { cpSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSandbox, type Sandbox } from "../../scripts/sandbox.ts";
import { lintHints } from "./hints.ts";
import { EXPLANATIONS } from "./rules.ts";

const FETCH_ALL = "lessons/01-coroutines/fetch-all.ts";
const SLEEP = "lessons/01-coroutines/sleep.ts";

/** fetch-all.ts with fetchSequential written, and written wrong. */
function withForEachAsync(stub: string): string {
  return stub.replace(
    'todo("Await fetchOne for each id in turn: one call at a time.");',
    [
      "const results: T[] = [];",
      "ids.forEach(async (id) => {",
      "  results.push(await fetchOne(id));",
      "});",
      "return results;",
    ].join("\n"),
  );
}

function readKeys(cacheFile: string): Record<string, string> {
  const cache = JSON.parse(readFileSync(cacheFile, "utf8")) as Record<
    string,
    { key: string }
  >;
  return Object.fromEntries(
    Object.entries(cache).map(([file, entry]) => [file, entry.key]),
  );
}

describe("lintHints", () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await createSandbox({}, { pristineLessons: true });
  });
  afterAll(() => sandbox[Symbol.asyncDispose]());

  it("gives no hint for untouched stubs", async () => {
    const hints = await lintHints({ root: sandbox.root, cacheFile: false });
    expect([...hints.values()].flat()).toEqual([]);
  });

  it("names the exercise and the line of forEach(async ...)", async () => {
    await using wrong = await createSandbox({}, { pristineLessons: true });
    const stub = readFileSync(join(wrong.root, FETCH_ALL), "utf8");
    const text = withForEachAsync(stub);
    writeFileSync(join(wrong.root, FETCH_ALL), text);
    const line = text.split("\n").indexOf("ids.forEach(async (id) => {") + 1;

    const hints = await lintHints({ root: wrong.root, cacheFile: false });

    expect(hints.get("fetchSequential")).toEqual([
      expect.objectContaining({
        exercise: "fetchSequential",
        lesson: "01-coroutines",
        file: FETCH_ALL,
        line,
        rule: "no-misused-promises",
        message: expect.stringContaining("forEach") as string,
      }),
    ]);
    // fetchConcurrent, in the same file, is still a stub.
    expect(hints.has("fetchConcurrent")).toBe(false);
  });

  it("gives no hint for the reference solutions", async () => {
    await using solved = await createSandbox({}, { pristineLessons: true });
    for (const lesson of readdirSync(join(solved.root, "solutions")))
      cpSync(
        join(solved.root, "solutions", lesson),
        join(solved.root, "lessons", lesson),
        { recursive: true },
      );
    const hints = await lintHints({ root: solved.root, cacheFile: false });
    expect([...hints.values()].flat()).toEqual([]);
  });

  it("lints again only the lessons that changed", async () => {
    const cacheFile = join(sandbox.root, "lint-cache.json");
    await lintHints({ root: sandbox.root, cacheFile });
    const before = readKeys(cacheFile);
    const sleep = readFileSync(join(sandbox.root, SLEEP), "utf8");
    writeFileSync(
      join(sandbox.root, SLEEP),
      sleep.replace(
        /todo\("Resolve after ms.*\);$/m,
        "void Promise.reject('late'); return Promise.resolve();",
      ),
    );
    let linted: readonly string[] = [];
    const hints = await lintHints({
      root: sandbox.root,
      cacheFile,
      onLint: (files) => (linted = files),
    });
    // Only lesson 01 changed, and in it only sleep.ts has code to lint.
    expect(linted).toEqual(["lessons/01-coroutines/sleep.ts"]);
    // Lessons 03 and 09 import sleep(): their entries are renewed too.
    const after = readKeys(cacheFile);
    const renewed = Object.keys(after)
      .filter((file) => after[file] !== before[file])
      .map((file) => file.split("/")[1]);
    expect([...new Set(renewed)]).toEqual([
      "01-coroutines",
      "03-generators",
      "09-sse",
    ]);
    expect(hints.get("sleep")?.map((h) => h.rule)).toEqual([
      "prefer-promise-reject-errors",
    ]);
  });
});

describe("EXPLANATIONS", () => {
  it("covers the promise rules npm run lint runs", async () => {
    const configPath = join(import.meta.dirname, "../../eslint.config.js");
    const config = (await import(configPath)) as {
      promiseRules: Record<string, unknown>;
    };
    expect(
      Object.keys(EXPLANATIONS).map((rule) => `@typescript-eslint/${rule}`),
    ).toEqual(Object.keys(config.promiseRules));
  });

  it("explains every rule in one line of at most 160 characters", () => {
    for (const byMessage of Object.values(EXPLANATIONS)) {
      expect(byMessage["*"]).toBeDefined();
      for (const text of Object.values(byMessage))
        expect(text.length).toBeLessThanOrEqual(160);
    }
  });
});
