import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import {
  CreateMessageRequestSchema,
  type CallToolResult,
  type CreateMessageRequest,
  type CreateMessageResult,
} from "@modelcontextprotocol/sdk/types.js";
import { describe, expect, it } from "vitest";
import { connectClient, summarize } from "#exercises/11-mcp-sampling/client.ts";
import { createSamplingHandler } from "#exercises/11-mcp-sampling/sampling-handler.ts";
import { createSummarizeServer } from "#exercises/11-mcp-sampling/summarize-server.ts";
import {
  startFakeAnthropic,
  type FakeAnthropic,
  type FakeTurn,
  type RecordedRequest,
} from "#kit/fake-anthropic.ts";
import { settle } from "#kit/testing/clock.ts";
import { deferred, observe } from "#kit/testing/deferred.ts";

const MODEL = "claude-sonnet-5-5";

/** A sampling request as a server sends it. */
function samplingRequest(
  params: Partial<CreateMessageRequest["params"]> = {},
): CreateMessageRequest {
  return {
    method: "sampling/createMessage",
    params: {
      messages: [{ role: "user", content: { type: "text", text: "Hi" } }],
      maxTokens: 100,
      ...params,
    },
  };
}

const reply = (text: string, more: Partial<FakeTurn> = {}): FakeTurn => ({
  content: [{ type: "text", text }],
  ...more,
});

/** A fake model whose next request waits until the test lets it go. */
async function heldModel(): Promise<{
  fake: FakeAnthropic;
  arrived: Promise<RecordedRequest>;
}> {
  const arrived = deferred<RecordedRequest>();
  const fake = await startFakeAnthropic({
    script: (request) => {
      arrived.resolve(request);
      return new Promise<FakeTurn>(() => {}); // the model never finishes
    },
  });
  return { fake, arrived: arrived.promise };
}

/** The text of a Messages API message, whether a string or blocks. */
function textOf(message: { content: unknown }): string {
  if (typeof message.content === "string") return message.content;
  return (message.content as { type: string; text?: string }[])
    .map((block) => (block.type === "text" ? block.text : `[${block.type}]`))
    .join("");
}

/** What the fake model was sent, message by message. */
function sent(request: RecordedRequest | undefined) {
  const body = request?.body as
    { messages?: { role: string; content: unknown }[] } | undefined;
  return (body?.messages ?? []).map((m) => ({ role: m.role, text: textOf(m) }));
}

/**
 * A fetch that answers with the real response, edited: what a real API may
 * say that the fake server does not (another model name, a newer stop reason).
 */
function editedFetch(edit: (body: string) => string): typeof fetch {
  return async (input, init) => {
    const response = await fetch(input, init);
    const body = edit(await response.text());
    return new Response(body, {
      status: response.status,
      headers: { "content-type": response.headers.get("content-type") ?? "" },
    });
  };
}

/** Rejection reason of `promise`, or undefined when it fulfils. */
async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  return undefined;
}

/**
 * Lets real I/O run (messages, sockets closing) until `done()` is true or
 * `ms` of real time passed; says which. Only a failing test waits that long.
 */
async function eventually(done: () => boolean, ms = 1_000): Promise<boolean> {
  const until = performance.now() + ms;
  while (!done() && performance.now() < until) await settle();
  return done();
}

/** A server and a client joined in memory; disposed together. */
interface Pair extends AsyncDisposable {
  server: McpServer;
  client: Client;
}

async function pair(server: McpServer, client: Client): Promise<Pair>;
async function pair(
  server: McpServer,
  connect: (transport: InMemoryTransport) => Promise<Client>,
): Promise<Pair>;
async function pair(
  server: McpServer,
  clientOrConnect: Client | ((transport: InMemoryTransport) => Promise<Client>),
): Promise<Pair> {
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  let client: Client;
  try {
    if (clientOrConnect instanceof Client) {
      client = clientOrConnect;
      await client.connect(clientSide);
    } else client = await clientOrConnect(clientSide);
  } catch (error) {
    await server.close();
    throw error;
  }
  return {
    server,
    client,
    async [Symbol.asyncDispose]() {
      await client.close();
      await server.close();
    },
  };
}

/** A client of the test's own: it samples with `handler`, or not at all. */
function testClient(
  handler?: (
    request: CreateMessageRequest,
    extra: { signal: AbortSignal },
  ) => Promise<CreateMessageResult>,
): Client {
  const client = new Client(
    { name: "test", version: "1" },
    { capabilities: handler ? { sampling: {} } : {} },
  );
  if (handler) client.setRequestHandler(CreateMessageRequestSchema, handler);
  return client;
}

