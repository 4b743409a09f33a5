import type Anthropic from "@anthropic-ai/sdk";

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
  // One JSON buffer per tool block, by the block's index: blocks can follow
  // each other, and each one's pieces belong to it alone.
  const tools = new Map<number, { id: string; name: string; json: string }>();
  const usage = { inputTokens: 0, outputTokens: 0 };
  let stopReason: string | null = null;
  let complete = false;
  try {
    const stream = await client.messages.create(
      { ...params, stream: true },
      { signal },
    );
    for await (const event of stream) {
      // Events read before an abort are not handed out after it.
      signal?.throwIfAborted();
      switch (event.type) {
        case "message_start":
          usage.inputTokens = event.message.usage.input_tokens;
          break;
        case "content_block_start":
          if (event.content_block.type === "tool_use") {
            const { id, name } = event.content_block;
            tools.set(event.index, { id, name, json: "" });
          }
          break;
        case "content_block_delta":
          if (event.delta.type === "text_delta") {
            yield { type: "text", delta: event.delta.text };
          } else if (event.delta.type === "input_json_delta") {
            // A piece is rarely valid JSON on its own: parse at the end.
            const tool = tools.get(event.index);
            if (tool) tool.json += event.delta.partial_json;
          }
          break;
        case "content_block_stop": {
          const tool = tools.get(event.index);
          if (!tool) break;
          tools.delete(event.index);
          const input: unknown = tool.json === "" ? {} : JSON.parse(tool.json);
          yield { type: "tool_use", id: tool.id, name: tool.name, input };
          break;
        }
        case "message_delta":
          // Cumulative: message_start's output_tokens is only a start (1).
          stopReason = event.delta.stop_reason;
          usage.outputTokens = event.usage.output_tokens;
          usage.inputTokens = event.usage.input_tokens ?? usage.inputTokens;
          break;
        case "message_stop":
          complete = true;
          break;
      }
    }
  } catch (error) {
    // create() rejects with the SDK's APIUserAbortError when the signal
    // aborts before the response starts.
    if (signal?.aborted) throw signal.reason;
    throw error;
  }
  // The raw iterator ends quietly when the signal aborts mid-stream.
  signal?.throwIfAborted();
  if (!complete) {
    throw new Error(
      "The stream ended before message_stop: the reply is cut off",
    );
  }
  yield { type: "done", stopReason, usage };
}
// #endregion chatEvents
