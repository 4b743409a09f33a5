// mistake: running cleanup again on every dispose
// expect: remember that it already ran
export * from "../../../solutions/05-resources/defer.ts";

export function defer(cleanup: () => void | Promise<void>): AsyncDisposable {
  return {
    async [Symbol.asyncDispose]() {
      await cleanup();
    },
  };
}
