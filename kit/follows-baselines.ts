/**
 * The two usual ways to write a batch of follows, to compare with lesson 08's
 * `upsertFollows` (one statement through `unnest()`): one query per row, and
 * multi-row `VALUES` lists. Lesson 08's demo and page and `npm run bench --
 * 08` use them. Both give the same table as `upsertFollows`.
 */
import type { Follow, Queryable } from "#exercises/08-pools/follows.ts";

/**
 * The most parameters one statement can carry: the protocol's Bind message
 * counts them in 16 bits.
 */
export const MAX_PARAMETERS = 65_535;

const UPSERT = `on conflict (follower_id, rkey)
  do update set subject_id = excluded.subject_id`;

// #region upsertOneByOne
/** One statement per row: a round trip, a parse and a plan for each. */
export async function upsertOneByOne(
  db: Queryable,
  follows: readonly Follow[],
): Promise<void> {
  for (const { followerId, rkey, subjectId } of follows) {
    await db.query(
      `insert into follows (follower_id, rkey, subject_id)
       values ($1, $2, $3) ${UPSERT}`,
      [followerId, rkey, subjectId],
    );
  }
}
// #endregion upsertOneByOne

// #region upsertWithValues
/**
 * Multi-row `VALUES`: `($1, $2, $3), ($4, $5, $6), …`, three parameters per
 * row, so one statement takes at most 21,845 rows. Bigger batches are cut into
 * statements of `rowsPerStatement` rows.
 */
export async function upsertWithValues(
  db: Queryable,
  follows: readonly Follow[],
  rowsPerStatement = Math.floor(MAX_PARAMETERS / 3),
): Promise<void> {
  // One statement may not update a row twice: the last row of a key wins.
  const latest = new Map<string, Follow>();
  for (const row of follows) latest.set(`${row.followerId}:${row.rkey}`, row);
  const rows = [...latest.values()];
  for (let start = 0; start < rows.length; start += rowsPerStatement) {
    const params: unknown[] = [];
    const tuples = rows.slice(start, start + rowsPerStatement).map((row) => {
      params.push(row.followerId, row.rkey, row.subjectId);
      const n = params.length;
      return `($${n - 2}, $${n - 1}, $${n})`;
    });
    await db.query(
      `insert into follows (follower_id, rkey, subject_id)
       values ${tuples.join(", ")} ${UPSERT}`,
      params,
    );
  }
}
// #endregion upsertWithValues
