import { todo } from "#kit/todo.ts";

// #region lazy
/**
 * Work that starts when it is first awaited: nothing runs until someone awaits
 * it (or calls `then`), `start` runs at most once, and every awaiter gets the
 * same value or the same error. Python's laziness with a task's sharing: a
 * Python coroutine can be awaited only once, a task (and this) any number of
 * times.
 *
 * @example
 * const config = lazy(() => readConfig()); // nothing read yet
 * const [a, b] = await Promise.all([config, config]); // read once, both get it
 */
export function lazy<T>(start: () => Promise<T>): PromiseLike<T> {
  todo("Return a thenable whose first then() calls start(); later ones don't.");
}
// #endregion lazy
