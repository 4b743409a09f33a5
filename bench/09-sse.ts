/**
 * sendEvents against Hono's streamSSE (on @hono/node-server), over loopback:
 * one HTTP server per contender, the same 20,000 events of 73 to 77 bytes
 * from the same async generator, read to the end by the same client, which
 * counts the events. One run is one whole response.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { createAdaptorServer } from "@hono/node-server";
import { Hono } from "hono";
import { streamSSE } from "hono/streaming";
import { sendEvents } from "#exercises/09-sse/respond.ts";
import type { SseEvent } from "#exercises/09-sse/encode.ts";
import type { Benchmark } from "#kit/bench/harness.ts";

const EVENTS = 20_000;
// 73 to 77 bytes on the wire with its event name and id (1 to 20000): a
// model's token as JSON.
const DATA = JSON.stringify({ type: "text", delta: " streaming", index: 0 });

async function* tokens(): AsyncGenerator<SseEvent> {
  for (let i = 1; i <= EVENTS; i += 1)
    yield { event: "token", id: String(i), data: DATA };
}

/** Starts `server` on loopback, once, and gives its URL. */
function lazily(make: () => http.Server): () => Promise<string> {
  let url: Promise<string> | undefined;
  return () =>
    (url ??= new Promise((resolve) => {
      const server = make();
      server.listen(0, "127.0.0.1", () => {
        const { port } = server.address() as AddressInfo;
        resolve(`http://127.0.0.1:${port}/`);
      });
      server.unref(); // the process ends when the benchmarks do
    }));
}

// A failure inside the handler (a stub's NotStartedError, say) is handed to
// the run, which would otherwise see only a connection cut short.
let failure: unknown;
const ours = lazily(() =>
  http.createServer((_req, res) => {
    sendEvents(res, tokens()).catch((error: unknown) => {
      failure = error;
      res.destroy();
    });
  }),
);

async function ourRun(): Promise<void> {
  try {
    await readAll(await ours());
  } catch (error) {
    throw failure ?? error;
  }
}

const hono = lazily(() => {
  const app = new Hono();
  app.get("/", (c) =>
    streamSSE(c, async (stream) => {
      for await (const event of tokens()) await stream.writeSSE(event);
    }),
  );
  return createAdaptorServer({ fetch: app.fetch }) as http.Server;
});

const agent = new http.Agent({ keepAlive: true });

/** Reads the whole stream and counts its events (blank lines). */
async function readAll(url: string): Promise<void> {
  const response = await new Promise<http.IncomingMessage>((resolve, reject) =>
    http.get(url, { agent }, resolve).on("error", reject),
  );
  response.setEncoding("utf8");
  let events = 0;
  let last = "";
  for await (const text of response as AsyncIterable<string>) {
    const joined = last + text;
    for (
      let i = joined.indexOf("\n\n");
      i !== -1;
      i = joined.indexOf("\n\n", i + 2)
    )
      events += 1;
    last = text.endsWith("\n") && !text.endsWith("\n\n") ? "\n" : "";
  }
  if (events !== EVENTS)
    throw new Error(`the client counted ${events} events, not ${EVENTS}`);
}

export const benchmarks: Benchmark[] = [
  {
    name: `sendEvents: ${EVENTS.toLocaleString("en-US")} events of 73-77 bytes over loopback`,
    exercise: "sendEvents",
    ops: EVENTS,
    op: "one event sent and read",
    ours: ourRun,
    peers: { "hono streamSSE": async () => readAll(await hono()) },
    targets: [
      {
        peer: "hono streamSSE",
        atLeast: 1,
        says: "at least as fast as Hono's streamSSE",
      },
    ],
  },
];
