/**
 * The summarize server as a program: the demo starts it as a child process
 * and talks to it over stdin and stdout. Stdout carries the protocol and
 * nothing else (one stray console.log there and the client reads garbage), so
 * every log line goes to stderr: here, one line per message, in and out.
 * Not an exercise: it runs your createSummarizeServer.
 *
 * Run it by hand (it waits for JSON-RPC on stdin; Ctrl-D ends it):
 *   npx tsx lessons/11-mcp-sampling/server-main.ts
 */
import * as stdio from "@modelcontextprotocol/sdk/server/stdio.js";
import type { JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";
import { runDemo } from "#kit/run-demo.ts";
import { createSummarizeServer } from "./summarize-server.ts";

const log = (line: string) => process.stderr.write(`${line}\n`);

/** `tools/call #1`, `result #1`, `notifications/cancelled (#1)`. */
function describe(message: JSONRPCMessage): string {
  if ("method" in message) {
    const id = "id" in message ? ` #${message.id}` : "";
    const params = message.params as { requestId?: unknown } | undefined;
    const about =
      params?.requestId === undefined ? "" : ` (#${params.requestId})`;
    return `${message.method}${id}${about}`;
  }
  return `${"error" in message ? "error" : "result"} #${message.id}`;
}

async function main(): Promise<void> {
  const server = createSummarizeServer();
  const transport = new stdio.StdioServerTransport();
  // Set before connect: the SDK keeps these and calls them before its own.
  transport.onmessage = (message) => log(`  in   ${describe(message)}`);
  const send = transport.send.bind(transport);
  transport.send = (message) => {
    log(`  out  ${describe(message)}`);
    return send(message);
  };
  // The client closes by ending our stdin: let go, and the process exits.
  process.stdin.once("end", () => {
    log("summarize-server: stdin ended, closing");
    void server.close();
  });
  await server.connect(transport);
  log("summarize-server: ready on stdio");
}

runDemo(main);
