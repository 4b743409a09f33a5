import { todo } from "#kit/todo.ts";
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
  todo("Return a handler: map the request, call the API, map the reply.");
}
// #endregion createSamplingHandler
