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
  const { signal, fetch: fetchFn = fetch } = options;
  let retryMs = options.retryMs ?? 3_000;
  let lastEventId = "";

  for (;;) {
    signal?.throwIfAborted();
    const headers: Record<string, string> = { Accept: "text/event-stream" };
    if (lastEventId !== "") headers["Last-Event-ID"] = utf8Bytes(lastEventId);
    let response: Response | undefined;
    try {
      response = await fetchFn(url, { headers, signal });
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      // A network error: the server may be restarting. Try again below.
    }

    if (response) {
      if (response.status === 204) {
        await response.body?.cancel();
        return; // the server's way to say "do not reconnect"
      }
      const type = response.headers.get("content-type") ?? "";
      if (response.status !== 200 || mediaType(type) !== "text/event-stream") {
        await response.body?.cancel();
        throw new Error(
          `${url} answered ${response.status} ${type || "(no content type)"}` +
            `, not 200 text/event-stream: not reconnecting`,
        );
      }
      try {
        // The parser starts from the id we had, and tells us each change
        // (also an id: in a block without data, and an empty one).
        yield* parseEvents(readBody(response.body, signal), {
          lastEventId,
          onId: (id) => (lastEventId = id),
          onRetry: (ms) => (retryMs = ms),
        });
      } catch (error) {
        if (signal?.aborted) throw signal.reason;
        // The connection broke mid-stream: reconnect, as when it ends.
      }
    }
    // Wait before reconnecting, or a server that is down gets hammered in a
    // loop. sleep() rejects with signal.reason on abort.
    await sleep(retryMs, signal);
  }
}
// #endregion followEvents

// #region helpers
/**
 * The chunks of a response body. An abort cancels the body at once (a pending
 * read ends), and so does leaving early: no connection stays open.
 */
async function* readBody(
  body: ReadableStream<Uint8Array> | null,
  signal: AbortSignal | undefined,
): AsyncGenerator<Uint8Array> {
  if (!body) return;
  const reader = body.getReader();
  const onAbort = () => void reader.cancel(signal?.reason).catch(() => {});
  signal?.addEventListener("abort", onAbort, { once: true });
  try {
    for (;;) {
      const { done, value } = await reader.read();
      signal?.throwIfAborted();
      if (done) return;
      yield value;
    }
  } finally {
    signal?.removeEventListener("abort", onAbort);
    // Ended, broken, aborted or left early: let go of the connection.
    await reader.cancel().catch(() => {});
  }
}

/**
 * A header value is a byte string: one character per byte, none above 255
 * (fetch throws on `…`, and sends `é` as the one byte E9). A browser sends the
 * id's UTF-8 bytes: so do we, one character per byte.
 */
function utf8Bytes(text: string): string {
  let bytes = "";
  for (const byte of new TextEncoder().encode(text))
    bytes += String.fromCharCode(byte);
  return bytes;
}

/** `text/event-stream; charset=utf-8` → `text/event-stream` */
function mediaType(contentType: string): string {
  return contentType.split(";")[0]!.trim().toLowerCase();
}
// #endregion helpers
