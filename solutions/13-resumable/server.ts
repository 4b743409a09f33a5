import { APIError } from "@anthropic-ai/sdk";
import http from "node:http";
import { fileURLToPath } from "node:url";
import { defer } from "../05-resources/defer.ts";
import { emit, type DomainEvent } from "../06-context/emitter.ts";
import type { SseEvent } from "../09-sse/encode.ts";
import { sendEvents } from "../09-sse/respond.ts";
import { runAgent, type AgentOptions } from "../12-agent/agent.ts";
import { servePublic } from "../12-agent/public-files.ts";
import { HttpError, readChatRequest } from "../12-agent/request.ts";
import { GoneError } from "./event-log.ts";
import type { RunDatabase } from "./pg-log.ts";
import { RunRegistry, type Run } from "./runs.ts";
import { shareRuns } from "./shared-runs.ts";

// This lesson's page, in either tree; what it does not have (the style, the
// questions, your lesson 09 parser) comes from lesson 12's.
const PUBLIC = fileURLToPath(
  new URL("../../lessons/13-resumable/public/", import.meta.url),
);
const RUN = /^\/api\/runs\/([\w-]{1,100})(\/events)?$/;

/** A run's events, wherever they are read from. */
interface Readable {
  read(afterId: number, signal?: AbortSignal): AsyncIterable<Entry>;
  readonly firstId?: number;
}
type Entry = { id: number; event: DomainEvent };

// #region createResumableServer
/**
 * Lesson 12's agent, resumable: `POST /api/runs` starts a run and answers
 * `202 { id, events }` at once; `GET /api/runs/<id>/events` streams the run's
 * events as SSE (`id:` the log's id) after `Last-Event-ID` (or `?after=N`),
 * ending with `done`, `error` or `stopped`; `DELETE /api/runs/<id>` stops it.
 * A client that leaves ends only its own stream: the run goes on, and any
 * client may read it again. Past `maxRuns` running, `POST` answers 503.
 *
 * With `db`, every run's events are also written to a `PgEventLog`, so that
 * another process on the same database can serve them, and stop the run.
 *
 * @example
 * const server = createResumableServer({ client, model, tools });
 * server.listen(8787, "127.0.0.1");
 */
