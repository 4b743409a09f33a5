// mistake: streamTokens stops with a new Error instead of signal.reason
// expect: not a new Error
import { sleep } from "../../../solutions/01-coroutines/sleep.ts";

export async function* streamTokens(text: string, delayMs: number, signal?: AbortSignal): AsyncGenerator<string> {
  for (const token of text.match(/\s*\S+|\s+$/g) ?? []) {
    try {
      await sleep(delayMs, signal);
    } catch {
      throw new Error("aborted");
    }
    yield token;
  }
}
