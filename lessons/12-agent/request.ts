import type Anthropic from "@anthropic-ai/sdk";
import type http from "node:http";
import { todo } from "#kit/todo.ts";

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
  todo("Check type and size, parse JSON (no __proto__), check the shape");
}
// #endregion readChatRequest
