/**
 * The borrowing rule, one function for every runner (vitest's resolver, the
 * Node hooks of demo, bench and agent, the static walk that says what was
 * borrowed): an exercise file of another lesson that the learner has not
 * started is replaced by its reference twin. The lesson being run is never
 * borrowed, nor is a file of the lesson that imports it (a lesson you started
 * runs on your own files), and a file you touched is always yours: a
 * borrowed reference file that imports one of your started files gets yours.
 */
import { join, relative, sep } from "node:path";
import { workbookRoot } from "../catalog.ts";
import { isUntouched, readStubHashes } from "./stubs.ts";

export interface ExerciseRef {
  tree: "lessons" | "solutions";
  /** `04-queues` */
  lesson: string;
  /** `queue.ts` */
  name: string;
  /** The learner's copy, relative to the root: `lessons/04-queues/queue.ts`. */
  file: string;
}

const EXERCISE = /^(lessons|solutions)\/(\d\d-[a-z0-9-]+)\/([\w.-]+\.ts)$/;
const LESSON_OF = [
  /^(?:lessons|solutions)\/(\d\d-[a-z0-9-]+)\//,
  /^test\/(\d\d-[a-z0-9-]+)\.test\.ts$/,
  /^bench\/(\d\d-[a-z0-9-]+)\.ts$/,
];

function rootRelative(path: string, root: string): string | undefined {
  const clean = path.split("?")[0]!.replace(/^file:\/\//, "");
  const rel = relative(root, clean).split(sep).join("/");
  return rel.startsWith("..") ? undefined : rel;
}

/** The exercise file at `path` (absolute), in either tree; demos are not. */
export function exerciseAt(
  path: string,
  root = workbookRoot,
): ExerciseRef | undefined {
  const rel = rootRelative(path, root);
  const match = rel === undefined ? null : EXERCISE.exec(rel);
  if (!match || match[3] === "demo.ts") return undefined;
  const [, tree, lesson, name] = match as unknown as [
    string,
    "lessons" | "solutions",
    string,
    string,
  ];
  return { tree, lesson, name, file: `lessons/${lesson}/${name}` };
}

/** The lesson a file belongs to: its folder, test file or benchmark. */
export function lessonOfFile(
  path: string,
  root = workbookRoot,
): string | undefined {
  const rel = rootRelative(path, root);
  if (rel === undefined) return undefined;
  for (const pattern of LESSON_OF) {
    const match = pattern.exec(rel);
    if (match) return match[1];
  }
  return undefined;
}

export interface BorrowOptions {
  root?: string;
  /** The lessons being run: never borrowed (a demo's, the agent's). */
  own?: ReadonlySet<string>;
}

/**
 * Where an import of `target` from `importer` (absolute paths) should lead
 * instead, or `undefined` to keep it.
 */
export function redirect(
  target: string,
  importer: string | undefined,
  { root = workbookRoot, own = new Set() }: BorrowOptions = {},
): string | undefined {
  const ref = exerciseAt(target, root);
  if (!ref) return undefined;
  const fromLesson = importer ? lessonOfFile(importer, root) : undefined;
  // A test's fixture (test/fixtures/) checks the learner's code, as the test
  // that uses it does.
  if (importer && rootRelative(importer, root)?.startsWith("test/fixtures/"))
    return undefined;
  if (ref.tree === "lessons") {
    if (ref.lesson === fromLesson || own.has(ref.lesson)) return undefined;
    return isUntouched(ref.file, root)
      ? join(root, "solutions", ref.lesson, ref.name)
      : undefined;
  }
  // A reference file reached from a borrowed one: yours wherever you started.
  const fromReference =
    importer !== undefined &&
    rootRelative(importer, root)?.startsWith("solutions/");
  if (!fromReference) return undefined;
  const started =
    readStubHashes(root)[ref.file] !== undefined &&
    !isUntouched(ref.file, root);
  return own.has(ref.lesson) || started ? join(root, ref.file) : undefined;
}
