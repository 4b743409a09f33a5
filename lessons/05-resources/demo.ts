/**
 * Lesson 05 demo: a server and a temp directory under `await using`, closed in
 * reverse order when the block ends, also when it throws; then cleanups that
 * fail, and the chain of SuppressedErrors that comes out.
 *
 * Run it: npm run demo -- 05        (your code)
 *         npm run demo -- 05 --solution
 */
import { existsSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import http from "node:http";
import { join } from "node:path";
import { runDemo } from "#kit/run-demo.ts";
import { AsyncStack } from "#exercises/05-resources/stack.ts";
import { listen } from "#exercises/05-resources/server.ts";
import { tempDir } from "#exercises/05-resources/temp-dir.ts";

/**
 * A GET with its own connection (agent: false), so no keep-alive socket
 * outlives it.
 */
function get(url: URL): Promise<string> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent: false }, (res) => {
        let body = "";
        res.setEncoding("utf8").on("data", (chunk: string) => (body += chunk));
        res.on("end", () => resolve(body));
      })
      .on("error", reject);
  });
}

let server: http.Server | undefined;
let path = "";

// #region block
async function block(fail: boolean): Promise<void> {
  await using stack = new AsyncStack();
  const app = stack.adopt(
    await listen((req, res) => res.end(`hello from ${req.url}`)),
    async (app) => {
      await app[Symbol.asyncDispose]();
      console.log(`   closed the server at ${app.url.host}`);
    },
  );
  const dir = stack.adopt(await tempDir("demo05-"), async (dir) => {
    await dir[Symbol.asyncDispose]();
    console.log(`   removed ${dir.path}`);
  });
  [server, path] = [app.server, dir.path];
  const reply = await get(new URL("/report", app.url));
  await writeFile(join(dir.path, "reply.txt"), reply);
  console.log(`   GET ${app.url}report → "${reply}"`);
  console.log(`   saved in ${dir.path}`);
  if (fail) throw new Error("the body failed half-way");
}
// #endregion block

/** Whether the block's server still listens and its directory still exists. */
function afterwards(): string {
  return (
    `   afterwards: server listening? ${server?.listening}; ` +
    `directory still there? ${existsSync(path)}\n`
  );
}

function describeChain(error: unknown, indent = "   "): string {
  if (error instanceof Error && error.name === "SuppressedError") {
    const { error: newer, suppressed } = error as Error & {
      error: unknown;
      suppressed: unknown;
    };
    const inner = indent + "  ";
    return (
      `SuppressedError\n${inner}error:      ${describeChain(newer, inner)}` +
      `\n${inner}suppressed: ${describeChain(suppressed, inner)}`
    );
  }
  return String(error);
}

async function main() {
  const native = typeof (globalThis as Record<string, unknown>)
    .AsyncDisposableStack;
  console.log(
    `Node ${process.version}: Symbol.asyncDispose is ` +
      `${typeof Symbol.asyncDispose}, AsyncDisposableStack is ${native}\n`,
  );

  console.log(
    "1. A block that ends normally: the last resource in is the first one out",
  );
  await block(false);
  console.log(afterwards());

  console.log("2. The same block, throwing after it used both resources");
  await block(true).catch((error: Error) =>
    console.log(`   the error still came out: ${error.message}`),
  );
  console.log(afterwards());

  console.log(
    "3. Three cleanups, two of them failing: every one runs, the errors are\n" +
      "   chained",
  );
  const stack = new AsyncStack();
  for (const n of [1, 2, 3]) {
    stack.defer(() => {
      console.log(`   cleanup ${n} runs`);
      if (n !== 3) throw new Error(`cleanup ${n} failed`);
    });
  }
  await stack[Symbol.asyncDispose]().catch((error: unknown) =>
    console.log(`   dispose rejected with ${describeChain(error)}`),
  );
}

runDemo(main);
