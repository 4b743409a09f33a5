/**
 * What lessons the workbook has, read from the folders themselves: a lesson is
 * a folder `lessons/NN-slug/` with a page `docs/lessons/NN-slug.md`. The
 * sidebar, the progress table, the demo runner and the browser check all read
 * this, so adding a lesson means adding files, never editing a list.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const workbookRoot = join(dirname(fileURLToPath(import.meta.url)), "..");

export interface Lesson {
  /** `01-coroutines` */
  id: string;
  /** `01` */
  number: string;
  /** The page's title: `Coroutines and the event loop` */
  title: string;
  /** `docs/lessons/01-coroutines.md` */
  page: string;
  /** The site path: `/lessons/01-coroutines` */
  link: string;
}

const LESSON_FOLDER = /^(\d\d)-[a-z0-9-]+$/;

export function listLessons(root = workbookRoot): Lesson[] {
  const folder = join(root, "lessons");
  if (!existsSync(folder)) return [];
  return readdirSync(folder, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && LESSON_FOLDER.test(entry.name))
    .map((entry) => entry.name)
    .sort()
    .flatMap((id) => {
      const page = `docs/lessons/${id}.md`;
      if (!existsSync(join(root, page))) return [];
      const number = id.slice(0, 2);
      return [
        {
          id,
          number,
          title: pageTitle(readFileSync(join(root, page), "utf8"), id),
          page,
          link: `/lessons/${id}`,
        },
      ];
    });
}

/**
 * The lesson that `filter` names: `01`, `1`, `01-coroutines` or `coroutines`.
 */
export function findLesson(
  filter: string,
  root = workbookRoot,
): Lesson | undefined {
  const wanted = filter.trim().toLowerCase();
  return listLessons(root).find(
    (lesson) =>
      lesson.id === wanted ||
      lesson.number === wanted.padStart(2, "0") ||
      lesson.id.slice(3) === wanted,
  );
}

function pageTitle(markdown: string, fallback: string): string {
  const frontmatterTitle = /^---\n[\s\S]*?^title:\s*(.+)$[\s\S]*?^---$/m.exec(
    markdown,
  )?.[1];
  const heading = /^#\s+(.+)$/m.exec(markdown)?.[1];
  // Plain text: the sidebar and the terminal show no Markdown (`await using`
  // becomes await using).
  return (frontmatterTitle ?? heading ?? fallback)
    .replace(/^["']|["']$/g, "")
    .replace(/`/g, "")
    .trim();
}

/**
 * The file in `lessons/<lesson>/` that exports `name`, relative to the root.
 */
export function exerciseFile(
  lessonId: string,
  name: string,
  root = workbookRoot,
): string | undefined {
  const folder = join(root, "lessons", lessonId);
  if (!existsSync(folder)) return undefined;
  const exported = new RegExp(
    String.raw`export\s+(?:declare\s+)?(?:abstract\s+)?(?:async\s+)?(?:function\*?|class|const|let)\s+${escape(name)}\b`,
  );
  const file = readdirSync(folder)
    .filter((entry) => entry.endsWith(".ts") && entry !== "demo.ts")
    .sort()
    .find((entry) => exported.test(readFileSync(join(folder, entry), "utf8")));
  return file && `lessons/${lessonId}/${file}`;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** The exercise an exported name belongs to, searched in every lesson. */
export function findExercise(
  name: string,
  root = workbookRoot,
): { name: string; lesson: Lesson; file: string } | undefined {
  for (const lesson of listLessons(root)) {
    const file = exerciseFile(lesson.id, name, root);
    if (file) return { name, lesson, file };
  }
  return undefined;
}
