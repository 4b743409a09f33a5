/**
 * Backpressure: the server writes no further than the client reads, and a
 * client that leaves unblocks it.
 */
import { describe, expect, it } from "vitest";
import { startFakeAnthropic } from "../fake-anthropic.ts";
import { letIoRun, untilTrue } from "./fake-timers.ts";
import { HEADERS, PARAMS } from "./test-helpers.ts";

// More than the kernel's socket buffers hold (a few MB on loopback).
const huge = "x".repeat(32 * 1024 * 1024);

async function start() {
  const seen: number[] = [];
  const fake = await startFakeAnthropic({
    script: [{ content: [{ type: "text", text: [huge, "end"] }] }],
    beforeEvent: ({ index }) => void seen.push(index),
  });
  const controller = new AbortController();
  const response = await fetch(`${fake.url}/v1/messages`, {
    method: "POST",
    headers: HEADERS,
    body: JSON.stringify({ ...PARAMS, stream: true }),
    signal: controller.signal,
  });
  // Events 0-3: message_start, content_block_start, ping, the huge delta.
  await untilTrue(() => seen.includes(3), "the huge delta");
  await letIoRun(50);
  return { fake, seen, response, controller };
}

describe("a client that does not read", () => {
  it("holds the server at the delta it could not take", async () => {
    const { fake, seen, response } = await start();
    await using _ = fake;
    expect(seen).toEqual([0, 1, 2, 3]); // waiting for `drain`
    const text = await response.text(); // read: the rest follows
    expect(seen).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(
      text.endsWith('event: message_stop\ndata: {"type":"message_stop"}\n\n'),
    ).toBe(true);
    expect(await fake.requests[0]!.finished).toBe("completed");
  });

  it("and leaves: the server stops waiting, writes no more", async () => {
    const { fake, seen, controller } = await start();
    await using _ = fake;
    controller.abort();
    expect(await fake.requests[0]!.finished).toBe("client-left");
    await letIoRun(10);
    expect(seen).toEqual([0, 1, 2, 3]);
  });
});
