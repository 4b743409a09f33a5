/**
 * What `npm run agent` runs, in a child process that sees one tree of
 * exercises (`kit/agent.ts` starts it): the chat server of lesson 12, with
 * your tools, your agent and your lessons 02 to 10 underneath, or the
 * reference with `--solution`; with `--resumable`, lesson 13's server and
 * page instead.
 *
 * Before it listens, it sends one question through the whole stack against
 * a fast fake model (the HTTP server, the SSE stream and your parser, the
 * agent, a tool): an exercise you have not written yet is named here, with
 * its file and page, rather than as a broken chat page later.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { parseEvents } from "#exercises/09-sse/parse.ts";
import type { AgentOptions } from "#exercises/12-agent/agent.ts";
import { createAgentServer } from "#exercises/12-agent/server.ts";
import {
  calculator,
  currentTime,
  searchLessons,
  wait,
} from "#exercises/12-agent/tools.ts";
import { bold, cyan, dim, yellow } from "../colors.ts";
import { startFakeAnthropic } from "../fake-anthropic.ts";
import { demoModel } from "../model.ts";
import { runDemo } from "../run-demo.ts";
import { isNotStarted, todoHits, type NotStartedError } from "../todo.ts";
import { agentScript, QUESTIONS, SYSTEM } from "./script.ts";

const TOOLS = [calculator, currentTime, searchLessons, wait];
const resumable = process.argv.includes("--resumable");
const portAt = process.argv.indexOf("--port");
const port = portAt > 0 ? Number(process.argv[portAt + 1]) : 8787;

/** Listens on loopback; resolves with a function that closes everything. */
async function start(server: http.Server, at: number) {
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(at, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}

/** One POST through the stack; the events' types, or what went wrong. */
async function selfCheck(): Promise<string | undefined> {
  await using fake = await startFakeAnthropic({ script: agentScript });
  const errors: unknown[] = [];
  const options: AgentOptions = {
    client: fake.client({ maxRetries: 0 }),
    model: "claude-sonnet-5-5",
    tools: TOOLS,
  };
  const server = await createServer(options, {
    onError: (error) => errors.push(error),
  });
  const app = await start(server, 0);
  try {
    const page = await fetch(new URL("lib/09-sse/parse.js", app.url));
    if (!page.ok) return `GET /lib/09-sse/parse.js answered ${page.status}`;
    await page.arrayBuffer();
    const path = resumable ? "api/runs" : "api/chat";
    let response = await fetch(new URL(path, app.url), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        messages: [{ role: "user", content: QUESTIONS[2] }],
      }),
    });
    if (resumable && response.status === 202) {
      const { events } = (await response.json()) as { events: string };
      response = await fetch(new URL(events, app.url));
    }
    if (!response.ok || !response.body)
      return `POST /${path} answered ${response.status}`;
    const types: string[] = [];
    for await (const message of parseEvents(response.body)) {
      types.push(message.event);
    }
    if (errors[0] !== undefined) throw errors[0];
    if (!types.includes("tool_result") || types.at(-1) !== "done")
      return `the events were ${types.join(", ") || "none"}`;
    return undefined;
  } finally {
    await app.close();
  }
}

async function main(): Promise<void> {
  const problem = await selfCheck().catch((error: unknown) => {
    if (isNotStarted(error)) throw error;
    return error instanceof Error ? error.message : String(error);
  });
  // A stub reached inside the server was caught there: name it anyway.
  const hit = todoHits()[0];
  if (hit) throw new Error(`not started: ${hit.task}`);
  if (problem) {
    console.log(
      yellow(`The self-check found a problem: ${problem}.`) +
        dim(
          `\nRun npm test -- ${resumable ? 13 : 12} to see which part. ` +
            "Starting anyway.\n",
        ),
    );
  }

  const llm = await demoModel(agentScript, { tokenDelayMs: 30 });
  console.log(llm.description);
  const server = await createServer(
    { client: llm.client, model: llm.model, tools: TOOLS, system: SYSTEM },
    { onError: logError },
  );
  const app = await start(server, port).catch((error: unknown) => {
    if ((error as { code?: string }).code !== "EADDRINUSE") throw error;
    console.error(
      `Port ${port} is in use. Pick another: npm run agent -- --port ${port + 1}`,
    );
    process.exit(1);
  });
  const what = resumable
    ? "Chat with the resumable agent:"
    : "Chat with the agent:";
  console.log(`\n${bold(what)} ${cyan(app.url)}`);
  console.log(dim("Press Ctrl+C to stop."));

  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  await app.close();
  await llm[Symbol.asyncDispose]();
}

/** Lesson 12's server, or with --resumable lesson 13's. */
async function createServer(
  options: AgentOptions,
  serverOptions: { onError: (error: unknown) => void },
): Promise<http.Server> {
  if (!resumable) return createAgentServer(options, serverOptions);
  const { createResumableServer } =
    await import("#exercises/13-resumable/server.ts");
  return createResumableServer(options, serverOptions);
}

/**
 * The server's onError. A client that leaves during its upload makes the
 * body's stream fail with Node's "aborted" (ECONNRESET): the client's doing,
 * not the agent's, so one line instead of a stack.
 */
function logError(error: unknown): void {
  const { code, message } = (error ?? {}) as {
    code?: unknown;
    message?: unknown;
  };
  if (code === "ECONNRESET" && message === "aborted")
    console.error(dim("a client left before its request was read"));
  else console.error(dim("agent error:"), error);
}

/**
 * runDemo's not-started message, worded for the agent: which exercise, its
 * file and page, and the reference run.
 */
function notStarted(error: unknown): never {
  const hit = todoHits()[0];
  if (!isNotStarted(error) && !hit) throw error;
  const where = (error as NotStartedError).location ?? hit?.location;
  const task = (error as NotStartedError).task ?? hit?.task;
  console.error(
    `\n${bold("The agent needs an exercise you have not written yet:")}`,
  );
  console.error(
    `  ${cyan(where?.exercise ?? "an exercise")} in ${where?.file ?? "lessons/"}`,
  );
  if (task) console.error(`  ${dim(task)}`);
  if (where) console.error(`  Read ${where.page}, or see the reference run:`);
  console.error(
    `  npm run agent -- --solution${resumable ? " --resumable" : ""}`,
  );
  process.exit(1);
}

runDemo(() => main().catch(notStarted));
