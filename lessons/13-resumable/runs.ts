import { todo } from "#kit/todo.ts";
// Your stream from lesson 06: each run's work runs in one.
import { eventStream, type DomainEvent } from "../06-context/emitter.ts";
import { EventLog } from "./event-log.ts";

// #region Run
/** One piece of work running apart from any request, and its events. */
export interface Run {
  /** Unguessable: whoever knows it can read the run and stop it. */
  readonly id: string;
  /** Every event the work emitted, for any number of readers. */
  readonly log: EventLog<DomainEvent>;
  /** Resolves once the log is closed: the work ended, failed or stopped. */
  readonly done: Promise<void>;
  /** Aborts the work's signal (with `reason`, if given). */
  stop(reason?: unknown): void;
}
// #endregion Run

// #region RunRegistry
/**
 * Runs work apart from the requests that start it: each run's events go to
 * an `EventLog` that clients read, leave and read again, while the work goes
 * on. At most `maxRuns` run at once (default 16); a run that ended is kept
 * `keepMs` (default 10 minutes, `Infinity` for ever) for late readers, then
 * dropped; each log keeps `maxEvents` (default 10,000).
 *
 * @example
 * await using runs = new RunRegistry();
 * const run = runs.start((signal) => runAgent(messages, options, signal));
 * for await (const { id, event } of run.log.read(0)) console.log(id, event);
 */
export class RunRegistry implements AsyncDisposable {
  /**
   * @throws RangeError when `maxRuns` or `maxEvents` is not a positive
   * integer, or `keepMs` is not `Infinity` or an integer from 0 to 2^31-1.
   */
  constructor(
    options: { maxRuns?: number; keepMs?: number; maxEvents?: number } = {},
  ) {
    todo("Check the options; keep the runs in a Map by id.");
  }

  /** The runs held: running, or ended less than `keepMs` ago. */
  get size(): number {
    return todo("Return how many runs are held.");
  }

  /**
   * Starts `work` in lesson 06's `eventStream`, so that every `emit` in its
   * call tree lands in the run's log, and returns the run at once. The log
   * closes when `work` ends, with its error when it rejects.
   *
   * @throws RangeError when `maxRuns` runs are running; Error after close().
   */
  start(work: (signal: AbortSignal) => Promise<unknown>): Run {
    todo("Check maxRuns; run work in eventStream, appending to a new log.");
  }

  /** The run with this id, while it is held. */
  get(id: string): Run | undefined {
    return todo("Return the run with this id, if it is held.");
  }

  /** Stops every run, waits for their logs to close, and drops them all. */
  close(): Promise<void> {
    todo("Stop every run, wait for their done, drop them all.");
  }

  /** The same as `close()`, for `await using`. */
  [Symbol.asyncDispose](): Promise<void> {
    todo("Close the registry.");
  }
}
// #endregion RunRegistry
