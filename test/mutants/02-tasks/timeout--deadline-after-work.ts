// mistake: the deadline only checked after work ends
// expect: don't wait for work to end
import { TimeoutError } from "../../../solutions/02-tasks/timeout.ts";
export * from "../../../solutions/02-tasks/timeout.ts";

export async function withTimeout<T>(ms: number, work: (signal: AbortSignal) => Promise<T>, signal?: AbortSignal): Promise<T> {
  signal?.throwIfAborted();
  const controller = new AbortController();
  const onOuterAbort = () => controller.abort(signal?.reason);
  signal?.addEventListener("abort", onOuterAbort, { once: true });
  const started = Date.now();
  try {
    const value = await work(controller.signal);
    if (Date.now() - started >= ms) throw new TimeoutError(`Timed out after ${ms} ms`);
    return value;
  } finally {
    signal?.removeEventListener("abort", onOuterAbort);
  }
}
