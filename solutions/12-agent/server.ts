import { APIError } from "@anthropic-ai/sdk";
import http from "node:http";
import { defer } from "../05-resources/defer.ts";
import { eventStream } from "../06-context/emitter.ts";
import type { SseEvent } from "../09-sse/encode.ts";
import { sendEvents } from "../09-sse/respond.ts";
import { runAgent, type AgentOptions } from "./agent.ts";
import { servePublic } from "./public-files.ts";
import { HttpError, readChatRequest } from "./request.ts";

// #region createAgentServer
/**
 * The agent over HTTP. `GET /` serves the chat page (and the other files of
 * `public/`); `POST /api/chat` takes `{ messages }` and answers with the
 * agent's events as Server-Sent Events: `event:` the event's type, `data:`
 * its JSON, `id:` 1, 2, 3…, and last `done` (`{ type, messages }`, the
 * transcript) or `error` (`{ type, message }`, a message that tells nothing
 * about the server's insides). A bad request gets `{ "error": "..." }` with
 * its status (400, 404, 405 with `Allow`, 413, 415), and nothing else.
 *
 * A client that leaves stops everything at once: the model request and every
 * running tool.
 *
 * @example
 * const server = createAgentServer({ client, model, tools: [calculator] });
 * server.listen(8787, "127.0.0.1");
 */
export function createAgentServer(
  options: AgentOptions,
  serverOptions: {
    /** Where unexpected errors go (default `console.error`). */
    onError?: (error: unknown) => void;
  } = {},
): http.Server {
  const { onError = console.error } = serverOptions;

  async function chat(req: http.IncomingMessage, res: http.ServerResponse) {
    const messages = await readChatRequest(req);
    // Aborted when the client leaves: the response's close, not the
    // request's (that one comes as soon as the body has been read).
    const left = new AbortController();
    const onClose = () => left.abort(new Error("the client went away"));
    res.once("close", onClose);
    await using _listening = defer(() => void res.off("close", onClose));
    await sendEvents(res, agentEvents(messages, options, left.signal, onError));
  }

  async function route(req: http.IncomingMessage, res: http.ServerResponse) {
    const { pathname } = new URL(req.url ?? "/", "http://x");
    if (pathname === "/api/chat") {
      if (req.method !== "POST")
        throw new HttpError(405, "use POST", { Allow: "POST" });
      return chat(req, res);
    }
    if (pathname.startsWith("/api/")) throw new HttpError(404, "not found");
    if (req.method !== "GET" && req.method !== "HEAD")
      throw new HttpError(405, "use GET or HEAD", { Allow: "GET, HEAD" });
    return servePublic(req, res);
  }

  return http.createServer((req, res) => {
    route(req, res).catch((error: unknown) => {
      if (!(error instanceof HttpError)) onError(error);
      sendError(res, error instanceof HttpError ? error : INTERNAL);
    });
  });
}
// #endregion createAgentServer

const INTERNAL = new HttpError(500, "internal error");

// #region agentEvents
/**
 * The agent's events as SSE, numbered, then `done` or `error`. The agent is
 * stopped by `left`, which the server aborts when the client goes away: the
 * stream's own abort comes only when `sendEvents` calls `return()`, and that
 * waits behind a pending `next()` while the agent is silent (a slow tool, a
 * model that has not answered yet).
 */
async function* agentEvents(
  messages: Parameters<typeof runAgent>[0],
  options: AgentOptions,
  left: AbortSignal,
  onError: (error: unknown) => void,
): AsyncGenerator<SseEvent> {
  let id = 0;
  const sse = (event: { type: string; [key: string]: unknown }): SseEvent => ({
    event: event.type,
    id: String((id += 1)),
    data: JSON.stringify(event),
  });
  let transcript: Awaited<ReturnType<typeof runAgent>> = [];
  try {
    const events = eventStream(async (streamSignal) => {
      const signal = AbortSignal.any([left, streamSignal]);
      transcript = await runAgent(messages, options, signal);
    });
    for await (const event of events) yield sse(event);
    yield sse({ type: "done", messages: transcript });
  } catch (error) {
    if (left.aborted) return; // nobody is listening
    onError(error);
    yield sse({ type: "error", message: safeMessage(error) });
  }
}

/** What the client may know: the status or error type, never the text. */
function safeMessage(error: unknown): string {
  if (!(error instanceof APIError)) return "the agent failed";
  if (error.status) return `model request failed (status ${error.status})`;
  const type = /^[a-z_]{1,40}$/.exec(String(error.type))?.[0];
  return `model request failed${type ? ` (${type})` : ""}`;
}
// #endregion agentEvents

function sendError(res: http.ServerResponse, error: HttpError): void {
  // Too late for a status: the stream has begun. Cut it off.
  if (res.headersSent) return void res.destroy();
  res.writeHead(error.status, {
    "Content-Type": "application/json; charset=utf-8",
    ...error.headers,
    // A body we did not read (413) would be read next as a request.
    ...(error.status === 413 ? { Connection: "close" } : {}),
  });
  res.end(JSON.stringify({ error: error.message }));
}
