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
 * The delay is `retryMs` until the server sends a `retry:` of its own. Status
 * 204 ends the stream for good. Any other status than 200, or a body that is
 * not `text/event-stream`, throws without reconnecting. Aborting `signal`
 * cancels the response body and throws `signal.reason`, also while waiting to
 * reconnect.
 *
 * @example
 * const controller = new AbortController();
 * for await (const message of followEvents(url, controller)) {
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
