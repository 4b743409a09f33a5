import { todo } from "#kit/todo.ts";
import { TimeoutError } from "../02-tasks/timeout.ts";

// #region Lease
/**
 * A resource borrowed from a `Pool`. Disposing the lease gives the resource
 * back, once: a second dispose does nothing.
 */
export interface Lease<T> extends AsyncDisposable {
  /** The borrowed resource. */
  readonly value: T;
  /**
   * Destroys the resource instead of giving it back (a connection that broke
   * should not be lent again), and frees its place in the pool.
   */
  discard(): Promise<void>;
}
// #endregion Lease

// #region Pool
/**
 * Lends out at most `max` resources (database connections, browser pages…),
 * created on demand and reused: the twin of `asyncpg.create_pool()` and of
 * `pg.Pool`. Callers who find every resource lent out wait in line, first in,
 * first out.
 *
 * @example
 * const pool = new Pool({ create: connect, destroy: (c) => c.end(), max: 10 });
 * {
 *   await using lease = await pool.acquire();
 *   await lease.value.query("select 1");
 * } // the connection goes back to the pool here, also after a throw
 * const rows = await pool.use((db) => db.query("select 2"));
 * await pool.close();
 */
export class Pool<T> implements AsyncDisposable {
  /**
   * @throws RangeError when `max` is not a positive integer, or
   * `acquireTimeoutMs` is negative.
   */
  constructor(options: {
    create: () => Promise<T>;
    destroy?: (resource: T) => void | Promise<void>;
    max: number;
    acquireTimeoutMs?: number;
  }) {
    todo("Check max; keep the options, the idle resources and the line.");
  }

  /** Resources that exist or are being created: never more than `max`. */
  get size(): number {
    return todo("Count idle, lent out and being-created resources.");
  }

  /** Resources in the pool, ready to be lent. */
  get idle(): number {
    return todo("Return how many resources are idle.");
  }

  /** `acquire` calls that have not been handed a resource yet. */
  get waiting(): number {
    return todo("Return how many acquire calls have no resource yet.");
  }

  /**
   * Lends a resource: an idle one, else a new one while there are fewer than
   * `max`, else the next one given back. Rejects with a `TimeoutError` after
   * `acquireTimeoutMs`, with `signal.reason` on abort (either way the caller
   * leaves the line), and at once when the pool is closed.
   */
  acquire(signal?: AbortSignal): Promise<Lease<T>> {
    todo("Join the line; serve it: an idle resource, a new one, or wait.");
  }

  /**
   * Runs `fn` with a resource and gives it back when `fn` settles, whether it
   * resolved or threw.
   */
  async use<R>(fn: (resource: T) => Promise<R>): Promise<R> {
    todo("Acquire with await using, and return await fn(lease.value).");
  }

  /**
   * Closes the pool: waiting callers are rejected, idle resources destroyed,
   * and lent ones destroyed as they come back; resolves once all are gone.
   * Later calls to `acquire` reject. Calling it again returns the same
   * promise.
   */
  close(): Promise<void> {
    todo("Reject the line, destroy idle ones, wait for the lent ones.");
  }

  /** The same as `close()`, for `await using pool = new Pool(…)`. */
  [Symbol.asyncDispose](): Promise<void> {
    todo("Close the pool.");
  }
}
// #endregion Pool
