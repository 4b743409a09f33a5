/**
 * What the marks on the site say, from the progress record: a section's mark
 * (one `## Exercise N:` heading may teach several exercises) and a lesson's
 * done/total in the sidebar. No record, or no entry for a lesson: nothing.
 */
import type {
  ExerciseRecord,
  LessonRecord,
  ProgressRecord,
} from "../../kit/progress/record.ts";

export type Mark = "done" | "failing" | "started" | "not started";

export const SYMBOL: Record<Mark, string> = {
  done: "✓",
  failing: "✗",
  started: "◐",
  "not started": "○",
};

export function lessonRecord(
  record: ProgressRecord | null,
  lesson: string,
): LessonRecord | undefined {
  return record?.lessons[lesson];
}

/** The exercises of a section that the record knows, in the section's order. */
export function sectionExercises(
  lesson: LessonRecord | undefined,
  names: readonly string[],
): [string, ExerciseRecord][] {
  if (!lesson) return [];
  return names.flatMap((name) => {
    const exercise = lesson.exercises[name];
    return exercise ? [[name, exercise] as [string, ExerciseRecord]] : [];
  });
}

export function markOf(states: readonly ExerciseRecord[]): Mark {
  if (states.some((e) => e.state === "failing")) return "failing";
  if (states.length > 0 && states.every((e) => e.state === "done"))
    return "done";
  if (states.some((e) => e.state === "done")) return "started";
  return "not started";
}

/** `✓ done`, `✗ failing`, `◐ 1 of 2 done`, `○ not started`. */
export function markLabel(states: readonly ExerciseRecord[]): string {
  const mark = markOf(states);
  if (mark !== "started") return mark;
  const done = states.filter((e) => e.state === "done").length;
  return `${done} of ${states.length} done`;
}

/**
 * CSS that writes each recorded lesson's mark and done/total after its
 * sidebar link (the sidebar is VitePress's own component, its text static).
 */
export function sidebarCss(record: ProgressRecord | null): string {
  if (!record) return "";
  return Object.entries(record.lessons)
    .filter(([id]) => /^[a-z0-9-]+$/.test(id))
    .map(([id, lesson]) => {
      const states = Object.values(lesson.exercises);
      const done = states.filter((e) => e.state === "done").length;
      const mark = lesson.loadError ? "failing" : markOf(states);
      const colour = `var(--wb-progress-${mark.replace(" ", "-")})`;
      const text = lesson.loadError
        ? `${SYMBOL.failing} could not load`
        : `${SYMBOL[mark]} ${done}/${states.length}`;
      const link = `.VPSidebarItem a.link[href$="/lessons/${id}"]`;
      const rule =
        `${link} > .text::after ` +
        `{ content: "${text}${lesson.borrowed?.length ? " ⇠" : ""}"; color: ${colour}; }`;
      // A line under the lesson: which reference code it ran on.
      const from = [
        ...new Set((lesson.borrowed ?? []).map((b) => b.file.split("/")[1]!)),
      ];
      if (from.length === 0) return rule;
      const line = `⇠ on the reference of ${from.map((l) => l.slice(0, 2)).join(", ")}`;
      return (
        `${rule}\n${link} { flex-wrap: wrap; }\n` +
        `${link}::after { content: "${line}"; flex-basis: 100%; ` +
        `padding-bottom: 4px; font-size: 12px; color: var(--vp-c-text-2); }`
      );
    })
    .join("\n");
}
