/**
 * Lesson 09 demo: a countdown streamed as Server-Sent Events, read by a
 * curl-like client that prints every line as it arrives (heartbeats
 * included); then a server that drops the connection half-way, and
 * followEvents reconnecting with Last-Event-ID and going on where it stopped.
 *
 * Run it: npm run demo -- 09        (your code)
 *         npm run demo -- 09 --solution
 */
import http from "node:http";
import { setTimeout as delay } from "node:timers/promises";
import { runDemo } from "#kit/run-demo.ts";
import { listen } from "#exercises/05-resources/server.ts";
import type { SseEvent } from "#exercises/09-sse/encode.ts";
import { followEvents } from "#exercises/09-sse/follow.ts";
import { sendEvents } from "#exercises/09-sse/respond.ts";

const STEP_MS = 40; // between two numbers of the countdown

/**
 * 3, 2, 1, liftoff: each number's id is the number itself. The first event
 * also tells the client to wait 200 ms before it reconnects.
 */
async function* countdown(
  from: number,
  pause: (n: number) => number = () => STEP_MS,
): AsyncGenerator<SseEvent> {
  for (let n = from; n >= 0; n -= 1) {
    await delay(pause(n));
    const data = n === 0 ? "liftoff" : String(n);
    yield { id: String(n), data, ...(n === from && { retry: 200 }) };
  }
}

/** Like `curl -N -i`: the status, the headers, then each line as it comes. */
function curl(url: URL): Promise<void> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent: false }, (res) => {
        console.log(`  │ HTTP/1.1 ${res.statusCode} ${res.statusMessage}`);
        for (let i = 0; i < res.rawHeaders.length; i += 2) {
          const [name, value] = res.rawHeaders.slice(i, i + 2);
          if (name !== "Date") console.log(`  │ ${name}: ${value}`);
        }
        console.log("  │");
        let partial = "";
        res.setEncoding("utf8").on("data", (text: string) => {
          const lines = (partial + text).split("\n");
          partial = lines.pop()!;
          for (const line of lines) console.log(`  │ ${line}`.trimEnd());
        });
        res.on("end", resolve);
      })
      .on("error", reject);
  });
}

async function main() {
  console.log("1. A countdown as an event stream, read like `curl -N -i`:\n");
  {
    // The last pause is long enough for two heartbeats.
    const pause = (n: number) => (n === 0 ? 250 : STEP_MS);
    await using app = await listen(
      (_req, res) =>
        void sendEvents(res, countdown(3, pause), { heartbeatMs: 100 }),
    );
    await curl(app.url);
  }

  console.log(
    "\n2. followEvents against a server that drops the connection " +
      "after id 3:\n",
  );
  // #region reconnect
  let connections = 0;
  let droppedAt = 0;
  await using app = await listen((req, res) => {
    connections += 1;
    const lastId = req.headers["last-event-id"];
    const from = lastId === undefined ? 5 : Number(lastId) - 1;
    const after = droppedAt
      ? ` (${Math.round(performance.now() - droppedAt)} ms after the drop)`
      : "";
    console.log(`  server: connection ${connections}${after}`);
    console.log(
      `  server: Last-Event-ID: ${lastId ?? "(none)"}, so counting down ` +
        `from ${from}`,
    );
    async function* events(): AsyncGenerator<SseEvent> {
      for await (const event of countdown(from)) {
        if (connections === 1 && event.id === "2") {
          console.log("  server: drops the connection (a crash, a deploy)");
          droppedAt = performance.now();
          res.socket?.destroy();
          return;
        }
        yield event;
      }
    }
    void sendEvents(res, events());
  });

  // No retryMs: the server's retry: (200 ms) replaces the default 3 s.
  for await (const message of followEvents(app.url)) {
    console.log(`  client: ${message.data.padEnd(7)} id "${message.id}"`);
    if (message.data === "liftoff") break;
  }
  // #endregion reconnect
}

runDemo(main);
