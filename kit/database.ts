/**
 * The database of lesson 08's demo and tests. With `DATABASE_URL` set, a real
 * Postgres through a `pg.Pool` whose connections all work in a fresh schema
 * `wb_<random>`; otherwise PGlite: Postgres compiled to WebAssembly, in this
 * process and in memory, with nothing to install or start. Disposing it drops
 * what it created (the schema, or the whole in-memory database) and closes
 * the connections.
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { createEmptyPGlite } from "./pglite-snapshot.ts";

/** The shape of lesson 08's `Queryable`: `pg.Pool` and PGlite both fit. */
export interface Queryable {
  query<R = Record<string, unknown>>(
    sql: string,
    params?: unknown[],
  ): Promise<{ rows: R[] }>;
}

export interface Database extends AsyncDisposable {
  readonly db: Queryable;
  readonly kind: "PGlite" | "Postgres";
  /** One line for a human: which database, and where. */
  readonly description: string;
}

export interface DatabaseOptions {
  /** A Postgres URL; the default is `process.env.DATABASE_URL`. */
  url?: string;
  /** Connections of the `pg.Pool` (ignored by PGlite). Default 4. */
  max?: number;
}

export async function openDatabase(
  options: DatabaseOptions = {},
): Promise<Database> {
  const url = options.url ?? process.env.DATABASE_URL;
  return url ? openPostgres(url, options.max ?? 4) : openPGlite();
}

async function openPGlite(): Promise<Database> {
  const db = await createEmptyPGlite();
  return {
    db,
    kind: "PGlite",
    description:
      "PGlite: Postgres compiled to WebAssembly, in this process, in memory",
    // Everything lived in memory: closing drops it all.
    [Symbol.asyncDispose]: () => db.close(),
  };
}

async function openPostgres(url: string, max: number): Promise<Database> {
  const schema = `wb_${randomBytes(4).toString("hex")}`;
  const pool = new pg.Pool({
    connectionString: url,
    max,
    // Every connection of the pool looks for tables in the new schema first
    // and creates them there: the run sees nothing of other runs.
    options: `-c search_path=${schema}`,
    // Idle connections stay until the end: the tests' socket check counts
    // them, and a connection closed and reopened mid-test would look like a
    // leak.
    idleTimeoutMillis: 0,
  });
  // An idle connection the server drops (a restart) is reported here; with
  // no listener, it would crash the process.
  pool.on("error", (error) => console.error(`Postgres: ${error.message}`));
  const { host, pathname } = new URL(url);
  try {
    await pool.query(`create schema ${schema}`);
  } catch (error) {
    await pool.end();
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(
      `DATABASE_URL is set, but creating a schema on the Postgres at ` +
        `${host}${pathname} failed: ${reason}. Unset DATABASE_URL to use ` +
        "PGlite instead.",
      { cause: error },
    );
  }
  return {
    db: pool,
    kind: "Postgres",
    description: `Postgres ${host}${pathname}, schema ${schema} (DATABASE_URL)`,
    [Symbol.asyncDispose]: async () => {
      try {
        await pool.query(`drop schema ${schema} cascade`);
      } finally {
        await pool.end();
      }
    },
  };
}
