import { todo } from "#kit/todo.ts";
import type { PgEventLog, RunDatabase } from "./pg-log.ts";
import type { Run, RunRegistry } from "./runs.ts";

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
  todo("Set up once (table, LISTEN for stops); publish, find, stop, close");
}
// #endregion shareRuns
