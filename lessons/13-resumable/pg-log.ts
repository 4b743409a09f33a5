import type { PGlite } from "@electric-sql/pglite";
import { createHash } from "node:crypto";
import { todo } from "#kit/todo.ts";
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
  todo("Create table if not exists run_events, keyed by (run_id, id).");
}
// #endregion createRunEventsTable

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
  constructor(db: RunDatabase, runId: string) {
    todo("Keep db, runId and the run's channel (channelFor).");
  }

  /** Records that the run exists, so that any process finds it at once. */
  async open(): Promise<void> {
    todo("Insert the run's mark: row 0, type null (if it is not there).");
  }

  /** True when the run was opened or has events, on any process. */
  async exists(): Promise<boolean> {
    todo("Select one row of the run: is there any?");
  }

  /**
   * Adds `event` as the next row, notifies the run's channel, and resolves
   * with its id. One writer per run, one append at a time.
   */
  async append(event: DomainEvent): Promise<number> {
    todo("Insert the next row (max id + 1) and pg_notify its channel.");
  }

  /** Ends the log for every reader, on every process. */
  async close(error?: unknown): Promise<void> {
    todo("Insert the end mark (type null, the error's message) and notify.");
  }

  /**
   * The events after `afterId`, replayed from the table and then followed as
   * they are appended, on any process; ends at the run's end mark (or throws
   * its error), and with `signal.reason` on abort.
   */
  read(
    afterId: number,
    signal?: AbortSignal,
  ): AsyncIterable<{ id: number; event: DomainEvent }> {
    todo("Listen, then select the rows after afterId; yield; wait; repeat.");
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
