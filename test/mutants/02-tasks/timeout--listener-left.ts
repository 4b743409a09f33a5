// mistake: the listener on the outer signal left behind on success
// expect: its listener is still on the outer signal
import { TimeoutError } from "../../../solutions/02-tasks/timeout.ts";
export * from "../../../solutions/02-tasks/timeout.ts";

export async function withTimeout<T>(ms: number, work: (signal: AbortSignal) => Promise<T>, signal?: AbortSignal): Promise<T> {
  signal?.throwIfAborted();
  const controller = new AbortController();
  return new Promise<T>((resolve, reject) => {
    const stop = (reason: unknown) => {
      clearTimeout(timer);
      controller.abort(reason);
      reject(reason);
    };
    const timer = setTimeout(() => stop(new TimeoutError(`Timed out after ${ms} ms`)), ms);
    signal?.addEventListener("abort", () => stop(signal.reason), { once: true });
    new Promise<T>((settle) => settle(work(controller.signal))).then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
