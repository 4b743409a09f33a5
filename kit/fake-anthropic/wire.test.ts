/**
 * The bytes on the wire, read with a raw fetch: the fixtures hold what the
 * real API sends for the same turn (its ids and token counts aside).
 */
import { describe, expect, it } from "vitest";
import { startFakeAnthropic } from "../fake-anthropic.ts";
import { fixture, PARAMS, post } from "./test-helpers.ts";
import { jsonChunks, textChunks } from "./turns.ts";

const STREAM = { ...PARAMS, stream: true };

describe("the stream's bytes", () => {
  it("a short text turn, event for event with event: lines", async () => {
    await using fake = await startFakeAnthropic({
      script: [{ content: [{ type: "text", text: "Hello there!" }] }],
    });
    const { response, text } = await post(fake.url, STREAM);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe(
      "text/event-stream; charset=utf-8",
    );
    expect(response.headers.get("request-id")).toBe("req_fake_1");
    expect(text).toBe(fixture("text-turn"));
  });

  it("a tool turn sends input_json_delta, the first one empty", async () => {
    await using fake = await startFakeAnthropic({
      script: [
        {
          content: [
            { type: "tool_use", name: "get_weather", input: { city: "Paris" } },
          ],
        },
      ],
    });
    const { text } = await post(fake.url, STREAM);
    expect(text).toBe(fixture("tool-turn"));
    expect(text).toContain(
      'data: {"type":"content_block_delta","index":0,' +
        '"delta":{"type":"input_json_delta","partial_json":""}}\n\n',
    );
  });

  it("a ping follows the first content_block_start", async () => {
    await using fake = await startFakeAnthropic({
      script: [{ content: [{ type: "text", text: "a" }] }],
    });
    const { text } = await post(fake.url, STREAM);
    const events = [...text.matchAll(/^event: (.+)$/gm)].map((m) => m[1]);
    expect(events.slice(0, 3)).toEqual([
      "message_start",
      "content_block_start",
      "ping",
    ]);
    expect(text).toContain('event: ping\ndata: {"type": "ping"}\n\n');
  });
});

describe("a non-streaming request", () => {
  it("gets the same reply as one JSON Message", async () => {
    await using fake = await startFakeAnthropic({
      script: [{ content: [{ type: "text", text: "Hello there!" }] }],
    });
    const { response, text } = await post(fake.url, PARAMS);
    expect(response.headers.get("content-type")).toBe("application/json");
    const message = JSON.parse(text);
    expect(Object.keys(message)).toEqual([
      "model",
      "id",
      "type",
      "role",
      "content",
      "stop_reason",
      "stop_sequence",
      "stop_details",
      "container",
      "usage",
      "diagnostics",
    ]);
    expect(message.content).toEqual([{ type: "text", text: "Hello there!" }]);
    expect(message.usage.output_tokens).toBe(2);
  });
});

describe("textChunks", () => {
  it("cuts a string into words, each with its leading space", () => {
    expect(textChunks("Hello there, world!")).toEqual([
      "Hello",
      " there,",
      " world!",
    ]);
  });

  it("keeps every character, so the chunks join back", () => {
    const text = "  two  spaces\nand a line \n";
    expect(textChunks(text).join("")).toBe(text);
  });

  it("gives an array's chunks exactly", () => {
    expect(textChunks(["Hel", "lo"])).toEqual(["Hel", "lo"]);
  });
});

describe("jsonChunks", () => {
  it('starts with "" and cuts the JSON into several pieces', () => {
    const input = { city: "Paris", days: [1, 2, 3] };
    const pieces = jsonChunks(input);
    expect(pieces[0]).toBe("");
    expect(pieces.length).toBeGreaterThan(3);
    expect(JSON.parse(pieces.join(""))).toEqual(input);
  });

  it('sends an empty input as "" alone, as the API does', () => {
    expect(jsonChunks({})).toEqual([""]);
  });

  it("never cuts inside an escape sequence or a surrogate pair", () => {
    const input = { a: '"\\\u0001😀"'.repeat(5) };
    for (const piece of jsonChunks(input)) {
      expect(piece).not.toMatch(/(^|[^\\])(\\\\)*\\$/);
      expect(piece).not.toMatch(/\\u[0-9a-f]{0,3}$/);
      expect(piece).not.toMatch(/[\ud800-\udbff]$/);
    }
    expect(JSON.parse(jsonChunks(input).join(""))).toEqual(input);
  });
});
