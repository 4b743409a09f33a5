/**
 * The API's rule for tool results: each answers a tool_use of the message
 * just before it, and each tool_use is answered in the next message.
 */
import Anthropic, { type APIError } from "@anthropic-ai/sdk";
import { describe, expect, it } from "vitest";
import { startFakeAnthropic } from "../fake-anthropic.ts";
import { hello, PARAMS, refusal } from "./test-helpers.ts";

describe("tool results across turns", () => {
  const asked: Anthropic.MessageParam = {
    role: "assistant",
    content: [{ type: "tool_use", id: "toolu_a", name: "clock", input: {} }],
  };
  const answer = (id: string): Anthropic.MessageParam => ({
    role: "user",
    content: [{ type: "tool_result", tool_use_id: id, content: "noon" }],
  });

  it("accepts a tool_result that answers the previous tool_use", async () => {
    await using fake = await startFakeAnthropic({ script: [hello] });
    const messages = [...PARAMS.messages, asked, answer("toolu_a")];
    await fake.client().messages.create({ ...PARAMS, messages });
    expect(fake.requests[0]!.state).toBe("completed");
  });

  it("refuses a tool_result that answers no previous tool_use", async () => {
    const messages = [...PARAMS.messages, asked, answer("toolu_b")];
    const error = await refusal({ ...PARAMS, messages });
    expect(error).toBeInstanceOf(Anthropic.BadRequestError);
    expect((error as APIError).apiMessage).toBe(
      "messages.2.content.0: unexpected `tool_use_id` found in " +
        "`tool_result` blocks: toolu_b. Each `tool_result` block must " +
        "have a corresponding `tool_use` block in the previous message.",
    );
  });

  it("refuses a tool_use that the next message leaves unanswered", async () => {
    const next = { role: "user" as const, content: "and?" };
    const messages = [...PARAMS.messages, asked, next];
    const error = await refusal({ ...PARAMS, messages });
    expect((error as APIError).apiMessage).toBe(
      "messages.1: `tool_use` ids were found without `tool_result` blocks " +
        "immediately after: toolu_a. Each `tool_use` block must have a " +
        "corresponding `tool_result` block in the next message.",
    );
  });
});
