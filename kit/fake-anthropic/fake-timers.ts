/**
 * Fake timers meet real sockets. The fake server's pauses use the setTimeout
 * that is installed when they start, so `vi.useFakeTimers()` controls them;
 * but its bytes still travel through real loopback sockets, which only move
 * while the event loop turns. These helpers move virtual time in small steps
 * and let real I/O run between them.
 */
import { vi } from "vitest";

// Captured before any test fakes the timers (useFakeClock fakes setImmediate).
const realSetImmediate = globalThis.setImmediate;

/** Lets real I/O run for a few event-loop turns; virtual time stands still. */
export async function letIoRun(turns = 3): Promise<void> {
  for (let turn = 0; turn < turns; turn += 1) {
    await new Promise<void>((resolve) => realSetImmediate(resolve));
  }
}

/**
 * Advances fake time `stepMs` at a time, letting real I/O run after each step,
 * until `promise` settles; then returns (or throws) what it settled with.
 * Gives up after `maxMs` of virtual time.
 *
 * @example
 * vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
 * await using fake = await startFakeAnthropic({ script, tokenDelayMs: 50 });
 * const message = await advanceUntilSettled(
 *   fake.client().messages.stream(params).finalMessage(),
 * );
 */
export async function advanceUntilSettled<T>(
  promise: Promise<T>,
  { stepMs = 1, maxMs = 60_000 } = {},
): Promise<T> {
  let settled = false;
  const watched = promise.finally(() => (settled = true));
  watched.catch(() => {}); // the caller sees the rejection below
  for (let elapsed = 0; !settled; elapsed += stepMs) {
    if (elapsed > maxMs) {
      throw new Error(`still pending after ${maxMs} ms of fake time`);
    }
    await letIoRun();
    if (!settled) await vi.advanceTimersByTimeAsync(stepMs);
  }
  return watched;
}

/**
 * Lets real I/O run (virtual time standing still) until `condition()` holds:
 * e.g. until the server has seen a request, or a `beforeEvent` hook ran.
 * Gives up after `maxRealMs` of wall-clock time.
 */
export async function untilTrue(
  condition: () => boolean,
  what = "the condition",
  maxRealMs = 5_000,
): Promise<void> {
  // hrtime, because a test may fake Date and performance.now().
  const start = process.hrtime.bigint();
  while (!condition()) {
    const elapsedMs = Number(process.hrtime.bigint() - start) / 1e6;
    if (elapsedMs > maxRealMs) throw new Error(`${what} never became true`);
    await letIoRun(1);
  }
}
