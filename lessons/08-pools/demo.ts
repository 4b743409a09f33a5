/**
 * Lesson 08 demo: the seeds' lazily created pool, asked for by three requests
 * at once, with and without `once`; then 10,000 follows written one query per
 * row, with multi-row VALUES and with unnest(), timed; 100,000 in one
 * statement, where VALUES hits the 65,535-parameter limit; and a BatchWriter
 * that turns a thousand concurrent callers into a few writes.
 *
 * PGlite (Postgres in WebAssembly, in memory) by default; with DATABASE_URL
 * set, a real Postgres, in a schema of its own that is dropped at the end.
 *
 * Run it: npm run demo -- 08        (your code)
 *         npm run demo -- 08 --solution
 */
import { setTimeout as delay } from "node:timers/promises";
import { openDatabase, type Queryable } from "#kit/database.ts";
import { upsertOneByOne, upsertWithValues } from "#kit/follows-baselines.ts";
import { runDemo } from "#kit/run-demo.ts";
import { BatchWriter } from "#exercises/08-pools/batch-writer.ts";
import {
  createFollowsTable,
  upsertFollows,
  type Follow,
} from "#exercises/08-pools/follows.ts";
import { once } from "#exercises/08-pools/once.ts";
import { Pool } from "#exercises/08-pools/pool.ts";

// #region lazy-pool
let poolsCreated = 0;

/** Like asyncpg.create_pool(): it connects before it hands the pool out. */
async function createPool(): Promise<Pool<string>> {
  poolsCreated += 1;
  const pool = new Pool({ create: async () => "a connection", max: 10 });
  await pool.use(() => delay(20)); // the first connection: 20 ms
  return pool;
}

// The Python pattern, in TypeScript: between the check and the assignment
// there is an await, and every request that comes meanwhile makes a pool.
let pool: Pool<string> | undefined;
async function getPoolNaive(): Promise<Pool<string>> {
  if (!pool) pool = await createPool();
  return pool;
}
// #endregion lazy-pool

async function race(name: string, get: () => Promise<Pool<string>>) {
  poolsCreated = 0;
  const pools = new Set(await Promise.all([get(), get(), get()]));
  // The module's variable keeps one pool: the others are never closed, and
  // each one holds its connections.
  const leaked = poolsCreated - 1;
  console.log(
    `   ${name.padEnd(16)} ${plural(poolsCreated, "pool")} created` +
      (leaked > 0 ? `, ${leaked} of them leaked` : ""),
  );
  await Promise.all([...pools].map((p) => p.close()));
}

const plural = (n: number, word: string) =>
  `${n.toLocaleString("en")} ${word}${n === 1 ? "" : "s"}`;
const ms = (t: number) => `${t.toFixed(0).padStart(5)} ms`;

async function timed(work: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await work();
  return performance.now() - start;
}

function follows(count: number): Follow[] {
  return Array.from({ length: count }, (_, i) => ({
    followerId: i % 1_000,
    rkey: `3k${i.toString(36)}`,
    subjectId: i,
  }));
}

async function freshTable(db: Queryable): Promise<void> {
  await db.query("drop table if exists follows");
  await createFollowsTable(db);
}

// #region three-ways
async function threeWays(db: Queryable, rows: Follow[]) {
  await freshTable(db);
  const oneByOne = await timed(() => upsertOneByOne(db, rows));
  await freshTable(db);
  const values = await timed(() => upsertWithValues(db, rows));
  await freshTable(db);
  const unnest = await timed(() => upsertFollows(db, rows));
  return { oneByOne, values, unnest };
}
// #endregion three-ways

function printTimes(
  count: number,
  { oneByOne, values, unnest }: Awaited<ReturnType<typeof threeWays>>,
): void {
  const report = (how: string, statements: number, time: number) =>
    `   ${how.padEnd(18)} ${plural(statements, "statement").padStart(17)}` +
    `  ${ms(time)}`;
  console.log(report("one query per row", count, oneByOne));
  console.log(
    report("multi-row VALUES", 1, values) +
      `  ${(oneByOne / values).toFixed(0)}× faster`,
  );
  console.log(
    report("unnest()", 1, unnest) +
      `  ${(oneByOne / unnest).toFixed(0)}× faster ` +
      `(${(values / unnest).toFixed(1)}× VALUES)`,
  );
}

async function tooManyParameters(db: Queryable, rows: Follow[]) {
  await freshTable(db);
  const params = (rows.length * 3).toLocaleString("en");
  try {
    await upsertWithValues(db, rows, rows.length); // all rows in one statement
    console.log(`   multi-row VALUES, ${params} parameters: accepted?!`);
  } catch (error) {
    console.log(`   multi-row VALUES, ${params} parameters: refused`);
    console.log(`      ${(error as Error).message}`);
  }
  const time = await timed(() => upsertFollows(db, rows));
  const { rows: count } = await db.query<{ n: number }>(
    "select count(*)::int as n from follows",
  );
  console.log(
    `   unnest(), 3 parameters: ${plural(count[0]?.n ?? 0, "row")} ` +
      `written in ${ms(time).trim()}`,
  );
}

async function batching(db: Queryable): Promise<void> {
  await freshTable(db);
  const sizes: number[] = [];
  await using writer = new BatchWriter<Follow>({
    write: async (batch) => {
      sizes.push(batch.length);
      await upsertFollows(db, batch);
    },
    maxBatch: 400,
    maxDelayMs: 10,
  });
  // A thousand requests, each saving one follow and waiting until it is
  // stored.
  await Promise.all(follows(1_000).map((row) => writer.add(row)));
  const { rows } = await db.query<{ n: number }>(
    "select count(*)::int as n from follows",
  );
  console.log(
    `   ${plural(sizes.length, "write")} (${sizes.join(" + ")} rows); ` +
      `${plural(rows[0]?.n ?? 0, "row")} in the table`,
  );
}

async function main() {
  await using database = await openDatabase();
  console.log(`Database: ${database.description}\n`);

  console.log(
    "1. A lazily created pool, and three requests that need it first",
  );
  await race("getPoolNaive()", getPoolNaive);
  await race("once(createPool)", once(createPool));

  console.log("\n2. 10,000 follows into an empty table, three ways");
  const rows = follows(10_000);
  printTimes(rows.length, await threeWays(database.db, rows));

  console.log("\n3. 100,000 follows in one statement");
  await tooManyParameters(database.db, follows(100_000));

  console.log("\n4. A BatchWriter, and 1,000 concurrent add() calls");
  await batching(database.db);
}

runDemo(main);
