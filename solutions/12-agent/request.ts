import type Anthropic from "@anthropic-ai/sdk";
import type http from "node:http";

// #region HttpError
/** A request the server refuses: `status` and a message for the client. */
export class HttpError extends Error {
  override name = "HttpError";

  constructor(
    readonly status: number,
    message: string,
    /** Extra response headers, such as `Allow` for a 405. */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}
// #endregion HttpError

/** The largest body `POST /api/chat` reads: 64 KiB. */
export const MAX_BODY_BYTES = 64 * 1024;

// #region readChatRequest
/**
 * Reads and checks the body of `POST /api/chat`: JSON of the shape
 * `{ "messages": [{ "role": "user" | "assistant", "content": ... }] }`.
 * Resolves with the messages, or rejects with an `HttpError`: 415 unless the
 * content type is JSON, 413 over 64 KiB (declared or streamed: it stops
 * reading there), 400 for malformed JSON, a `__proto__` key anywhere, or a
 * wrong shape (no messages, another role, empty content).
 *
 * @example
 * const messages = await readChatRequest(req); // throws an HttpError
 */
export async function readChatRequest(
  req: http.IncomingMessage,
): Promise<Anthropic.MessageParam[]> {
  const type = req.headers["content-type"]?.split(";")[0]?.trim();
  if (type?.toLowerCase() !== "application/json")
    throw new HttpError(415, "send the request as application/json");
  // A declared length is checked before reading a byte; a chunked body (no
  // length) or a lying one is counted as it comes.
  if (Number(req.headers["content-length"] ?? 0) > MAX_BODY_BYTES)
    throw new HttpError(413, "the request is larger than 64 KiB");
  const text = await readBody(req);
  let body: unknown;
  try {
    body = JSON.parse(text, (key, value) => {
      // JSON.parse makes "__proto__" an own key, harmless until a merge
      // copies it with assignment (Object.assign, a deep merge): then it
      // sets the target's prototype. Nothing here needs it: refuse it.
      if (key === "__proto__") throw new HttpError(400, "__proto__ keys");
      return value as unknown;
    });
  } catch (error) {
    if (error instanceof HttpError)
      throw new HttpError(400, "a __proto__ key is not allowed");
    throw new HttpError(400, "the body is not valid JSON");
  }
  return checkMessages(body);
}
// #endregion readChatRequest

// #region readBody
/**
 * The body as text, read until its end or until it passes 64 KiB. Leaving
 * the loop early (the throw) destroys the request stream but not the
 * connection: Node detaches the socket from a server's request before it
 * destroys it, so the 413 still goes out. A client that leaves halfway
 * makes the loop throw; that is a request that ended early, not a failure
 * of the server.
 */
async function readBody(req: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > MAX_BODY_BYTES)
        throw new HttpError(413, "the request is larger than 64 KiB");
      chunks.push(chunk);
    }
  } catch (error) {
    if (error instanceof HttpError || req.complete) throw error;
    throw new HttpError(400, "the request ended before its body did");
  }
  return Buffer.concat(chunks).toString("utf8");
}
// #endregion readBody

// #region checkMessages
const ROLES = new Set(["user", "assistant"]);
const BLOCKS = new Set(["text", "tool_use", "tool_result"]);

/** The shape check, with a message that says what is wrong. */
function checkMessages(body: unknown): Anthropic.MessageParam[] {
  const messages = (body as { messages?: unknown } | null)?.messages;
  if (!Array.isArray(messages) || messages.length === 0)
    throw new HttpError(400, "messages must be a non-empty array");
  messages.forEach((message: unknown, i) => {
    const { role, content } = (message ?? {}) as Record<string, unknown>;
    if (typeof role !== "string" || !ROLES.has(role))
      throw new HttpError(400, `messages[${i}].role must be user or assistant`);
    const blocksOk =
      Array.isArray(content) &&
      content.length > 0 &&
      content.every((block: { type?: unknown } | null) =>
        BLOCKS.has(String(block?.type)),
      );
    if (!(typeof content === "string" && content.trim() !== "") && !blocksOk)
      throw new HttpError(
        400,
        `messages[${i}].content must be text or text, tool_use and ` +
          "tool_result blocks, and not empty",
      );
  });
  return messages as Anthropic.MessageParam[];
}
// #endregion checkMessages
