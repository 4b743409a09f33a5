import { describe, expect, it } from "vitest";
import { once } from "#exercises/08-pools/once.ts";
import { Pool } from "#exercises/08-pools/pool.ts";
import {
  createFollowsTable,
  upsertFollows,
  type Follow,
  type Queryable,
} from "#exercises/08-pools/follows.ts";
import { BatchWriter } from "#exercises/08-pools/batch-writer.ts";
import { TimeoutError } from "#exercises/02-tasks/timeout.ts";
import {
  advance,
  pendingTimers,
  settle,
  useFakeClock,
} from "#kit/testing/clock.ts";
import { deferred, observe, type Deferred } from "#kit/testing/deferred.ts";
import { inFlight } from "#kit/testing/in-flight.ts";
import { startAbortable } from "#kit/testing/abort.ts";
import { abortListeners } from "#kit/testing/leaks.ts";
import { useDatabase } from "#kit/testing/database.ts";

// PGlite in memory, or the Postgres of DATABASE_URL: one per test file.

describe("once", () => {
  it("runs init on the first call and gives every later call its value", async () => {
    let calls = 0;
    const get = once(async () => ({ id: (calls += 1) }));
    const first = await get();
    const second = await get();
    expect(calls, "init should run once, on the first call").toBe(1);
    expect(second, "every call should get the same value").toBe(first);
  });

  it("does not run init before the first call", () => {
    let calls = 0;
    once(async () => (calls += 1));
    expect(
      calls,
      "once() itself must not call init: only the first call does",
    ).toBe(0);
  });

  it("shares one init between concurrent first calls", async () => {
    const started: Deferred<string>[] = [];
    const get = once(() => {
      const init = deferred<string>();
      started.push(init);
      return init.promise;
    });
    const calls = [observe(get()), observe(get()), observe(get())];
    await settle();
    expect(
      started.length,
      `3 calls made before the first init finished ran init ${started.length} times: ` +
        "cache the promise, not the value. The second caller comes while the first is " +
        "still awaiting, when there is no value to find yet (with a pool: two pools)",
    ).toBe(1);
    started[0]?.resolve("the pool");
    await settle();
    expect(calls.map((c) => c.value)).toEqual([
      "the pool",
      "the pool",
      "the pool",
    ]);
  });

  it("does not cache a failure: the next call runs init again", async () => {
    let calls = 0;
    const get = once(async () => {
      calls += 1;
      if (calls === 1) throw new Error("database not up yet");
      return "connected";
    });
    await expect(
      get(),
      "the first call should reject with init's error",
    ).rejects.toThrow("database not up yet");
    const retry = await get().catch((error: unknown) => error);
    expect(
      retry,
      "after a failed init, the next call got the old error again: a failure must not be " +
        "cached forever (forget the promise when it rejects, so the next call retries)",
    ).toBe("connected");
    expect(calls).toBe(2);
    expect(await get(), "a success is cached").toBe("connected");
    expect(calls).toBe(2);
  });

  it("gives the error to every caller that waited for the failed attempt", async () => {
    const init = deferred<string>();
    let calls = 0;
    const get = once(() => {
      calls += 1;
      return calls === 1 ? init.promise : Promise.resolve("second try");
    });
    const a = observe(get());
    const b = observe(get());
    const boom = new Error("refused");
    init.reject(boom);
    await settle();
    expect(
      [a.reason, b.reason],
      "both callers of the failed attempt should get its error",
    ).toEqual([boom, boom]);
    expect(await get()).toBe("second try");
    expect(calls).toBe(2);
  });

  it("rejects, rather than throws, when init throws synchronously", async () => {
    const boom = new Error("bad config");
    let calls = 0;
    const get = once(() => {
      calls += 1;
      if (calls === 1) throw boom;
      return Promise.resolve("ok");
    });
    let result: Promise<string> | undefined;
    expect(
      () => (result = get()),
      "get() threw at once: callers of an async function expect a rejected promise " +
        "(wrap the call to init so that a synchronous throw becomes a rejection)",
    ).not.toThrow();
    await expect(result).rejects.toBe(boom);
    expect(await get(), "the next call should try again").toBe("ok");
  });
});

/**
 * Fake resources: `r1`, `r2`… Each create() waits for the test to finish it
 * (`finish(1)`, `fail(1, error)`) unless `instant` is set.
 */
