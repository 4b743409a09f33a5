import type Anthropic from "@anthropic-ai/sdk";
import { todo } from "#kit/todo.ts";

// #region streamText
/**
 * Streams a model's answer to one prompt: yields the text deltas in order, as
 * they arrive, the first one long before the reply is complete. The twin of a
 * FastAPI endpoint that yields tokens from the model all the way up.
 *
 * `maxTokens` defaults to 1,024. A consumer that stops early (`break`,
 * `return` or a throw in its loop) closes the HTTP request, and so does an
 * abort of `signal`, which rejects the pending `next()` with `signal.reason`.
 * A reply cut off before its end throws instead of ending quietly.
 *
 * @example
 * const answer = streamText(client, { model, prompt: "Why stream?" });
 * for await (const text of answer) process.stdout.write(text);
 */
export async function* streamText(
  client: Anthropic,
  params: {
    model: string;
    prompt: string;
    system?: string;
    maxTokens?: number;
  },
  signal?: AbortSignal,
): AsyncGenerator<string> {
  todo("Stream with messages.stream({ signal }); yield each text delta.");
}
// #endregion streamText
