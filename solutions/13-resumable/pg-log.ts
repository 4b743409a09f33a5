import type { PGlite } from "@electric-sql/pglite";
import { createHash } from "node:crypto";
import type pg from "pg";
import type { DomainEvent } from "../06-context/emitter.ts";
import type { Queryable } from "../08-pools/follows.ts";

// #region RunDatabase
/** A database every server process shares: PGlite, or Postgres through pg. */
export type RunDatabase = PGlite | pg.Pool;
// #endregion RunDatabase

// #region createRunEventsTable
/**
 * Creates the table of every run's events, unless it exists: one row per
 * event, `(run_id, id, type, data)`, keyed by `(run_id, id)`. A row whose
 * `type` is null is a mark: id 0 says the run exists, the row after its last
 * event says it ended (`data` holds the error, if it failed).
 *
 * @example
 * await createRunEventsTable(db);
 */
export async function createRunEventsTable(db: RunDatabase): Promise<void> {
  try {
    await (db as Queryable).query(
      `create table if not exists run_events (
         run_id text not null,
         id integer not null,
         type text,
         data text not null,
         primary key (run_id, id)
       )`,
    );
  } catch (error) {
    // Two processes that start together: Postgres may refuse the second
    // "if not exists" with a duplicate key on its catalog. The table is there.
    if ((error as { code?: string }).code !== "23505") throw error;
  }
}
// #endregion createRunEventsTable

interface Row {
  id: number;
  type: string | null;
  data: string;
}

// #region PgEventLog
/**
 * One run's `EventLog` on a database that every server process shares: the
 * process that runs it appends, a reader on any process reads. Rows carry
 * the events; a notification on the run's channel only says "look".
 *
 * @example
 * const log = new PgEventLog(db, run.id);
 * await log.open();
 * await log.append({ type: "text", delta: "Hi" }); // 1
 * for await (const { id, event } of log.read(0, signal)) send(id, event);
 */
export class PgEventLog {
  readonly #db: RunDatabase;
  readonly #runId: string;
  readonly #channel: string;
  #ended = false;

  constructor(db: RunDatabase, runId: string) {
    this.#db = db;
    this.#runId = runId;
    this.#channel = channelFor(runId);
  }

  /** Records that the run exists, so that any process finds it at once. */
  async open(): Promise<void> {
    await this.#query(
      `insert into run_events (run_id, id, type, data)
       values ($1, 0, null, '{}') on conflict do nothing`,
      [this.#runId],
    );
  }

  /** True when the run was opened or has events, on any process. */
  async exists(): Promise<boolean> {
    const rows = await this.#query(
      "select 1 from run_events where run_id = $1 limit 1",
      [this.#runId],
    );
    return rows.length > 0;
  }

  /**
   * Adds `event` as the next row, notifies the run's channel, and resolves
   * with its id. One writer per run, one append at a time.
   */
  async append(event: DomainEvent): Promise<number> {
    if (this.#ended) throw new Error("append() after close()");
    return this.#insert(event.type, JSON.stringify(event));
  }

  /** Ends the log for every reader, on every process. */
  async close(error?: unknown): Promise<void> {
    if (this.#ended) return;
    this.#ended = true;
    const message = error instanceof Error ? error.message : error;
    await this.#insert(null, JSON.stringify({ error: message }));
  }

  async #query<R>(sql: string, params: unknown[]): Promise<R[]> {
    // PGlite and pg.Pool both fit lesson 08's Queryable.
    const { rows } = await (this.#db as Queryable).query<R>(sql, params);
    return rows;
  }

  // #region insert
  async #insert(type: string | null, data: string): Promise<number> {
    // The next id and the notification in one statement. The payload is the
    // id only: the row is the event (a payload holds 8,000 bytes at most).
    const rows = await this.#query<{ id: number }>(
      `with added as (
         insert into run_events (run_id, id, type, data)
         select $1, coalesce(max(id), 0) + 1, $2, $3
           from run_events where run_id = $1
         returning id
       )
       select id, pg_notify($4, id::text) from added`,
      [this.#runId, type, data, this.#channel],
    );
    return rows[0]!.id;
  }
  // #endregion insert

  /**
   * The events after `afterId`, replayed from the table and then followed as
   * they are appended, on any process; ends at the run's end mark (or throws
   * its error), and with `signal.reason` on abort.
   */
  async *read(
    afterId: number,
    signal?: AbortSignal,
  ): AsyncIterable<{ id: number; event: DomainEvent }> {
    if (!Number.isInteger(afterId) || afterId < 0)
      throw new RangeError(
        `afterId must be a non-negative integer: ${afterId}`,
      );
    let changed = false;
    let wake: (() => void) | undefined;
    // Listen first, then read: a row added after the SELECT's snapshot is
    // notified to us. The other way round, one added between the two is lost.
    const unlisten = await listen(this.#db, this.#channel, () => {
      changed = true;
      wake?.();
    });
    try {
      for (let after = afterId; ;) {
        signal?.throwIfAborted();
        changed = false;
        const rows = await this.#query<Row>(
          `select id, type, data from run_events
            where run_id = $1 and id > $2 order by id`,
          [this.#runId, after],
        );
        for (const { id, type, data } of rows) {
          if (type === null) {
            const { error } = JSON.parse(data) as { error?: string };
            if (error !== undefined) throw new Error(error);
            return;
          }
          yield { id, event: JSON.parse(data) as DomainEvent };
          after = id;
        }
        // Anything notified since the SELECT began: read again at once.
        if (!changed) await untilNotified(signal, (w) => (wake = w));
      }
    } finally {
      await unlisten(); // also on abort, break and error
    }
  }
}
// #endregion PgEventLog

// #region listen
/**
 * Given, not an exercise: calls `onNotify` for each notification on
 * `channel` until the returned function is called. PGlite has `listen`; with
 * node-postgres, a LISTEN needs a connection of its own, taken from the pool
 * and given back (after UNLISTEN) when listening stops.
 */
export async function listen(
  db: RunDatabase,
  channel: string,
  onNotify: (payload: string) => void,
): Promise<() => Promise<void>> {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(channel))
    throw new TypeError(`not a plain channel name: ${channel}`);
  if ("listen" in db) {
    const unlisten = await db.listen(channel, onNotify);
    return () => unlisten();
  }
  const client = await db.connect();
  const onNotification = (message: pg.Notification) => {
    if (message.channel === channel) onNotify(message.payload ?? "");
  };
  client.on("notification", onNotification);
  try {
    await client.query(`LISTEN ${channel}`);
  } catch (error) {
    client.off("notification", onNotification);
    client.release(error as Error); // a broken connection is closed
    throw error;
  }
  return async () => {
    client.off("notification", onNotification);
    try {
      await client.query(`UNLISTEN ${channel}`);
      client.release();
    } catch (error) {
      client.release(error as Error);
    }
  };
}

/** A run's channel: a plain name, whatever the run's id holds. */
export function channelFor(runId: string): string {
  const hash = createHash("sha256").update(runId).digest("hex");
  return `run_${hash.slice(0, 32)}`;
}
// #endregion listen

/** Resolves at the next wake-up, or rejects with `signal.reason`. */
function untilNotified(
  signal: AbortSignal | undefined,
  setWake: (wake: () => void) => void,
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const onAbort = () => reject(signal!.reason);
    signal?.addEventListener("abort", onAbort, { once: true });
    setWake(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    });
  });
}