function fakeResources(options: { instant?: boolean } = {}) {
  const creates: Deferred<void>[] = [];
  const created: string[] = [];
  const destroyed: string[] = [];
  return {
    creates,
    created,
    destroyed,
    create: async () => {
      const name = `r${creates.length + 1}`;
      const gate = deferred();
      creates.push(gate);
      if (options.instant) gate.resolve();
      await gate.promise;
      created.push(name);
      return name;
    },
    destroy: async (resource: string) => {
      destroyed.push(resource);
    },
    finish(n: number) {
      creates[n - 1]?.resolve();
    },
    fail(n: number, error: unknown) {
      creates[n - 1]?.reject(error);
    },
  };
}

describe("Pool", () => {
  it("creates nothing until the first acquire", () => {
    const fake = fakeResources({ instant: true });
    const pool = new Pool({ ...fake, max: 2 });
    expect(fake.creates.length, "the pool must create resources lazily").toBe(
      0,
    );
    expect([pool.size, pool.idle, pool.waiting]).toEqual([0, 0, 0]);
  });

  it("creates a resource on acquire and lends it again once it is given back", async () => {
    const fake = fakeResources({ instant: true });
    const pool = new Pool({ ...fake, max: 2 });
    const lease = await pool.acquire();
    expect(lease.value).toBe("r1");
    expect([pool.size, pool.idle], "one resource, lent out").toEqual([1, 0]);
    await lease[Symbol.asyncDispose]();
    expect(
      [pool.size, pool.idle],
      "after the lease is disposed, the resource should be idle in the pool",
    ).toEqual([1, 1]);
    {
      await using again = await pool.acquire();
      expect(
        again.value,
        "acquire created a new resource although one was idle: reuse returned resources",
      ).toBe("r1");
    }
    expect(fake.creates.length).toBe(1);
    expect(pool.idle).toBe(1);
  });

  it("refuses a max that is not a positive integer", () => {
    const fake = fakeResources();
    for (const max of [0, -1, 1.5, Number.NaN]) {
      expect(
        () => new Pool({ ...fake, max }),
        `new Pool({ max: ${max} }) should throw a RangeError`,
      ).toThrow(RangeError);
    }
  });

  it("never creates more than max, counting the resources still being created", async () => {
    const fake = fakeResources();
    const pool = new Pool({ ...fake, max: 2 });
    const leases = [1, 2, 3, 4, 5].map(() => observe(pool.acquire()));
    await settle();
    expect(
      fake.creates.length,
      `5 acquire calls at once made create() run ${fake.creates.length} times with max 2: ` +
        "count a resource from the moment you start creating it, not when create() resolves " +
        "(size counts resources being created)",
    ).toBe(2);
    expect(pool.size, "size should count the 2 resources being created").toBe(
      2,
    );
    expect(
      pool.waiting,
      "waiting counts every acquire call not yet handed a resource, also the 2 " +
        "whose resource is being created",
    ).toBe(5);
    fake.finish(1);
    fake.finish(2);
    await settle();
    expect(leases.map((l) => l.state)).toEqual([
      "fulfilled",
      "fulfilled",
      "pending",
      "pending",
      "pending",
    ]);
    expect([pool.size, pool.waiting]).toEqual([2, 3]);
    await leases[0]?.value?.[Symbol.asyncDispose]();
    await settle();
    expect(
      leases[2]?.value?.value,
      "r1 came back: it should go to the third caller, who waited longest",
    ).toBe("r1");
    expect(fake.creates.length).toBe(2);
  });

  it("lends to waiting callers first in, first out", async () => {
    const fake = fakeResources({ instant: true });
    const pool = new Pool({ ...fake, max: 1 });
    let lease = await pool.acquire();
    const line = new Map([
      ["a", observe(pool.acquire())],
      ["b", observe(pool.acquire())],
      ["c", observe(pool.acquire())],
    ]);
    await settle();
    expect(pool.waiting).toBe(3);
    const order: string[] = [];
    for (let turn = 0; turn < 3; turn += 1) {
      await lease[Symbol.asyncDispose]();
      await settle();
      const [name, next] = [...line].find(([, w]) => w.value) ?? [];
      if (!name || !next?.value) break;
      order.push(name);
      line.delete(name);
      lease = next.value;
    }
    await lease[Symbol.asyncDispose]();
    expect(
      order,
      `the waiting callers got the resource in the order ${order.join(", ")}: ` +
        "serve the line first in, first out (the one who waited longest goes first)",
    ).toEqual(["a", "b", "c"]);
  });

  it("use gives the resource back when fn resolves and when it throws", async () => {
    const fake = fakeResources({ instant: true });
    const pool = new Pool({ ...fake, max: 1 });
    const boom = new Error("query failed");
    await expect(
      pool.use(async () => {
        throw boom;
      }),
      "use() should reject with fn's own error",
    ).rejects.toBe(boom);
    expect(
      pool.idle,
      "fn threw and the resource was not given back: release it in a finally, or use await using",
    ).toBe(1);
    const value = await pool.use(async (resource) => `${resource} answered`);
    expect(value, "use() should resolve with what fn returns").toBe(
      "r1 answered",
    );
    expect(pool.idle).toBe(1);
  });

  it("use keeps the resource until fn has finished", async () => {
    const fake = fakeResources({ instant: true });
    const pool = new Pool({ ...fake, max: 1 });
    const work = deferred<string>();
    const used = observe(pool.use(() => work.promise));
    await settle();
    expect(
      pool.idle,
      "use() gave the resource back while fn was still running: inside a block with " +
        "`await using`, write `return await fn(…)`; a bare `return fn(…)` leaves the block " +
        "(and disposes the lease) before fn is done",
    ).toBe(0);
    work.resolve("done");
    await settle();
    expect(used.value).toBe("done");
    expect(pool.idle).toBe(1);
  });

  it("frees the place of a failed create and rejects only its own caller", async () => {
    const fake = fakeResources();
    const pool = new Pool({ ...fake, max: 1 });
    const first = observe(pool.acquire());
    const second = observe(pool.acquire());
    await settle();
    const refused = new Error("connection refused");
    fake.fail(1, refused);
    await settle();
    expect(
      first.reason,
      "the caller whose create() failed gets its error",
    ).toBe(refused);
    expect(
      second.state,
      "the other caller should not get the first caller's error",
    ).toBe("pending");
    expect(
      fake.creates.length,
      "a failed create() kept its place in the pool: with max 1, nobody can ever get a " +
        "resource again. On failure, free the place (size - 1) and serve the next caller, " +
        "who then gets a fresh create()",
    ).toBe(2);
    fake.finish(2);
    await settle();
    expect(second.value?.value).toBe("r2");
    expect(pool.size).toBe(1);
    await second.value?.[Symbol.asyncDispose]();
  });

  it("recovers after create failed for every caller", async () => {
    let fail = true;
    const pool = new Pool({
      create: async () => {
        if (fail) throw new Error("database down");
        return "conn";
      },
      max: 2,
    });
    for (let i = 0; i < 3; i += 1)
      await expect(pool.acquire()).rejects.toThrow("database down");
    expect(
      pool.size,
      `size is ${pool.size} after 3 failed creates: a failed create() must free its place`,
    ).toBe(0);
    fail = false;
    const lease = await Promise.race([
      pool.acquire(),
      settle().then(() => "still waiting"),
    ]);
    expect(
      typeof lease === "string" ? lease : lease.value,
      "once the database is back, acquire() should create a resource; it waited instead: " +
        "a slot leaked by a failing create()",
    ).toBe("conn");
  });

  it("returns a lease once, however often it is disposed", async () => {
    const fake = fakeResources({ instant: true });
    const pool = new Pool({ ...fake, max: 1 });
    const lease = await pool.acquire();
    await lease[Symbol.asyncDispose]();
    await lease[Symbol.asyncDispose]();
    expect(
      pool.idle,
      "a lease returned twice put its resource in the pool twice: two callers would be " +
        "lent the same connection at once. Give a lease back once, however often it is disposed",
    ).toBe(1);
    const a = observe(pool.acquire());
    const b = observe(pool.acquire());
    await settle();
    expect(
      [a.state, b.state],
      "with max 1, a second caller must wait while the first holds the resource",
    ).toEqual(["fulfilled", "pending"]);
    await a.value?.[Symbol.asyncDispose]();
    await settle();
    await b.value?.[Symbol.asyncDispose]();
  });

  it("destroys a discarded resource and frees its place for a new one", async () => {
    const fake = fakeResources({ instant: true });
    const pool = new Pool({ ...fake, max: 1 });
    const broken = await pool.acquire();
    const waiter = observe(pool.acquire());
    await broken.discard();
    await broken[Symbol.asyncDispose](); // `await using` disposes it again: no effect
    await settle();
    expect(fake.destroyed, "discard() should destroy the resource").toEqual([
      "r1",
    ]);
    expect(
      waiter.value?.value,
      "the waiting caller should get a fresh resource once the broken one is discarded",
    ).toBe("r2");
    expect(
      pool.idle,
      "a discarded resource must never go back into the pool",
    ).toBe(0);
    expect(pool.size).toBe(1);
    await waiter.value?.[Symbol.asyncDispose]();
  });

  it("rejects with lesson 02's TimeoutError after acquireTimeoutMs, and takes the caller out of the line", async () => {
    useFakeClock();
    const fake = fakeResources({ instant: true });
    const pool = new Pool({ ...fake, max: 1, acquireTimeoutMs: 100 });
    const held = await pool.acquire();
    const late = observe(pool.acquire());
    await advance(99);
    expect(late.state, "acquire gave up before acquireTimeoutMs").toBe(
      "pending",
    );
    await advance(1);
    expect(
      late.reason,
      "acquire should reject with a TimeoutError (from ../02-tasks/timeout.ts) once " +
        "acquireTimeoutMs have passed",
    ).toBeInstanceOf(TimeoutError);
    expect(pool.waiting, "the caller who timed out is still in the line").toBe(
      0,
    );
    await held[Symbol.asyncDispose]();
    expect(
      pool.idle,
      "the resource was handed to a caller who had already timed out: it is lost",
    ).toBe(1);
    const served = await pool.acquire();
    await served[Symbol.asyncDispose]();
    expect(
      pendingTimers(),
      "a timeout timer is still armed after acquire was served",
    ).toBe(0);
  });

  it("leaves a resource created for a caller who gave up to the pool", async () => {
    useFakeClock();
    const fake = fakeResources();
    const pool = new Pool({ ...fake, max: 1, acquireTimeoutMs: 100 });
    const gaveUp = observe(pool.acquire());
    await advance(100);
    expect(gaveUp.reason).toBeInstanceOf(TimeoutError);
    fake.finish(1);
    await settle();
    expect(
      [pool.size, pool.idle],
      "the resource created for a caller who timed out should wait in the pool",
    ).toEqual([1, 1]);
  });

  it("takes an aborted caller out of the line, with signal.reason", async () => {
    const fake = fakeResources({ instant: true });
    const pool = new Pool({ ...fake, max: 1 });
    const held = await pool.acquire();
    const aborted = startAbortable("acquire(signal)", (signal) =>
      pool.acquire(signal),
    );
    const next = observe(pool.acquire());
    await aborted.abortAndCheck();
    expect(pool.waiting, "the aborted caller is still in the line").toBe(1);
    await held[Symbol.asyncDispose]();
    await settle();
    expect(
      next.value?.value,
      "the resource went to the aborted caller instead of the next one in line",
    ).toBe("r1");
    await next.value?.[Symbol.asyncDispose]();
    const reason = new Error("client went away");
    const early = observe(pool.acquire(AbortSignal.abort(reason)));
    await settle();
    expect(
      early.reason,
      "acquire with an aborted signal should reject at once",
    ).toBe(reason);
    expect(pool.idle, "an aborted acquire must not take a resource").toBe(1);
  });

  it("leaves no abort listener on the signal of a served caller", async () => {
    const fake = fakeResources({ instant: true });
    const pool = new Pool({ ...fake, max: 1 });
    const signal = new AbortController().signal;
    const lease = await pool.acquire(signal);
    await lease[Symbol.asyncDispose]();
    expect(
      abortListeners(signal),
      "the served acquire left its abort listener on the signal",
    ).toBe(0);
  });

  it("close destroys the idle resources, and acquire rejects afterwards", async () => {
    const fake = fakeResources({ instant: true });
    const pool = new Pool({ ...fake, max: 2 });
    const [a, b] = [await pool.acquire(), await pool.acquire()];
    await a[Symbol.asyncDispose]();
    await b[Symbol.asyncDispose]();
    await pool.close();
    expect(
      fake.destroyed.sort(),
      "close() should destroy every idle resource",
    ).toEqual(["r1", "r2"]);
    expect([pool.size, pool.idle]).toEqual([0, 0]);
    await expect(
      pool.acquire(),
      "acquire after close() should reject",
    ).rejects.toThrow();
  });

  it("close rejects waiting callers and waits for lent resources to come back", async () => {
    const fake = fakeResources({ instant: true });
    const pool = new Pool({ ...fake, max: 1 });
    const lent = await pool.acquire();
    const waiting = observe(pool.acquire());
    await settle();
    const closed = observe(pool.close());
    await settle();
    expect(
      waiting.state,
      "close() should reject the callers still waiting at once",
    ).toBe("rejected");
    expect(
      closed.state,
      "close() resolved while a resource was still lent out: wait for it to come back",
    ).toBe("pending");
    await lent[Symbol.asyncDispose]();
    await settle();
    expect(
      fake.destroyed,
      "a resource given back after close() should be destroyed, not kept",
    ).toEqual(["r1"]);
    expect(
      closed.state,
      "close() should resolve once every resource is gone",
    ).toBe("fulfilled");
  });

  it("leaves nothing behind once closed: every resource created is destroyed", async () => {
    const fake = fakeResources();
    const pool = new Pool({ ...fake, max: 2 });
    const first = observe(pool.acquire());
    // A pool may await something (a semaphore, say) before it calls create().
    await settle();
    fake.finish(1);
    await settle();
    const creating = observe(pool.acquire()); // r2's create() is still running
    await settle();
    await first.value?.[Symbol.asyncDispose]();
    const closed = observe(pool[Symbol.asyncDispose]());
    await settle();
    expect(creating.state, "close() should reject a caller still waiting").toBe(
      "rejected",
    );
    fake.finish(2);
    await settle();
    expect(
      closed.state,
      "close() had not resolved once r1 was given back and r2's create() had finished: destroy r2 too, then resolve",
    ).toBe("fulfilled");
    expect(
      fake.destroyed.sort(),
      "close() left a resource alive: one created while closing must be destroyed too",
    ).toEqual(fake.created.sort());
    expect(pool.size, "a closed pool holds no resource").toBe(0);
  });
});

