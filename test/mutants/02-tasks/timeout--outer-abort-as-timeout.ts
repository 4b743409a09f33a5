// mistake: an outer abort rejects with a TimeoutError instead of the outer signal's reason
// expect: reject with the outer signal's reason itself
import { TimeoutError } from "../../../solutions/02-tasks/timeout.ts";
export * from "../../../solutions/02-tasks/timeout.ts";

export async function withTimeout<T>(ms: number, work: (signal: AbortSignal) => Promise<T>, signal?: AbortSignal): Promise<T> {
  signal?.throwIfAborted();
  const controller = new AbortController();
  return new Promise<T>((resolve, reject) => {
    const cleanUp = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onOuterAbort);
    };
    const stop = () => {
      cleanUp();
      const reason = new TimeoutError(`Timed out after ${ms} ms`);
      controller.abort(reason);
      reject(reason);
    };
    const onOuterAbort = () => stop();
    const timer = setTimeout(stop, ms);
    signal?.addEventListener("abort", onOuterAbort, { once: true });
    new Promise<T>((settle) => settle(work(controller.signal))).then(
      (value) => {
        cleanUp();
        resolve(value);
      },
      (error: unknown) => {
        cleanUp();
        reject(error);
      },
    );
  });
}
