// mistake: binding every interface instead of 127.0.0.1
// expect: not every interface
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { RunningServer } from "../../../solutions/05-resources/server.ts";
export * from "../../../solutions/05-resources/server.ts";

export async function listen(handler: http.RequestListener, options: { port?: number; host?: string } = {}): Promise<RunningServer> {
  const { port = 0, host } = options;
  const server = http.createServer(handler);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });

  const address = server.address() as AddressInfo;
  const hostname = address.family === "IPv6" ? `[${address.address}]` : address.address;
  let closed: Promise<void> | undefined;

  return {
    url: new URL(`http://${hostname}:${address.port}/`),
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
