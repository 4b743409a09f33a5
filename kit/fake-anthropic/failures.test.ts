/**
 * Failures on request: HTTP errors the SDK retries (or not), an error in the
 * middle of a stream, and a truncated stream.
 */
import Anthropic from "@anthropic-ai/sdk";
import { describe, expect, it } from "vitest";
import { startFakeAnthropic } from "../fake-anthropic.ts";
import { hello, PARAMS, post } from "./test-helpers.ts";

describe("HTTP failures", () => {
  it("529, then a reply: the SDK retries and succeeds", async () => {
    await using fake = await startFakeAnthropic({
      script: [{ status: 529 }, hello],
    });
    const message = await fake
      .client({ maxRetries: 1 })
      .messages.stream(PARAMS)
      .finalMessage();
    expect(message.content).toEqual([{ type: "text", text: "Hello" }]);
    expect(fake.requests).toHaveLength(2);
    expect(fake.requests[1]!.headers["x-stainless-retry-count"]).toBe("1");
  });

  it("sends the error JSON, retry-after-ms and request-id", async () => {
    await using fake = await startFakeAnthropic({
      script: [{ status: 529, retryAfterMs: 250 }],
    });
    const { response, text } = await post(fake.url, PARAMS);
    expect(response.status).toBe(529);
    expect(response.headers.get("retry-after-ms")).toBe("250");
    expect(response.headers.get("request-id")).toBe("req_fake_1");
    expect(JSON.parse(text)).toEqual({
      type: "error",
      error: { type: "overloaded_error", message: "Overloaded" },
      request_id: "req_fake_1",
    });
  });

  it("asks for a retry after 1 ms by default: the SDK's quickest", async () => {
    await using fake = await startFakeAnthropic({ script: [{ status: 500 }] });
    const { response } = await post(fake.url, PARAMS);
    expect(response.headers.get("retry-after-ms")).toBe("1");
    expect(response.headers.get("x-should-retry")).toBeNull();
  });

  it("shouldRetry: false makes the SDK give up after one attempt", async () => {
    await using fake = await startFakeAnthropic({
      script: [{ status: 529, shouldRetry: false }, hello],
    });
    const error = await fake
      .client({ maxRetries: 2 })
      .messages.create(PARAMS)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.APIError);
    expect(error).toMatchObject({ status: 529, type: "overloaded_error" });
    expect(fake.requests).toHaveLength(1);
  });

  it("500 is an api_error, an InternalServerError for the SDK", async () => {
    await using fake = await startFakeAnthropic({
      script: [{ status: 500, shouldRetry: false }],
    });
    const error = await fake
      .client()
      .messages.create(PARAMS)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.InternalServerError);
    expect(error).toMatchObject({ status: 500, type: "api_error" });
    expect(error).toHaveProperty("requestID", "req_fake_1");
  });
});

describe("broken streams", () => {
  it("streamError: the stream throws an APIError, no retry", async () => {
    await using fake = await startFakeAnthropic({
      script: [
        {
          content: [{ type: "text", text: "one two three" }],
          streamError: { afterEvents: 4 },
        },
      ],
    });
    const stream = fake.client({ maxRetries: 2 }).messages.stream(PARAMS);
    const texts: string[] = [];
    stream.on("text", (delta) => texts.push(delta));
    const error = await stream.finalMessage().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.APIError);
    expect(error).toMatchObject({
      status: undefined, // status 200 was already sent
      type: "overloaded_error",
      apiMessage: "Overloaded",
    });
    expect(texts).toEqual(["one"]); // events 1-4: start, block, ping, delta
    expect(fake.requests).toHaveLength(1);
  });

  it("streamError can be an api_error with its own message", async () => {
    await using fake = await startFakeAnthropic({
      script: [
        {
          content: [{ type: "text", text: "a" }],
          streamError: { afterEvents: 1, type: "api_error", message: "boom" },
        },
      ],
    });
    const { text } = await post(fake.url, { ...PARAMS, stream: true });
    expect(
      text.endsWith(
        'event: error\ndata: {"type":"error",' +
          '"error":{"type":"api_error","message":"boom"}}\n\n',
      ),
    ).toBe(true);
    expect(text.match(/^event:/gm)).toHaveLength(2);
  });

  it("endAfterEvents: finalMessage() rejects, as the SDK says", async () => {
    await using fake = await startFakeAnthropic({
      script: [{ content: [{ type: "text", text: "a b" }], endAfterEvents: 5 }],
    });
    const stream = fake.client().messages.stream(PARAMS);
    await expect(stream.finalMessage()).rejects.toThrow(
      "stream ended without producing a Message with role=assistant",
    );
    expect(fake.requests[0]!.state).toBe("completed");
  });
});
