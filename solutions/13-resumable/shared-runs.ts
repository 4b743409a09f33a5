import { once } from "../08-pools/once.ts";
import type { Queryable } from "../08-pools/follows.ts";
import { listen, PgEventLog, createRunEventsTable } from "./pg-log.ts";
import type { RunDatabase } from "./pg-log.ts";
import type { Run, RunRegistry } from "./runs.ts";

/** Where a DELETE on one process reaches the process that runs the run. */
const STOPS = "run_stops";

// #region SharedRuns
/** What `createResumableServer` does with its `db`. */
export interface SharedRuns {
  /** Records `run` in the database and copies its events there. */
  publish(run: Run): Promise<void>;
  /** The log of a run that any process started, if the database has it. */
  find(id: string): Promise<PgEventLog | undefined>;
  /** Asks whichever process runs `id` to stop it; false if it is unknown. */
  stop(id: string): Promise<boolean>;
  /** Stops listening, once the copies under way are done. */
  close(): Promise<void>;
}
// #endregion SharedRuns

// #region shareRuns
/**
 * Shares this process's runs through `db`: each run is recorded before its
 * `202` goes out (so another process can serve it at once) and its events
 * are copied to a `PgEventLog` as they come; a run that another process
 * started is read from there; a stop is a notification on one channel that
 * every process listens to. The table is created, and the listening begun,
 * on first use.
 *
 * @example
 * const shared = shareRuns(db, registry, console.error);
 * await shared.publish(registry.start(work));
 */
export function shareRuns(
  db: RunDatabase,
  registry: RunRegistry,
  onError: (error: unknown) => void,
): SharedRuns {
  const copies = new Set<Promise<void>>();
  let closed = false;
  let started = false;
  // Lesson 08's once: concurrent first requests share one setup.
  const setUp = once(async () => {
    await createRunEventsTable(db);
    return listen(db, STOPS, (id) => registry.get(id)?.stop());
  });
  const ready = () => ((started = true), setUp());
  return {
    async publish(run) {
      await ready();
      const log = new PgEventLog(db, run.id);
      await log.open();
      const copying = copy(run, log).catch(onError);
      copies.add(copying);
      void copying.finally(() => copies.delete(copying));
    },
    async find(id) {
      await ready();
      const log = new PgEventLog(db, id);
      return (await log.exists()) ? log : undefined;
    },
    async stop(id) {
      await ready();
      if (!(await new PgEventLog(db, id).exists())) return false;
      const notify = "select pg_notify($1, $2)";
      await (db as Queryable).query(notify, [STOPS, id]);
      return true;
    },
    async close() {
      if (closed) return;
      closed = true;
      await Promise.all(copies);
      if (!started) return;
      // Done or under way, the setup is one promise: wait, then stop.
      const stopListening = await setUp().catch(() => undefined);
      await stopListening?.();
    },
  };
}
// #endregion shareRuns

// #region copy
/** The run's events into the database, in order, then its end. */
async function copy(run: Run, shared: PgEventLog): Promise<void> {
  try {
    for await (const { event } of run.log.read(0)) await shared.append(event);
    await shared.close();
  } catch (error) {
    await shared.close(error);
    throw error;
  }
}
// #endregion copy
