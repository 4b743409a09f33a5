/**
 * The Messages API's bytes: SSE frames, and the JSON of a message and its
 * usage, with every field the SDK's types declare, in the order the real API
 * sends them (`fixtures/` holds two whole streams). The real API also pads
 * some `data:` lines with spaces before the last brace; JSON does not care,
 * and the fake sends none, so its bytes stay predictable.
 */

/** One server-sent event before it is written. */
export interface WireEvent {
  type: string;
  data: Record<string, unknown>;
}

/**
 * The frame of one event: its `event:` line (the SDK ignores events without
 * one), its `data:` line, and the blank line that ends it.
 */
export function sseFrame({ type, data }: WireEvent): string {
  // The real API writes ping's JSON with a space, unlike every other event.
  const json = type === "ping" ? '{"type": "ping"}' : JSON.stringify(data);
  return `event: ${type}\ndata: ${json}\n\n`;
}

/** The identity of one reply: the same in its stream and its JSON. */
export interface ReplyIdentity {
  id: string;
  model: string;
  inputTokens: number;
}

/** `Usage`: what `message_start` and a non-streaming Message carry. */
export function usage(inputTokens: number, outputTokens: number) {
  return {
    input_tokens: inputTokens,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: 0,
    cache_creation: {
      ephemeral_5m_input_tokens: 0,
      ephemeral_1h_input_tokens: 0,
    },
    output_tokens: outputTokens,
    output_tokens_details: null,
    server_tool_use: null,
    service_tier: "standard",
    inference_geo: "not_available",
    speed: "standard",
  };
}

/** `MessageDeltaUsage`: the cumulative totals in `message_delta`. */
export function deltaUsage(inputTokens: number, outputTokens: number) {
  return {
    input_tokens: inputTokens,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: 0,
    output_tokens: outputTokens,
    output_tokens_details: null,
    server_tool_use: null,
  };
}

/** How a reply ended, as `message_delta.delta` and the Message say it. */
export interface Ending {
  stop_reason: string | null;
  stop_sequence: string | null;
}

/** A `Message`: empty and unfinished in `message_start`, whole otherwise. */
export function message(
  reply: ReplyIdentity,
  content: unknown[],
  ending: Ending,
  outputTokens: number,
) {
  return {
    model: reply.model,
    id: reply.id,
    type: "message",
    role: "assistant",
    content,
    stop_reason: ending.stop_reason,
    stop_sequence: ending.stop_sequence,
    stop_details: null,
    container: null,
    usage: usage(reply.inputTokens, outputTokens),
    diagnostics: null,
  };
}

/** `message_delta.delta`: the stop reason and its companions. */
export function messageDelta(ending: Ending) {
  return { ...ending, stop_details: null, container: null };
}

/** The API's error JSON, for an HTTP error body or an `event: error`. */
export function errorBody(
  type: string,
  errorMessage: string,
  requestId?: string,
) {
  const body = { type: "error", error: { type, message: errorMessage } };
  return requestId === undefined ? body : { ...body, request_id: requestId };
}