/** Wraps a database to count the queries sent through it. */
function counting(db: Queryable, options: { limit?: number } = {}) {
  const sent: { sql: string; params: unknown[] }[] = [];
  const wrapped: Queryable = {
    query<R>(sql: string, params: unknown[] = []) {
      sent.push({ sql, params });
      if (options.limit !== undefined && sent.length > options.limit)
        return Promise.reject(
          new Error(
            `upsertFollows sent query number ${sent.length} for one batch: ` +
              "write the whole batch with one statement (one query call)",
          ),
        );
      return db.query<R>(sql, params);
    },
  };
  return { sent, db: wrapped };
}

/** A fresh, empty `follows` table, made by the test (not by the exercise). */
async function freshFollowsTable(db: Queryable): Promise<void> {
  await db.query("drop table if exists follows");
  await db.query(
    `create table follows (follower_id bigint, rkey text, subject_id bigint,
       primary key (follower_id, rkey))`,
  );
}

/** Every row, sorted; bigint read back through a cast (pg gives strings). */
async function readFollows(db: Queryable): Promise<Follow[]> {
  const { rows } = await db.query<Follow>(
    `select follower_id::int as "followerId", rkey,
            subject_id::int as "subjectId"
       from follows order by follower_id, rkey`,
  );
  return rows;
}

