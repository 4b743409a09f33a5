/**
 * Shared by the fake server's own tests: a request, a raw POST, and the
 * fixtures that hold the expected bytes.
 */
import type Anthropic from "@anthropic-ai/sdk";
import { readFileSync } from "node:fs";
import { expect } from "vitest";
import { startFakeAnthropic, type FakeReply } from "../fake-anthropic.ts";
import { openNetworkHandles } from "../testing/leaks.ts";
import { letIoRun } from "./fake-timers.ts";

/** The model the tests ask for. */
export const MODEL = "claude-sonnet-5-5";

/** The smallest valid request, to spread and override. */
export const PARAMS = {
  model: MODEL,
  max_tokens: 64,
  messages: [{ role: "user" as const, content: "Hi" }],
};

/** A one-word reply. */
export const hello: FakeReply = { content: [{ type: "text", text: "Hello" }] };

/** The API's error JSON, as the fake's `number`th request gets it. */
export function apiError(type: string, message: string, number = 1) {
  return {
    type: "error",
    error: { type, message },
    request_id: `req_fake_${number}`,
  };
}

/** The error the SDK throws for a request the fake refuses. */
export async function refusal(params: object, headers: object = {}) {
  await using fake = await startFakeAnthropic({ script: [hello] });
  const request = fake
    .client({ maxRetries: 0 })
    .messages.create(params as Anthropic.MessageCreateParamsNonStreaming, {
      headers: headers as Record<string, string | null>,
    });
  // `return await`: the server must outlive the request.
  return await request.catch((error: unknown) => error);
}

/** The headers the SDK would send, for a raw request. */
export const HEADERS = {
  "x-api-key": "sk-test",
  "anthropic-version": "2026-10-21",
  "content-type": "application/json",
};

/** A raw POST, read to the end. */
export async function post(
  url: string,
  body: unknown,
  headers: Record<string, string> = HEADERS,
  path = "/v1/messages",
) {
  const text = typeof body === "string" ? body : JSON.stringify(body);
  const response = await fetch(url + path, {
    method: "POST",
    headers,
    body: text,
  });
  return { response, text: await response.text() };
}

/** The expected bytes of a scenario, from `fixtures/<name>.sse`. */
export function fixture(name: string): string {
  return readFileSync(new URL(`fixtures/${name}.sse`, import.meta.url), {
    encoding: "utf8",
  });
}

/**
 * Expects no socket or server beyond those open `before`, after letting
 * `turns` event-loop turns pass (0: right now).
 */
export async function expectNoOpenHandles(
  before: string[],
  turns = 0,
): Promise<void> {
  const extra = () => {
    const remaining = [...before];
    return openNetworkHandles().filter((kind) => {
      const index = remaining.indexOf(kind);
      if (index !== -1) remaining.splice(index, 1);
      return index === -1;
    });
  };
  for (let turn = 0; turn < turns && extra().length > 0; turn += 1) {
    await letIoRun(1);
  }
  expect(extra(), "sockets or servers left open").toEqual([]);
}
