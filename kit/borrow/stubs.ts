/**
 * Which exercise files the learner has not started: a file in `lessons/`
 * that is byte for byte the stub the workbook ships. `kit/stubs.json` holds
 * each stub's SHA-256 (line ends folded to LF, so a checkout with CRLF
 * counts as untouched too); `npm run stubs` rewrites it and verify checks it.
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { workbookRoot } from "../catalog.ts";

/** `lessons/04-queues/queue.ts` → its stub's hash. */
export type StubHashes = Record<string, string>;

export function manifestPath(root = workbookRoot): string {
  return join(root, "kit", "stubs.json");
}

export function hashSource(text: string): string {
  return createHash("sha256")
    .update(text.replace(/\r\n?/g, "\n"))
    .digest("hex");
}

const cache = new Map<string, StubHashes>();

export function readStubHashes(root = workbookRoot): StubHashes {
  let hashes = cache.get(root);
  if (!hashes) {
    const path = manifestPath(root);
    hashes = existsSync(path)
      ? (JSON.parse(readFileSync(path, "utf8")) as StubHashes)
      : {};
    cache.set(root, hashes);
  }
  return hashes;
}

/**
 * The exercise files of `lessons/` that hold stubs (they call `todo()`):
 * the files a lesson may borrow from the reference. Relative to the root.
 */
export function stubFiles(root = workbookRoot): string[] {
  const lessons = join(root, "lessons");
  if (!existsSync(lessons)) return [];
  return readdirSync(lessons, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && /^\d\d-/.test(entry.name))
    .flatMap((lesson) =>
      readdirSync(join(lessons, lesson.name))
        .filter((file) => file.endsWith(".ts") && file !== "demo.ts")
        .map((file) => `lessons/${lesson.name}/${file}`),
    )
    .filter((file) => /\btodo\(/.test(readFileSync(join(root, file), "utf8")))
    .sort();
}

/**
 * True when `file` (relative to the root: `lessons/04-queues/queue.ts`) is
 * still the stub: the learner has not started it. A file the manifest does
 * not know is the learner's own.
 */
export function isUntouched(file: string, root = workbookRoot): boolean {
  const expected = readStubHashes(root)[file];
  if (!expected) return false;
  try {
    return hashSource(readFileSync(join(root, file), "utf8")) === expected;
  } catch {
    return false;
  }
}
