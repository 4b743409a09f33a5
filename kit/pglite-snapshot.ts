/**
 * A fresh PGlite in a third of the time. Most of `PGlite.create()` is initdb:
 * building an empty cluster, the same every time (about 1.7 s here). The first
 * start saves that empty cluster, gzipped (4.5 MB), in `node_modules/.cache/`;
 * every later start loads it (about 0.6 s). Lesson 08's tests, its demo and
 * its mutants each start one, so the seconds add up.
 *
 * The snapshot is taken before anything runs in the database, so a start from
 * it is the same empty database `PGlite.create()` gives. Its name carries
 * PGlite's version: an upgrade makes a new one.
 */
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import { workbookRoot } from "./catalog.ts";

/** Where the snapshot for the installed PGlite lives. */
export function snapshotPath(root = workbookRoot): string {
  return join(
    root,
    "node_modules",
    ".cache",
    "async-workbook",
    `pglite-${pgliteVersion()}-empty.tar.gz`,
  );
}

/** An empty in-memory PGlite, from the snapshot when there is one. */
export async function createEmptyPGlite(
  path = snapshotPath(),
): Promise<PGlite> {
  const snapshot = readSnapshot(path);
  if (snapshot) {
    try {
      return await PGlite.create({ loadDataDir: snapshot });
    } catch {
      // A damaged or foreign file: start the slow way and replace it.
    }
  }
  const db = await PGlite.create();
  await saveSnapshot(db, path);
  return db;
}

function readSnapshot(path: string): Blob | undefined {
  try {
    return new Blob([readFileSync(path)]);
  } catch {
    return undefined;
  }
}

/**
 * Test files start PGlite in parallel workers: each writes a file of its own
 * and renames it into place, so no reader ever sees half a snapshot.
 */
async function saveSnapshot(db: PGlite, path: string): Promise<void> {
  try {
    const dump = await db.dumpDataDir("gzip");
    mkdirSync(dirname(path), { recursive: true });
    const partial = `${path}.${randomBytes(4).toString("hex")}.partial`;
    writeFileSync(partial, Buffer.from(await dump.arrayBuffer()));
    renameSync(partial, path);
  } catch {
    // A read-only node_modules only costs speed.
  }
}

function pgliteVersion(): string {
  const entry = fileURLToPath(import.meta.resolve("@electric-sql/pglite"));
  // dist/index.js → the package's own package.json
  const manifest = join(dirname(entry), "..", "package.json");
  const { version } = JSON.parse(readFileSync(manifest, "utf8")) as {
    version: string;
  };
  return version;
}
