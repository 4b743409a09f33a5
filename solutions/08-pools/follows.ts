// #region Queryable
/**
 * What the code below needs from a database: a `pg.Pool`, a `pg.Client` and a
 * PGlite instance all have this method. `$1`, `$2`… in `sql` are bound to
 * `params`, and are never pasted into the SQL text.
 */
export interface Queryable {
  query<R = Record<string, unknown>>(
    sql: string,
    params?: unknown[],
  ): Promise<{ rows: R[] }>;
}
// #endregion Queryable

// #region Follow
/** One row of the `follows` table: `followerId` follows `subjectId`. */
export interface Follow {
  followerId: number;
  /** The record key: the follow's id within the follower's records. */
  rkey: string;
  subjectId: number;
}
// #endregion Follow

// #region createFollowsTable
/**
 * Creates the `follows` table, keyed by `(follower_id, rkey)`, unless it
 * exists already.
 *
 * @example
 * await createFollowsTable(db);
 */
export async function createFollowsTable(db: Queryable): Promise<void> {
  await db.query(
    `create table if not exists follows (
       follower_id bigint,
       rkey text,
       subject_id bigint,
       primary key (follower_id, rkey)
     )`,
  );
}
// #endregion createFollowsTable

// #region upsertFollows
/**
 * Writes a batch of follows in one statement, whatever its size: a row whose
 * `(followerId, rkey)` exists already gets the new `subjectId`. When a key
 * repeats within the batch, its last row wins. An empty batch sends nothing.
 * Resolves with the number of rows written (the distinct keys).
 *
 * @example
 * const written = await upsertFollows(db, [
 *   { followerId: 1, rkey: "3kb2", subjectId: 42 },
 *   { followerId: 1, rkey: "3kb3", subjectId: 43 },
 * ]); // 2
 */
export async function upsertFollows(
  db: Queryable,
  follows: readonly Follow[],
): Promise<number> {
  // Postgres refuses a statement that would update one row twice ("ON
  // CONFLICT DO UPDATE command cannot affect row a second time"), so repeated
  // keys are merged here first. A later set() keeps the last row.
  const latest = new Map<string, Follow>();
  for (const follow of follows)
    latest.set(`${follow.followerId}:${follow.rkey}`, follow);
  if (latest.size === 0) return 0;

  // Three parameters, one per column, each an array of every row's value: a
  // statement may carry at most 65,535 parameters, but an array may be long.
  const rows = [...latest.values()];
  await db.query(
    `insert into follows (follower_id, rkey, subject_id)
     select * from unnest($1::bigint[], $2::text[], $3::bigint[])
     on conflict (follower_id, rkey)
     do update set subject_id = excluded.subject_id`,
    [
      rows.map((row) => row.followerId),
      rows.map((row) => row.rkey),
      rows.map((row) => row.subjectId),
    ],
  );
  return rows.length;
}
// #endregion upsertFollows
