import http from "node:http";
import { todo } from "#kit/todo.ts";
import type { AgentOptions } from "./agent.ts";

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
  todo("Route: GET files, POST /api/chat as SSE; abort when client leaves");
}
// #endregion createAgentServer
