/**
 * Runs around every test: catches what a test leaves behind (unhandled
 * rejections, armed fake timers, open sockets) and fails the test with a
 * message for the learner. A test that reached a stub is left alone: the runner
 * reports it as not started.
 */
import { afterEach, beforeEach, vi } from "vitest";
import {
  clearUnhandledErrors,
  openNetworkHandles,
  unhandledErrors,
} from "../testing/leaks.ts";
import { settle } from "../testing/clock.ts";
import { isNotStarted, todoHits } from "../todo.ts";

// Vitest reports an unhandled error only when nobody else listens for it; we
// listen, so we can say which test caused it and what the likely mistake is.
process.on("unhandledRejection", (reason) => unhandledErrors().push(reason));
process.on("uncaughtException", (error) => unhandledErrors().push(error));

let handlesBefore: string[] = [];

beforeEach(() => {
  clearUnhandledErrors();
  handlesBefore = openNetworkHandles();
});

afterEach(async (context) => {
  await settle(); // a rejection counts as unhandled only after the microtask queue drained
  const timersLeft = vi.isFakeTimers() ? vi.getTimerCount() : 0;
  vi.clearAllTimers();
  vi.useRealTimers();
  const unhandled = unhandledErrors().splice(0);
  const notStarted =
    todoHits().length > 0 || unhandled.some((error) => isNotStarted(error));
  if (notStarted || context.task.result?.state === "fail") return;

  if (unhandled.length > 0) {
    throw new Error(
      `A promise rejected (or a callback threw) and nothing handled it: ${describe(unhandled[0])}\n` +
        "Every promise you start must be awaited or given a .catch(), also the ones you stop caring about " +
        "(the losers of a race, tasks still running when you return).",
    );
  }
  if (timersLeft > 0) {
    throw new Error(
      `${timersLeft} timer(s) were still armed when the test ended. Clear every setTimeout/setInterval ` +
        "once it is no longer needed: on success, on failure and on abort.",
    );
  }
  const leaked = await newHandles(handlesBefore);
  if (leaked.length > 0) {
    throw new Error(
      `${leaked.length} socket(s) or server(s) were left open (${leaked.join(", ")}). ` +
        "Close servers and the connections they accepted before you resolve.",
    );
  }
});

async function newHandles(before: string[]): Promise<string[]> {
  // Closing a socket takes a few event-loop turns; give it a bounded number of
  // them.
  for (let turn = 0; turn < 20; turn += 1) {
    const now = openNetworkHandles();
    const remaining = [...before];
    const extra = now.filter((kind) => {
      const index = remaining.indexOf(kind);
      if (index === -1) return true;
      remaining.splice(index, 1);
      return false;
    });
    if (extra.length === 0) return [];
    if (turn === 19) return extra;
    await settle();
  }
  return [];
}

function describe(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}
