/**
 * The progress record that the site reads: how a run updates it, and that
 * `npm test` writes it (in a sandbox copy of the workbook) while a built
 * site never holds it.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { progressPlugin } from "../../.vitepress/progress-plugin.ts";
import { sidebarCss } from "../../.vitepress/theme/progress.ts";
import { workbookRoot } from "../catalog.ts";
import { createSandbox } from "../../scripts/sandbox.ts";
import {
  mergeRecord,
  readRecord,
  shortMessage,
  writeRecord,
  type ProgressRecord,
} from "./record.ts";

const failing = { state: "failing", failure: { test: "t", message: "m" } };

describe("mergeRecord", () => {
  it("keeps the lessons that did not run", () => {
    const before = mergeRecord(undefined, {
      "02-tasks": { exercises: { wait: { state: "done" } } },
    });
    const after = mergeRecord(before, {
      "01-coroutines": { exercises: { sleep: { state: "not started" } } },
    });
    expect(Object.keys(after.lessons)).toEqual(["01-coroutines", "02-tasks"]);
    expect(after.lessons["02-tasks"]).toEqual(before.lessons["02-tasks"]);
  });

  it("keeps an exercise's last state when a filter left it out", () => {
    const before = mergeRecord(undefined, {
      "01-coroutines": {
        exercises: { sleep: { state: "done" }, lazy: failing as never },
      },
    });
    const after = mergeRecord(before, {
      "01-coroutines": {
        exercises: { sleep: undefined, lazy: { state: "done" }, x: undefined },
      },
    });
    expect(after.lessons["01-coroutines"]!.exercises).toEqual({
      sleep: { state: "done" },
      lazy: { state: "done" },
      x: { state: "not started" },
    });
  });

  it("keeps the exercises of a test file that could not load", () => {
    const before = mergeRecord(undefined, {
      "01-coroutines": { exercises: { sleep: { state: "done" } } },
    });
    const after = mergeRecord(before, {
      "01-coroutines": { exercises: {}, loadError: "Unexpected token" },
    });
    expect(after.lessons["01-coroutines"]).toEqual({
      exercises: { sleep: { state: "done" } },
      loadError: "Unexpected token",
    });
  });
});

describe("readRecord and writeRecord", () => {
  it("read back what was written, and nothing from a missing or stale file", () => {
    const dir = mkdtempSync(join(tmpdir(), "workbook-record-"));
    try {
      const path = join(dir, ".workbook", "progress.json");
      expect(readRecord(path)).toBeUndefined();
      const record = mergeRecord(undefined, {
        "01-coroutines": { exercises: { sleep: { state: "done" } } },
      });
      writeRecord(record, path);
      expect(readRecord(path)).toEqual(record);
      writeRecord({ ...record, version: 0 } as never, path);
      expect(readRecord(path)).toBeUndefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("shortMessage", () => {
  it("keeps the first three lines, trimmed, without blank ones", () => {
    expect(shortMessage("  hint\n\nexpected: 1\ngot:      2\n  at x")).toBe(
      "hint\nexpected: 1\ngot:      2",
    );
  });
});

describe("sidebarCss", () => {
  it("writes nothing without a record, and mark and done/total with one", () => {
    expect(sidebarCss(null)).toBe("");
    const record: ProgressRecord = mergeRecord(undefined, {
      "01-coroutines": {
        exercises: {
          sleep: { state: "done" },
          lazy: failing as never,
          predictOrder: { state: "not started" },
        },
      },
    });
    expect(sidebarCss(record)).toContain(
      'a.link[href$="/lessons/01-coroutines"] > .text::after ' +
        '{ content: "✗ 1/3"',
    );
  });
});

describe("the site's progress module", () => {
  it("holds no record in vitepress build, even when there is one, and in dev the reference beside each done exercise only", async () => {
    const dir = mkdtempSync(join(tmpdir(), "workbook-record-"));
    try {
      const path = join(dir, "progress.json");
      writeRecord(
        mergeRecord(undefined, {
          "01-coroutines": {
            exercises: {
              sleep: { state: "done" },
              lazy: { state: "failing" },
            },
          },
        }),
        path,
      );
      const load = async (command: "build" | "serve") => {
        const plugin = progressPlugin(path) as unknown as {
          configResolved(config: { command: string }): void;
          resolveId(id: string): string;
          load(id: string): Promise<string>;
        };
        plugin.configResolved({ command });
        return plugin.load(plugin.resolveId("virtual:workbook-progress"));
      };
      const built = await load("build");
      expect(built).toContain("const record = null;");
      expect(built).not.toContain("compare");
      const served = await load("serve");
      expect(served).toContain('"sleep":{"state":"done"}');
      const compare = JSON.parse(
        /^const record = (.*);$/m.exec(served)![1]!,
      ) as { compare: Record<string, Record<string, { reference: string }>> };
      expect(Object.keys(compare.compare["01-coroutines"]!)).toEqual(["sleep"]);
      expect(compare.compare["01-coroutines"]!.sleep!.reference).toContain(
        "signal",
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("npm test", () => {
  it("records each exercise: done, failing with its first message, or not started", async () => {
    const solution = (path: string) =>
      readFileSync(join(workbookRoot, "solutions", path), "utf8");
    const stub = readFileSync(
      join(workbookRoot, "lessons/01-coroutines/fetch-all.ts"),
      "utf8",
    );
    const oneAfterAnother = stub.replace(
      /todo\(\s*"Start every call first[^"]*",?\s*\);/,
      "const r: T[] = [];\n" +
        "  for (const id of ids) r.push(await fetchOne(id));\n" +
        "  return r;",
    );
    // Solved, with an async abort listener: the lint's hints.
    const asyncListener = solution("01-coroutines/sleep.ts").replace(
      "const onAbort = () => {",
      "const onAbort = async () => {",
    );
    const listenerLine =
      asyncListener
        .split("\n")
        .findIndex((l) => l.includes('addEventListener("abort"')) + 1;
    await using sandbox = await createSandbox({
      "lessons/01-coroutines/sleep.ts": asyncListener,
      "lessons/01-coroutines/fetch-all.ts": oneAfterAnother,
    });
    const bin = join(sandbox.root, "node_modules", "vitest", "vitest.mjs");
    const path = join(sandbox.root, ".workbook", "progress.json");
    await sandbox.run(process.execPath, [bin, "run", "01"]);
    const first = readRecord(path)!.lessons["01-coroutines"]!.exercises;
    // The hash of the file its tests ran on: later lessons trust the state
    // only while the file is unchanged.
    const source = expect.stringMatching(/^[0-9a-f]{64}$/) as string;
    expect(first.sleep).toEqual({
      state: "done",
      source,
      hints: expect.arrayContaining([
        {
          file: "lessons/01-coroutines/sleep.ts",
          line: listenerLine,
          message: expect.stringMatching(
            /^an async function where the caller expects a plain one/,
          ),
        },
      ]),
    });
    expect(first.fetchConcurrent?.hints, "no lint finding there").toBe(
      undefined,
    );
    expect(first.fetchSequential).toEqual({ state: "not started", source });
    expect(first.fetchConcurrent).toEqual({
      state: "failing",
      source,
      failure: {
        test: "starts every call before awaiting any",
        message:
          "only 1 of 3 calls started before the first one finished: " +
          "did you await inside the loop?\n" +
          "expected: [ 'a', 'b', 'c' ]\ngot:      [ 'a' ]",
      },
    });
    expect(Object.keys(first)).toHaveLength(7);

    // A filtered run changes only what it ran.
    await sandbox.run(process.execPath, [bin, "run", "01", "-t", "sleep"]);
    expect(readRecord(path)!.lessons["01-coroutines"]!.exercises).toEqual(
      first,
    );

    // A test file that cannot load keeps the last states, and says why.
    writeFileSync(
      join(sandbox.root, "lessons/01-coroutines/fetch-all.ts"),
      oneAfterAnother.replace("const r: T[] = [];", "const r = ;"),
    );
    await sandbox.run(process.execPath, [bin, "run", "01"]);
    expect(readRecord(path)!.lessons["01-coroutines"]).toEqual({
      exercises: first,
      loadError: expect.stringMatching(
        /^lessons\/01-coroutines\/fetch-all\.ts:\d+:\d+: Unexpected token/,
      ),
    });
  });
});
