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
  const { signal, fetch: fetchFn = fetch } = options;
  let retryMs = options.retryMs ?? 3_000;
  let lastEventId = "";

  for (;;) {
    signal?.throwIfAborted();
    const headers: Record<string, string> = { Accept: "text/event-stream" };
    if (lastEventId !== "") headers["Last-Event-ID"] = lastEventId;
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
        const body = readBody(response.body, signal);
        const onRetry = (ms: number) => (retryMs = ms);
        for await (const message of parseEvents(body, { onRetry })) {
          // A new connection starts with no id: keep the one we had.
          if (message.id !== "") lastEventId = message.id;
          yield message;
        }
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

/** `text/event-stream; charset=utf-8` → `text/event-stream` */
function mediaType(contentType: string): string {
  return contentType.split(";")[0]!.trim().toLowerCase();
}
// #endregion helpers
