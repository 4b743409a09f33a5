import http from "node:http";
import type { AddressInfo } from "node:net";

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
  const { port = 0, host = "127.0.0.1" } = options;
  const server = http.createServer(handler);
  await new Promise<void>((resolve, reject) => {
    // A port already in use arrives as an "error" event, not as an exception.
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });

  const address = server.address() as AddressInfo;
  const hostname =
    address.family === "IPv6" ? `[${address.address}]` : address.address;
  let closed: Promise<void> | undefined;

  return {
    url: new URL(`http://${hostname}:${address.port}/`),
    server,
    [Symbol.asyncDispose]() {
      closed ??= new Promise<void>((resolve, reject) => {
        // close() stops accepting, but its callback waits until every
        // connection is gone: a keep-alive connection idles for
        // keepAliveTimeout (5 s) after its last response, and a request in
        // flight (a slow handler, a stream that never ends) may never finish.
        server.close((error) => (error ? reject(error) : resolve()));
        // Ends idle and busy ones; a busy handler sees its response close.
        server.closeAllConnections();
      });
      return closed;
    },
  };
}
// #endregion listen
