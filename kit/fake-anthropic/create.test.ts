/**
 * messages.create(): one JSON Message without `stream`, and the raw events
 * with `stream: true`.
 */
import Anthropic from "@anthropic-ai/sdk";
import { describe, expect, it } from "vitest";
import { startFakeAnthropic } from "../fake-anthropic.ts";
import { PARAMS } from "./test-helpers.ts";

const weather = { city: "Paris", days: [1, 2], units: "metric" };

describe("messages.create() against the fake", () => {
  it("answers a non-streaming request with the whole Message", async () => {
    await using fake = await startFakeAnthropic({
      script: [
        {
          content: [
            { type: "text", text: "Checking." },
            { type: "tool_use", name: "get_weather", input: weather },
          ],
        },
      ],
    });
    const message = await fake.client().messages.create(PARAMS);
    expect(message.content).toEqual([
      { type: "text", text: "Checking." },
      {
        type: "tool_use",
        id: "toolu_fake_1_1",
        name: "get_weather",
        input: weather,
        caller: { type: "direct" },
      },
    ]);
    expect(message.stop_reason).toBe("tool_use");
    expect(message.usage.output_tokens).toBeGreaterThan(1);
  });

  it("streams raw events in the API's order with stream: true", async () => {
    await using fake = await startFakeAnthropic({
      script: [{ content: [{ type: "text", text: "Hi you" }] }],
    });
    const stream = await fake
      .client()
      .messages.create({ ...PARAMS, stream: true });
    const types: string[] = [];
    for await (const event of stream) types.push(event.type);
    // The SDK drops `ping` before it reaches us.
    expect(types).toEqual([
      "message_start",
      "content_block_start",
      "content_block_delta",
      "content_block_delta",
      "content_block_stop",
      "message_delta",
      "message_stop",
    ]);
  });
});

describe("a reply meant to break, asked for without stream", () => {
  it("streamError becomes an HTTP error the SDK won't retry", async () => {
    await using fake = await startFakeAnthropic({
      script: [
        {
          content: [{ type: "text", text: "a" }],
          streamError: { afterEvents: 3 },
        },
      ],
    });
    const error = await fake
      .client({ maxRetries: 2 })
      .messages.create(PARAMS)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.APIError);
    expect(error).toMatchObject({ status: 529, type: "overloaded_error" });
    expect(fake.requests).toHaveLength(1);
  });

  it("endAfterEvents sends half the JSON, a SyntaxError", async () => {
    await using fake = await startFakeAnthropic({
      script: [{ content: [{ type: "text", text: "a" }], endAfterEvents: 3 }],
    });
    await expect(fake.client().messages.create(PARAMS)).rejects.toThrow(
      SyntaxError,
    );
  });
});
