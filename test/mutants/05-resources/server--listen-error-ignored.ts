// mistake: not listening for the server's "error" event (a taken port never settles listen)
// expect: reject with it
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { RunningServer } from "../../../solutions/05-resources/server.ts";
export * from "../../../solutions/05-resources/server.ts";

export async function listen(handler: http.RequestListener, options: { port?: number; host?: string } = {}): Promise<RunningServer> {
  const { port = 0, host = "127.0.0.1" } = options;
  const server = http.createServer(handler);
  server.on("error", () => {});
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  const address = server.address() as AddressInfo;
  let closed: Promise<void> | undefined;
  return {
    url: new URL(`http://${address.address}:${address.port}/`),
    server,
    [Symbol.asyncDispose]() {
      closed ??= new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
      return closed;
    },
  };
}
