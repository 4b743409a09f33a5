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
  let text = "";
  if (event.event !== undefined) {
    if (LINE_BREAK.test(event.event))
      throw new TypeError(`an event name cannot hold a line break`);
    text += `event: ${event.event}\n`;
  }
  if (event.id !== undefined) {
    // A line break would end the field early and start another one; a client
    // ignores an id that holds NUL, so it would resume from the wrong place.
    if (LINE_BREAK.test(event.id) || event.id.includes("\0"))
      throw new TypeError(`an event id cannot hold a line break or NUL`);
    text += `id: ${event.id}\n`;
  }
  if (event.retry !== undefined) {
    // isSafeInteger, not isInteger: String(1e21) is "1e+21", which a client
    // does not read as a number.
    if (!Number.isSafeInteger(event.retry) || event.retry < 0)
      throw new RangeError(
        `retry must be a non-negative integer, got ${event.retry}`,
      );
    text += `retry: ${event.retry}\n`;
  }
  // Every line of data gets its own "data: ": a line break inside one data
  // line would let the payload write fields of its own (an injection hole).
  return `${text}data: ${event.data.split(LINE_BREAKS).join("\ndata: ")}\n\n`;
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
  return `: ${text.split(LINE_BREAKS).join("\n: ")}\n\n`;
}
// #endregion encodeComment

// The three line ends of the format: CRLF, LF and a lone CR.
const LINE_BREAKS = /\r\n|\r|\n/;
const LINE_BREAK = /[\r\n]/;
