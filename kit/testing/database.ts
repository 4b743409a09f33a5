/**
 * A database for the tests of one describe (or file): opened before its first
 * test, dropped and closed after its last; a run that skips those tests (a
 * mutant of another exercise) opens none. PGlite in memory by default; with `DATABASE_URL`
 * set, a real Postgres through `pg` in a fresh schema (see `kit/database.ts`).
 */
import { afterAll, beforeAll } from "vitest";
import { openDatabase, type Database, type Queryable } from "../database.ts";

export interface TestDatabase {
  /** The database; only usable inside tests and hooks. */
  readonly db: Queryable;
  readonly kind: Database["kind"];
}

/**
 * Call inside the describes that need it. PGlite starts in about 0.6 s (1.7 s the
 * first time, which saves a snapshot: see kit/pglite-snapshot.ts).
 */
export function useDatabase(): TestDatabase {
  let database: Database | undefined;
  beforeAll(async () => {
    // One connection: the tests run one query at a time, and the setup's
    // check for sockets left open then sees the same one socket throughout.
    database = await openDatabase({ max: 1 });
  }, 60_000);
  afterAll(async () => {
    await database?.[Symbol.asyncDispose]();
  }, 60_000);
  const opened = (): Database => {
    if (!database) throw new Error("useDatabase(): the database is not open");
    return database;
  };
  return {
    get db() {
      return opened().db;
    },
    get kind() {
      return opened().kind;
    },
  };
}
