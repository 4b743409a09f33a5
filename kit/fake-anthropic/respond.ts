/**
 * Answers an accepted request with its scripted turn: an HTTP failure, a
 * stream of events, or one JSON Message.
 */
import type { ServerResponse } from "node:http";
import { FAILURE_MESSAGES, problem, sendProblem } from "./errors.ts";
import type { Exchange } from "./exchange.ts";
import { writeStream, type StreamOptions } from "./stream.ts";
import { streamEvents, wholeMessage, type Turn } from "./turns.ts";
import type { FakeFailure, FakeTurn } from "./types.ts";

/** Ids that tie a response to its place in `requests` (1 = the first). */
export function ids(number: number) {
  return {
    requestId: `req_fake_${number}`,
    messageId: `msg_fake_${number}`,
    toolPrefix: String(number),
  };
}

/** A rough token count, from the size of what the model would read. */
function inputTokens(body: Record<string, unknown>): number {
  const read = [body.system ?? "", body.messages, body.tools ?? []];
  return Math.max(1, Math.ceil(JSON.stringify(read).length / 4));
}

function isFailure(turn: FakeTurn): turn is FakeFailure {
  return "status" in turn;
}

/** Sends `turn` as the answer to the exchange's request. */
export async function respond(
  res: ServerResponse,
  exchange: Exchange,
  number: number,
  turn: FakeTurn,
  options: StreamOptions,
): Promise<void> {
  const { requestId, messageId, toolPrefix } = ids(number);
  if (isFailure(turn)) return sendFailure(res, requestId, turn);
  const body = exchange.record.body;
  const scripted: Turn = {
    reply: turn,
    id: messageId,
    model: body.model,
    inputTokens: inputTokens(body),
    requestStop: body.stop_sequences?.[0] ?? null,
    toolPrefix,
  };
  if (body.stream !== true) return sendMessage(res, requestId, scripted);
  res.writeHead(200, {
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-cache",
    "request-id": requestId,
  });
  res.flushHeaders();
  await writeStream(res, exchange, turn, streamEvents(scripted), options);
}

function sendFailure(
  res: ServerResponse,
  requestId: string,
  failure: FakeFailure,
): void {
  const headers: Record<string, string> = {
    "retry-after-ms": String(failure.retryAfterMs ?? 1),
  };
  if (failure.shouldRetry === false) headers["x-should-retry"] = "false";
  const { status } = failure;
  const message =
    FAILURE_MESSAGES[status === 529 ? "overloaded_error" : "api_error"];
  sendProblem(res, requestId, problem(status, message, headers));
}

/** A non-streaming answer; a reply meant to break breaks here too. */
function sendMessage(res: ServerResponse, requestId: string, turn: Turn) {
  const { streamError, endAfterEvents } = turn.reply;
  if (streamError) {
    const type = streamError.type ?? "overloaded_error";
    const status = type === "overloaded_error" ? 529 : 500;
    const message = streamError.message ?? FAILURE_MESSAGES[type];
    const noRetry = { "x-should-retry": "false" };
    return sendProblem(res, requestId, problem(status, message, noRetry));
  }
  const json = JSON.stringify(wholeMessage(turn));
  res.writeHead(200, {
    "content-type": "application/json",
    "request-id": requestId,
  });
  // A truncated body: the SDK fails to parse it, as it would on the wire.
  const cut = endAfterEvents === undefined ? json.length : json.length / 2;
  res.end(json.slice(0, Math.floor(cut)));
}