export function createResumableServer(
  options: AgentOptions & { registry?: RunRegistry; db?: RunDatabase },
  serverOptions: {
    /** Where unexpected errors go (default `console.error`). */
    onError?: (error: unknown) => void;
  } = {},
): http.Server {
  const { registry = new RunRegistry(), db, ...agent } = options;
  const { onError = console.error } = serverOptions;
  const shared = db && shareRuns(db, registry, onError);

  async function start(req: http.IncomingMessage, res: http.ServerResponse) {
    const messages = await readChatRequest(req); // lesson 12's checks
    let run: Run;
    try {
      run = registry.start((signal) => work(messages, signal));
    } catch (error) {
      if (!(error instanceof RangeError)) throw error;
      throw new HttpError(503, "too many runs: try again soon", {
        "Retry-After": "5",
      });
    }
    await shared?.publish(run);
    sendJson(res, 202, { id: run.id, events: `/api/runs/${run.id}/events` });
  }

  async function work(
    messages: Parameters<typeof runAgent>[0],
    signal: AbortSignal,
  ) {
    try {
      const transcript = await runAgent(messages, agent, signal);
      await emit({ type: "done", messages: transcript });
    } catch (error) {
      if (signal.aborted) return void (await emit({ type: "stopped" }));
      onError(error);
      await emit({ type: "error", message: safeMessage(error) });
    }
  }

  async function follow(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    id: string,
  ) {
    const log: Readable | undefined =
      registry.get(id)?.log ?? (await shared?.find(id));
    if (!log) throw new HttpError(404, "no such run");
    const after = afterId(req);
    if (log.firstId !== undefined && after + 1 < log.firstId)
      throw new HttpError(410, "those events are no longer kept");
    // Aborted when this client leaves: its reader stops waiting. The run
    // does not hear of it.
    const left = new AbortController();
    const onClose = () => left.abort(new Error("the client went away"));
    res.once("close", onClose);
    await using _listening = defer(() => void res.off("close", onClose));
    const entries = log.read(after, left.signal);
    await sendEvents(res, asSse(entries, left.signal, onError));
  }

  async function stop(res: http.ServerResponse, id: string) {
    const run = registry.get(id);
    if (run) run.stop();
    else if (!(await shared?.stop(id))) throw new HttpError(404, "no such run");
    res.writeHead(204).end();
  }

  async function route(req: http.IncomingMessage, res: http.ServerResponse) {
    const { pathname } = new URL(req.url ?? "/", "http://x");
    const method = req.method ?? "GET";
    const [, id, events] = RUN.exec(pathname) ?? [];
    if (pathname === "/api/runs") {
      if (method !== "POST") throw notAllowed("POST");
      return start(req, res);
    }
    if (id && events) {
      if (method !== "GET") throw notAllowed("GET");
      return follow(req, res, id);
    }
    if (id) {
      if (method !== "DELETE") throw notAllowed("DELETE");
      return stop(res, id);
    }
    if (pathname.startsWith("/api/")) throw new HttpError(404, "not found");
    if (method !== "GET" && method !== "HEAD") throw notAllowed("GET, HEAD");
    // This lesson's files first, then lesson 12's.
    return servePublic(req, res, PUBLIC).catch((error: unknown) => {
      if (error instanceof HttpError && error.status === 404)
        return servePublic(req, res);
      throw error;
    });
  }

  const server = http.createServer((req, res) => {
    route(req, res).catch((error: unknown) => {
      if (!(error instanceof HttpError)) onError(error);
      sendError(res, error instanceof HttpError ? error : INTERNAL);
    });
  });
  server.on("close", () => {
    if (!options.registry) registry.close().catch(onError);
    shared?.close().catch(onError);
  });
  return server;
}
// #endregion createResumableServer

// #region helpers
/** `Last-Event-ID`, or `?after=N` (the header wins), as a number: 0 if none. */
function afterId(req: http.IncomingMessage): number {
  const header = req.headers["last-event-id"];
  const query = new URL(req.url ?? "/", "http://x").searchParams.get("after");
  // Node joins a repeated header with ", ": not digits, so a 400.
  const text = (header as string | undefined) ?? query ?? "0";
  if (!/^\d{1,15}$/.test(text))
    throw new HttpError(400, "Last-Event-ID and after take an event's id");
  return Number(text);
}

/** The log's entries as SSE; a reader that fell behind just ends. */
async function* asSse(
  entries: AsyncIterable<Entry>,
  left: AbortSignal,
  onError: (error: unknown) => void,
): AsyncGenerator<SseEvent> {
  try {
    for await (const { id, event } of entries) {
      yield { id: String(id), event: event.type, data: JSON.stringify(event) };
    }
  } catch (error) {
    // Behind the window: end the stream, the reconnect gets 410. Anything
    // else (a database that went away) ends it too, and the client retries.
    if (!(error instanceof GoneError || left.aborted)) onError(error);
  }
}

/** What the client may know: the status or error type, never the text. */
function safeMessage(error: unknown): string {
  if (!(error instanceof APIError)) return "the agent failed";
  if (error.status) return `model request failed (status ${error.status})`;
  const type = /^[a-z_]{1,40}$/.exec(String(error.type))?.[0];
  return `model request failed${type ? ` (${type})` : ""}`;
}

const INTERNAL = new HttpError(500, "internal error");

function notAllowed(allow: string): HttpError {
  return new HttpError(405, `use ${allow}`, { Allow: allow });
}

function sendJson(res: http.ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { "Content-Type": "application/json; charset=utf-8" });
  res.end(JSON.stringify(body));
}

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
// #endregion helpers
