import type Anthropic from "@anthropic-ai/sdk";
import { todo } from "#kit/todo.ts";
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
  todo("Read chatEvents: send each event, collect the content blocks");
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
  todo("Run the named tool; a missing tool or a throw is an is_error");
}
// #endregion runTool
