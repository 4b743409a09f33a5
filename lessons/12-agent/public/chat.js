// Talks to POST /api/chat. Not EventSource: it can only GET, and it
// reconnects on its own. fetch can POST the conversation and stop with an
// AbortSignal; the stream is read with your lesson 09 parser, which the
// server sends to the browser with its types removed.
import { parseEvents } from "/lib/09-sse/parse.js";

/**
 * Sends the conversation and yields the agent's events as they arrive:
 * text, tool_call, turn_end, tool_result, and last done or error.
 * Aborting `signal` cancels the request, and the server stops the agent.
 *
 * @param {unknown[]} messages
 * @param {AbortSignal} signal
 */
export async function* chat(messages, signal) {
  const response = await fetch("/api/chat", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ messages }),
    signal,
  });
  if (!response.ok || !response.body) {
    const reply = await response.json().catch(() => ({}));
    throw new Error(reply.error ?? `the server answered ${response.status}`);
  }
  for await (const message of parseEvents(chunks(response.body))) {
    yield JSON.parse(message.data);
  }
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
