import { todo } from "#kit/todo.ts";
import { sleep } from "../01-coroutines/sleep.ts";
import { parseEvents, type SseMessage } from "./parse.ts";

// #region followEvents
/**
 * Follows an event stream the way `EventSource` does, on top of `fetch`:
 * yields its messages, and when the stream ends or the network fails, waits
 * the retry delay and connects again, sending `Last-Event-ID` so that the
 * server can go on where it stopped.
 *
 * The delay is `retryMs` (default 3,000) until the server sends a `retry:` of
 * its own. The last event ID outlives a connection: the messages of a new one
 * carry it until the server sends an `id:` (an empty one clears it, and then
 * no `Last-Event-ID` is sent). The header holds the id's UTF-8 bytes. Status
 * 204 ends the stream for good. Any other status than 200, or a body that is
 * not `text/event-stream`, throws without reconnecting. Aborting `signal`
 * cancels the response body and throws `signal.reason`, also while waiting to
 * reconnect.
 *
 * @example
 * const controller = new AbortController();
 * const { signal } = controller;
 * for await (const message of followEvents(url, { signal })) {
 *   console.log(message.id, message.data);
 * }
 */
export async function* followEvents(
  url: string | URL,
  options: {
    signal?: AbortSignal;
    fetch?: typeof fetch;
    retryMs?: number;
  } = {},
): AsyncGenerator<SseMessage> {
  todo("Fetch, parse, yield; when it ends or breaks, wait, then reconnect.");
}
// #endregion followEvents
