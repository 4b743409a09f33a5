import { readFile } from "node:fs/promises";
import type http from "node:http";
import { extname, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { exerciseSource } from "#kit/borrow/source.ts";
import { HttpError } from "./request.ts";

// Found from this file, in either tree: one chat page for both, and the
// lesson 09 code of the tree that runs (yours, or the reference).
const PUBLIC = fileURLToPath(
  new URL("../../lessons/12-agent/public/", import.meta.url),
);
const LESSON_09 = fileURLToPath(new URL("../09-sse/", import.meta.url));

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
};

// The page runs no inline script or style and talks to its own origin only:
// text that slipped into the page as HTML could still do nothing.
const HEADERS = {
  "Cache-Control": "no-store",
  "X-Content-Type-Options": "nosniff",
  "Content-Security-Policy":
    "default-src 'self'; img-src 'self' data:; base-uri 'none'; " +
    "form-action 'none'; frame-ancestors 'none'",
};

// #region servePublic
/**
 * Given, not an exercise: answers `GET` and `HEAD` for the chat page's files
 * in `lessons/12-agent/public/` (or in `folder`; `/` is `index.html`), and for
 * `/lib/09-sse/<name>.js`, your lesson 09 `<name>.ts` with its types removed,
 * so the browser parses the stream with your own `parseEvents`. Anything
 * else, a path that climbs out of `public/` included, is an `HttpError` 404.
 */
export async function servePublic(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  folder: string = PUBLIC,
): Promise<void> {
  let path: string;
  try {
    path = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
  } catch {
    throw new HttpError(404, "not found"); // a malformed %-escape
  }
  const module = /^\/lib\/09-sse\/([\w-]+)\.js$/.exec(path)?.[1];
  const body = module
    ? await lesson09Module(module)
    : await publicFile(path === "/" ? "/index.html" : path, folder);
  res.writeHead(200, {
    "Content-Type": TYPES[module ? ".js" : extname(path) || ".html"],
    ...HEADERS,
  });
  res.end(body);
}
// #endregion servePublic

async function publicFile(path: string, folder: string): Promise<Buffer> {
  const file = resolve(folder, `.${path}`);
  // resolve() has collapsed every "..": what is left must be inside.
  if (!file.startsWith(folder.endsWith(sep) ? folder : folder + sep))
    throw new HttpError(404, "not found");
  if (TYPES[extname(file)] === undefined) throw new HttpError(404, "not found");
  return readFile(file).catch(() => {
    throw new HttpError(404, "not found");
  });
}

async function lesson09Module(name: string): Promise<string> {
  // Yours, or the reference where you have not started it yet.
  const file = exerciseSource(`${LESSON_09}${name}.ts`, import.meta.url);
  const source = await readFile(file, "utf8").catch(() => {
    throw new HttpError(404, "not found");
  });
  // TypeScript is already here for `npm run typecheck`; loaded on first use.
  const { default: ts } = await import("typescript");
  return ts.transpileModule(source, {
    fileName: `${name}.ts`,
    compilerOptions: {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      rewriteRelativeImportExtensions: true, // ./encode.ts -> ./encode.js
    },
  }).outputText;
}
