/**
 * Paced tokens: a pause before each content_block_delta, under fake timers
 * (moved by the test) and in real time.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { startFakeAnthropic } from "../fake-anthropic.ts";
import { advanceUntilSettled, untilTrue } from "./fake-timers.ts";
import { PARAMS } from "./test-helpers.ts";

const three = { content: [{ type: "text" as const, text: "one two three" }] };

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe("tokenDelayMs under fake timers", () => {
  it("holds each delta until its pause has passed in fake time", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const written: string[] = [];
    await using fake = await startFakeAnthropic({
      script: [three],
      tokenDelayMs: 100,
      beforeEvent: ({ type }) => void written.push(type),
    });
    const stream = fake.client().messages.stream(PARAMS);
    const done = stream.finalMessage();
    await untilTrue(() => written.length === 3, "the ping");
    await stream.withResponse(); // the SDK's own timeout is cleared
    expect(vi.getTimerCount()).toBe(1);

    await vi.advanceTimersByTimeAsync(99);
    expect(written).toEqual(["message_start", "content_block_start", "ping"]);
    await vi.advanceTimersByTimeAsync(1);
    expect(written.at(-1)).toBe("content_block_delta");
    expect(written.filter((t) => t === "content_block_delta")).toHaveLength(1);

    const message = await advanceUntilSettled(done);
    expect(message.content).toEqual([{ type: "text", text: "one two three" }]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("advanceUntilSettled runs a whole paced conversation", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    await using fake = await startFakeAnthropic({
      script: [three, three],
      tokenDelayMs: 25,
    });
    const client = fake.client();
    const texts: string[] = [];
    for (let turn = 0; turn < 2; turn += 1) {
      const stream = client.messages.stream(PARAMS);
      stream.on("text", (delta) => texts.push(delta));
      await advanceUntilSettled(stream.finalMessage(), { stepMs: 5 });
    }
    expect(texts.join("|")).toBe("one| two| three|one| two| three");
    expect(fake.requests.map((r) => r.state)).toEqual([
      "completed",
      "completed",
    ]);
  });

  it("without tokenDelayMs the server arms no timer at all", async () => {
    const setTimeoutSpy = vi.spyOn(globalThis, "setTimeout");
    await using fake = await startFakeAnthropic({ script: [three] });
    const message = await fake
      .client({ timeout: 12_345 })
      .messages.stream(PARAMS)
      .finalMessage();
    expect(message.stop_reason).toBe("end_turn");
    // Only the SDK's own request timeout, and no pause of the server's.
    const delays = setTimeoutSpy.mock.calls.map(([, ms]) => ms);
    expect(delays).toEqual([12_345]);
  });
});

describe("tokenDelayMs in real time", () => {
  it("spaces the deltas by at least the delay", async () => {
    await using fake = await startFakeAnthropic({
      script: [three],
      tokenDelayMs: 15,
    });
    const arrivals: number[] = [];
    const stream = fake.client().messages.stream(PARAMS);
    stream.on("text", () => arrivals.push(performance.now()));
    const start = performance.now();
    await stream.finalMessage();
    expect(arrivals).toHaveLength(3);
    // Node may fire a timer up to a millisecond early: allow for it.
    expect(arrivals[2]! - start).toBeGreaterThanOrEqual(3 * 15 - 3);
  });
});