const answer = (text: string): CreateMessageResult => ({
  role: "assistant",
  content: { type: "text", text },
  model: "test-model",
  stopReason: "endTurn",
});

/** The text of a tool result. */
function toolText(result: unknown): string {
  const content = (result as CallToolResult).content ?? [];
  return content.map((c) => (c.type === "text" ? c.text : "")).join("");
}

describe("createSamplingHandler", () => {
  it("sends the messages to the Messages API with their roles and text, and answers with the reply's text", async () => {
    await using fake = await startFakeAnthropic({
      script: [reply("Paris, since the 10th century.")],
    });
    const handler = createSamplingHandler(fake.client({ maxRetries: 0 }), {
      model: MODEL,
    });
    const result = await handler(
      samplingRequest({
        messages: [
          { role: "user", content: { type: "text", text: "Capital?" } },
          { role: "assistant", content: { type: "text", text: "Of what?" } },
          {
            role: "user",
            content: [
              { type: "text", text: "Of France. " },
              { type: "text", text: "And since when?" },
            ],
          },
        ],
      }),
      { signal: new AbortController().signal },
    );
    expect(fake.requests.length, "the handler should make one API call").toBe(
      1,
    );
    expect(
      sent(fake.requests[0]),
      "the API got other messages than the MCP request had: keep each " +
        "message's role and its text (a list of text blocks included)",
    ).toEqual([
      { role: "user", text: "Capital?" },
      { role: "assistant", text: "Of what?" },
      { role: "user", text: "Of France. And since when?" },
    ]);
    expect(
      fake.requests[0]?.body.model,
      "call the API with options.model",
    ).toBe(MODEL);
    expect(
      result.role,
      "a sampling result comes from the model: role assistant",
    ).toBe("assistant");
    expect(
      result.content,
      "answer with one text content holding the reply's text",
    ).toEqual({ type: "text", text: "Paris, since the 10th century." });
  });

  it("passes systemPrompt as system and stopSequences as stop_sequences", async () => {
    await using fake = await startFakeAnthropic({ script: [reply("Done")] });
    const handler = createSamplingHandler(fake.client({ maxRetries: 0 }), {
      model: MODEL,
    });
    await handler(
      samplingRequest({
        systemPrompt: "You answer in one word.",
        stopSequences: ["\n\n", "END"],
      }),
      { signal: new AbortController().signal },
    );
    const body = fake.requests[0]?.body;
    expect(
      body?.system,
      "MCP's systemPrompt should reach the API as `system`",
    ).toBe("You answer in one word.");
    expect(
      body?.stop_sequences,
      "MCP's stopSequences should reach the API as `stop_sequences`",
    ).toEqual(["\n\n", "END"]);
  });

  it("caps maxTokens at maxTokensCap, 4,096 by default", async () => {
    await using fake = await startFakeAnthropic({
      script: [reply("a"), reply("b"), reply("c")],
    });
    const client = fake.client({ maxRetries: 0 });
    const signal = new AbortController().signal;
    const byDefault = createSamplingHandler(client, { model: MODEL });
    await byDefault(samplingRequest({ maxTokens: 10_000 }), { signal });
    await byDefault(samplingRequest({ maxTokens: 300 }), { signal });
    const capped = createSamplingHandler(client, {
      model: MODEL,
      maxTokensCap: 500,
    });
    await capped(samplingRequest({ maxTokens: 2_000 }), { signal });
    const sentMax = fake.requests.map((r) => r.body.max_tokens);
    expect(
      sentMax,
      `max_tokens sent: ${sentMax.join(", ")}. A server asks for maxTokens; ` +
        "the client decides what it pays for: send the smaller of maxTokens " +
        "and maxTokensCap (4,096 when not given)",
    ).toEqual([4_096, 300, 500]);
  });

  it("accepts temperature and does not forward it: the 2026-10-21 API refuses it", async () => {
    await using fake = await startFakeAnthropic({ script: [reply("Warm")] });
    const handler = createSamplingHandler(fake.client({ maxRetries: 0 }), {
      model: MODEL,
    });
    const outcome = await rejection(
      handler(samplingRequest({ temperature: 0.2 }), {
        signal: new AbortController().signal,
      }),
    );
    expect(
      "temperature" in (fake.requests[0]?.body ?? {}),
      "the request to the model carried temperature: the 2026-10-21 " +
        "Messages API answers it with a 400. Accept MCP's temperature and " +
        "do not forward it",
    ).toBe(false);
    expect(outcome, "the handler should succeed").toBeUndefined();
  });

  it("maps the stop reasons end_turn, max_tokens and stop_sequence to endTurn, maxTokens and stopSequence", async () => {
    await using fake = await startFakeAnthropic({
      script: [
        reply("Done."),
        reply("Cut sh", { stopReason: "max_tokens" }),
        reply("Up to", { stopReason: "stop_sequence", stopSequence: "END" }),
      ],
    });
    const handler = createSamplingHandler(fake.client({ maxRetries: 0 }), {
      model: MODEL,
    });
    const signal = new AbortController().signal;
    const reasons: unknown[] = [];
    for (let i = 0; i < 3; i += 1) {
      const result = await handler(samplingRequest(), { signal });
      reasons.push(result.stopReason);
    }
    expect(
      reasons,
      "MCP names the stop reasons in camelCase: end_turn is endTurn, " +
        "max_tokens is maxTokens, stop_sequence is stopSequence",
    ).toEqual(["endTurn", "maxTokens", "stopSequence"]);
  });

  it("passes other stop reasons through unchanged", async () => {
    await using fake = await startFakeAnthropic({
      script: [reply("Let me look.", { stopReason: "tool_use" }), reply("No")],
    });
    const refusing = editedFetch((body) =>
      body.replace(/"stop_reason":\s*"end_turn"/, '"stop_reason":"refusal"'),
    );
    const signal = new AbortController().signal;
    const first = await createSamplingHandler(fake.client({ maxRetries: 0 }), {
      model: MODEL,
    })(samplingRequest(), { signal });
    const second = await createSamplingHandler(
      fake.client({ maxRetries: 0, fetch: refusing }),
      { model: MODEL },
    )(samplingRequest(), { signal });
    expect(
      [first.stopReason, second.stopReason],
      "a stop reason MCP has no name for (tool_use, refusal) should pass " +
        "through unchanged, not become endTurn or disappear",
    ).toEqual(["tool_use", "refusal"]);
  });

  it("names the model that the API's reply names", async () => {
    await using fake = await startFakeAnthropic({ script: [reply("Hi")] });
    const dated = editedFetch((body) =>
      body.replaceAll(
        `"model":"${MODEL}"`,
        '"model":"claude-sonnet-5-5-20261101"',
      ),
    );
    const handler = createSamplingHandler(
      fake.client({ maxRetries: 0, fetch: dated }),
      { model: MODEL },
    );
    const result = await handler(samplingRequest(), {
      signal: new AbortController().signal,
    });
    expect(
      result.model,
      "`model` should be the model the API's reply names (here a dated " +
        "version of the alias that was asked for), not options.model",
    ).toBe("claude-sonnet-5-5-20261101");
  });

  it("refuses content other than text with a clear error, before any HTTP request", async () => {
    await using fake = await startFakeAnthropic({ script: [reply("Nice")] });
    const handler = createSamplingHandler(fake.client({ maxRetries: 0 }), {
      model: MODEL,
    });
    const error = await rejection(
      handler(
        samplingRequest({
          messages: [
            { role: "user", content: { type: "text", text: "What is it?" } },
            {
              role: "user",
              content: { type: "image", data: "aGk=", mimeType: "image/png" },
            },
          ],
        }),
        { signal: new AbortController().signal },
      ),
    );
    expect(
      fake.requests.length,
      "a request with image content reached the model: refuse content " +
        "other than text before any HTTP request (it would be dropped or " +
        "refused, and cost a call either way)",
    ).toBe(0);
    expect(error, "the handler should reject for image content").toBeInstanceOf(
      Error,
    );
    expect(
      (error as Error).message,
      "the error should say which kind of content it cannot send (image)",
    ).toMatch(/image/);
  });

  it("aborts the HTTP request to the model when the request's signal aborts", async () => {
    const { fake, arrived } = await heldModel();
    await using _ = fake;
    const handler = createSamplingHandler(fake.client({ maxRetries: 0 }), {
      model: MODEL,
    });
    const controller = new AbortController();
    const result = observe(
      handler(samplingRequest(), { signal: controller.signal }),
    );
    const request = await arrived;
    controller.abort(new Error("cancelled by the server"));
    await eventually(() => request.state !== "open");
    expect(
      request.state,
      "the HTTP request to the model stayed open after extra.signal " +
        "aborted: pass { signal: extra.signal } to the SDK's call",
    ).toBe("client-left");
    await eventually(() => result.state !== "pending");
    expect(
      result.state,
      "the handler should reject once its request is aborted",
    ).toBe("rejected");
  });
});

