import { todo } from "#kit/todo.ts";

// #region SseEvent
/** One Server-Sent Event, as a server sends it. */
export interface SseEvent {
  /** The payload. Several lines become several `data:` lines. */
  data: string;
  /** The event's type; the client's default is `message`. */
  event?: string;
  /** Becomes the client's last event ID, sent back when it reconnects. */
  id?: string;
  /** How long the client waits before it reconnects, in milliseconds. */
  retry?: number;
}
// #endregion SseEvent

// #region encodeEvent
/**
 * Encodes one event in the `text/event-stream` format: the fields `event`,
 * `id` and `retry` (those that are set, in that order), then one `data:` line
 * per line of `data`, then the blank line that dispatches the event.
 *
 * @throws TypeError when `event` or `id` holds a line break, or `id` holds
 *   NUL: the client would read a different event, or drop the id.
 * @throws RangeError when `retry` is not a non-negative integer.
 *
 * @example
 * encodeEvent({ event: "token", id: "7", data: "Hello\nworld" });
 * // "event: token\nid: 7\ndata: Hello\ndata: world\n\n"
 */
export function encodeEvent(event: SseEvent): string {
  todo("Check the fields; write event, id, retry, a data: line per line.");
}
// #endregion encodeEvent

// #region encodeComment
/**
 * Encodes a comment: one `: ` line per line of `text`, then a blank line.
 * Clients ignore comments; servers send them as heartbeats, to keep proxies
 * from closing a quiet connection.
 *
 * @example
 * encodeComment("heartbeat"); // ": heartbeat\n\n"
 */
export function encodeComment(text: string): string {
  todo('One ": " line per line of text, then a blank line.');
}
// #endregion encodeComment
