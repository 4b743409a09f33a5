/**
 * A scripted reply turned into what the model would send: its content blocks
 * cut into deltas, the stream's events in the API's order, and the whole
 * Message for a non-streaming request.
 */
import type { FakeBlock, FakeReply } from "./types.ts";
import {
  deltaUsage,
  message,
  messageDelta,
  type Ending,
  type ReplyIdentity,
  type WireEvent,
} from "./wire.ts";

/** Word-sized pieces, each word with its leading space; they join back. */
export function textChunks(text: string | string[]): string[] {
  if (Array.isArray(text)) return text;
  const words = text.match(/\s*\S+|\s+$/g);
  return words ?? [text];
}

/**
 * `""` first (as the API sends it), then the JSON in pieces of at most 10
 * characters, never cut inside an escape sequence (`\"`, `\u0001`) or a
 * surrogate pair, so every prefix is something a partial-JSON parser reads.
 * A tool called with no arguments gets the `""` alone, as from the API: the
 * joined pieces are then empty, not `{}`.
 */
export function jsonChunks(input: unknown): string[] {
  const json = JSON.stringify(input);
  if (json === "{}") return [""];
  const size = Math.min(10, Math.ceil(json.length / 2));
  const pieces = [""];
  let start = 0;
  let i = 0;
  while (i < json.length) {
    i += unitLength(json, i);
    if (i - start >= size || i >= json.length) {
      pieces.push(json.slice(start, i));
      start = i;
    }
  }
  return pieces;
}

/** How many UTF-16 units, from `i`, must stay together. */
function unitLength(json: string, i: number): number {
  if (json[i] === "\\") return json[i + 1] === "u" ? 6 : 2;
  const code = json.charCodeAt(i);
  return code >= 0xd800 && code <= 0xdbff ? 2 : 1;
}

/** The block as `content_block_start` announces it: still empty. */
function emptyBlock(block: FakeBlock, id: string) {
  if (block.type === "text") return { type: "text", text: "" };
  return {
    type: "tool_use",
    id,
    name: block.name,
    input: {},
    caller: { type: "direct" },
  };
}

/** The block as the finished Message holds it. */
function wholeBlock(block: FakeBlock, id: string) {
  if (block.type === "text") {
    return { type: "text", text: textChunks(block.text).join("") };
  }
  return { ...emptyBlock(block, id), input: block.input };
}

function deltas(block: FakeBlock): Record<string, string>[] {
  return block.type === "text"
    ? textChunks(block.text).map((text) => ({ type: "text_delta", text }))
    : jsonChunks(block.input).map((partial_json) => ({
        type: "input_json_delta",
        partial_json,
      }));
}

/** A reply with everything it needs to be written out. */
export interface Turn extends ReplyIdentity {
  reply: FakeReply;
  /** The default stop sequence: the request's first `stop_sequences`. */
  requestStop: string | null;
  /** Tool ids default to `toolu_fake_<toolPrefix>_<block index>`. */
  toolPrefix: string;
}

function ending({ reply, requestStop }: Turn): Ending {
  const hasTool = reply.content.some((block) => block.type === "tool_use");
  const stop_reason = reply.stopReason ?? (hasTool ? "tool_use" : "end_turn");
  const stop_sequence =
    stop_reason === "stop_sequence"
      ? (reply.stopSequence ?? requestStop)
      : null;
  return { stop_reason, stop_sequence };
}

function toolId(turn: Turn, block: FakeBlock, index: number): string {
  const id = block.type === "tool_use" ? block.id : undefined;
  return id ?? `toolu_fake_${turn.toolPrefix}_${index}`;
}

/**
 * The stream of a reply, event for event: message_start, then per block a
 * content_block_start, its deltas and a content_block_stop (a `ping` right
 * after the first block starts), then message_delta and message_stop.
 * `output_tokens` counts one per delta.
 */
export function streamEvents(turn: Turn): WireEvent[] {
  const events: WireEvent[] = [];
  const add = (type: string, fields: Record<string, unknown> = {}) =>
    events.push({ type, data: { type, ...fields } });
  const none: Ending = { stop_reason: null, stop_sequence: null };
  add("message_start", { message: message(turn, [], none, 1) });
  let outputTokens = 0;
  turn.reply.content.forEach((block, index) => {
    const content_block = emptyBlock(block, toolId(turn, block, index));
    add("content_block_start", { index, content_block });
    if (index === 0) add("ping");
    for (const delta of deltas(block)) {
      add("content_block_delta", { index, delta });
      outputTokens += 1;
    }
    add("content_block_stop", { index });
  });
  if (turn.reply.content.length === 0) add("ping");
  add("message_delta", {
    delta: messageDelta(ending(turn)),
    usage: deltaUsage(turn.inputTokens, Math.max(outputTokens, 1)),
  });
  add("message_stop");
  return events;
}

/** The non-streaming answer: the same reply as one Message. */
export function wholeMessage(turn: Turn) {
  const content = turn.reply.content.map((block, index) =>
    wholeBlock(block, toolId(turn, block, index)),
  );
  const outputTokens = turn.reply.content.flatMap(deltas).length;
  return message(turn, content, ending(turn), Math.max(outputTokens, 1));
}
