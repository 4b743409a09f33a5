// mistake: aborting work's signal at the deadline and then waiting for work to honour it
// expect: don't wait for work to end
import { TimeoutError } from "../../../solutions/02-tasks/timeout.ts";
export * from "../../../solutions/02-tasks/timeout.ts";

export async function withTimeout<T>(ms: number, work: (signal: AbortSignal) => Promise<T>, signal?: AbortSignal): Promise<T> {
  signal?.throwIfAborted();
  const controller = new AbortController();
  const onOuterAbort = () => controller.abort(signal?.reason);
  signal?.addEventListener("abort", onOuterAbort, { once: true });
  const timer = setTimeout(() => controller.abort(new TimeoutError(`Timed out after ${ms} ms`)), ms);
  try {
    return await work(controller.signal);
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener("abort", onOuterAbort);
  }
}
