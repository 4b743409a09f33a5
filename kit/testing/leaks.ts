/**
 * Leak detectors. The setup file runs the generic ones after every test; tests
 * call these to assert a specific leak with a message that names the likely
 * mistake.
 */
import { getEventListeners } from "node:events";

/** How many `abort` listeners are registered on `signal`. */
export function abortListeners(signal: AbortSignal): number {
  return getEventListeners(signal, "abort").length;
}

const NETWORK_HANDLES = new Set([
  "TCPSocketWrap",
  "TCPServerWrap",
  "TCPWRAP",
  "TCPSERVERWRAP",
  "PipeServerWrap",
]);

/** Open sockets and listening servers in this process, by kind. */
export function openNetworkHandles(): string[] {
  return process
    .getActiveResourcesInfo()
    .filter((kind) => NETWORK_HANDLES.has(kind));
}

// Unhandled rejections and uncaught exceptions seen since the current test
// started. Kept on globalThis so the setup file and the tests share one list.
const UNHANDLED = Symbol.for("async-workbook.unhandled");
type WithUnhandled = typeof globalThis & { [UNHANDLED]?: unknown[] };

export function unhandledErrors(): unknown[] {
  return ((globalThis as WithUnhandled)[UNHANDLED] ??= []);
}

export function clearUnhandledErrors(): void {
  (globalThis as WithUnhandled)[UNHANDLED] = [];
}
