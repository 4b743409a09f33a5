import type http from "node:http";
import { todo } from "#kit/todo.ts";

// #region listen
/** A listening HTTP server; disposing it closes it. */
export interface RunningServer extends AsyncDisposable {
  /** Where it listens, such as `http://127.0.0.1:53117/`. */
  readonly url: URL;
  readonly server: http.Server;
}

/**
 * Starts an HTTP server and resolves once it listens: by default on `127.0.0.1`
 * (reachable from this machine only) and on a free port the system picks. The
 * twin of starting a server inside `async with`.
 *
 * Disposing it stops accepting connections, closes idle keep-alive connections,
 * ends the requests still in flight, and resolves only once the server has
 * closed. Disposing again does nothing.
 *
 * @example
 * await using app = await listen((req, res) => res.end("hello"));
 * const reply = await get(app.url);
 */
export async function listen(
  handler: http.RequestListener,
  options: { port?: number; host?: string } = {},
): Promise<RunningServer> {
  todo("Listen (127.0.0.1, a free port); return { url, server, dispose }.");
}
// #endregion listen
