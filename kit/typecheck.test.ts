import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createSandbox } from "../scripts/sandbox.ts";
import { formatTypeErrors, typeErrors } from "./typecheck.ts";

const FETCH_ALL = "lessons/01-coroutines/fetch-all.ts";
const TODO =
  'todo("Start every call first, then wait for all, in the order of ids.");';

describe("typeErrors", () => {
  it("ties a type error in an exercise to the exercise", async () => {
    await using sandbox = await createSandbox({}, { pristineLessons: true });
    const path = join(sandbox.root, FETCH_ALL);
    const text = readFileSync(path, "utf8").replace(TODO, 'return ["x"];');
    writeFileSync(path, text);
    const line = text.split("\n").indexOf('  return ["x"];') + 1;

    const errors = typeErrors(sandbox.root, "kit/lint/lessons.tsconfig.json");

    expect(errors).toEqual([
      {
        file: FETCH_ALL,
        line,
        column: 11,
        message: "Type 'string' is not assignable to type 'T'.",
        lesson: "01-coroutines",
        exercise: "fetchConcurrent",
      },
    ]);
    const report = formatTypeErrors(errors, sandbox.root).join("\n");
    expect(report).toContain("01 · Coroutines");
    expect(report).toMatch(/✗ fetchConcurrent +1 type error\n/);
    expect(report).toContain(`${FETCH_ALL}:${line}:11`);
  });

  it("finds none in the untouched stubs", async () => {
    await using sandbox = await createSandbox({}, { pristineLessons: true });
    expect(typeErrors(sandbox.root, "kit/lint/lessons.tsconfig.json")).toEqual(
      [],
    );
  });
});
