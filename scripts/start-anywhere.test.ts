/**
 * The getting-started page's table of which lessons' code each lesson runs
 * (its exercises and its demo, as the reference has them) is the code's own
 * imports: a lesson that starts using another one fails this until the
 * table says so.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { workbookRoot } from "../kit/catalog.ts";
import { borrowPlan } from "../kit/borrow/graph.ts";

function runsCodeOf(lesson: string): string[] {
  const folder = join(workbookRoot, "solutions", lesson);
  const entries = readdirSync(folder)
    .filter((file) => file.endsWith(".ts"))
    .map((file) => join(folder, file));
  const demo = join(workbookRoot, "lessons", lesson, "demo.ts");
  if (existsSync(demo)) entries.push(demo);
  const plan = borrowPlan(entries, { tree: "solutions" });
  return [...plan.lessons.keys()]
    .filter((other) => other !== lesson)
    .map((other) => other.slice(0, 2))
    .sort();
}

function table(): Map<string, string[]> {
  const page = readFileSync(
    join(workbookRoot, "docs", "getting-started.md"),
    "utf8",
  );
  const rows = new Map<string, string[]>();
  for (const [, lesson, uses] of page.matchAll(
    /^\| (\d\d) [^|]+\| ([^|]+) \|$/gm,
  ))
    rows.set(lesson!, [...uses!.matchAll(/\b\d\d\b/g)].map((m) => m[0]).sort());
  return rows;
}

describe("the getting-started page's dependency table", () => {
  it("names, for every lesson, exactly the lessons whose code it runs", () => {
    const rows = table();
    const lessons = readdirSync(join(workbookRoot, "solutions"))
      .filter((id) => /^\d\d-/.test(id))
      .sort();
    for (const lesson of lessons) {
      const expected = runsCodeOf(lesson);
      expect(
        rows.get(lesson.slice(0, 2)) ?? [],
        `docs/getting-started.md, "Start anywhere": lesson ${lesson} runs the code of ${expected.join(", ") || "no other lesson"}`,
      ).toEqual(expected);
    }
  });
});
