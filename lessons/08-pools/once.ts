import { todo } from "#kit/todo.ts";

// #region once
/**
 * Wraps an async initialiser so that it runs once, however many callers ask
 * for its result at the same time: the fix for a lazily created module-level
 * pool. Concurrent first calls share one `init()`; once it succeeds, every
 * later call gets the same value. A failure is not kept: the callers waiting
 * for that attempt get its error, and the next call tries again.
 *
 * @example
 * const getPool = once(async () => {
 *   const pool = new Pool({ create: connect, max: 10 });
 *   await pool.use((db) => createFollowsTable(db));
 *   return pool;
 * });
 * // Two requests arrive before the pool exists: one pool, not two.
 * const [a, b] = await Promise.all([getPool(), getPool()]);
 */
export function once<T>(init: () => Promise<T>): () => Promise<T> {
  todo("Return a function that caches init's promise; forget it on failure.");
}
// #endregion once