/** What `promise` rejects with, or undefined when it fulfils. */
async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    return error;
  }
}

/** The message of what `promise` rejects with, or undefined. */
async function failure(promise: Promise<unknown>): Promise<string | undefined> {
  const error = await rejection(promise);
  if (error === undefined) return undefined;
  return error instanceof Error ? error.message : String(error);
}

describe("createFollowsTable", () => {
  const database = useDatabase();

  it("creates the follows table, keyed by (follower_id, rkey)", async () => {
    const { db } = database;
    await db.query("drop table if exists follows");
    await createFollowsTable(db);
    const { rows } = await db.query<{ name: string; type: string }>(
      `select column_name as name, data_type as type
         from information_schema.columns
        where table_name = 'follows' and table_schema = current_schema()
        order by ordinal_position`,
    );
    expect(rows, "the columns of follows").toEqual([
      { name: "follower_id", type: "bigint" },
      { name: "rkey", type: "text" },
      { name: "subject_id", type: "bigint" },
    ]);
    await db.query("insert into follows values (1, 'a', 2)");
    const duplicate = await rejection(
      db.query("insert into follows values (1, 'a', 3)"),
    );
    expect(
      (duplicate as { code?: string } | undefined)?.code,
      "a second row with the same (follower_id, rkey) was accepted: the table needs " +
        "primary key (follower_id, rkey), which on conflict (follower_id, rkey) relies on " +
        "(23505 is Postgres's code for a unique violation)",
    ).toBe("23505");
  });

  it("leaves an existing table and its rows alone", async () => {
    const { db } = database;
    await freshFollowsTable(db);
    await db.query("insert into follows values (1, 'a', 2)");
    expect(
      await failure(createFollowsTable(db)),
      "createFollowsTable failed on an existing table: use create table if not exists",
    ).toBeUndefined();
    expect(await readFollows(db)).toEqual([
      { followerId: 1, rkey: "a", subjectId: 2 },
    ]);
  });
});

