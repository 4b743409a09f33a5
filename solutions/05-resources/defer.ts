// #region defer
/**
 * Turns a cleanup callback into a resource for `await using`: the TypeScript
 * twin of a `@contextlib.asynccontextmanager` that has nothing before its
 * `yield`.
 *
 * `cleanup` runs on the first dispose; disposing again runs nothing and hands
 * back the first dispose's promise, so every caller waits for the same cleanup
 * and sees its outcome.
 *
 * @example
 * const timer = setInterval(tick, 1_000);
 * await using _ = defer(() => clearInterval(timer));
 */
export function defer(cleanup: () => void | Promise<void>): AsyncDisposable {
  let done: Promise<void> | undefined;
  return {
    [Symbol.asyncDispose]() {
      // Keep the promise, not a boolean: a second dispose that arrives while an
      // async cleanup is still running must wait for it too, not resolve early.
      done ??= (async () => {
        await cleanup();
      })();
      return done;
    },
  };
}
// #endregion defer
