import { todo } from "#kit/todo.ts";

// #region SseMessage
/** One event as a client receives it (a browser's `MessageEvent`). */
export interface SseMessage {
  /** The event's type: `message` unless the server named another. */
  event: string;
  /** The `data:` lines of the event, joined with `\n`. */
  data: string;
  /**
   * The last event ID: the latest `id:` the stream sent (before any, the
   * `lastEventId` the parser was given), or "".
   */
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
 * blank line and only if it has data. At the end of the stream, a last line
 * without its line end is dropped whole (a `retry:` too), and so is an event
 * without its blank line. Each valid `retry:` is reported to `onRetry`.
 *
 * `id` is the last event ID: it starts as `lastEventId` (default ""), only an
 * `id:` field changes it (an empty one clears it), and it carries over to
 * later events. It takes effect at the blank line that ends its block, also a
 * block without data; each change is reported to `onId` there.
 *
 * @example
 * const response = await fetch(url, { method: "POST", body });
 * for await (const message of parseEvents(response.body!)) {
 *   console.log(message.event, message.data);
 * }
 */
export async function* parseEvents(
  chunks: AsyncIterable<string | Uint8Array>,
  options: {
    onRetry?: (ms: number) => void;
    lastEventId?: string;
    onId?: (id: string) => void;
  } = {},
): AsyncGenerator<SseMessage> {
  todo("Decode, split lines (CRLF, LF, CR), apply fields, yield on blanks.");
}
// #endregion parseEvents
