// mistake: streamTokens does not pass the signal to sleep, so abort does not stop it
// expect: pass the signal to sleep
import { sleep } from "../../../solutions/01-coroutines/sleep.ts";

export async function* streamTokens(text: string, delayMs: number, signal?: AbortSignal): AsyncGenerator<string> {
  for (const token of text.match(/\s*\S+|\s+$/g) ?? []) {
    if (signal?.aborted) return;
    await sleep(delayMs);
    yield token;
  }
}
