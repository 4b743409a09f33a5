import { todo } from "#kit/todo.ts";
import { sleep } from "../01-coroutines/sleep.ts";

// #region streamTokens
/**
 * A fake language model: yields `text` one word token at a time, waiting
 * `delayMs` before each. A token keeps the whitespace in front of it
 * (`"Hello"`, `" world"`), as a real model's tokens do, so joined the tokens
 * give back `text` exactly.
 *
 * Aborting `signal` stops the stream: the pending `next()` rejects with
 * `signal.reason` and no timer is left behind.
 *
 * @example
 * for await (const token of streamTokens("Hello, async world!", 50)) {
 *   process.stdout.write(token);
 * }
 */
export async function* streamTokens(
  text: string,
  delayMs: number,
  signal?: AbortSignal,
): AsyncGenerator<string> {
  todo("Split text into tokens with their leading space; sleep, yield each.");
}
// #endregion streamTokens
