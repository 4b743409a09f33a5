/**
 * What the fake refuses, as the API refuses it: status, error class in the
 * SDK, and the exact error JSON.
 */
import Anthropic from "@anthropic-ai/sdk";
import { describe, expect, it } from "vitest";
import { startFakeAnthropic } from "../fake-anthropic.ts";
import {
  apiError,
  HEADERS,
  hello,
  PARAMS,
  post,
  refusal,
} from "./test-helpers.ts";

describe("required fields", () => {
  it.each(["model", "max_tokens", "messages"])(
    "a request without %s is a 400 invalid_request_error",
    async (field) => {
      const params: Record<string, unknown> = { ...PARAMS };
      delete params[field];
      const error = await refusal(params);
      expect(error).toBeInstanceOf(Anthropic.BadRequestError);
      expect(error).toHaveProperty(
        "error",
        apiError("invalid_request_error", `${field}: Field required`),
      );
    },
  );

  it("refuses temperature: API 2026-10-21 no longer takes it", async () => {
    const error = await refusal({ ...PARAMS, temperature: 0.5 });
    expect(error).toBeInstanceOf(Anthropic.BadRequestError);
    expect(error).toHaveProperty(
      "error",
      apiError(
        "invalid_request_error",
        "temperature: Extra inputs are not permitted",
      ),
    );
  });

  it("a body that is not JSON is a 400", async () => {
    await using fake = await startFakeAnthropic({ script: [hello] });
    const { response, text } = await post(fake.url, "{nope");
    expect(response.status).toBe(400);
    expect(JSON.parse(text).error.message).toMatch(
      /^The request body is not valid JSON: /,
    );
    expect(fake.requests[0]!.body).toBeUndefined();
  });
});

describe("headers", () => {
  it("a request without anthropic-version is a 400", async () => {
    const error = await refusal(PARAMS, { "anthropic-version": null });
    expect(error).toBeInstanceOf(Anthropic.BadRequestError);
    expect(error).toHaveProperty(
      "error",
      apiError(
        "invalid_request_error",
        "anthropic-version: header is required",
      ),
    );
  });

  it("a request without credentials is a 401", async () => {
    const error = await refusal(PARAMS, { authorization: null });
    expect(error).toBeInstanceOf(Anthropic.AuthenticationError);
    expect(error).toHaveProperty(
      "error",
      apiError("authentication_error", "x-api-key header is required"),
    );
  });

  it("accepts x-api-key and authorization: Bearer", async () => {
    await using fake = await startFakeAnthropic({ script: [hello, hello] });
    const client = fake.client();
    await client.messages.create(PARAMS);
    await client.messages.create(PARAMS, {
      headers: { authorization: null, "x-api-key": "sk-other" },
    });
    const [bearer, apiKey] = fake.requests;
    expect(bearer!.headers["authorization"]).toBe("Bearer sk-fake");
    expect(apiKey!.headers["x-api-key"]).toBe("sk-other");
    expect(apiKey!.headers["authorization"]).toBeUndefined();
  });
});

describe("routes", () => {
  it("another path is a 404 not_found_error", async () => {
    await using fake = await startFakeAnthropic({ script: [hello] });
    const error = await fake
      .client()
      .post("/v1/complete", { body: PARAMS })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.NotFoundError);
    expect(error).toHaveProperty(
      "error",
      apiError("not_found_error", "Not Found"),
    );
  });

  it("another method is a 405 that says which one is allowed", async () => {
    await using fake = await startFakeAnthropic({ script: [hello] });
    const response = await fetch(`${fake.url}/v1/messages`, {
      headers: HEADERS,
    });
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("POST");
    expect(response.headers.get("request-id")).toBe("req_fake_1");
    expect(await response.json()).toEqual(
      apiError("invalid_request_error", "Method Not Allowed"),
    );
  });

  it("a refused request is recorded but takes no turn", async () => {
    await using fake = await startFakeAnthropic({ script: [hello] });
    await post(fake.url, { ...PARAMS, temperature: 1 });
    const message = await fake.client().messages.create(PARAMS);
    expect(message.content).toEqual([{ type: "text", text: "Hello" }]);
    expect(fake.requests.map((r) => r.body.temperature)).toEqual([
      1,
      undefined,
    ]);
    expect(message.id).toBe("msg_fake_2");
  });
});
