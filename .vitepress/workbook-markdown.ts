/**
 * The workbook's Markdown rules, on top of VitePress's:
 * - a code include whose `#region` does not exist fails the build (VitePress
 *   would silently show the whole file), and a whole-file include shows the
 *   file without its region markers;
 * - under each `## Exercise N: …` heading of a lesson page, one line names the
 *   file to edit and the command that checks it, and the learner's progress
 *   (`<ExerciseMark>` in the heading, `<ExerciseFailure>` and the lint's
 *   `<ExerciseHints>` under it);
 * - a lesson page fails the build when an exercise of its test file has no
 *   section, or an exercise has fewer than two hints or hints out of grade.
 */
import { existsSync, readFileSync } from "node:fs";
import { relative } from "node:path";
import type { MarkdownRenderer } from "vitepress";
import { workbookRoot } from "../kit/catalog.ts";
import {
  exerciseSections,
  hintProblems,
  lessonExercises,
  malformedHintProblems,
  type ExerciseSection,
} from "../kit/pages.ts";

const LESSON_PAGE = /^lessons\/((\d\d)-[a-z0-9-]+)\.md$/;
/** `// #region name` in TypeScript, `# region name` in Python. */
const REGION_MARKER = /^\s*(?:\/\/ #|# ?)(end)?region\b/;

export function workbookMarkdown(md: MarkdownRenderer): void {
  checkIncludes(md);
  md.core.ruler.push("workbook-exercises", (state) => {
    const page = LESSON_PAGE.exec(String(state.env.relativePath ?? ""));
    if (!page) return;
    const [, lessonId, number] = page as unknown as [string, string, string];
    const sections = exerciseSections(state.src);
    const problems = pageProblems(lessonId, sections);
    if (problems.length > 0) {
      throw new Error(
        `docs/lessons/${lessonId}.md:\n  ${problems.join("\n  ")}`,
      );
    }
    const exercises = lessonExercises(lessonId);
    for (let i = state.tokens.length - 1; i >= 0; i -= 1) {
      const open = state.tokens[i]!;
      if (open.type !== "heading_open" || open.tag !== "h2") continue;
      const text = state.tokens[i + 1]?.content ?? "";
      const section = sections.find((s) => s.heading === text);
      if (!section) continue;
      const where = new state.Token("html_block", "", 0);
      where.content = whereLine(section, number);
      // The learner's progress: a mark in the heading, the failure and the
      // lint's hints under it (all render nothing until `npm test` has
      // recorded the lesson).
      const names = exercises.filter((e) => section.regions.includes(e));
      const props = `lesson="${lessonId}" names="${names.join(",")}"`;
      const first = section === sections[0] ? " first" : "";
      const mark = new state.Token("html_inline", "", 0);
      mark.content = `<ExerciseMark ${props} />`;
      // Before the heading's "#" link: VitePress's local search finds a
      // section by a heading that ends with it.
      const children = state.tokens[i + 1]!.children ?? [];
      const anchor = children.findIndex(
        (t) => t.type === "link_open" && t.attrGet("class") === "header-anchor",
      );
      children.splice(anchor === -1 ? children.length : anchor, 0, mark);
      const failure = new state.Token("html_block", "", 0);
      failure.content =
        `<ExerciseFailure ${props}${first} />\n` +
        `<ExerciseHints ${props} />\n` +
        `<ExerciseCompare ${props} />\n`;
      // after heading_open, inline, heading_close
      state.tokens.splice(i + 3, 0, where, failure);
    }
  });
}

function whereLine(section: ExerciseSection, lessonNumber: string): string {
  const files = section.files.map((file) => `<code>${file}</code>`).join(", ");
  return (
    `<p class="exercise-where">Edit ${files} · check with ` +
    `<code>npm test -- ${lessonNumber}</code></p>\n`
  );
}

function pageProblems(lessonId: string, sections: ExerciseSection[]): string[] {
  const exercises = lessonExercises(lessonId);
  const problems: string[] = [];
  for (const section of sections) {
    problems.push(...malformedHintProblems(section));
    if (section.files.length === 0) {
      problems.push(
        `"${section.heading}" includes no stub from lessons/${lessonId}/`,
      );
    }
  }
  for (const exercise of exercises) {
    const home = sections.filter((s) => s.regions.includes(exercise));
    if (home.length !== 1) {
      problems.push(
        `the exercise ${exercise} (a describe in test/${lessonId}.test.ts) ` +
          `needs exactly one "## Exercise N:" section that includes ` +
          `<<< @/../lessons/${lessonId}/<file>.ts#${exercise}; found ${home.length}`,
      );
      continue;
    }
    const section = home[0]!;
    const together = exercises.filter((e) => section.regions.includes(e));
    problems.push(...hintProblems(section, exercise, together));
  }
  return problems;
}

/** Region includes must exist; whole-file includes lose their region markers. */
function checkIncludes(md: MarkdownRenderer): void {
  const fence = md.renderer.rules.fence!;
  md.renderer.rules.fence = (tokens, idx, options, env, self) => {
    const token = tokens[idx]!;
    const [src, region] = (token as { src?: [string, string] }).src ?? [];
    if (src && existsSync(src)) {
      const text = readFileSync(src, "utf8");
      const where = `${env.relativePath}: <<< ${relative(workbookRoot, src)}`;
      if (region) {
        const start = new RegExp(`^\\s*(?:// #|# ?)region ${region}$`, "m");
        const end = new RegExp(`^\\s*(?:// #|# ?)endregion ${region}$`, "m");
        if (!start.test(text) || !end.test(text)) {
          throw new Error(`${where}#${region}: the file has no such region`);
        }
      } else if (text.split("\n").some((line) => REGION_MARKER.test(line))) {
        // VitePress's own include would show the markers: render it ourselves.
        (env.includes as string[] | undefined)?.push(src);
        (token as { src?: unknown }).src = undefined;
        token.content = text
          .split("\n")
          .filter((line) => !REGION_MARKER.test(line))
          .join("\n");
      }
    }
    return fence(tokens, idx, options, env, self);
  };
}
