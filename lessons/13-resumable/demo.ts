/**
 * Lesson 13 demo: an answer that survives its connection. A run is started
 * with POST /api/runs and read with lesson 09's followEvents; the server cuts
 * the connection half way, the client reconnects with Last-Event-ID, and gets
 * the rest, once. Then two servers on one database: the run starts on the
 * first and is resumed on the second. Last, a DELETE that stops a run while
 * its tool waits. Offline with the workbook's fake Claude; PGlite unless
 * DATABASE_URL is set.
 *
 * Run it: npm run demo -- 13        (your code)
 *         npm run demo -- 13 --solution
 * The chat page: npm run agent -- --resumable
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { agentScript, QUESTIONS } from "#kit/agent/script.ts";
import { openDatabase } from "#kit/database.ts";
import { demoModel } from "#kit/model.ts";
import { runDemo } from "#kit/run-demo.ts";
import { followEvents } from "#exercises/09-sse/follow.ts";
import type { SseMessage } from "#exercises/09-sse/parse.ts";
import type { AgentOptions } from "#exercises/12-agent/agent.ts";
import { calculator, wait } from "#exercises/12-agent/tools.ts";
import type { RunDatabase } from "#exercises/13-resumable/pg-log.ts";
import { RunRegistry } from "#exercises/13-resumable/runs.ts";
import { createResumableServer } from "#exercises/13-resumable/server.ts";

async function main() {
  await using llm = await demoModel(agentScript, { tokenDelayMs: 10 });
  console.log(`${llm.description}\n`);
  const options: AgentOptions = {
    client: llm.client,
    model: llm.model,
    tools: [calculator, wait],
  };
  await using a = await serve(createResumableServer(options));

  console.log(
    "1. A run, read with followEvents; the network fails after id 8:",
  );
  // #region resume
  const { events } = await startRun(a.url, QUESTIONS[2]!);
  const sent: string[] = []; // the Last-Event-ID of each request
  const flaky: typeof fetch = (url, init) => {
    sent.push(new Headers(init?.headers).get("last-event-id") ?? "none");
    // The first connection breaks right after event 8.
    return sent.length === 1 ? breakAfter("8", url, init) : fetch(url, init);
  };
  const seen: SseMessage[] = [];
  let resumedAt: number | undefined; // the first event of the 2nd connection
  const url = new URL(events, a.url);
  for await (const message of followEvents(url, {
    fetch: flaky,
    retryMs: 100,
  })) {
    if (sent.length > 1) resumedAt ??= seen.length;
    seen.push(message);
    if (["done", "error", "stopped"].includes(message.event)) break;
  }
  // #endregion resume
  print(seen.slice(0, resumedAt));
  console.log(
    `  ✂ the connection broke; followEvents reconnected with ` +
      `Last-Event-ID: ${sent[1]}`,
  );
  print(seen.slice(resumedAt));
  const whole = await readAll(new URL(events, a.url));
  const same = JSON.stringify(whole) === JSON.stringify(seen.map(plain));
  console.log(
    `  a client that never dropped got the same ${whole.length} events: ` +
      (same ? "yes" : "NO"),
  );

  console.log("\n2. Two servers, one database: start on A, resume on B:");
  await using database = await openDatabase({ max: 8 });
  const db = database.db as unknown as RunDatabase;
  const shared = { ...options, db };
  const registries = [new RunRegistry(), new RunRegistry()];
  await using first = await serve(
    createResumableServer({ ...shared, registry: registries[0] }),
  );
  await using second = await serve(
    createResumableServer({ ...shared, registry: registries[1] }),
  );
  const run = await startRun(first.url, QUESTIONS[2]!);
  const onA = await readAll(new URL(run.events, first.url), 5);
  const last = onA.at(-1)?.id ?? "0";
  const onB = await readAll(new URL(run.events, second.url), Infinity, last);
  const ids = [...onA, ...onB].map((m) => Number(m.id));
  const once = ids.every((id, i) => id === i + 1);
  console.log(`  ${database.description}`);
  console.log(`  A sent ids 1 to ${last}, then the client left`);
  console.log(
    `  B, asked with Last-Event-ID: ${last}, sent ids ${onB[0]?.id} to ` +
      `${onB.at(-1)?.id} from the database`,
  );
  console.log(`  every event once, in order: ${once ? "yes" : "NO"}`);
  await Promise.all(registries.map((registry) => registry.close()));

  console.log("\n3. DELETE while the run's wait tool runs:");
  const timer = await startRun(a.url, QUESTIONS[3]!);
  let ended = "";
  for await (const message of followEvents(new URL(timer.events, a.url))) {
    ended = message.event;
    if (ended === "tool_call") {
      const url = new URL(`api/runs/${timer.id}`, a.url);
      const { status } = await fetch(url, { method: "DELETE" });
      console.log(`  DELETE /api/runs/<id> while the tool waits: ${status}`);
    }
    if (["done", "error", "stopped"].includes(ended)) break;
  }
  console.log(`  the run's stream ended with: ${ended}`);
}

/**
 * fetch, with a body that fails right after the event with this id, as a
 * dropped connection does (the real connection is closed too).
 */
