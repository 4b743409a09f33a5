/**
 * How a response ends (completed, or the client left), holding a stream at a
 * known point, and closing the server with nothing left behind.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { startFakeAnthropic, type FakeReply } from "../fake-anthropic.ts";
import { deferred } from "../testing/deferred.ts";
import { openNetworkHandles } from "../testing/leaks.ts";
import { untilTrue } from "./fake-timers.ts";
import { expectNoOpenHandles, PARAMS } from "./test-helpers.ts";

const long: FakeReply = {
  content: [{ type: "text", text: "one two three four five six" }],
};
const STREAM = { ...PARAMS, stream: true as const };

afterEach(() => {
  vi.useRealTimers();
});

describe("how a response ends", () => {
  it('a stream read to the end is "completed"', async () => {
    await using fake = await startFakeAnthropic({ script: [long] });
    await fake.client().messages.stream(PARAMS).finalMessage();
    expect(await fake.requests[0]!.finished).toBe("completed");
    expect(fake.requests[0]!.state).toBe("completed");
  });

  it('a break out of for await on the raw stream: "client-left"', async () => {
    const gate = deferred();
    await using fake = await startFakeAnthropic({
      script: [long],
      beforeEvent: ({ index }) => (index === 4 ? gate.promise : undefined),
    });
    const stream = await fake.client().messages.create(STREAM);
    for await (const event of stream) {
      if (event.type === "content_block_delta") break;
    }
    expect(await fake.requests[0]!.finished).toBe("client-left");
    gate.resolve(); // the server notices it has no one to write to
  });

  it('stream.abort() on a MessageStream is "client-left"', async () => {
    await using fake = await startFakeAnthropic({
      script: [long],
      tokenDelayMs: 5,
    });
    const stream = fake.client().messages.stream(PARAMS);
    stream.on("text", () => stream.abort());
    await expect(stream.done()).rejects.toThrow("Request was aborted.");
    expect(await fake.requests[0]!.finished).toBe("client-left");
  });

  it("a client that leaves during a pause has its timer cleared", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const seen: string[] = [];
    await using fake = await startFakeAnthropic({
      script: [long],
      tokenDelayMs: 1_000,
      beforeEvent: ({ type }) => void seen.push(type),
    });
    // Resolves with the headers, when the SDK clears its own timeout.
    const stream = await fake.client().messages.create(STREAM);
    await untilTrue(() => seen.length === 3, "the ping");
    expect(vi.getTimerCount()).toBe(1); // the pause before the first delta
    stream.controller.abort();
    expect(await fake.requests[0]!.finished).toBe("client-left");
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe("close()", () => {
  it("await using leaves no socket or timer behind", async () => {
    const before = openNetworkHandles();
    {
      await using fake = await startFakeAnthropic({ script: [long, long] });
      await fake.client().messages.stream(PARAMS).finalMessage();
      await fake.client().messages.create(PARAMS);
    }
    await expectNoOpenHandles(before);
  });

  it("cuts a stream in mid-flight, leaving nothing behind", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const before = openNetworkHandles();
    const seen: string[] = [];
    const fake = await startFakeAnthropic({
      script: [long],
      tokenDelayMs: 1_000,
      beforeEvent: ({ type }) => void seen.push(type),
    });
    const stream = fake.client().messages.stream(PARAMS);
    const ended = stream.done().catch((error: unknown) => error);
    await stream.withResponse(); // the headers: the SDK's timeout is cleared
    await untilTrue(() => seen.length === 3, "the ping");
    expect(vi.getTimerCount()).toBe(1); // the pause before the first delta
    await fake[Symbol.asyncDispose]();
    expect(fake.requests[0]!.state).toBe("client-left");
    expect(await fake.requests[0]!.finished).toBe("client-left");
    expect(vi.getTimerCount()).toBe(0);
    expect(await ended).toBeInstanceOf(Error);
    await expectNoOpenHandles(before);
  });

  it("can be called twice", async () => {
    const fake = await startFakeAnthropic({ script: [] });
    await Promise.all([fake.close(), fake.close()]);
    await fake.close();
  });
});
