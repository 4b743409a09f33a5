/**
 * "Compare with the reference": for each exercise the progress record says
 * is done, the learner's code and the reference's, side by side under its
 * heading on the local site. Only `vitepress dev` serves it (through the
 * progress module), so a built site never holds anyone's code but ours.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { codeToHtml } from "shiki";
import { exerciseFile, workbookRoot } from "../kit/catalog.ts";
import { declarations } from "../kit/exercise-code.ts";
import type { ProgressRecord } from "../kit/progress/record.ts";

export interface Comparison {
  /** `lessons/01-coroutines/sleep.ts` */
  file: string;
  /** Highlighted HTML of the exercise in the learner's file. */
  yours: string;
  /** The same exercise in `solutions/`. */
  reference: string;
}

/** lesson → exercise → comparison, for every exercise recorded as done. */
export type Comparisons = Record<string, Record<string, Comparison>>;

export async function comparisons(
  record: ProgressRecord,
  root = workbookRoot,
): Promise<Comparisons> {
  const found: Comparisons = {};
  for (const [lesson, entry] of Object.entries(record.lessons))
    for (const [name, exercise] of Object.entries(entry.exercises)) {
      if (exercise.state !== "done") continue;
      const file = exerciseFile(lesson, name, root);
      if (!file) continue;
      const yours = exerciseSource(join(root, file), name);
      const reference = exerciseSource(
        join(root, file.replace(/^lessons\//, "solutions/")),
        name,
      );
      if (yours === undefined || reference === undefined) continue;
      (found[lesson] ??= {})[name] = {
        file,
        yours: await highlight(yours),
        reference: await highlight(reference),
      };
    }
  return found;
}

/** The exported declaration of `name`, without the comments that follow it. */
function exerciseSource(path: string, name: string): string | undefined {
  if (!existsSync(path)) return undefined;
  const found = declarations(readFileSync(path, "utf8")).find(
    (d) => d.exported && d.name === name,
  );
  if (!found) return undefined;
  const lines = found.text.split("\n");
  // The next declaration's JSDoc and region markers belong to it.
  while (lines.length > 1 && /^\s*(\/\/|\/\*\*|\*|$)/.test(lines.at(-1)!))
    lines.pop();
  return lines.join("\n");
}

async function highlight(code: string): Promise<string> {
  // VitePress's own themes and classes: it looks like every code block.
  const html = await codeToHtml(code, {
    lang: "ts",
    themes: { light: "github-light", dark: "github-dark" },
    defaultColor: false,
  });
  return html.replace('<pre class="shiki', '<pre class="vp-code shiki');
}