describe("upsertFollows", () => {
  const database = useDatabase();

  it("writes a batch with one query and returns how many rows it wrote", async () => {
    await freshFollowsTable(database.db);
    const { sent, db } = counting(database.db);
    const rows: Follow[] = [
      { followerId: 1, rkey: "a", subjectId: 10 },
      { followerId: 1, rkey: "b", subjectId: 11 },
      { followerId: 2, rkey: "a", subjectId: 12 },
    ];
    const written = await upsertFollows(db, rows);
    expect(
      sent.length,
      `upsertFollows sent ${sent.length} queries for 3 rows: one query per row is a round ` +
        "trip, a parse and a plan each. Send the whole batch in one statement: three arrays " +
        "through unnest()",
    ).toBe(1);
    expect(
      written,
      "upsertFollows should resolve with the number of rows written",
    ).toBe(3);
    expect(await readFollows(database.db)).toEqual(rows);
  });

  it("updates subject_id when (follower_id, rkey) exists already", async () => {
    const { db } = database;
    await freshFollowsTable(db);
    await db.query("insert into follows values (1, 'a', 10), (1, 'b', 11)");
    const written = await upsertFollows(db, [
      { followerId: 1, rkey: "a", subjectId: 99 },
      { followerId: 3, rkey: "c", subjectId: 30 },
    ]);
    expect(written).toBe(2);
    expect(
      await readFollows(db),
      "an existing (follower_id, rkey) should get the new subject_id: " +
        "on conflict (follower_id, rkey) do update set subject_id = excluded.subject_id",
    ).toEqual([
      { followerId: 1, rkey: "a", subjectId: 99 },
      { followerId: 1, rkey: "b", subjectId: 11 },
      { followerId: 3, rkey: "c", subjectId: 30 },
    ]);
  });

  it("lets the last row win when a key repeats in one batch", async () => {
    const { db } = database;
    await freshFollowsTable(db);
    const rows: Follow[] = [
      { followerId: 1, rkey: "a", subjectId: 10 },
      { followerId: 2, rkey: "a", subjectId: 20 },
      { followerId: 1, rkey: "a", subjectId: 11 },
    ];
    let written: number | undefined;
    const error = await failure(
      upsertFollows(db, rows).then((n) => void (written = n)),
    );
    expect(
      error,
      "upsertFollows rejected a batch in which (1, 'a') comes twice. Postgres refuses a " +
        "statement that would update one row twice (ON CONFLICT DO UPDATE command cannot " +
        "affect row a second time): merge repeated keys in JS first, keeping the last row",
    ).toBeUndefined();
    expect(
      await readFollows(db),
      "when a key repeats in one batch, its last row should win",
    ).toEqual([
      { followerId: 1, rkey: "a", subjectId: 11 },
      { followerId: 2, rkey: "a", subjectId: 20 },
    ]);
    expect(written, "the rows written are the distinct keys: 2").toBe(2);
  });

  it("sends nothing for an empty batch", async () => {
    const { sent, db } = counting(database.db);
    expect(await upsertFollows(db, [])).toBe(0);
    expect(
      sent.length,
      "upsertFollows sent a query for an empty batch: return 0 without a round trip",
    ).toBe(0);
  });

  it("keeps rkeys with commas, quotes, braces and backslashes intact", async () => {
    const { db } = database;
    await freshFollowsTable(db);
    const keys = ["a,b", '"q"', "{x}", "back\\slash", "NULL", "", " sp ", "é✓"];
    const rows = keys.map((rkey, i) => ({ followerId: 1, rkey, subjectId: i }));
    const error = await failure(upsertFollows(db, rows));
    const stored = (await readFollows(db)).map((row) => row.rkey).sort();
    expect(
      error === undefined ? stored : `rejected: ${error}`,
      "some rkeys came back changed, or the batch was refused: pass each column as a JS array parameter and let the " +
        "driver encode it; an array literal built by hand ('{' + keys.join(',') + '}') " +
        "breaks on commas, quotes and braces",
    ).toEqual([...keys].sort());
  });

  it("writes 100,000 rows in one query", { timeout: 60_000 }, async () => {
    await freshFollowsTable(database.db);
    const { sent, db } = counting(database.db, { limit: 1 });
    const rows = Array.from({ length: 100_000 }, (_, i) => ({
      followerId: i % 1_000,
      rkey: `3k${i.toString(36)}`,
      subjectId: i,
    }));
    const error = await failure(upsertFollows(db, rows));
    const params = sent[0]?.params.length ?? 0;
    expect(
      error,
      params > 65_535
        ? `upsertFollows sent one statement with ${params.toLocaleString("en")} ` +
            "parameters, and the database refused it: a statement carries at most " +
            "65,535 parameters (the Bind message counts them in 16 bits). A multi-row " +
            "VALUES list needs 3 per row; send 3 arrays through unnest() instead"
        : "upsertFollows failed on 100,000 rows",
    ).toBeUndefined();
    expect(sent.length).toBe(1);
    const { rows: stats } = await database.db.query<{ n: number; sum: number }>(
      "select count(*)::int as n, sum(subject_id)::float8 as sum from follows",
    );
    expect(stats[0], "every row should be in the table").toEqual({
      n: 100_000,
      sum: (99_999 * 100_000) / 2,
    });
  });
});

