/**
 * The rule every cancellable wait in the workbook keeps (a queue's `get`, a
 * semaphore's `acquire`, a pool's `acquire`…): when its signal aborts while it
 * waits, it rejects with exactly `signal.reason` and leaves no abort listener
 * on the signal.
 */
import { expect } from "vitest";
import { settle } from "./clock.ts";
import { observe } from "./deferred.ts";
import { abortListeners } from "./leaks.ts";

export interface AbortableWait {
  /** The signal the wait was started with. */
  readonly signal: AbortSignal;
  /**
   * Aborts the signal with a fresh reason and checks, once promise callbacks
   * have run, that the wait rejected with exactly that reason and removed its
   * abort listener. Fails the test with a message that names the call.
   */
  abortAndCheck(): Promise<void>;
}

/**
 * Starts a wait with a signal of its own, to abort it later with
 * `abortAndCheck()`. `call` names the call in the failure messages, as the
 * learner wrote it: `"get(signal)"`, `"acquire(signal)"`. Whatever the test
 * starts in between (a waiter behind this one, say) is in the line when the
 * signal aborts.
 *
 * @example
 * const aborted = startAbortable("get(signal)", (s) => queue.get(s));
 * const next = observe(queue.get()); // in line behind the aborted one
 * await aborted.abortAndCheck();
 * await queue.put("a"); // next must get it
 */
export function startAbortable(
  call: string,
  start: (signal: AbortSignal) => Promise<unknown>,
): AbortableWait {
  const controller = new AbortController();
  const waited = observe(start(controller.signal));
  return {
    signal: controller.signal,
    async abortAndCheck() {
      await settle();
      const reason = new Error(`the test aborted ${call}`);
      controller.abort(reason);
      await settle();
      expect(
        waited.state,
        waited.state === "pending"
          ? `${call} was still waiting after its signal aborted: listen for the signal's "abort" event and reject then`
          : `${call} resolved although its signal aborted while it waited: an aborted wait rejects`,
      ).toBe("rejected");
      expect(
        waited.reason,
        `${call} rejected with ${String(waited.reason)}, not with signal.reason: reject with signal.reason itself, not a new Error`,
      ).toBe(reason);
      expect(
        abortListeners(controller.signal),
        `the aborted ${call} left its abort listener on the signal: add it with { once: true }, or remove it when the signal aborts`,
      ).toBe(0);
    },
  };
}