describe("createSummarizeServer", () => {
  it("lists a summarize tool that takes text and an optional maxWords", async () => {
    await using connection = await pair(createSummarizeServer(), testClient());
    const { tools } = await connection.client.listTools();
    const tool = tools.find((t) => t.name === "summarize");
    expect(tool, "the server should list a tool named summarize").toBeDefined();
    expect(
      Object.keys(tool?.inputSchema.properties ?? {}).sort(),
      "summarize takes { text, maxWords? }",
    ).toEqual(["maxWords", "text"]);
    expect(
      tool?.inputSchema.required,
      "text is required, maxWords optional",
    ).toEqual(["text"]);
  });

  it("asks the client to sample, with maxWords in the prompt, and returns the summary", async () => {
    const asked: CreateMessageRequest[] = [];
    const client = testClient(async (request) => {
      asked.push(request);
      return answer("Event loops wait without blocking.");
    });
    await using connection = await pair(createSummarizeServer(), client);
    const result = await connection.client.callTool({
      name: "summarize",
      arguments: { text: "A long text about event loops.", maxWords: 12 },
    });
    expect(
      asked.length,
      "the tool should send one sampling/createMessage request to the client",
    ).toBe(1);
    const prompt = JSON.stringify(asked[0]?.params.messages);
    expect(prompt, "the prompt should contain the text to summarize").toContain(
      "A long text about event loops.",
    );
    expect(
      prompt,
      'put maxWords into the prompt ("in at most 12 words"): the model ' +
        "cannot know the limit otherwise",
    ).toMatch(/\b12\b/);
    expect(result.isError ?? false, toolText(result)).toBe(false);
    expect(
      toolText(result),
      "the tool's result should be the text the client sampled",
    ).toBe("Event loops wait without blocking.");
  });

  it("gives a client without sampling an isError result that says so", async () => {
    await using connection = await pair(createSummarizeServer(), testClient());
    const result = (await connection.client.callTool({
      name: "summarize",
      arguments: { text: "Anything." },
    })) as CallToolResult;
    expect(
      result.isError,
      "a client that did not declare the sampling capability should get " +
        "an isError result",
    ).toBe(true);
    expect(
      toolText(result),
      `the error says "${toolText(result)}": check ` +
        "server.server.getClientCapabilities()?.sampling first and say that " +
        "the client does not support sampling, instead of sending a request " +
        'it cannot answer ("Method not found")',
    ).toMatch(/sampling/i);
  });

  it("cancels its sampling request when the tool call is cancelled", async () => {
    const handlerSignal = deferred<AbortSignal>();
    const client = testClient(
      (_request, extra) =>
        new Promise((_resolve, reject) => {
          handlerSignal.resolve(extra.signal);
          extra.signal.addEventListener("abort", () =>
            reject(extra.signal.reason),
          );
        }),
    );
    await using connection = await pair(createSummarizeServer(), client);
    // The 1.x SDK ignores a cancellation of request id 0: make the sampling
    // request the server's second request.
    await connection.server.server.ping();
    const controller = new AbortController();
    const call = connection.client.callTool(
      { name: "summarize", arguments: { text: "Long." } },
      undefined,
      { signal: controller.signal },
    );
    void call.catch(() => {});
    const signal = await handlerSignal.promise;
    controller.abort(new Error("the user pressed stop"));
    await eventually(() => signal.aborted);
    expect(
      signal.aborted,
      "the tool call was cancelled but its sampling request was not: pass " +
        "the tool's extra.signal to createMessage ({ signal: extra.signal })",
    ).toBe(true);
  });

  it("reports a sampling request that failed as an isError result", async () => {
    const client = testClient(async () => {
      throw new Error("the user declined");
    });
    await using connection = await pair(createSummarizeServer(), client);
    const result = (await connection.client.callTool({
      name: "summarize",
      arguments: { text: "Anything." },
    })) as CallToolResult;
    expect(
      result.isError,
      "a failed sampling request should make the tool answer isError",
    ).toBe(true);
    expect(toolText(result)).toMatch(/declined/);
  });
});

