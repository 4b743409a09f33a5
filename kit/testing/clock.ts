/**
 * Virtual time. Tests never sleep for real: they install fake timers, start the
 * work, then move the clock and let promises settle.
 */
import { vi } from "vitest";

// Captured before any test fakes the timers: a real macrotask turn is how we
// let every pending promise callback run.
const realSetImmediate = globalThis.setImmediate;

/**
 * Fakes setTimeout, setInterval, setImmediate and Date (queueMicrotask and
 * nextTick stay real). With `performance: true`, `performance.now()` too, for
 * code that may read the time from either clock.
 */
export function useFakeClock(options: { performance?: boolean } = {}): void {
  vi.useFakeTimers({
    toFake: [
      "setTimeout",
      "clearTimeout",
      "setInterval",
      "clearInterval",
      "setImmediate",
      "clearImmediate",
      "Date",
      ...(options.performance ? (["performance"] as const) : []),
    ],
  });
}

/**
 * Moves virtual time forward by `ms`, running due timers and the promise
 * callbacks they cause.
 */
export async function advance(ms: number): Promise<void> {
  await vi.advanceTimersByTimeAsync(ms);
}

/**
 * Lets every queued microtask (and nextTick) run, without moving virtual time.
 */
export async function settle(): Promise<void> {
  await new Promise<void>((resolve) => realSetImmediate(resolve));
}

/** How many fake timers are armed right now. */
export function pendingTimers(): number {
  return vi.getTimerCount();
}
