/**
 * How demos get a model: the real API when `ANTHROPIC_API_KEY` is set, else
 * the workbook's fake server playing a scripted conversation. Either way the
 * demo's first line says which one it talks to.
 */
import Anthropic from "@anthropic-ai/sdk";
import {
  startFakeAnthropic,
  type FakeAnthropicOptions,
  type RecordedRequest,
} from "./fake-anthropic.ts";

/** A current model that the SDK does not warn about as deprecated. */
export const DEFAULT_MODEL = "claude-sonnet-5-5";

/** A client and a model name for a demo; `await using` cleans up. */
export interface DemoModel extends AsyncDisposable {
  client: Anthropic;
  /** The model name to pass in requests. */
  model: string;
  /** True when this is the fake server. */
  offline: boolean;
  /** The demo's first line, e.g. "Model: claude-sonnet-5-5 on the Anthropic
   *  API (ANTHROPIC_API_KEY is set)" or "Model: the workbook's fake Claude,
   *  offline (set ANTHROPIC_API_KEY for Claude)" */
  description: string;
  /** Offline, what the fake server received (and whether each client left
   *  early); undefined with the real API. */
  requests?: RecordedRequest[];
}

/**
 * The real API when ANTHROPIC_API_KEY is set (model from ANTHROPIC_MODEL,
 * default "claude-sonnet-5-5"), else a fake server playing `script` with
 * paced tokens (tokenDelayMs default 25 ms, so a demo looks alive).
 *
 * @example
 * await using llm = await demoModel([
 *   { content: [{ type: "text", text: "Hi!" }] },
 * ]);
 * console.log(llm.description);
 */
export async function demoModel(
  script: FakeAnthropicOptions["script"],
  options: { tokenDelayMs?: number } = {},
): Promise<DemoModel> {
  if (process.env.ANTHROPIC_API_KEY) {
    const model = process.env.ANTHROPIC_MODEL || DEFAULT_MODEL;
    return {
      client: new Anthropic(),
      model,
      offline: false,
      description:
        `Model: ${model} on the Anthropic API ` + "(ANTHROPIC_API_KEY is set)",
      async [Symbol.asyncDispose]() {},
    };
  }
  const fake = await startFakeAnthropic({
    script,
    tokenDelayMs: options.tokenDelayMs ?? 25,
  });
  return {
    client: fake.client(),
    model: DEFAULT_MODEL,
    offline: true,
    requests: fake.requests,
    description:
      "Model: the workbook's fake Claude, offline " +
      "(set ANTHROPIC_API_KEY for Claude)",
    [Symbol.asyncDispose]: () => fake.close(),
  };
}
