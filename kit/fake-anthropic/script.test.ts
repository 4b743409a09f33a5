/**
 * Scripts: a function of the request that answers the tool results it is
 * sent (the capstone's model), and the SDK's own fetch as the transport.
 */
import Anthropic from "@anthropic-ai/sdk";
import { describe, expect, it } from "vitest";
import {
  startFakeAnthropic,
  type FakeTurn,
  type RecordedRequest,
} from "../fake-anthropic.ts";
import { hello, PARAMS } from "./test-helpers.ts";

/** A model that calls `add` once, then reports the tool's answer. */
function calculatorModel(request: RecordedRequest, index: number): FakeTurn {
  const messages: Anthropic.MessageParam[] = request.body.messages;
  const last = messages.at(-1)!;
  const result = Array.isArray(last.content)
    ? last.content.find((block) => block.type === "tool_result")
    : undefined;
  if (!result) {
    return {
      content: [
        { type: "text", text: `Turn ${index}: let me add.` },
        { type: "tool_use", name: "add", input: { a: 2, b: 3 } },
      ],
    };
  }
  const answer = (result as Anthropic.ToolResultBlockParam).content;
  return { content: [{ type: "text", text: `It is ${answer}.` }] };
}

describe("a script list", () => {
  it("a list that runs out answers 500, saying so", async () => {
    await using fake = await startFakeAnthropic({ script: [hello] });
    const client = fake.client({ maxRetries: 2 });
    await client.messages.create(PARAMS);
    const error = await client.messages.create(PARAMS).catch((e) => e);
    expect(error).toBeInstanceOf(Anthropic.InternalServerError);
    expect(error.message).toMatch(
      /script has 1 turn\(s\) and this is request 2/,
    );
    expect(fake.requests).toHaveLength(2);
  });

  it("a script function that throws is a 500 with its message", async () => {
    await using fake = await startFakeAnthropic({
      script: () => {
        throw new Error("no answer for that");
      },
    });
    const error = await fake
      .client()
      .messages.create(PARAMS)
      .catch((e) => e);
    expect(error).toMatchObject({ status: 500 });
    expect(error.message).toMatch(/no answer for that/);
  });
});

describe("a script function", () => {
  it("answers the tool results it is sent, turn after turn", async () => {
    await using fake = await startFakeAnthropic({ script: calculatorModel });
    const client = fake.client();
    const messages: Anthropic.MessageParam[] = [
      { role: "user", content: "What is 2 + 3?" },
    ];
    const first = client.messages.stream({ ...PARAMS, messages });
    const asked = await first.finalMessage();
    expect(asked.stop_reason).toBe("tool_use");
    const call = asked.content.find((block) => block.type === "tool_use")!;
    const { a, b } = call.input as { a: number; b: number };
    messages.push(
      { role: "assistant", content: asked.content },
      {
        role: "user",
        content: [
          { type: "tool_result", tool_use_id: call.id, content: `${a + b}` },
        ],
      },
    );
    const answer = await client.messages
      .stream({ ...PARAMS, messages })
      .finalText();
    expect(answer).toBe("It is 5.");
    expect(fake.requests.map((r) => r.body.messages.length)).toEqual([1, 3]);
  });

  it("may answer asynchronously, and is told the turn's index", async () => {
    const indexes: number[] = [];
    await using fake = await startFakeAnthropic({
      script: async (_request, index) => {
        indexes.push(index);
        await Promise.resolve();
        return { content: [{ type: "text", text: `turn ${index}` }] };
      },
    });
    const client = fake.client();
    const texts = [
      await client.messages.stream(PARAMS).finalText(),
      await client.messages.stream(PARAMS).finalText(),
    ];
    expect(texts).toEqual(["turn 0", "turn 1"]);
    expect(indexes).toEqual([0, 1]);
  });
});

describe("fake.client()", () => {
  it("works over the global fetch too, as a real client would", async () => {
    await using fake = await startFakeAnthropic({
      script: [
        {
          content: [
            { type: "text", text: "Hi." },
            { type: "tool_use", name: "clock", input: { zone: "UTC" } },
          ],
        },
      ],
    });
    const client = fake.client({ fetch: globalThis.fetch });
    const message = await client.messages.stream(PARAMS).finalMessage();
    expect(message.content[1]).toHaveProperty("input", { zone: "UTC" });
  });

  it("takes options that override its defaults", async () => {
    await using fake = await startFakeAnthropic({ script: [] });
    const client = fake.client({ maxRetries: 0, authToken: "tok" });
    expect(client.maxRetries).toBe(0);
    expect(client.apiKey).toBeNull();
    expect(client.authToken).toBe("tok");
    expect(client.baseURL).toBe(fake.url);
    expect(fake.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });
});
