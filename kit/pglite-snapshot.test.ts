import {
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, expect, it } from "vitest";
import { createEmptyPGlite, snapshotPath } from "./pglite-snapshot.ts";

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

it("replaces a damaged snapshot, and a start from it is an empty database", async () => {
  dir = mkdtempSync(join(tmpdir(), "pglite-snapshot-"));
  const broken = join(dir, "empty.tar.gz");
  writeFileSync(broken, "not a tarball");

  // A damaged file: the slow start, which leaves a good snapshot behind.
  await using first = await createEmptyPGlite(broken);
  await first.query("create table left_behind (x int)");
  expect(readFileSync(broken).length).toBeGreaterThan(1_000_000);
  const saved = statSync(broken).mtimeMs;

  // Started from it: nothing of what the first database did afterwards.
  await using second = await createEmptyPGlite(broken);
  const { rows } = await second.query<{ n: number }>(
    "select count(*)::int as n from pg_tables where schemaname = 'public'",
  );
  expect(rows).toEqual([{ n: 0 }]);
  // Not rewritten: the second start loaded it rather than falling back.
  expect(statSync(broken).mtimeMs).toBe(saved);
});

it("names the snapshot after the installed PGlite's version", () => {
  expect(snapshotPath("/wb")).toMatch(
    /^\/wb\/node_modules\/\.cache\/async-workbook\/pglite-\d+\.\d+\.\d+[^/]*-empty\.tar\.gz$/,
  );
});