/** A write function whose calls the test finishes by hand. */
function manualWrites<T>() {
  const calls: { batch: T[]; copy: T[]; done: Deferred<void> }[] = [];
  const counter = inFlight();
  const write = counter.wrap(async (batch: T[]) => {
    const done = deferred();
    calls.push({ batch, copy: [...batch], done });
    await done.promise;
  });
  return { calls, write, counter };
}

describe("BatchWriter", () => {
  it("writes a batch as soon as it holds maxBatch items", async () => {
    useFakeClock();
    const writes: string[][] = [];
    const writer = new BatchWriter<string>({
      write: async (batch) => void writes.push([...batch]),
      maxBatch: 3,
      maxDelayMs: 1_000,
    });
    const adds = ["a", "b", "c"].map((item) => observe(writer.add(item)));
    await settle();
    expect(
      writes,
      "3 items with maxBatch 3 should be written at once, without waiting for maxDelayMs",
    ).toEqual([["a", "b", "c"]]);
    expect(adds.map((a) => a.state)).toEqual([
      "fulfilled",
      "fulfilled",
      "fulfilled",
    ]);
    expect(pendingTimers(), "the batch went out full: clear its timer").toBe(0);
  });

  it("writes a batch maxDelayMs after its first item, even while items keep coming", async () => {
    useFakeClock();
    const writes: number[][] = [];
    const writer = new BatchWriter<number>({
      write: async (batch) => void writes.push([...batch]),
      maxBatch: 100,
      maxDelayMs: 100,
    });
    const adds: Promise<void>[] = [];
    for (let i = 0; i < 4; i += 1) {
      adds.push(writer.add(i));
      await advance(30); // items come every 30 ms: 0, 30, 60, 90
    }
    await advance(9); // 129 ms
    expect(
      writes,
      "the batch was not written 100 ms after its first item, although items kept coming " +
        "every 30 ms: arm one timer per batch, when its first item arrives; a timer restarted " +
        "on every add never fires while items keep coming",
    ).toEqual([[0, 1, 2, 3]]);
    await Promise.all(adds);
    expect(pendingTimers()).toBe(0);
  });

  it("resolves add once its batch is written, not before", async () => {
    useFakeClock();
    const { calls, write } = manualWrites<string>();
    const writer = new BatchWriter({ write, maxBatch: 2, maxDelayMs: 50 });
    const a = observe(writer.add("a"));
    const b = observe(writer.add("b"));
    await settle();
    expect(calls.length).toBe(1);
    expect(
      [a.state, b.state],
      "add() resolved before its batch's write finished: resolve the adds of a batch " +
        "when write() resolves, so that a caller who awaits add knows its item is stored",
    ).toEqual(["pending", "pending"]);
    calls[0]?.done.resolve();
    await settle();
    expect([a.state, b.state]).toEqual(["fulfilled", "fulfilled"]);
  });

  it("writes one batch at a time, in order", async () => {
    useFakeClock();
    const { calls, write, counter } = manualWrites<number>();
    const writer = new BatchWriter({ write, maxBatch: 2, maxDelayMs: 50 });
    const adds = [1, 2, 3, 4, 5, 6].map((n) => writer.add(n));
    await settle();
    expect(
      calls.length,
      `${calls.length} writes started at once: one write at a time; the next batch waits ` +
        "until the previous write is done",
    ).toBe(1);
    for (let i = 0; i < 3; i += 1) {
      calls[i]?.done.resolve();
      await settle();
    }
    await Promise.all(adds);
    expect(counter.peak, "writes overlapped: one write at a time").toBe(1);
    expect(
      calls.map((c) => c.copy),
      "the batches should be written in the order their items came",
    ).toEqual([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
  });

  it("puts items added during a write into the next batch", async () => {
    useFakeClock();
    const { calls, write } = manualWrites<string>();
    const writer = new BatchWriter({ write, maxBatch: 10, maxDelayMs: 50 });
    const first = [writer.add("a"), writer.add("b")];
    await advance(50);
    expect(calls.length).toBe(1);
    const later = observe(writer.add("c"));
    await settle();
    expect(
      calls[0]?.batch,
      "an item added while a batch was being written joined that batch's array: start a " +
        "new batch for later adds (write() already has its items, and may be reading them)",
    ).toEqual(["a", "b"]);
    calls[0]?.done.resolve();
    await Promise.all(first);
    await advance(50);
    expect(calls.map((c) => c.copy)).toEqual([["a", "b"], ["c"]]);
    calls[1]?.done.resolve();
    await settle();
    expect(later.state).toBe("fulfilled");
  });

  it("rejects the adds of a failed batch with its error, and only those", async () => {
    useFakeClock();
    const { calls, write } = manualWrites<string>();
    const writer = new BatchWriter({ write, maxBatch: 2, maxDelayMs: 50 });
    const failed = [observe(writer.add("a")), observe(writer.add("b"))];
    const fine = [observe(writer.add("c")), observe(writer.add("d"))];
    await settle();
    const boom = new Error("disk full");
    calls[0]?.done.reject(boom);
    await settle();
    calls[1]?.done.resolve();
    await settle();
    expect(
      failed.map((a) => a.reason),
      "each add of the failed batch should reject with the write's error",
    ).toEqual([boom, boom]);
    expect(
      fine.map((a) => a.state),
      "the next batch was written fine, but its adds did not resolve: a failed write " +
        "belongs to its own batch only",
    ).toEqual(["fulfilled", "fulfilled"]);
  });

  it("flush writes the open batch now and resolves once it is written, also when it fails", async () => {
    useFakeClock();
    const { calls, write } = manualWrites<string>();
    const writer = new BatchWriter({ write, maxBatch: 10, maxDelayMs: 1_000 });
    const added = observe(writer.add("a"));
    const flushed = observe(writer.flush());
    await settle();
    expect(calls.length, "flush() should write the open batch at once").toBe(1);
    expect(pendingTimers(), "flush() sent the batch: clear its timer").toBe(0);
    expect(flushed.state, "flush() resolved before the write finished").toBe(
      "pending",
    );
    calls[0]?.done.reject(new Error("write failed"));
    await settle();
    expect(
      flushed.state,
      "flush() should resolve (never reject) once the write is over: the error is for " +
        "the add() callers of that batch",
    ).toBe("fulfilled");
    expect(added.state).toBe("rejected");
    expect(
      await writer.flush(),
      "flush() with nothing to write resolves",
    ).toBeUndefined();
    expect(
      calls.length,
      "flush() with nothing to write should not call write",
    ).toBe(1);
  });

  it("flushes on dispose, then refuses new items", async () => {
    useFakeClock();
    const writes: string[][] = [];
    const writer = new BatchWriter<string>({
      write: async (batch) => void writes.push([...batch]),
      maxBatch: 10,
      maxDelayMs: 1_000,
    });
    const added = observe(writer.add("a"));
    await writer[Symbol.asyncDispose]();
    await settle();
    expect(writes, "dispose should write what was added").toEqual([["a"]]);
    expect(
      added.state,
      "add() should resolve once dispose wrote its item",
    ).toBe("fulfilled");
    const late = observe(writer.add("late"));
    await settle();
    expect(late.state, "add() after dispose should reject").toBe("rejected");
    expect(pendingTimers(), "a timer is still armed after dispose").toBe(0);
  });

  it("refuses a maxBatch that is not a positive integer", () => {
    for (const maxBatch of [0, -1, 2.5]) {
      expect(
        () =>
          new BatchWriter({ write: async () => {}, maxBatch, maxDelayMs: 10 }),
        `maxBatch ${maxBatch} should throw a RangeError`,
      ).toThrow(RangeError);
    }
  });
});
