// Talks to lesson 13's server: POST /api/runs starts a run, GET its events
// URL follows it, DELETE stops it. Following is lesson 09's followEvents
// done in the browser: when the connection drops, wait, then reconnect with
// the last id received in Last-Event-ID. The stream is read with your lesson
// 09 parser, which the server sends with its types removed.
import { parseEvents } from "/lib/09-sse/parse.js";

const ENDS = new Set(["done", "error", "stopped"]);

/**
 * Starts a run of the agent on the conversation; resolves with `{ id,
 * events }` as soon as the server has started it.
 *
 * @param {unknown[]} messages
 */
export async function startRun(messages) {
  const response = await fetch("/api/runs", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ messages }),
  });
  const reply = await response.json().catch(() => ({}));
  if (response.status !== 202)
    throw new Error(reply.error ?? `the server answered ${response.status}`);
  return reply;
}

/** Asks the server to stop the run; its stream then ends with `stopped`. */
export async function stopRun(id) {
  const response = await fetch(`/api/runs/${encodeURIComponent(id)}`, {
    method: "DELETE",
  });
  if (!response.ok) throw new Error(`the server answered ${response.status}`);
}

/**
 * The run's events after `after` (0 for all), as `{ id, event }`, across
 * dropped connections, until `done`, `error` or `stopped`. `onState` hears
 * "connected" and "reconnecting". Aborting `signal` stops following (the run
 * goes on).
 *
 * @param {string} events the run's events URL
 * @param {number} after
 * @param {{ signal?: AbortSignal, onState?: (state: string) => void }} options
 */
export async function* followRun(events, after, options = {}) {
  const { signal, onState = () => {} } = options;
  let lastId = after;
  let retryMs = 1_000;
  for (;;) {
    const headers = lastId > 0 ? { "Last-Event-ID": String(lastId) } : {};
    let response;
    try {
      response = await fetch(events, { headers, signal });
    } catch {
      signal?.throwIfAborted(); // else: offline, or the server is away
    }
    if (response?.status === 404 || response?.status === 410)
      throw new Error("this answer is no longer kept on the server");
    if (response?.ok && response.body) {
      onState("connected");
      try {
        const onRetry = (ms) => (retryMs = ms);
        for await (const message of parseEvents(chunks(response.body), {
          onRetry,
        })) {
          if (message.id !== "") lastId = Number(message.id);
          const event = JSON.parse(message.data);
          yield { id: lastId, event };
          if (ENDS.has(event.type)) return;
        }
      } catch {
        signal?.throwIfAborted(); // else: the connection broke
      }
    } else if (response) {
      await response.body?.cancel();
      throw new Error(`the server answered ${response.status}`);
    }
    onState("reconnecting");
    await sleep(retryMs, signal);
  }
}

function sleep(ms, signal) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(done, ms);
    function done() {
      signal?.removeEventListener("abort", stop);
      resolve();
    }
    function stop() {
      clearTimeout(timer);
      reject(signal.reason);
    }
    signal?.addEventListener("abort", stop, { once: true });
  });
}

/**
 * A response body as an async iterable of byte chunks, read with a reader:
 * not every browser's ReadableStream works with for await yet.
 *
 * @param {ReadableStream<Uint8Array>} body
 */
async function* chunks(body) {
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    reader.cancel().catch(() => {}); // after a break or an abort: let go
  }
}