async function breakAfter(
  id: string,
  ...args: Parameters<typeof fetch>
): Promise<Response> {
  const response = await fetch(...args);
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  const encoder = new TextEncoder();
  let text = "";
  let sent = 0;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { done, value } = await reader.read();
      if (done) return controller.close();
      text += decoder.decode(value, { stream: true });
      const at = text.indexOf(`\nid: ${id}\n`);
      const end = at === -1 ? -1 : text.indexOf("\n\n", at);
      const upTo = end === -1 ? text.length : end + 2;
      controller.enqueue(encoder.encode(text.slice(sent, upTo)));
      sent = upTo;
      if (end === -1) return;
      await reader.cancel();
      controller.error(new TypeError("network error"));
    },
    cancel: () => reader.cancel(),
  });
  return new Response(body, response);
}

/** Starts a run; the 202's body. */
async function startRun(base: string, question: string) {
  const response = await fetch(new URL("api/runs", base), {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ messages: [{ role: "user", content: question }] }),
  });
  if (response.status !== 202)
    throw new Error(`POST /api/runs answered ${response.status}`);
  return (await response.json()) as { id: string; events: string };
}

/** A run's events from one GET: all of them, or the first `count`. */
async function readAll(url: URL, count = Infinity, after = "0") {
  const seen: SseMessage[] = [];
  const stop = new AbortController();
  const headers = { "Last-Event-ID": after };
  const response = await fetch(url, { headers, signal: stop.signal });
  const { parseEvents } = await import("#exercises/09-sse/parse.ts");
  for await (const message of parseEvents(response.body!)) {
    seen.push(plain(message));
    if (seen.length >= count) break;
  }
  stop.abort();
  return seen;
}

const plain = ({ id, event, data }: SseMessage) => ({ id, event, data });

/** The events, with runs of text shortened to a count. */
function print(messages: SseMessage[]): void {
  let texts: string[] = [];
  const flush = () => {
    if (texts.length === 0) return;
    const span = texts.length === 1 ? texts[0] : `${texts[0]}-${texts.at(-1)}`;
    console.log(`  id ${span!.padEnd(6)} ${texts.length} text events`);
    texts = [];
  };
  for (const { id, event, data } of messages) {
    if (event === "text") {
      texts.push(id);
      continue;
    }
    flush();
    const body = JSON.parse(data) as Record<string, unknown>;
    const detail =
      event === "tool_call"
        ? `${body.name} ${JSON.stringify(body.input)}`
        : event === "tool_result"
          ? String(body.output)
          : event === "done"
            ? `${(body.messages as unknown[]).length} messages`
            : String(body.stopReason ?? "");
    console.log(`  id ${id.padEnd(6)} ${event.padEnd(12)} ${detail}`);
  }
  flush();
}

/** Listens on loopback; disposing it closes every connection. */
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
