// mistake: streamTokens waits after each token instead of before it (the first token comes at once)
// expect: the first token came before delayMs had passed
import { sleep } from "../../../solutions/01-coroutines/sleep.ts";

export async function* streamTokens(text: string, delayMs: number, signal?: AbortSignal): AsyncGenerator<string> {
  for (const token of text.match(/\s*\S+|\s+$/g) ?? []) {
    yield token;
    await sleep(delayMs, signal);
  }
}
