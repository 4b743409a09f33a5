import type Anthropic from "@anthropic-ai/sdk";
import { todo } from "#kit/todo.ts";

// #region ChatEvent
/**
 * What a model's turn is made of, for a caller that acts on it as it comes:
 * pieces of text, whole tool calls, and the end of the turn.
 */
export type ChatEvent =
  | { type: "text"; delta: string }
  | { type: "tool_use"; id: string; name: string; input: unknown }
  | {
      type: "done";
      stopReason: string | null;
      usage: { inputTokens: number; outputTokens: number };
    };
// #endregion ChatEvent

// #region chatEvents
/**
 * Runs one turn of a conversation as a stream of `ChatEvent`s, read from the
 * raw stream events of `messages.create({ stream: true })`: text deltas as
 * they arrive; each tool call once, when its block ends, with its input
 * parsed from the joined `partial_json` pieces (no pieces: `{}`); then `done`,
 * last, with the stop reason and the final usage.
 *
 * A stream that ends before `message_stop` throws: a cut-off reply is not a
 * finished one. An abort of `signal` rejects with `signal.reason` and closes
 * the HTTP request, as does a consumer that stops early.
 *
 * @example
 * for await (const event of chatEvents(client, params, signal)) {
 *   if (event.type === "text") process.stdout.write(event.delta);
 *   if (event.type === "tool_use") calls.push(event);
 * }
 */
export async function* chatEvents(
  client: Anthropic,
  params: Anthropic.MessageCreateParamsNonStreaming,
  signal?: AbortSignal,
): AsyncGenerator<ChatEvent> {
  todo("Read create({ stream: true }) events; yield text, tools, then done.");
}
// #endregion chatEvents
