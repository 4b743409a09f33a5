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
  // ignoreBOM keeps a BOM in the text, so bytes and strings lose it alike,
  // below. stream: true holds back a character cut in two until its end comes.
  const decoder = new TextDecoder("utf-8", { ignoreBOM: true });
  const lineEnd = /\r\n|\r|\n/g; // one per call: its lastIndex is state
  let pending = ""; // the start of a line whose end has not come yet
  let atStart = true; // nothing read yet: a BOM may come
  let afterCR = false; // the last chunk ended with CR: skip an LF first
  let data = "";
  let event = "";
  // The last event ID, and the id: of the block being read, which becomes
  // the last event ID at the block's blank line (if the block ends at all).
  let lastEventId = options.lastEventId ?? "";
  let id = lastEventId;

  for await (const chunk of chunks) {
    let text =
      typeof chunk === "string"
        ? decoder.decode() + chunk // flushes bytes cut short, if any
        : decoder.decode(chunk, { stream: true });
    if (text === "") continue;
    if (atStart && text.startsWith("\uFEFF")) text = text.slice(1);
    atStart = false;
    // A CR at the end of the last chunk ended its line at once (it may be the
    // stream's last byte); if this chunk starts with LF, that LF is its pair.
    if (afterCR && text.startsWith("\n")) text = text.slice(1);
    afterCR = false;

    const buffer = pending + text;
    let start = 0;
    lineEnd.lastIndex = 0;
    for (let match; (match = lineEnd.exec(buffer)); start = lineEnd.lastIndex) {
      const line = buffer.slice(start, match.index);
      if (match[0] === "\r" && lineEnd.lastIndex === buffer.length)
        afterCR = true;

      if (line === "") {
        // A blank line ends the block: its id takes effect, with or without
        // data; then the event is dispatched, if it has data.
        if (id !== lastEventId) {
          lastEventId = id;
          options.onId?.(id);
        }
        if (data !== "") {
          const message = {
            event: event || "message",
            data: data.slice(0, -1),
            id: lastEventId,
          };
          data = "";
          event = "";
          yield message;
        }
        event = "";
        continue;
      }
      const colon = line.indexOf(":");
      if (colon === 0) continue; // a comment
      // No colon: the whole line is the field name, the value is "".
      const field = colon === -1 ? line : line.slice(0, colon);
      let value = colon === -1 ? "" : line.slice(colon + 1);
      if (value.startsWith(" ")) value = value.slice(1); // one space, no more

      if (field === "data") data += `${value}\n`;
      else if (field === "event") event = value;
      else if (field === "id") {
        if (!value.includes("\0")) id = value;
      } else if (field === "retry") {
        if (/^[0-9]+$/.test(value))
          options.onRetry?.(Number.parseInt(value, 10));
      }
      // Any other field is ignored.
    }
    pending = buffer.slice(start);
  }
  // The stream ended: an event without its blank line is dropped.
}
// #endregion parseEvents
