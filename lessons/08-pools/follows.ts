import { todo } from "#kit/todo.ts";

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
  todo("Create table if not exists follows, keyed by (follower_id, rkey).");
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
  todo("Merge repeated keys (last wins), then one insert from unnest().");
}
// #endregion upsertFollows
