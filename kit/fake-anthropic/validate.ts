/**
 * What the real API refuses before it runs the model, with its messages:
 * the route, the credentials, the version header, the JSON body, the required
 * fields, fields this API version does not take, and tool results that answer
 * no tool call.
 */
import { problem, type Problem } from "./errors.ts";
import type { RecordedRequest } from "./types.ts";

/** The body fields of the 2026-10-21 Messages API (the SDK's params). */
const KNOWN_FIELDS = new Set([
  "max_tokens",
  "messages",
  "model",
  "cache_control",
  "container",
  "diagnostics",
  "inference_geo",
  "metadata",
  "output_config",
  "service_tier",
  "speed",
  "stop_sequences",
  "stream",
  "system",
  "thinking",
  "tool_choice",
  "tools",
  "user_profile_id",
  "workspace_id",
]);

/**
 * The first reason the API would refuse this request, if any. `jsonError` is
 * why the body did not parse.
 */
export function validate(
  request: RecordedRequest,
  jsonError = "expected an object",
): Problem | undefined {
  const { method, path, headers, body } = request;
  if (path !== "/v1/messages") return problem(404, "Not Found");
  if (method !== "POST") {
    return problem(405, "Method Not Allowed", { allow: "POST" });
  }
  const bearer = /^Bearer \S/i.test(headers["authorization"] ?? "");
  if (!headers["x-api-key"] && !bearer) {
    return problem(401, "x-api-key header is required");
  }
  if (!headers["anthropic-version"]) {
    return problem(400, "anthropic-version: header is required");
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    return problem(400, `The request body is not valid JSON: ${jsonError}`);
  }
  return checkFields(body) ?? checkToolResults(body.messages);
}

function checkFields(body: Record<string, unknown>): Problem | undefined {
  for (const field of ["max_tokens", "messages", "model"]) {
    if (!(field in body)) return problem(400, `${field}: Field required`);
  }
  if (!Number.isInteger(body.max_tokens)) {
    return problem(400, "max_tokens: Input should be a valid integer");
  }
  if (!Array.isArray(body.messages)) {
    return problem(400, "messages: Input should be a valid list");
  }
  if (typeof body.model !== "string") {
    return problem(400, "model: Input should be a valid string");
  }
  // temperature among them: this API version no longer takes it.
  const extra = Object.keys(body).find((key) => !KNOWN_FIELDS.has(key));
  if (extra) return problem(400, `${extra}: Extra inputs are not permitted`);
  return undefined;
}

type Block = { type?: string; id?: string; tool_use_id?: string };
type Turn = { role?: string; content?: unknown };

function blocks(turn: Turn | undefined, type: string): Block[] {
  const content = Array.isArray(turn?.content) ? turn.content : [];
  return content.filter((block: Block) => block?.type === type);
}

/**
 * Every `tool_result` answers a `tool_use` of the message just before it
 * (checked first: a wrong id is the likelier mistake), and every `tool_use`
 * followed by a message is answered there.
 */
function checkToolResults(messages: Turn[]): Problem | undefined {
  for (const [i, turn] of messages.entries()) {
    const asked = blocks(messages[i - 1], "tool_use").map((b) => b.id);
    const content = Array.isArray(turn?.content) ? turn.content : [];
    for (const [j, block] of content.entries()) {
      if (block?.type !== "tool_result") continue;
      if (asked.includes(block.tool_use_id)) continue;
      return problem(
        400,
        `messages.${i}.content.${j}: unexpected \`tool_use_id\` found in ` +
          `\`tool_result\` blocks: ${block.tool_use_id}. Each ` +
          "`tool_result` block must have a corresponding `tool_use` block " +
          "in the previous message.",
      );
    }
  }
  for (const [i, turn] of messages.slice(0, -1).entries()) {
    const answered = blocks(messages[i + 1], "tool_result").map(
      (b) => b.tool_use_id,
    );
    const open = blocks(turn, "tool_use").filter(
      (b) => !answered.includes(b.id),
    );
    if (open.length === 0) continue;
    return problem(
      400,
      `messages.${i}: \`tool_use\` ids were found without \`tool_result\` ` +
        `blocks immediately after: ${open.map((b) => b.id).join(", ")}. ` +
        "Each `tool_use` block must have a corresponding `tool_result` " +
        "block in the next message.",
    );
  }
  return undefined;
}
