/**
 * beforeEvent: a test holds the stream at a known point, and a hook that
 * throws breaks the stream as an API error would.
 */
import { describe, expect, it } from "vitest";
import { startFakeAnthropic, type FakeReply } from "../fake-anthropic.ts";
import { deferred } from "../testing/deferred.ts";
import { untilTrue } from "./fake-timers.ts";
import { PARAMS } from "./test-helpers.ts";

const long: FakeReply = {
  content: [{ type: "text", text: "one two three four five six" }],
};

describe("beforeEvent", () => {
  it("holds the stream before an event until the test lets it go", async () => {
    const gate = deferred();
    const seen: string[] = [];
    await using fake = await startFakeAnthropic({
      script: [long],
      beforeEvent: ({ index, type, request }) => {
        seen.push(`${index}:${type}:${request.path}`);
        return index === 3 ? gate.promise : undefined;
      },
    });
    const stream = fake.client().messages.stream(PARAMS);
    const texts: string[] = [];
    stream.on("text", (delta) => texts.push(delta));
    await untilTrue(() => seen.length === 4, "the hook at the first delta");
    expect(seen).toEqual([
      "0:message_start:/v1/messages",
      "1:content_block_start:/v1/messages",
      "2:ping:/v1/messages",
      "3:content_block_delta:/v1/messages",
    ]);
    expect(texts).toEqual([]);
    expect(fake.requests[0]!.state).toBe("open");
    gate.resolve();
    await stream.finalMessage();
    expect(texts).toHaveLength(6);
  });

  it("a hook that throws ends the stream with an api_error event", async () => {
    await using fake = await startFakeAnthropic({
      script: [long],
      beforeEvent: ({ index }) => {
        if (index === 4) throw new Error("hook failed");
      },
    });
    const stream = fake.client().messages.stream(PARAMS);
    const error = await stream.finalMessage().catch((e: unknown) => e);
    expect(error).toMatchObject({
      type: "api_error",
      apiMessage: "beforeEvent threw: Error: hook failed",
    });
    expect(await fake.requests[0]!.finished).toBe("completed");
  });
});
