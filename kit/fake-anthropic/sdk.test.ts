/**
 * Every scripted scenario driven by the real SDK: if the stream lacked an
 * event, or sent one out of order, `messages.stream()` would throw.
 */
import { describe, expect, it } from "vitest";
import { startFakeAnthropic, type FakeReply } from "../fake-anthropic.ts";
import { PARAMS } from "./test-helpers.ts";

/** Streams one scripted reply through the SDK's MessageStream. */
async function streamReply(reply: FakeReply, params = {}) {
  await using fake = await startFakeAnthropic({ script: [reply] });
  const stream = fake.client().messages.stream({ ...PARAMS, ...params });
  const texts: string[] = [];
  const jsons: string[] = [];
  stream.on("text", (delta) => texts.push(delta));
  stream.on("inputJson", (partial) => jsons.push(partial));
  const message = await stream.finalMessage();
  return { message, texts, jsons };
}

const weather = { city: "Paris", days: [1, 2], units: "metric" };
const clock = { timeZone: "Europe/Paris" };

describe("messages.stream() against the fake", () => {
  it("streams a text reply delta by delta", async () => {
    const { message, texts } = await streamReply({
      content: [{ type: "text", text: "Hello there, world!" }],
    });
    expect(texts).toEqual(["Hello", " there,", " world!"]);
    expect(message.content).toEqual([
      { type: "text", text: "Hello there, world!" },
    ]);
    expect(message.stop_reason).toBe("end_turn");
    expect(message.id).toBe("msg_fake_1");
    expect(message.model).toBe(PARAMS.model);
  });

  it("gives an array's text chunks exactly", async () => {
    const { texts } = await streamReply({
      content: [{ type: "text", text: ["Hel", "lo", "!"] }],
    });
    expect(texts).toEqual(["Hel", "lo", "!"]);
  });

  it("streams a tool_use block as split JSON, stopping for it", async () => {
    const { message, jsons } = await streamReply({
      content: [{ type: "tool_use", name: "get_weather", input: weather }],
    });
    expect(jsons[0]).toBe("");
    expect(jsons.length).toBeGreaterThan(2);
    expect(JSON.parse(jsons.join(""))).toEqual(weather);
    expect(message.content[0]).toMatchObject({
      type: "tool_use",
      id: "toolu_fake_1_0",
      name: "get_weather",
    });
    expect(message.content[0]).toHaveProperty("input", weather);
    expect(message.stop_reason).toBe("tool_use");
  });

  it("streams several tool_use blocks, each with its own input", async () => {
    const { message } = await streamReply({
      content: [
        { type: "tool_use", name: "get_weather", input: weather },
        { type: "tool_use", name: "clock", input: clock, id: "toolu_mine" },
        { type: "tool_use", name: "noop", input: {} },
      ],
    });
    const inputs = message.content.map((b) => b.type === "tool_use" && b.input);
    expect(inputs).toEqual([weather, clock, {}]);
    const ids = message.content.map((b) => b.type === "tool_use" && b.id);
    expect(ids).toEqual(["toolu_fake_1_0", "toolu_mine", "toolu_fake_1_2"]);
  });

  it("interleaves text and tool blocks in the scripted order", async () => {
    const { message, texts } = await streamReply({
      content: [
        { type: "text", text: "Let me look." },
        { type: "tool_use", name: "get_weather", input: weather },
        { type: "text", text: "And the time." },
        { type: "tool_use", name: "clock", input: clock },
      ],
    });
    expect(message.content.map((b) => b.type)).toEqual([
      "text",
      "tool_use",
      "text",
      "tool_use",
    ]);
    expect(texts.join("")).toBe("Let me look.And the time.");
    expect(message.content[3]).toHaveProperty("input", clock);
  });

  it.each(["end_turn", "tool_use", "max_tokens"] as const)(
    "ends with stop_reason %s when the script says so",
    async (stopReason) => {
      const { message } = await streamReply({
        content: [{ type: "text", text: "cut" }],
        stopReason,
      });
      expect(message.stop_reason).toBe(stopReason);
      expect(message.stop_sequence).toBeNull();
    },
  );

  it("ends with stop_sequence and the sequence that matched", async () => {
    const scripted = await streamReply({
      content: [{ type: "text", text: "one two" }],
      stopReason: "stop_sequence",
      stopSequence: "three",
    });
    expect(scripted.message.stop_reason).toBe("stop_sequence");
    expect(scripted.message.stop_sequence).toBe("three");
    const fromRequest = await streamReply(
      { content: [{ type: "text", text: "x" }], stopReason: "stop_sequence" },
      { stop_sequences: ["END", "STOP"] },
    );
    expect(fromRequest.message.stop_sequence).toBe("END");
  });

  it("counts one output token per delta in the final usage", async () => {
    const { message } = await streamReply({
      content: [{ type: "text", text: "a b c d" }],
    });
    expect(message.usage.output_tokens).toBe(4);
    expect(message.usage.input_tokens).toBeGreaterThan(0);
  });
});
