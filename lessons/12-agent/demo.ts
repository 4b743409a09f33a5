/**
 * Lesson 12 demo: the agent you built, three ways. First `runAgent` inside
 * lesson 06's `eventStream`, printing its events as they come while three
 * `wait` calls share two permits. Then the same agent behind
 * `createAgentServer`, read as a browser does: `fetch` and lesson 09's
 * `parseEvents`. Last, a client that leaves while a tool runs, and how soon
 * the server stops that tool. Offline with the workbook's fake Claude.
 *
 * Run it: npm run demo -- 12        (your code)
 *         npm run demo -- 12 --solution
 * The chat page: npm run agent (or npm run agent -- --solution)
 */
import type http from "node:http";
import type { AddressInfo } from "node:net";
import { agentScript, QUESTIONS } from "#kit/agent/script.ts";
import type { FakeTurn, RecordedRequest } from "#kit/fake-anthropic.ts";
import { demoModel } from "#kit/model.ts";
import { runDemo } from "#kit/run-demo.ts";
import { eventStream } from "#exercises/06-context/emitter.ts";
import { parseEvents } from "#exercises/09-sse/parse.ts";
import { runAgent, type AgentOptions } from "#exercises/12-agent/agent.ts";
import { createAgentServer } from "#exercises/12-agent/server.ts";
import { calculator, wait, type Tool } from "#exercises/12-agent/tools.ts";

const WAITS = "Wait 0.3 seconds, three times.";
const t0 = performance.now();
const at = () => `${String(Math.round(performance.now() - t0)).padStart(5)} ms`;

/** The fake model: the suggested questions, and the three waits. */
function script(request: RecordedRequest): FakeTurn {
  const asked = request.body.messages.length === 1;
  if (request.body.messages[0].content !== WAITS) return agentScript(request);
  return asked
    ? {
        content: [
          { type: "text", text: "Three waits, two at a time." },
          ...[1, 2, 3].map(() => ({
            type: "tool_use" as const,
            name: "wait",
            input: { seconds: 0.3 },
          })),
        ],
      }
    : { content: [{ type: "text", text: "All three are done." }] };
}

async function main() {
  await using llm = await demoModel(script, { tokenDelayMs: 10 });
  console.log(`${llm.description}\n`);
  const stopped: { signal: AbortSignal }[] = [];
  const watchedWait: Tool = {
    ...wait,
    run: (input, signal) => (stopped.push({ signal }), wait.run(input, signal)),
  };
  const options: AgentOptions = {
    client: llm.client,
    model: llm.model,
    tools: [calculator, watchedWait],
    maxConcurrentTools: 2,
  };

  console.log("1. runAgent inside an eventStream, two tools at a time:");
  // #region block
  const question = [{ role: "user" as const, content: WAITS }];
  const events = eventStream((signal) => runAgent(question, options, signal));
  let text = ""; // the deltas, printed whole before the next event
  for await (const event of events) {
    if (event.type === "text") text += String(event.delta);
    else {
      if (text) console.log(`${at()}  ${line({ type: "text", text })}`);
      text = "";
      console.log(`${at()}  ${line(event)}`);
    }
  }
  // #endregion block

  await using app = await serve(createAgentServer(options));
  console.log(`\n2. POST /api/chat, read with fetch and parseEvents:`);
  const chat = await post(app.url, QUESTIONS[2]!);
  let texts = 0;
  for await (const { id, event, data } of parseEvents(chat.body!)) {
    if (event === "text") texts += 1;
    else {
      if (texts) console.log(`  ${texts} text events`);
      texts = 0;
      console.log(`  id ${id.padStart(2)}  ${line(JSON.parse(data))}`);
    }
  }

  console.log("\n3. A client that leaves while the wait tool runs:");
  const client = new AbortController();
  const timer = await post(app.url, QUESTIONS[3]!, client.signal);
  try {
    for await (const { event } of parseEvents(timer.body!)) {
      if (event !== "tool_call") continue;
      const left = performance.now();
      client.abort(); // the browser's Stop button does this
      const { signal } = stopped.at(-1)!;
      await new Promise((resolve) => signal.addEventListener("abort", resolve));
      const ms = (performance.now() - left).toFixed(0);
      console.log(`  the server aborted the running tool ${ms} ms later`);
    }
  } catch (error) {
    if (!client.signal.aborted) throw error; // else: we left on purpose
  }
}

/** An agent event on one line: what happened, cut to fit 80 columns. */
function line(event: Record<string, unknown>): string {
  const { type, id, name, input, output, stopReason, text } = event;
  const detail =
    type === "tool_call"
      ? `${name} ${JSON.stringify(input)}  (${id})`
      : type === "tool_result"
        ? `${id}: ${output}`
        : type === "turn_end"
          ? stopReason
          : type === "text"
            ? JSON.stringify(text)
            : type === "done"
              ? `${(event.messages as unknown[]).length} messages`
              : JSON.stringify(event);
  const full = `${String(type).padEnd(12)} ${detail}`;
  return full.length > 66 ? `${full.slice(0, 65)}…` : full;
}

function post(url: string, content: string, signal?: AbortSignal) {
  return fetch(new URL("api/chat", url), {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ messages: [{ role: "user", content }] }),
    signal,
  });
}

async function serve(server: http.Server) {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    [Symbol.asyncDispose]: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

runDemo(main);
