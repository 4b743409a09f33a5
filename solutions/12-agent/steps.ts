import type Anthropic from "@anthropic-ai/sdk";
import { chatEvents } from "../10-llm-streaming/chat-events.ts";
import type { AgentEvent } from "./agent.ts";
import type { Tool } from "./tools.ts";

/** How a step reports what happens: `emit`, or nothing (see `runAgent`). */
export type Send = (event: AgentEvent) => Promise<void>;

// #region streamTurn
/**
 * One model call, streamed with lesson 10's `chatEvents`: sends a `text`
 * event per delta and a `tool_call` per tool block as they arrive, and
 * `turn_end` when the model stops. Resolves with the assistant's content
 * blocks, in order (the text joined into text blocks), and its tool calls.
 *
 * @example
 * const { content, calls } = await streamTurn(client, params, send, signal);
 * transcript.push({ role: "assistant", content });
 */
export async function streamTurn(
  client: Anthropic,
  params: Anthropic.MessageCreateParamsNonStreaming,
  send: Send,
  signal?: AbortSignal,
): Promise<{
  content: Anthropic.ContentBlockParam[];
  calls: Anthropic.ToolUseBlockParam[];
}> {
  const content: Anthropic.ContentBlockParam[] = [];
  const calls: Anthropic.ToolUseBlockParam[] = [];
  let text = "";
  // The API refuses empty text blocks: only a non-empty run becomes one.
  const endText = () => {
    if (text !== "") content.push({ type: "text", text });
    text = "";
  };
  for await (const event of chatEvents(client, params, signal)) {
    if (event.type === "text") {
      text += event.delta;
      await send({ type: "text", delta: event.delta });
    } else if (event.type === "tool_use") {
      endText();
      const { id, name, input } = event;
      const call = { type: "tool_use" as const, id, name, input };
      content.push(call);
      calls.push(call);
      await send({ type: "tool_call", id, name, input });
    } else {
      endText();
      await send({ type: "turn_end", stopReason: event.stopReason });
    }
  }
  return { content, calls };
}
// #endregion streamTurn

// #region runTool
/**
 * Runs one tool call and answers its `tool_result` block. A tool that does
 * not exist or that throws is an `is_error` result that says which tool and
 * why: the model reads it and can try again. Only an abort rejects, with
 * `signal.reason`.
 *
 * @example
 * const result = await runTool(call, [calculator, wait], signal);
 * // { type: "tool_result", tool_use_id: call.id, content: "1024" }
 */
export async function runTool(
  call: Anthropic.ToolUseBlockParam,
  tools: readonly Tool[],
  signal: AbortSignal,
): Promise<Anthropic.ToolResultBlockParam & { content: string }> {
  const result = (content: string, isError = false) => ({
    type: "tool_result" as const,
    tool_use_id: call.id,
    content,
    ...(isError ? { is_error: true } : {}),
  });
  const tool = tools.find((t) => t.name === call.name);
  if (!tool) {
    const names = tools.map((t) => t.name).join(", ") || "none";
    return result(`There is no tool "${call.name}" (tools: ${names}).`, true);
  }
  try {
    return result(await tool.run(call.input, signal));
  } catch (error) {
    // Aborted: nobody will read a result. Stop, with the abort's reason.
    signal.throwIfAborted();
    const why = error instanceof Error ? error.message : String(error);
    return result(`The tool ${call.name} failed: ${why}`, true);
  }
}
// #endregion runTool
