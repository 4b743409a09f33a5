/**
 * One request and its response: the record a test reads, and the signal that
 * tells the writer to stop when the client leaves or the server closes.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { RecordedRequest } from "./types.ts";

/** A request as the server handles it. */
export interface Exchange {
  record: RecordedRequest;
  /** Aborted when the response can no longer be written. */
  stopped: AbortSignal;
  /** Why the body was not JSON, if it was not. */
  jsonError?: string;
  /** Marks the response cut by the server (on close): "client-left". */
  cut(): void;
}

/** Reads the request's body and records it, watching how the response ends. */
export async function receive(
  req: IncomingMessage,
  res: ServerResponse,
): Promise<Exchange> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString("utf8");
  let body: unknown;
  let jsonError: string | undefined;
  try {
    body = JSON.parse(text);
  } catch (error) {
    jsonError = (error as Error).message;
  }

  const stop = new AbortController();
  let settle!: (state: "completed" | "client-left") => void;
  const record: RecordedRequest = {
    method: req.method ?? "GET",
    path: new URL(req.url ?? "/", "http://fake").pathname,
    headers: lowerCaseHeaders(req),
    body,
    state: "open",
    finished: new Promise((resolve) => (settle = resolve)),
  };
  const end = (state: "completed" | "client-left") => {
    if (record.state !== "open") return;
    record.state = state;
    stop.abort();
    settle(state);
  };
  res.on("finish", () => end("completed"));
  // The response's close, not the request's: `req` closes as soon as its
  // body has been read. A close before `finish` means the client went away.
  res.on("close", () => end("client-left"));
  if (res.destroyed) end("client-left");
  return {
    record,
    stopped: stop.signal,
    jsonError,
    cut: () => end("client-left"),
  };
}

function lowerCaseHeaders(req: IncomingMessage): Record<string, string> {
  // Node already lower-cases the names; repeated headers arrive as arrays.
  return Object.fromEntries(
    Object.entries(req.headers).map(([name, value]) => [
      name,
      Array.isArray(value) ? value.join(", ") : (value ?? ""),
    ]),
  );
}
