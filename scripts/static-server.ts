/**
 * Serves the built site on loopback, with VitePress's clean URLs, for the
 * browser check.
 */
import {
  createServer,
  type IncomingMessage,
  type ServerResponse,
} from "node:http";
import { readFile } from "node:fs/promises";
import { extname, join, normalize } from "node:path";
import type { AddressInfo } from "node:net";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript",
  ".css": "text/css",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".woff2": "font/woff2",
};

export async function serveStatic(
  root: string,
): Promise<AsyncDisposable & { url: URL }> {
  const server = createServer((req, res) => {
    // A failure we did not foresee ends this response, not the process.
    serve(root, req, res).catch((error: unknown) =>
      res.destroy(error as Error),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: new URL(`http://127.0.0.1:${port}/`),
    async [Symbol.asyncDispose]() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

async function serve(
  root: string,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const path = normalize(
    decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname),
  ).replace(/^(\.\.[/\\])+/, "");
  for (const candidate of [path, `${path}.html`, join(path, "index.html")]) {
    try {
      const body = await readFile(join(root, candidate));
      res.writeHead(200, {
        "content-type": TYPES[extname(candidate)] ?? "application/octet-stream",
      });
      res.end(body);
      return;
    } catch {
      // try the next candidate
    }
  }
  res.writeHead(404, { "content-type": TYPES[".html"] });
  res.end(await readFile(join(root, "404.html")).catch(() => "not found"));
}