describe("connectClient", () => {
  it("declares the sampling capability", async () => {
    await using connection = await pair(
      new McpServer({ name: "bare", version: "1" }),
      (transport) => connectClient(transport, async () => answer("Hi")),
    );
    expect(
      connection.server.server.getClientCapabilities()?.sampling,
      "the server sees no sampling capability: create the Client with " +
        "{ capabilities: { sampling: {} } }",
    ).toBeDefined();
  });

  it("answers the server's sampling requests with the handler", async () => {
    const asked: string[] = [];
    await using connection = await pair(
      new McpServer({ name: "bare", version: "1" }),
      (transport) =>
        connectClient(transport, async (request) => {
          asked.push(JSON.stringify(request.params.messages));
          return answer("Hello from the handler");
        }),
    );
    const result = await connection.server.server.createMessage({
      messages: [{ role: "user", content: { type: "text", text: "Hi?" } }],
      maxTokens: 10,
    });
    expect(
      asked.length,
      "the handler was not called: install it with " +
        "client.setRequestHandler(CreateMessageRequestSchema, handler)",
    ).toBe(1);
    expect(result.content).toEqual({
      type: "text",
      text: "Hello from the handler",
    });
  });

  it("gives the handler a signal that aborts when the server cancels", async () => {
    const handlerSignal = deferred<AbortSignal>();
    await using connection = await pair(
      new McpServer({ name: "bare", version: "1" }),
      (transport) =>
        connectClient(
          transport,
          (_request, extra) =>
            new Promise((_resolve, reject) => {
              handlerSignal.resolve(extra.signal);
              extra.signal.addEventListener("abort", () =>
                reject(extra.signal.reason),
              );
            }),
        ),
    );
    await connection.server.server.ping(); // not request id 0: see above
    const controller = new AbortController();
    const sampling = connection.server.server.createMessage(
      {
        messages: [{ role: "user", content: { type: "text", text: "Hi?" } }],
        maxTokens: 10,
      },
      { signal: controller.signal },
    );
    void sampling.catch(() => {});
    const signal = await handlerSignal.promise;
    controller.abort(new Error("no longer needed"));
    await eventually(() => signal.aborted);
    expect(
      signal.aborted,
      "the server cancelled its request but the handler's signal did not " +
        "abort: hand the SDK's extra (with its signal) on to the handler",
    ).toBe(true);
  });
});

