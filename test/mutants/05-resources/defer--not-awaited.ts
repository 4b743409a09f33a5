// mistake: not awaiting an async cleanup
// expect: await what cleanup returns
export * from "../../../solutions/05-resources/defer.ts";

export function defer(cleanup: () => void | Promise<void>): AsyncDisposable {
  let done = false;
  return {
    async [Symbol.asyncDispose]() {
      if (done) return;
      done = true;
      void cleanup();
    },
  };
}
