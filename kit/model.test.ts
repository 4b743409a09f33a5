/**
 * demoModel: offline by default, the real API with a key, and a default
 * model that the SDK does not warn about.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { startFakeAnthropic } from "./fake-anthropic.ts";
import { DEFAULT_MODEL, demoModel } from "./model.ts";

const hello = { content: [{ type: "text" as const, text: "Hello!" }] };

afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

describe("demoModel", () => {
  it("without ANTHROPIC_API_KEY plays the script offline", async () => {
    vi.stubEnv("ANTHROPIC_API_KEY", "");
    await using llm = await demoModel([hello], { tokenDelayMs: 0 });
    expect(llm.offline).toBe(true);
    expect(llm.model).toBe("claude-sonnet-5-5");
    expect(llm.description).toBe(
      "Model: the workbook's fake Claude, offline " +
        "(set ANTHROPIC_API_KEY for Claude)",
    );
    expect(llm.client.baseURL).toMatch(/^http:\/\/127\.0\.0\.1:/);
    const text = await llm.client.messages
      .stream({
        model: llm.model,
        max_tokens: 64,
        messages: [{ role: "user", content: "Hi" }],
      })
      .finalText();
    expect(text).toBe("Hello!");
    expect(llm.requests).toHaveLength(1);
    expect(await llm.requests?.[0]?.finished).toBe("completed");
  });

  it("with ANTHROPIC_API_KEY builds a client for the real API", async () => {
    vi.stubEnv("ANTHROPIC_API_KEY", "sk-ant-test");
    vi.stubEnv("ANTHROPIC_BASE_URL", "");
    vi.stubEnv("ANTHROPIC_AUTH_TOKEN", "");
    vi.stubEnv("ANTHROPIC_MODEL", "");
    await using llm = await demoModel([hello]);
    expect(llm.offline).toBe(false);
    expect(llm.requests).toBeUndefined();
    expect(llm.model).toBe(DEFAULT_MODEL);
    expect(llm.client.baseURL).toBe("https://api.anthropic.com");
    expect(llm.client.apiKey).toBe("sk-ant-test");
    expect(llm.description).toBe(
      "Model: claude-sonnet-5-5 on the Anthropic API " +
        "(ANTHROPIC_API_KEY is set)",
    );
  });

  it("takes the model from ANTHROPIC_MODEL", async () => {
    vi.stubEnv("ANTHROPIC_API_KEY", "sk-ant-test");
    vi.stubEnv("ANTHROPIC_MODEL", "claude-opus-5-5");
    await using llm = await demoModel([hello]);
    expect(llm.model).toBe("claude-opus-5-5");
    expect(llm.description).toMatch(/^Model: claude-opus-5-5 on the/);
  });
});

describe("DEFAULT_MODEL", () => {
  it("draws no deprecation warning from the SDK", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    await using fake = await startFakeAnthropic({ script: [hello, hello] });
    const client = fake.client();
    const params = {
      max_tokens: 64,
      messages: [{ role: "user" as const, content: "Hi" }],
    };
    await client.messages.create({ ...params, model: DEFAULT_MODEL });
    expect(warn).not.toHaveBeenCalled();
    // The spy would see it: a deprecated model does warn.
    await client.messages.create({ ...params, model: "claude-sonnet-4-5" });
    expect(warn).toHaveBeenCalledWith(
      expect.stringContaining("The model 'claude-sonnet-4-5' is deprecated"),
    );
  });
});
