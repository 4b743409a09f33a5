// mistake: tokens lose their leading whitespace (text.split(" "))
// expect: a token is a word with the whitespace in front of it
import { sleep } from "../../../solutions/01-coroutines/sleep.ts";

export async function* streamTokens(text: string, delayMs: number, signal?: AbortSignal): AsyncGenerator<string> {
  for (const token of text.split(" ")) {
    await sleep(delayMs, signal);
    yield token;
  }
}
