import type http from "node:http";
import { todo } from "#kit/todo.ts";
import type { AgentOptions } from "../12-agent/agent.ts";
import type { RunDatabase } from "./pg-log.ts";
import type { RunRegistry } from "./runs.ts";

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
  todo("Route: POST starts a run (202), GET follows its log, DELETE stops");
}
// #endregion createResumableServer
