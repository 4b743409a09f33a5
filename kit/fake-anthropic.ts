/**
 * The workbook's offline Claude: an HTTP server on a free loopback port that
 * speaks the Messages API's wire format, event for event, so the real
 * `@anthropic-ai/sdk` can talk to it through `baseURL`. It plays a script of
 * replies, records every request, and can fail, stall or break on request.
 *
 * @example
 * await using fake = await startFakeAnthropic({
 *   script: [{ content: [{ type: "text", text: "Hello there!" }] }],
 * });
 * const stream = fake.client().messages.stream({
 *   model: "claude-sonnet-5-5",
 *   max_tokens: 1024,
 *   messages: [{ role: "user", content: "Hi" }],
 * });
 * stream.on("text", (delta) => process.stdout.write(delta));
 * await stream.finalMessage();
 */
import Anthropic, { type ClientOptions } from "@anthropic-ai/sdk";
import { createServer, type IncomingMessage } from "node:http";
import type { ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { setImmediate as loopTurn } from "node:timers/promises";
import { problem, sendProblem } from "./fake-anthropic/errors.ts";
import { receive, type Exchange } from "./fake-anthropic/exchange.ts";
import { loopbackFetch } from "./fake-anthropic/fetch.ts";
import { ids, respond } from "./fake-anthropic/respond.ts";
import type {
  FakeAnthropicOptions,
  FakeTurn,
  RecordedRequest,
} from "./fake-anthropic/types.ts";
import { validate } from "./fake-anthropic/validate.ts";

// The script's types: FakeBlock, FakeReply, FakeFailure, FakeTurn, ...
export type * from "./fake-anthropic/types.ts";

/** A running fake server; `await using` closes it. */
export interface FakeAnthropic extends AsyncDisposable {
  /** The baseURL, e.g. "http://127.0.0.1:40123". */
  url: string;
  requests: RecordedRequest[];
  /** A real SDK client pointed at this server (apiKey "sk-fake"); options
   *  override, e.g. { maxRetries: 0 }. It talks over node:http, not the
   *  global fetch, whose own timers fake timers would capture (pass
   *  { fetch: globalThis.fetch } to use it anyway). */
  client(options?: ClientOptions): Anthropic;
  /** Ends every connection and stops listening; no socket or timer is left. */
  close(): Promise<void>;
}

const CREDENTIALS = ["apiKey", "authToken", "credentials", "config", "profile"];

/** Starts a fake Messages API on 127.0.0.1, on a port the OS picks. */
export async function startFakeAnthropic(
  options: FakeAnthropicOptions,
): Promise<FakeAnthropic> {
  const { script, tokenDelayMs = 0, beforeEvent } = options;
  const requests: RecordedRequest[] = [];
  const open = new Set<Exchange>();
  const sockets = new Set<Socket>();
  let accepted = 0;

  async function nextTurn(request: RecordedRequest): Promise<FakeTurn> {
    const index = accepted++;
    if (typeof script === "function") return script(request, index);
    const turn = script[index];
    if (turn) return turn;
    throw new Error(
      `the script has ${script.length} turn(s) and this is request ` +
        `${index + 1}: add a turn, or check for an unexpected retry`,
    );
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const exchange = await receive(req, res);
    if (exchange.stopped.aborted) return; // cut while its body was read
    const number = requests.push(exchange.record);
    open.add(exchange);
    void exchange.record.finished.then(() => open.delete(exchange));
    const { requestId } = ids(number);
    const refused = validate(exchange.record, exchange.jsonError);
    if (refused) return sendProblem(res, requestId, refused);
    let turn: FakeTurn;
    try {
      turn = await nextTurn(exchange.record);
    } catch (error) {
      const why = `The fake server's script failed: ${error}`;
      const noRetry = { "x-should-retry": "false" };
      return sendProblem(res, requestId, problem(500, why, noRetry));
    }
    if (exchange.stopped.aborted) return;
    await respond(res, exchange, number, turn, { tokenDelayMs, beforeEvent });
  }

  const server = createServer((req, res) => {
    // A request whose client vanished mid-body has nothing left to answer.
    handle(req, res).catch(() => res.destroy());
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // The clients' fetch: node:http, which arms no timers a test could fake.
  const transport = loopbackFetch();

  let closing: Promise<void> | undefined;
  async function close(): Promise<void> {
    closing ??= (async () => {
      const stopped = new Promise((resolve) => server.close(resolve));
      server.closeAllConnections();
      // Stops the writers and their timers, and settles every `finished`.
      for (const exchange of open) exchange.cut();
      const closed = [...sockets].map(
        (socket) => new Promise((resolve) => socket.once("close", resolve)),
      );
      await Promise.all([...closed, transport.destroy(), stopped]);
      // The listening handle is freed one turn after its `close` event.
      // (node:timers/promises, which fake timers leave alone.)
      await loopTurn();
    })();
    return closing;
  }

  return {
    url,
    requests,
    client(clientOptions = {}) {
      const given = CREDENTIALS.some((name) => name in clientOptions);
      const apiKey = given ? {} : { apiKey: "sk-fake" };
      const { fetch } = transport;
      return new Anthropic({
        baseURL: url,
        fetch,
        ...apiKey,
        ...clientOptions,
      });
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}
