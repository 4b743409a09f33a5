import type http from "node:http";
import { todo } from "#kit/todo.ts";
import { encodeComment, encodeEvent, type SseEvent } from "./encode.ts";

// #region sendEvents
/**
 * Streams `events` to the client as Server-Sent Events, and resolves once the
 * stream is over: the events ended, the source threw, the client went away,
 * or `signal` aborted. It never rejects.
 *
 * Headers go out at once. Each event is written as it comes; while the client
 * reads slower than the source produces, the source is not pulled (the
 * response's buffer stays small). After `heartbeatMs` without a write, a
 * comment keeps proxies from closing the quiet connection. When the client
 * leaves, the source is closed (its `finally` runs). An error from the source
 * is sent as an `error` event with the error's message only.
 *
 * @example
 * http.createServer(async (req, res) => {
 *   await sendEvents(res, countdown(10), { heartbeatMs: 15_000 });
 * });
 */
export async function sendEvents(
  res: http.ServerResponse,
  events: AsyncIterable<SseEvent>,
  options: { heartbeatMs?: number; signal?: AbortSignal } = {},
): Promise<void> {
  todo("Write headers; pull, write, wait for drain or close; heartbeat.");
}
// #endregion sendEvents
