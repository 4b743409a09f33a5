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

// #region Waiter
/** An `acquire` call that has not been handed a resource yet. */
interface Waiter<T> {
  /** True while a resource is being created for this caller. */
  creating: boolean;
  /** True once the caller got a resource or an error. */
  done: boolean;
  serve(resource: T): void;
  fail(error: unknown): void;
}
// #endregion Waiter

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
  readonly #create: () => Promise<T>;
  readonly #destroy: (resource: T) => void | Promise<void>;
  readonly #max: number;
  readonly #timeoutMs: number | undefined;
  readonly #idle: T[] = [];
  // A Set iterates in insertion order: its first entry waited longest.
  readonly #waiters = new Set<Waiter<T>>();
  #size = 0; // idle + lent out + being created
  #closing: Promise<void> | undefined;
  #drained: (() => void) | undefined;

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
    const { max, acquireTimeoutMs } = options;
    if (!Number.isInteger(max) || max < 1)
      throw new RangeError(`max must be a positive integer, got ${max}`);
    if (acquireTimeoutMs !== undefined && !(acquireTimeoutMs >= 0))
      throw new RangeError(
        `acquireTimeoutMs must be >= 0: ${acquireTimeoutMs}`,
      );
    this.#create = options.create;
    this.#destroy = options.destroy ?? (() => {});
    this.#max = max;
    this.#timeoutMs = acquireTimeoutMs;
  }

  /** Resources that exist or are being created: never more than `max`. */
  get size(): number {
    return this.#size;
  }

  /** Resources in the pool, ready to be lent. */
  get idle(): number {
    return this.#idle.length;
  }

  /** `acquire` calls that have not been handed a resource yet. */
  get waiting(): number {
    return this.#waiters.size;
  }

  /**
   * Lends a resource: an idle one, else a new one while there are fewer than
   * `max`, else the next one given back. Rejects with a `TimeoutError` after
   * `acquireTimeoutMs`, with `signal.reason` on abort (either way the caller
   * leaves the line), and at once when the pool is closed.
   */
  acquire(signal?: AbortSignal): Promise<Lease<T>> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.#closing) return Promise.reject(new Error("The pool is closed"));
    return new Promise<Lease<T>>((resolve, reject) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const leave = () => {
        waiter.done = true;
        this.#waiters.delete(waiter);
        clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
      };
      const waiter: Waiter<T> = {
        creating: false,
        done: false,
        serve: (resource) => {
          leave();
          resolve(this.#lease(resource));
        },
        fail: (error) => {
          leave();
          reject(error);
        },
      };
      const onAbort = () => waiter.fail(signal?.reason);
      const ms = this.#timeoutMs;
      if (ms !== undefined) {
        timer = setTimeout(() => {
          waiter.fail(new TimeoutError(`No resource came free in ${ms} ms`));
        }, ms);
      }
      signal?.addEventListener("abort", onAbort, { once: true });
      this.#waiters.add(waiter);
      this.#dispatch();
    });
  }

  /**
   * Runs `fn` with a resource and gives it back when `fn` settles, whether it
   * resolved or threw.
   */
  async use<R>(fn: (resource: T) => Promise<R>): Promise<R> {
    await using lease = await this.acquire();
    // `return await`: a bare `return fn(…)` would leave the block, and give
    // the resource back, while fn is still using it.
    return await fn(lease.value);
  }

  /**
   * Closes the pool: waiting callers are rejected, idle resources destroyed,
   * and lent ones destroyed as they come back; resolves once all are gone.
   * Later calls to `acquire` reject. Calling it again returns the same
   * promise.
   */
  close(): Promise<void> {
    this.#closing ??= this.#shutDown();
    return this.#closing;
  }

  /** The same as `close()`, for `await using pool = new Pool(…)`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  async #shutDown(): Promise<void> {
    for (const waiter of this.#waiters)
      waiter.fail(new Error("The pool is closed"));
    await Promise.all(this.#idle.splice(0).map((r) => this.#discard(r)));
    if (this.#size > 0)
      await new Promise<void>((resolve) => (this.#drained = resolve));
  }

  /** Serves the line in order while there are resources or free places. */
  #dispatch(): void {
    for (const waiter of this.#waiters) {
      if (waiter.creating) continue; // its own resource is on the way
      if (this.#idle.length > 0) waiter.serve(this.#idle.pop() as T);
      else if (this.#size < this.#max) this.#createFor(waiter);
      else return;
    }
  }

  #createFor(waiter: Waiter<T>): void {
    // Counted before create() resolves: the callers who come meanwhile must
    // see the place as taken, or every one of them creates a resource.
    this.#size += 1;
    waiter.creating = true;
    new Promise<T>((resolve) => resolve(this.#create())).then(
      // A caller who gave up meanwhile leaves the resource to the pool.
      (resource) =>
        waiter.done ? this.#giveBack(resource) : waiter.serve(resource),
      (error: unknown) => {
        // Free the place, or the pool shrinks by one for every failure.
        this.#size -= 1;
        if (!waiter.done) waiter.fail(error); // its own caller only
        this.#settled();
      },
    );
  }

  #lease(resource: T): Lease<T> {
    let returned = false;
    // Once: a second return would put the resource in the pool twice, and
    // two callers would be lent the same connection.
    const giveBack = async (discard: boolean) => {
      if (returned) return;
      returned = true;
      await (discard ? this.#discard(resource) : this.#giveBack(resource));
    };
    return {
      value: resource,
      discard: () => giveBack(true),
      [Symbol.asyncDispose]: () => giveBack(false),
    };
  }

  async #giveBack(resource: T): Promise<void> {
    if (this.#closing) return this.#discard(resource);
    this.#idle.push(resource);
    this.#dispatch();
  }

  async #discard(resource: T): Promise<void> {
    try {
      await this.#destroy(resource);
    } catch {
      // A resource that fails to close is gone all the same.
    }
    // Only now: until destroy() is done, the old resource still counts.
    this.#size -= 1;
    this.#settled();
  }

  /** A place came free: serve the line, or finish closing. */
  #settled(): void {
    this.#dispatch();
    if (this.#closing && this.#size === 0) this.#drained?.();
  }
}
// #endregion Pool
