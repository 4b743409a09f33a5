/**
 * Lesson 11 demo: a request that flows the "wrong" way. The summarize server
 * runs as a child process and talks MCP over its stdin and stdout. It has no
 * model: for each call it asks this process, its client, to sample one, and
 * the client's handler answers with a Messages API call. Then a call is
 * cancelled while the model is at work, and the cancellation travels all the
 * way down to the HTTP request. Last, what the server logged on stderr.
 *
 * Run it: npm run demo -- 11        (your code)
 *         npm run demo -- 11 --solution
 */
import {
  StdioClientTransport,
  type StdioServerParameters,
} from "@modelcontextprotocol/sdk/client/stdio.js";
import { ErrorCode, McpError } from "@modelcontextprotocol/sdk/types.js";
import type { Readable } from "node:stream";
import { finished } from "node:stream/promises";
import { setTimeout as delay } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import type { FakeTurn, RecordedRequest } from "#kit/fake-anthropic.ts";
import { demoModel } from "#kit/model.ts";
import { runDemo } from "#kit/run-demo.ts";
import { deferred } from "#kit/testing/deferred.ts";
import { connectClient, summarize } from "#exercises/11-mcp-sampling/client.ts";
import {
  createSamplingHandler,
  type SamplingHandler,
} from "#exercises/11-mcp-sampling/sampling-handler.ts";

// The entry of the tree this demo runs against (lessons/ or solutions/): the
// child gets the same node flags, so it resolves imports the same way.
const SERVER = fileURLToPath(
  import.meta.resolve("#exercises/11-mcp-sampling/server-main.ts"),
);

const ARTICLE =
  "MCP sampling lets a server borrow the client's model. The server " +
  "sends sampling/createMessage; the client, which holds the API key and " +
  "the user's trust, decides whether to run it, calls the model, and " +
  "answers. The request travels from server to client, against the " +
  "usual direction, over the same connection that carries the client's " +
  "own requests, and a cancelled tool call must cancel it too.";

const SUMMARY =
  "A server asks the client's model for a completion over their shared " +
  "connection; cancelling the tool call cancels the request.";

/** Wraps `text` at 76 columns, each line indented by two spaces. */
function wrap(text: string): string {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/)) {
    if (line && line.length + word.length + 1 > 76) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  return [...lines, line].map((l) => `  ${l}`).join("\n");
}

/** The handler, saying what it does; `ended` settles when a call ends. */
function watched(handler: SamplingHandler) {
  let ended = deferred<string>();
  const watching: SamplingHandler = async (request, extra) => {
    const { messages, maxTokens } = request.params;
    console.log(
      `  client: sampling request (${messages.length} message, ` +
        `maxTokens ${maxTokens}): calling the model`,
    );
    try {
      const result = await handler(request, extra);
      ended.resolve(`the model answered (${result.stopReason})`);
      return result;
    } catch (error) {
      const { name, message } = error as Error;
      ended.resolve(`the model call ended with ${name}: ${message}`);
      throw error;
    }
  };
  return {
    handler: watching,
    nextEnd: () => ended.promise.finally(() => (ended = deferred<string>())),
  };
}

// #region spawn
/** Starts the server as a child process and connects to it over stdio. */
async function startServer(handler: SamplingHandler) {
  // MCP on the child's stdin and stdout; its log on stderr, which we
  // collect (and print at the end).
  const server: StdioServerParameters = {
    command: process.execPath,
    args: [...process.execArgv, SERVER],
    stderr: "pipe",
  };
  const transport = new StdioClientTransport(server);
  const stderr = transport.stderr as Readable; // there: "pipe" above
  let log = "";
  stderr.on("data", (chunk) => (log += chunk));
  try {
    const client = await connectClient(transport, handler);
    return { client, stderr, serverLog: () => log };
  } catch (error) {
    if ((error as McpError).code !== ErrorCode.ConnectionClosed) throw error;
    // The server process ended before it answered: its own words say why.
    await finished(stderr);
    process.stderr.write(log);
    process.exit(1);
  }
}
// #endregion spawn

async function main() {
  // Offline, the fake model answers the first request, and keeps the second
  // waiting: the demo cancels it.
  let held: RecordedRequest | undefined;
  const modelGotIt = deferred();
  await using llm = await demoModel((request, index) => {
    if (index === 0) return { content: [{ type: "text", text: SUMMARY }] };
    held = request;
    modelGotIt.resolve();
    return new Promise<FakeTurn>(() => {});
  });
  console.log(`${llm.description}\n`);

  // #region calls
  const sampling = watched(
    createSamplingHandler(llm.client, { model: llm.model }),
  );
  const { client, stderr, serverLog } = await startServer(sampling.handler);
  const { tools } = await client.listTools();
  const server = client.getServerVersion();
  console.log(
    `Connected to ${server?.name} ${server?.version} over stdio; its ` +
      `tools: ${tools.map((tool) => tool.name).join(", ")}\n`,
  );

  console.log("summarize(article, 25 words):");
  const summary = await summarize(client, ARTICLE, 25);
  console.log(`  client: ${await sampling.nextEnd()}`);
  console.log(`${wrap(`"${summary}"`)}\n`);

  console.log("The same call, aborted while the model is at work:");
  const controller = new AbortController();
  const call = summarize(client, ARTICLE, 25, controller.signal);
  await (llm.offline ? modelGotIt.promise : delay(1_500));
  controller.abort(new Error("the user pressed stop"));
  const outcome = await call.catch((error: Error) => `${error}`);
  console.log(`  summarize rejected: ${outcome}`);
  console.log(`  client: ${await sampling.nextEnd()}`);
  if (held) console.log(`  the model server's record: ${await held.finished}`);
  // #endregion calls

  await client.close(); // ends the child's stdin: the server exits
  await finished(stderr);
  console.log("\nWhat the server wrote on stderr (stdout carried only MCP):");
  console.log(serverLog().trimEnd().replace(/^/gm, "  "));
}

runDemo(main);
