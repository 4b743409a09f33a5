/**
 * Writes a reply's events as SSE: paced, held by a test's hook, respecting
 * backpressure, and stopping the moment the client leaves.
 */
import type { ServerResponse } from "node:http";
import { FAILURE_MESSAGES } from "./errors.ts";
import type { Exchange } from "./exchange.ts";
import type { FakeEventInfo, FakeReply } from "./types.ts";
import { errorBody, sseFrame, type WireEvent } from "./wire.ts";

/** The server-wide options that shape every stream. */
export interface StreamOptions {
  tokenDelayMs: number;
  beforeEvent?: (event: FakeEventInfo) => void | Promise<void>;
}

/** The events actually sent: cut short, or broken by an error, on request. */
function plan(reply: FakeReply, events: WireEvent[]): WireEvent[] {
  const { streamError, endAfterEvents } = reply;
  if (streamError) {
    const type = streamError.type ?? "overloaded_error";
    const message = streamError.message ?? FAILURE_MESSAGES[type];
    return [
      ...events.slice(0, streamError.afterEvents),
      { type: "error", data: errorBody(type, message) },
    ];
  }
  return events.slice(0, endAfterEvents ?? events.length);
}

/** Streams `events` (headers already sent), then ends the response. */
export async function writeStream(
  res: ServerResponse,
  exchange: Exchange,
  reply: FakeReply,
  events: WireEvent[],
  { tokenDelayMs, beforeEvent }: StreamOptions,
): Promise<void> {
  const { record: request, stopped } = exchange;
  for (const [index, planned] of plan(reply, events).entries()) {
    let event = planned;
    if (event.type === "content_block_delta" && tokenDelayMs > 0) {
      await pause(tokenDelayMs, stopped);
    }
    if (stopped.aborted) return;
    try {
      await beforeEvent?.({ request, index, type: event.type });
    } catch (error) {
      const data = errorBody("api_error", `beforeEvent threw: ${error}`);
      event = { type: "error", data };
    }
    if (stopped.aborted) return;
    await write(res, sseFrame(event), stopped);
    if (event.type === "error") break;
  }
  if (!stopped.aborted) res.end();
}

/**
 * Waits `ms` with the setTimeout installed right now (fake or real); a stop
 * clears the timer and ends the wait at once.
 */
function pause(ms: number, stopped: AbortSignal): Promise<void> {
  if (stopped.aborted) return Promise.resolve();
  const { setTimeout, clearTimeout } = globalThis;
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      stopped.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    stopped.addEventListener("abort", done);
  });
}

/** Writes a chunk; when the socket's buffer is full, waits for `drain`. */
async function write(
  res: ServerResponse,
  chunk: string,
  stopped: AbortSignal,
): Promise<void> {
  if (res.write(chunk)) return;
  await new Promise<void>((resolve) => {
    const done = () => {
      res.off("drain", done);
      stopped.removeEventListener("abort", done);
      resolve();
    };
    res.on("drain", done);
    stopped.addEventListener("abort", done);
  });
}
