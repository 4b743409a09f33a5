import { todo } from "#kit/todo.ts";

// #region SseMessage
/** One event as a client receives it (a browser's `MessageEvent`). */
export interface SseMessage {
  /** The event's type: `message` unless the server named another. */
  event: string;
  /** The `data:` lines of the event, joined with `\n`. */
  data: string;
  /** The last event ID: the latest `id:` the stream sent, or "". */
  id: string;
}
// #endregion SseMessage

// #region parseEvents
/**
 * Reads a `text/event-stream` body, chunk by chunk, and yields its events:
 * the WHATWG event-stream parsing algorithm, the one `EventSource` runs.
 *
 * Chunks may be bytes or text, and may be cut anywhere: inside a line, inside
 * a UTF-8 character, between the CR and the LF of a CRLF. Lines end with CRLF,
 * LF or CR; a leading byte order mark is skipped. An event is dispatched by a
 * blank line and only if it has data; an event cut off by the end of the
 * stream is dropped. `id` is the last event ID and carries over to later
 * events. Each valid `retry:` is reported to `onRetry`.
 *
 * @example
 * const response = await fetch(url, { method: "POST", body });
 * for await (const message of parseEvents(response.body!)) {
 *   console.log(message.event, message.data);
 * }
 */
export async function* parseEvents(
  chunks: AsyncIterable<string | Uint8Array>,
  options: { onRetry?: (ms: number) => void } = {},
): AsyncGenerator<SseMessage> {
  todo("Decode, split lines (CRLF, LF, CR), apply fields, yield on blanks.");
}
// #endregion parseEvents