describe("summarize", () => {
  /** The learner's whole chain: server, client, handler, fake model. */
  async function chain(fake: FakeAnthropic): Promise<Pair> {
    const handler = createSamplingHandler(fake.client({ maxRetries: 0 }), {
      model: MODEL,
    });
    return pair(createSummarizeServer(), (transport) =>
      connectClient(transport, handler),
    );
  }

  it("returns the summary the model wrote", async () => {
    await using fake = await startFakeAnthropic({
      script: [reply("Tasks wait; the loop runs others.")],
    });
    await using connection = await chain(fake);
    const summary = await summarize(
      connection.client,
      "An event loop runs one task at a time and switches at each await.",
      8,
    );
    expect(summary, "summarize should return the tool's text").toBe(
      "Tasks wait; the loop runs others.",
    );
    expect(
      sent(fake.requests[0])
        .map((m) => m.text)
        .join(" "),
      "the model should have been asked about the text",
    ).toContain("An event loop runs one task at a time");
  });

  it("rejects with the tool's message when the result is isError", async () => {
    await using connection = await pair(createSummarizeServer(), testClient());
    const error = await rejection(
      summarize(connection.client, "Anything.", 10),
    );
    expect(
      error,
      "the tool answered isError but summarize fulfilled: a tool error is " +
        "a normal result with isError: true, so check it and throw",
    ).toBeInstanceOf(Error);
    expect(
      (error as Error).message,
      "the error should carry the tool's own message",
    ).toMatch(/sampling/i);
  });

  it("rejects with signal.reason when its signal aborts", async () => {
    const { fake, arrived } = await heldModel();
    await using _ = fake;
    await using connection = await chain(fake);
    await connection.server.server.ping(); // not request id 0: see above
    const controller = new AbortController();
    const result = observe(
      summarize(connection.client, "A long text.", 10, controller.signal),
    );
    await arrived;
    const reason = { why: "the user pressed stop" };
    controller.abort(reason);
    await eventually(() => result.state !== "pending");
    expect(
      result.state,
      "summarize should reject as soon as its signal aborts",
    ).toBe("rejected");
    expect(
      result.reason,
      "reject with signal.reason itself: the SDK rejects with its own " +
        "McpError (-32001), so catch it and throw signal.reason",
    ).toBe(reason);
  });

  it("closes the HTTP request to the model when the call is cancelled", async () => {
    const { fake, arrived } = await heldModel();
    await using _ = fake;
    await using connection = await chain(fake);
    await connection.server.server.ping(); // not request id 0: see above
    const controller = new AbortController();
    void summarize(
      connection.client,
      "A long text.",
      10,
      controller.signal,
    ).catch(() => {});
    const request = await arrived;
    controller.abort(new Error("the user pressed stop"));
    await eventually(() => request.state !== "open");
    expect(
      request.state,
      "the call was cancelled but the model kept writing: the cancellation " +
        "must travel tools/call → sampling request → HTTP request (pass " +
        "the signal at every step)",
    ).toBe("client-left");
  });
});
