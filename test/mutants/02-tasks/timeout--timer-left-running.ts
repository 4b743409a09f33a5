// mistake: the timer left running on success
// expect: its timer is still armed: clearTimeout once work settles
import { TimeoutError } from "../../../solutions/02-tasks/timeout.ts";
export * from "../../../solutions/02-tasks/timeout.ts";

export async function withTimeout<T>(ms: number, work: (signal: AbortSignal) => Promise<T>, signal?: AbortSignal): Promise<T> {
  signal?.throwIfAborted();
  const controller = new AbortController();
  return new Promise<T>((resolve, reject) => {
    const stop = (reason: unknown) => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onOuterAbort);
      controller.abort(reason);
      reject(reason);
    };
    const onOuterAbort = () => stop(signal?.reason);
    const timer = setTimeout(() => stop(new TimeoutError(`Timed out after ${ms} ms`)), ms);
    signal?.addEventListener("abort", onOuterAbort, { once: true });
    new Promise<T>((settle) => settle(work(controller.signal))).then(
      (value) => {
        signal?.removeEventListener("abort", onOuterAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal?.removeEventListener("abort", onOuterAbort);
        reject(error);
      },
    );
  });
}
