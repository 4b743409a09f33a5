import { randomUUID } from "node:crypto";
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
  readonly #runs = new Map<string, { run: Run; timer?: NodeJS.Timeout }>();
  readonly #maxRuns: number;
  readonly #keepMs: number;
  readonly #maxEvents: number;
  #running = 0;
  #closed = false;

  /**
   * @throws RangeError when `maxRuns` or `maxEvents` is not a positive
   * integer, or `keepMs` is not `Infinity` or an integer from 0 to 2^31-1.
   */
  constructor(
    options: { maxRuns?: number; keepMs?: number; maxEvents?: number } = {},
  ) {
    const { maxRuns = 16, keepMs = 600_000, maxEvents = 10_000 } = options;
    for (const [name, value] of Object.entries({ maxRuns, maxEvents }))
      if (!Number.isInteger(value) || value < 1)
        throw new RangeError(`${name} must be a positive integer: ${value}`);
    // setTimeout fires at once for a delay past 2^31-1 ms (about 24 days).
    const keeps = Number.isInteger(keepMs) && keepMs >= 0 && keepMs < 2 ** 31;
    if (!keeps && keepMs !== Infinity)
      throw new RangeError(
        `keepMs must be an integer from 0 to 2^31-1, or Infinity: ${keepMs}`,
      );
    this.#maxRuns = maxRuns;
    this.#keepMs = keepMs;
    this.#maxEvents = maxEvents;
  }

  /** The runs held: running, or ended less than `keepMs` ago. */
  get size(): number {
    return this.#runs.size;
  }

  /**
   * Starts `work` in lesson 06's `eventStream`, so that every `emit` in its
   * call tree lands in the run's log, and returns the run at once. The log
   * closes when `work` ends, with its error when it rejects.
   *
   * @throws RangeError when `maxRuns` runs are running; Error after close().
   */
  start(work: (signal: AbortSignal) => Promise<unknown>): Run {
    if (this.#closed) throw new Error("start() after close()");
    if (this.#running >= this.#maxRuns)
      throw new RangeError(
        `${this.#maxRuns} runs are running already: wait for one to end`,
      );
    const id = randomUUID(); // 122 random bits: an id is a capability
    const log = new EventLog<DomainEvent>({ maxEvents: this.#maxEvents });
    const controller = new AbortController();
    this.#running += 1;
    const done = fill(log, work, controller.signal).finally(() => {
      this.#running -= 1;
      this.#dropLater(id);
    });
    const run: Run = {
      id,
      log,
      done,
      stop: (reason) => controller.abort(reason),
    };
    this.#runs.set(id, { run });
    return run;
  }

  /** The run with this id, while it is held. */
  get(id: string): Run | undefined {
    return this.#runs.get(id)?.run;
  }

  /** Stops every run, waits for their logs to close, and drops them all. */
  async close(): Promise<void> {
    this.#closed = true;
    const held = [...this.#runs.values()];
    for (const { run } of held) run.stop();
    await Promise.all(held.map(({ run }) => run.done));
    for (const { timer } of this.#runs.values()) clearTimeout(timer);
    this.#runs.clear();
  }

  /** The same as `close()`, for `await using`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  #dropLater(id: string): void {
    const held = this.#runs.get(id);
    if (!held || this.#closed || this.#keepMs === Infinity) return;
    held.timer = setTimeout(() => this.#runs.delete(id), this.#keepMs);
    held.timer.unref(); // a finished run is no reason to keep a process up
  }
}
// #endregion RunRegistry

// #region fill
/**
 * Runs `work` and appends what it emits to `log`. Nobody else reads the
 * stream, so nobody can stop it by leaving: only `signal` stops the work.
 */
async function fill(
  log: EventLog<DomainEvent>,
  work: (signal: AbortSignal) => Promise<unknown>,
  signal: AbortSignal,
): Promise<void> {
  try {
    for await (const event of eventStream(() => work(signal))) {
      log.append(event);
    }
    log.close();
  } catch (error) {
    log.close(error); // readers get the events, then this error
  }
}
// #endregion fill
