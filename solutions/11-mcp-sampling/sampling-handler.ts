import type Anthropic from "@anthropic-ai/sdk";
import {
  ErrorCode,
  McpError,
  type CreateMessageRequest,
  type CreateMessageResult,
} from "@modelcontextprotocol/sdk/types.js";

// #region SamplingHandler
/**
 * Answers a server's `sampling/createMessage` request: what
 * `createSamplingHandler` returns and `connectClient` installs.
 */
export type SamplingHandler = (
  request: CreateMessageRequest,
  extra: { signal: AbortSignal },
) => Promise<CreateMessageResult>;
// #endregion SamplingHandler

// #region createSamplingHandler
/**
 * Turns an MCP sampling request into one call of the Messages API and its
 * reply into MCP's answer. The messages (text only), `systemPrompt`,
 * `maxTokens` (at most `maxTokensCap`, 4,096 by default) and `stopSequences`
 * are passed on; MCP's `temperature` is accepted and dropped, because the
 * 2026-10-21 Messages API refuses it. `extra.signal` goes to the SDK, so a
 * cancelled request aborts the HTTP call. The answer names the model the API
 * says it used, and maps `end_turn`, `max_tokens` and `stop_sequence` to MCP's
 * `endTurn`, `maxTokens` and `stopSequence` (others pass unchanged).
 *
 * @throws McpError (InvalidParams, as a rejection, before any HTTP call) for a
 * message with content other than text.
 *
 * @example
 * const handler = createSamplingHandler(new Anthropic(), {
 *   model: "claude-sonnet-5-5",
 * });
 * client.setRequestHandler(CreateMessageRequestSchema, handler);
 */
export function createSamplingHandler(
  client: Anthropic,
  options: { model: string; maxTokensCap?: number },
): SamplingHandler {
  const { model, maxTokensCap = 4_096 } = options;
  return async (request, extra) => {
    const { messages, systemPrompt, maxTokens, stopSequences } = request.params;
    // Map everything first: a message we cannot send must fail here, before
    // the request costs anything. `temperature` is left out on purpose.
    const params: Anthropic.MessageCreateParamsNonStreaming = {
      model,
      max_tokens: Math.min(maxTokens, maxTokensCap),
      messages: messages.map(toMessageParam),
    };
    if (systemPrompt !== undefined) params.system = systemPrompt;
    if (stopSequences?.length) params.stop_sequences = stopSequences;

    // The signal is what turns a cancelled MCP request into a closed socket.
    const reply = await client.messages.create(params, {
      signal: extra.signal,
    });
    const text = reply.content
      .flatMap((block) => (block.type === "text" ? [block.text] : []))
      .join("");
    const result: CreateMessageResult = {
      role: "assistant",
      content: { type: "text", text },
      // The reply's name for it: the model that actually wrote the text.
      model: reply.model,
    };
    if (reply.stop_reason !== null)
      result.stopReason =
        STOP_REASONS.get(reply.stop_reason) ?? reply.stop_reason;
    return result;
  };
}
// #endregion createSamplingHandler

// #region helpers
// A Map, not an object literal: STOP_REASONS["constructor"] would be a
// function if an API ever sent that word.
const STOP_REASONS = new Map<string, string>([
  ["end_turn", "endTurn"],
  ["max_tokens", "maxTokens"],
  ["stop_sequence", "stopSequence"],
]);

type SamplingMessage = CreateMessageRequest["params"]["messages"][number];

/** One MCP message as a Messages API message; text content only. */
function toMessageParam(
  message: SamplingMessage,
  index: number,
): Anthropic.MessageParam {
  const blocks = Array.isArray(message.content)
    ? message.content
    : [message.content];
  return {
    role: message.role,
    content: blocks.map((block): Anthropic.TextBlockParam => {
      if (block.type === "text") return { type: "text", text: block.text };
      throw new McpError(
        ErrorCode.InvalidParams,
        `This client samples text only: message ${index + 1} has ` +
          `${block.type} content`,
      );
    }),
  };
}
// #endregion helpers
