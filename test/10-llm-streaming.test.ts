import Anthropic, { APIError } from "@anthropic-ai/sdk";
import { describe, expect, it } from "vitest";
import { TimeoutError } from "#exercises/02-tasks/timeout.ts";
import { chatEvents } from "#exercises/10-llm-streaming/chat-events.ts";
import { streamText } from "#exercises/10-llm-streaming/stream-text.ts";
import { withTimeouts } from "#exercises/10-llm-streaming/timeouts.ts";
import { startFakeAnthropic, type FakeTurn } from "#kit/fake-anthropic.ts";
import {
  advance,
  pendingTimers,
  settle,
  useFakeClock,
} from "#kit/testing/clock.ts";
import { deferred, observe, type Deferred } from "#kit/testing/deferred.ts";
import { abortListeners, unhandledErrors } from "#kit/testing/leaks.ts";

const MODEL = "claude-sonnet-5-5";

/**
 * Resolves as `promise` does, or fails with `message` after `ms` of real time.
 * Bytes travel through a real socket, so "soon" takes a few event-loop turns;
 * only a test that is about to fail waits the full `ms`.
 */
async function within<T>(
  promise: Promise<T>,
  message: string,
  ms = 1_000,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Everything a stream yields, and the error it ended with, if any. */
async function drain<T>(
  stream: AsyncIterable<T>,
): Promise<{ items: T[]; error: unknown }> {
  const items: T[] = [];
  try {
    for await (const item of stream) items.push(item);
    return { items, error: undefined };
  } catch (error) {
    return { items, error };
  }
}

/**
 * A `beforeEvent` hook that holds the stream before the event `at` picks,
 * until `release()`: the test decides how far the reply has got.
 */
function holdAt(at: (type: string, count: number) => boolean) {
  const counts = new Map<string, number>();
  const reached = deferred();
  const gate = deferred();
  return {
    beforeEvent: async ({ type }: { type: string }) => {
      const count = (counts.get(type) ?? 0) + 1;
      counts.set(type, count);
      if (!at(type, count)) return;
      reached.resolve();
      await gate.promise;
    },
    /** Resolves once the server waits at the held event. */
    reached: reached.promise,
    release: () => gate.resolve(),
  };
}

/** Holds the stream before its `n`th text or JSON delta. */
const beforeDelta = (n: number) =>
  holdAt((type, count) => type === "content_block_delta" && count === n);

const text = (...chunks: string[]): FakeTurn => ({
  content: [{ type: "text", text: chunks }],
});

const LEFT_OPEN =
  "the HTTP request stayed open after the consumer stopped reading";

describe("streamText", () => {
  it("yields the text deltas in order", async () => {
    await using server = await startFakeAnthropic({
      script: [text("Streams", " arrive", " in", " pieces.")],
    });
    const { items, error } = await drain(
      streamText(server.client({ maxRetries: 0 }), {
        model: MODEL,
        prompt: "How do replies arrive?",
      }),
    );
    expect(error, "streamText failed on a plain text reply").toBe(undefined);
    expect(
      items,
      "streamText should yield each text_delta's text, in order, one by one",
    ).toEqual(["Streams", " arrive", " in", " pieces."]);
  });

  it("sends the prompt as one user message, with max_tokens 1,024 unless maxTokens says otherwise", async () => {
    await using server = await startFakeAnthropic({
      script: [text("One."), text("Two.")],
    });
    const client = server.client({ maxRetries: 0 });
    await drain(streamText(client, { model: MODEL, prompt: "Count." }));
    await drain(
      streamText(client, { model: MODEL, prompt: "Again.", maxTokens: 50 }),
    );
    const [first, second] = server.requests.map((r) => r.body);
    expect(first?.model, "send params.model as the model").toBe(MODEL);
    expect(
      first?.messages,
      "send the prompt as the only message, from the user",
    ).toEqual([{ role: "user", content: "Count." }]);
    expect(
      first?.max_tokens,
      "max_tokens should default to 1,024 when maxTokens is not given",
    ).toBe(1024);
    expect(second?.max_tokens, "maxTokens should become max_tokens").toBe(50);
    expect(first?.stream, "ask for a stream (stream: true)").toBe(true);
  });

  it("sends the system prompt when one is given", async () => {
    await using server = await startFakeAnthropic({
      script: [text("Yes."), text("No.")],
    });
    const client = server.client({ maxRetries: 0 });
    await drain(
      streamText(client, {
        model: MODEL,
        prompt: "Short?",
        system: "Answer in one word.",
      }),
    );
    await drain(streamText(client, { model: MODEL, prompt: "Long?" }));
    const [first, second] = server.requests.map((r) => r.body);
    expect(first?.system, "params.system should be sent as system").toBe(
      "Answer in one word.",
    );
    expect(second?.system, "without params.system, send no system prompt").toBe(
      undefined,
    );
  });

  it("yields the first delta before the reply is complete", async () => {
    const hold = beforeDelta(2);
    await using server = await startFakeAnthropic({
      script: [text("First", " second", " third.")],
      beforeEvent: hold.beforeEvent,
    });
    const stream = streamText(server.client({ maxRetries: 0 }), {
      model: MODEL,
      prompt: "Go.",
    });
    try {
      const first = await within(
        stream.next(),
        "the server sent the first delta and waits before the second, but streamText yielded nothing: is the text held back until its block or the whole message ends? Yield each text_delta as it arrives",
      );
      expect(first).toEqual({ value: "First", done: false });
    } finally {
      hold.release();
    }
    expect((await drain(stream)).items).toEqual([" second", " third."]);
  });

  it("closes the HTTP request when the consumer stops early", async () => {
    const hold = beforeDelta(3);
    await using server = await startFakeAnthropic({
      script: [text("One", " two", " three", " four.")],
      beforeEvent: hold.beforeEvent,
    });
    const stream = streamText(server.client({ maxRetries: 0 }), {
      model: MODEL,
      prompt: "Count.",
    });
    try {
      for await (const delta of stream) if (delta === " two") break;
      const end = await within(
        server.requests[0]!.finished,
        `${LEFT_OPEN}: leave the SDK's stream with for await (its return() aborts the request), or abort it in a finally`,
      );
      expect(end, LEFT_OPEN).toBe("client-left");
    } finally {
      hold.release();
    }
  });

  it("rejects with signal.reason when aborted between deltas", async () => {
    await using server = await startFakeAnthropic({
      script: [text("One", " two", " three.")],
    });
    const controller = new AbortController();
    const stream = streamText(
      server.client({ maxRetries: 0 }),
      { model: MODEL, prompt: "Count." },
      controller.signal,
    );
    expect(await stream.next()).toEqual({ value: "One", done: false });
    const reason = new Error("the user pressed stop");
    controller.abort(reason);
    const next = await within(
      stream.next().then(
        (result) => ({ result, error: undefined }),
        (error: unknown) => ({ result: undefined, error }),
      ),
      "after the abort, next() never settled",
    );
    expect(
      next.result,
      "the stream went on (or ended quietly) after its signal aborted: reject with signal.reason",
    ).toBe(undefined);
    expect(
      next.error,
      "reject with signal.reason itself, not the SDK's APIUserAbortError, an AbortError or an error of your own",
    ).toBe(reason);
  });

  it("rejects with signal.reason and closes the request when aborted while waiting for the server", async () => {
    const hold = beforeDelta(2);
    await using server = await startFakeAnthropic({
      script: [text("One", " two", " three.")],
      beforeEvent: hold.beforeEvent,
    });
    const controller = new AbortController();
    const stream = streamText(
      server.client({ maxRetries: 0 }),
      { model: MODEL, prompt: "Count." },
      controller.signal,
    );
    try {
      expect(await stream.next()).toEqual({ value: "One", done: false });
      const waiting = stream.next();
      waiting.catch(() => {});
      // The reply may settle before the server is held: then it says why.
      await Promise.race([hold.reached, waiting]);
      const reason = new Error("the user pressed stop");
      controller.abort(reason);
      const outcome = await within(
        waiting.then(
          (result) => ({ result, error: undefined }),
          (error: unknown) => ({ result: undefined, error }),
        ),
        "the signal aborted while the server was silent, and the pending next() never settled: the signal never reached the SDK. Pass it in the request options: messages.stream(params, { signal })",
      );
      expect(
        outcome.result,
        "the stream ended quietly after the abort: an abort must reject with signal.reason",
      ).toBe(undefined);
      expect(
        outcome.error,
        "reject with signal.reason itself, not the SDK's APIUserAbortError, an AbortError or an error of your own",
      ).toBe(reason);
      expect(
        await within(server.requests[0]!.finished, LEFT_OPEN),
        "the abort should close the HTTP request",
      ).toBe("client-left");
      expect(
        abortListeners(controller.signal),
        "an abort listener is still on the signal",
      ).toBe(0);
    } finally {
      hold.release();
    }
  });

  it("rejects at once with signal.reason, and sends nothing, when the signal is already aborted", async () => {
    await using server = await startFakeAnthropic({ script: [text("Hi.")] });
    const reason = new Error("too late");
    const { error } = await drain(
      streamText(
        server.client({ maxRetries: 0 }),
        { model: MODEL, prompt: "Hi." },
        AbortSignal.abort(reason),
      ),
    );
    expect(
      error,
      "with an aborted signal, reject with signal.reason itself",
    ).toBe(reason);
    expect(server.requests.length, "no request should be sent").toBe(0);
  });

  it("throws when the reply is cut off before message_stop", async () => {
    await using server = await startFakeAnthropic({
      script: [{ ...text("Half", " an", " answer"), endAfterEvents: 5 }],
    });
    const { items, error } = await drain(
      streamText(server.client({ maxRetries: 0 }), {
        model: MODEL,
        prompt: "Go.",
      }),
    );
    expect(items.length, "the deltas before the cut still come").toBe(2);
    expect(
      error,
      "the stream ended without message_stop and streamText ended quietly, as if the answer were complete: a reply cut off before message_stop must throw",
    ).toBeInstanceOf(Error);
  });

  it("passes on an error event from the middle of the stream", async () => {
    await using server = await startFakeAnthropic({
      script: [
        {
          ...text("Half", " an", " answer"),
          streamError: { afterEvents: 5, type: "overloaded_error" },
        },
      ],
    });
    const { items, error } = await drain(
      streamText(server.client(), { model: MODEL, prompt: "Go." }),
    );
    expect(items.length, "the deltas before the error still come").toBe(2);
    expect(
      error,
      "an event: error in the stream should reject with the SDK's APIError",
    ).toBeInstanceOf(APIError);
    expect(
      server.requests.length,
      "the SDK never retries an error that comes after the 200",
    ).toBe(1);
  });

  it("leaves no abort listener on the signal when the reply ends", async () => {
    await using server = await startFakeAnthropic({
      script: [text("All", " done.")],
    });
    const controller = new AbortController();
    await drain(
      streamText(
        server.client({ maxRetries: 0 }),
        { model: MODEL, prompt: "Go." },
        controller.signal,
      ),
    );
    expect(
      abortListeners(controller.signal),
      "an abort listener is still on the signal after the reply ended: remove what you add (the SDK removes its own)",
    ).toBe(0);
  });
});

const CALCULATOR: Anthropic.Tool = {
  name: "calculator",
  description: "Evaluates arithmetic.",
  input_schema: {
    type: "object",
    properties: { expression: { type: "string" } },
    required: ["expression"],
  },
};

const ask = (prompt: string): Anthropic.MessageCreateParamsNonStreaming => ({
  model: MODEL,
  max_tokens: 1024,
  messages: [{ role: "user", content: prompt }],
  tools: [CALCULATOR],
});

const tool = (name: string, input: Record<string, unknown>, id: string) =>
  ({ type: "tool_use", name, input, id }) as const;

const ONE_PIECE =
  "parse a tool's input once, at its content_block_stop, from all its partial_json pieces joined: a single piece is rarely valid JSON";

describe("chatEvents", () => {
  it("yields text deltas, then done with the stop reason and the final usage", async () => {
    await using server = await startFakeAnthropic({
      script: [text("Hello", " from", " the", " model."), text("Hello")],
    });
    const client = server.client({ maxRetries: 0 });
    const { items, error } = await drain(chatEvents(client, ask("Hi!")));
    expect(error, "chatEvents failed on a plain text reply").toBe(undefined);
    const reference = await client.messages.stream(ask("Hi!")).finalMessage();
    expect(
      items,
      "expected one text event per text_delta, then done, last",
    ).toEqual([
      { type: "text", delta: "Hello" },
      { type: "text", delta: " from" },
      { type: "text", delta: " the" },
      { type: "text", delta: " model." },
      {
        type: "done",
        stopReason: "end_turn",
        usage: {
          inputTokens: reference.usage.input_tokens,
          outputTokens: 4,
        },
      },
    ]);
  });

  it("takes the output tokens from message_delta, not message_start", async () => {
    const words = Array.from({ length: 12 }, (_, i) => ` w${i}`);
    await using server = await startFakeAnthropic({ script: [text(...words)] });
    const { items } = await drain(
      chatEvents(server.client({ maxRetries: 0 }), ask("Talk.")),
    );
    const done = items.at(-1);
    expect(done?.type, "the last event should be done").toBe("done");
    expect(
      done?.type === "done" && done.usage.outputTokens,
      "message_start's output_tokens is only a placeholder (1): the final, cumulative count comes in message_delta",
    ).toBe(12);
  });

  it("yields a tool call once, at its block's end, with its input parsed from the joined pieces", async () => {
    const input = { expression: "17 * 23", options: { exact: true } };
    await using server = await startFakeAnthropic({
      script: [{ content: [tool("calculator", input, "toolu_1")] }],
    });
    const { items, error } = await drain(
      chatEvents(server.client({ maxRetries: 0 }), ask("17 * 23?")),
    );
    expect(error, ONE_PIECE).toBe(undefined);
    expect(
      items.filter((event) => event.type === "tool_use"),
      `expected the tool call once, with its whole input: ${ONE_PIECE}`,
    ).toEqual([{ type: "tool_use", id: "toolu_1", name: "calculator", input }]);
    expect(
      items.at(-1),
      "after the tool call, done should say the turn stopped for tool_use",
    ).toMatchObject({ type: "done", stopReason: "tool_use" });
  });

  it("keeps several tool blocks apart, in order, with the text between them", async () => {
    await using server = await startFakeAnthropic({
      script: [
        {
          content: [
            { type: "text", text: ["Let me", " check."] },
            tool("calculator", { expression: "1 + 1" }, "toolu_a"),
            { type: "text", text: [" And"] },
            tool("calculator", { expression: "2 * 21" }, "toolu_b"),
            tool("clock", { timeZone: "Europe/Paris" }, "toolu_c"),
          ],
        },
      ],
    });
    const { items, error } = await drain(
      chatEvents(server.client({ maxRetries: 0 }), ask("Sums?")),
    );
    expect(
      error,
      "chatEvents failed on several tool blocks: does each block have its own JSON buffer?",
    ).toBe(undefined);
    expect(
      items.slice(0, -1),
      "each tool block needs its own buffer of partial_json pieces (by the block's index), emptied when the block ends; events must come in the order of the stream",
    ).toEqual([
      { type: "text", delta: "Let me" },
      { type: "text", delta: " check." },
      {
        type: "tool_use",
        id: "toolu_a",
        name: "calculator",
        input: { expression: "1 + 1" },
      },
      { type: "text", delta: " And" },
      {
        type: "tool_use",
        id: "toolu_b",
        name: "calculator",
        input: { expression: "2 * 21" },
      },
      {
        type: "tool_use",
        id: "toolu_c",
        name: "clock",
        input: { timeZone: "Europe/Paris" },
      },
    ]);
  });

  it("gives a tool called with no arguments {} as its input", async () => {
    await using server = await startFakeAnthropic({
      script: [{ content: [tool("clock", {}, "toolu_now")] }],
    });
    const { items, error } = await drain(
      chatEvents(server.client({ maxRetries: 0 }), ask("Time?")),
    );
    expect(
      error,
      "a tool call with an empty input failed: no pieces (or only empty ones) mean the input is {}",
    ).toBe(undefined);
    expect(items[0], "an empty input is {}").toEqual({
      type: "tool_use",
      id: "toolu_now",
      name: "clock",
      input: {},
    });
  });

  it("forwards the params as they are, asking for a stream", async () => {
    await using server = await startFakeAnthropic({ script: [text("Ok.")] });
    const params = { ...ask("Hi."), system: "Be brief.", max_tokens: 77 };
    await drain(chatEvents(server.client({ maxRetries: 0 }), params));
    expect(
      server.requests[0]?.body,
      "send the params unchanged, plus stream: true",
    ).toEqual({ ...params, stream: true });
  });

  it("yields the first text before the turn is complete", async () => {
    const hold = beforeDelta(2);
    await using server = await startFakeAnthropic({
      script: [text("First", " second.")],
      beforeEvent: hold.beforeEvent,
    });
    const events = chatEvents(server.client({ maxRetries: 0 }), ask("Go."));
    try {
      const first = await within(
        events.next(),
        "the server sent the first delta and waits before the second, but chatEvents yielded nothing: is the text held back until its block or the message ends? Yield each text_delta as it arrives",
      );
      expect(first).toEqual({
        value: { type: "text", delta: "First" },
        done: false,
      });
    } finally {
      hold.release();
    }
    await drain(events);
  });

  it("closes the HTTP request when the consumer stops early", async () => {
    const hold = beforeDelta(3);
    await using server = await startFakeAnthropic({
      script: [text("One", " two", " three", " four.")],
      beforeEvent: hold.beforeEvent,
    });
    const events = chatEvents(server.client({ maxRetries: 0 }), ask("Go."));
    try {
      for await (const event of events)
        if (event.type === "text" && event.delta === " two") break;
      const end = await within(
        server.requests[0]!.finished,
        `${LEFT_OPEN}: read the SDK's stream with for await (its return() aborts the request), or abort it in a finally`,
      );
      expect(end, LEFT_OPEN).toBe("client-left");
    } finally {
      hold.release();
    }
  });

  it("rejects with signal.reason when aborted between events", async () => {
    await using server = await startFakeAnthropic({
      script: [text("One", " two", " three.")],
    });
    const controller = new AbortController();
    const events = chatEvents(
      server.client({ maxRetries: 0 }),
      ask("Count."),
      controller.signal,
    );
    expect(await events.next()).toEqual({
      value: { type: "text", delta: "One" },
      done: false,
    });
    const reason = new Error("the user pressed stop");
    controller.abort(reason);
    const next = await within(
      events.next().then(
        (result) => ({ result, error: undefined }),
        (error: unknown) => ({ result: undefined, error }),
      ),
      "after the abort, next() never settled",
    );
    expect(
      next.result,
      "the stream went on (or ended quietly) after its signal aborted: reject with signal.reason",
    ).toBe(undefined);
    expect(
      next.error,
      "reject with signal.reason itself, not the SDK's APIUserAbortError, an AbortError or an error of your own",
    ).toBe(reason);
  });

  it("rejects with signal.reason and closes the request when aborted mid-stream", async () => {
    const hold = beforeDelta(2);
    await using server = await startFakeAnthropic({
      script: [text("One", " two", " three.")],
      beforeEvent: hold.beforeEvent,
    });
    const controller = new AbortController();
    const events = chatEvents(
      server.client({ maxRetries: 0 }),
      ask("Count."),
      controller.signal,
    );
    try {
      await events.next();
      const waiting = events.next();
      waiting.catch(() => {});
      // The reply may settle before the server is held: then it says why.
      await Promise.race([hold.reached, waiting]);
      const reason = new Error("the user pressed stop");
      controller.abort(reason);
      const outcome = await within(
        waiting.then(
          (result) => ({ result, error: undefined }),
          (error: unknown) => ({ result: undefined, error }),
        ),
        "the signal aborted while the server was silent, and the pending next() never settled: the signal never reached the SDK. Pass it in the request options: create(params, { signal })",
      );
      expect(
        outcome.result,
        "the stream ended quietly after the abort (the SDK's raw iterator just stops): an abort must reject with signal.reason; check signal.aborted after the loop",
      ).toBe(undefined);
      expect(
        outcome.error,
        "reject with signal.reason itself, not the SDK's APIUserAbortError, an AbortError or an error of your own",
      ).toBe(reason);
      expect(
        await within(server.requests[0]!.finished, LEFT_OPEN),
        "the abort should close the HTTP request",
      ).toBe("client-left");
      expect(
        abortListeners(controller.signal),
        "an abort listener is still on the signal",
      ).toBe(0);
    } finally {
      hold.release();
    }
  });

  it("rejects with signal.reason when aborted before the reply starts", async () => {
    const hold = holdAt((type) => type === "message_start");
    await using server = await startFakeAnthropic({
      script: [text("Hi.")],
      beforeEvent: hold.beforeEvent,
    });
    const controller = new AbortController();
    const first = chatEvents(
      server.client({ maxRetries: 0 }),
      ask("Hi."),
      controller.signal,
    ).next();
    first.catch(() => {});
    try {
      // A stub's todo() rejects first before any request: not started.
      await Promise.race([hold.reached, first]);
      const reason = { why: "navigated away" };
      controller.abort(reason);
      const error = await within(
        first.then(
          () => undefined,
          (error: unknown) => error,
        ),
        "the signal aborted before the reply started, and next() never settled: pass the signal to the SDK",
      );
      expect(
        error,
        "reject with signal.reason itself, not the SDK's APIUserAbortError, an AbortError or an error of your own",
      ).toBe(reason);
    } finally {
      hold.release();
    }
  });

  it("throws when the stream ends before message_stop", async () => {
    await using server = await startFakeAnthropic({
      script: [{ ...text("Half", " an", " answer"), endAfterEvents: 6 }],
    });
    const { items, error } = await drain(
      chatEvents(server.client({ maxRetries: 0 }), ask("Go.")),
    );
    expect(
      items.some((event) => event.type === "done"),
      "chatEvents said done although message_stop never came: a reply cut off before message_stop is not a finished one",
    ).toBe(false);
    expect(
      error,
      "the stream ended without message_stop and chatEvents ended quietly: a reply cut off before message_stop is not a finished one; throw",
    ).toBeInstanceOf(Error);
  });

  it("passes on an error event from the middle of the stream", async () => {
    await using server = await startFakeAnthropic({
      script: [
        {
          ...text("Half", " an", " answer"),
          streamError: { afterEvents: 5, type: "overloaded_error" },
        },
      ],
    });
    const { items, error } = await drain(
      chatEvents(server.client(), ask("Go.")),
    );
    expect(items.length, "the text before the error still comes").toBe(2);
    expect(
      error,
      "an event: error in the stream should reject with the SDK's APIError",
    ).toBeInstanceOf(APIError);
    expect((error as APIError).type).toBe("overloaded_error");
    expect(
      server.requests.length,
      "the SDK never retries an error that comes after the 200",
    ).toBe(1);
  });
});

/** An async generator that yields 0, 1, 2, … each after its gap (fake timers). */
function ticking(gaps: readonly number[]) {
  const stats = { closed: false };
  async function* items(): AsyncGenerator<number> {
    try {
      for (const [index, gap] of gaps.entries()) {
        await new Promise((resolve) => setTimeout(resolve, gap));
        yield index;
      }
    } finally {
      stats.closed = true;
    }
  }
  return { source: items(), stats };
}

/** A source whose items the test hands out, one per pending next(). */
function manualSource<T>() {
  const waiting: Array<Deferred<IteratorResult<T>>> = [];
  const stats = { nextCalls: 0, returnCalls: 0 };
  const iterator: AsyncIterableIterator<T> = {
    next() {
      stats.nextCalls += 1;
      const next = deferred<IteratorResult<T>>();
      waiting.push(next);
      return next.promise;
    },
    async return() {
      stats.returnCalls += 1;
      return { value: undefined, done: true };
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  const take = () => {
    const next = waiting.shift();
    if (!next) throw new Error("test bug: nobody is waiting for an item");
    return next;
  };
  return {
    source: iterator,
    stats,
    give: (value: T) => take().resolve({ value, done: false }),
    end: () => take().resolve({ value: undefined, done: true }),
    fail: (error: unknown) => take().reject(error),
  };
}

/**
 * A source stuck in an await: next() never settles, and neither does the
 * return() that asks it to close (an async generator queues it behind the
 * await).
 */
function stuckSource() {
  const stats = { returnCalls: 0 };
  const source: AsyncIterableIterator<never> = {
    next: () => new Promise(() => {}),
    return: () => {
      stats.returnCalls += 1;
      return new Promise(() => {});
    },
    [Symbol.asyncIterator]() {
      return source;
    },
  };
  return { source, stats };
}

/**
 * Everything `iterable` yields while virtual time moves on by `ms`; `hint`
 * says what a failure of the loop likely means.
 */
async function collectFor<T>(
  iterable: AsyncIterable<T>,
  ms: number,
  hint: string,
): Promise<T[]> {
  const items: T[] = [];
  const done = observe(
    (async () => {
      for await (const item of iterable) items.push(item);
    })(),
  );
  await advance(ms);
  expect(done.reason, `${hint} (after ${JSON.stringify(items)})`).toBe(
    undefined,
  );
  expect(done.state, "the loop did not end: the stream should be over").toBe(
    "fulfilled",
  );
  return items;
}

describe("withTimeouts", () => {
  it("passes every item on, in order, and ends when the source ends", async () => {
    useFakeClock();
    const { source } = ticking([10, 20, 30]);
    const items = await collectFor(
      withTimeouts(source, { firstMs: 100, idleMs: 100 }),
      100,
      "every item came in time, but the stream failed",
    );
    expect(
      items,
      "withTimeouts should pass on every item of the source, in order",
    ).toEqual([0, 1, 2]);
    expect(pendingTimers(), "a timer was left armed after the end").toBe(0);
  });

  it("throws lesson 02's TimeoutError when the first item takes longer than firstMs", async () => {
    useFakeClock();
    const { source } = ticking([300]);
    const first = observe(withTimeouts(source, { firstMs: 200 }).next());
    await advance(199);
    expect(
      first.state,
      "the first item may take up to firstMs (200 ms); withTimeouts gave up at 199 ms",
    ).toBe("pending");
    await advance(1);
    expect(
      first.state,
      "no TimeoutError at firstMs: start a timer when you ask the source for its first item",
    ).toBe("rejected");
    expect(
      first.reason,
      "throw lesson 02's TimeoutError (import it from ../02-tasks/timeout.ts), not a plain Error",
    ).toBeInstanceOf(TimeoutError);
    await advance(100); // the source's own timer
  });

  it("throws a TimeoutError when a later gap is longer than idleMs", async () => {
    useFakeClock();
    const { source } = ticking([10, 50, 300]);
    const items: number[] = [];
    const loop = observe(
      (async () => {
        for await (const item of withTimeouts(source, { idleMs: 100 }))
          items.push(item);
      })(),
    );
    await advance(160);
    expect(items, "the first two items came in time").toEqual([0, 1]);
    expect(
      loop.state,
      "the third item took 300 ms, more than idleMs (100 ms), but nothing was thrown",
    ).toBe("rejected");
    expect(
      loop.reason,
      "throw lesson 02's TimeoutError (import it from ../02-tasks/timeout.ts), not a plain Error",
    ).toBeInstanceOf(TimeoutError);
    await advance(300);
  });

  it("starts the idle deadline again after each item", async () => {
    useFakeClock();
    const { source } = ticking([0, 80, 80, 80, 80]);
    const items = await collectFor(
      withTimeouts(source, { idleMs: 100 }),
      400,
      "each gap was 80 ms, under idleMs (100 ms), yet the stream failed: reset the idle timer after each item (one timer per wait, not one for the whole stream)",
    );
    expect(items).toEqual([0, 1, 2, 3, 4]);
  });

  it("uses firstMs for the first item and idleMs for the gaps after it", async () => {
    useFakeClock();
    const slowStart = ticking([300, 50]);
    const items = await collectFor(
      withTimeouts(slowStart.source, { firstMs: 500, idleMs: 100 }),
      400,
      "the first item came at 300 ms, within firstMs (500 ms), yet the stream failed: idleMs applies only after the first item",
    );
    expect(items).toEqual([0, 1]);

    const { source } = ticking([50, 150]);
    const loop = observe(
      (async () => {
        for await (const _ of withTimeouts(source, {
          firstMs: 500,
          idleMs: 100,
        }));
      })(),
    );
    await advance(200);
    expect(
      loop.reason,
      "a gap of 150 ms after the first item is over idleMs (100 ms): firstMs is for the first item only",
    ).toBeInstanceOf(TimeoutError);
  });

  it("sets no deadline for a part whose option is left out", async () => {
    useFakeClock();
    const manual = manualSource<string>();
    const stream = withTimeouts(manual.source, { idleMs: 100 });
    const first = observe(stream.next());
    await advance(10_000);
    expect(
      first.state,
      "without firstMs the first item may take as long as it takes",
    ).toBe("pending");
    expect(pendingTimers(), "no firstMs, so no timer for the first item").toBe(
      0,
    );
    manual.give("a");
    await settle();
    expect(first.value).toEqual({ value: "a", done: false });
    const endless = manualSource<string>();
    const free = withTimeouts(endless.source, {});
    const next = observe(free.next());
    await advance(60_000);
    expect(next.state, "with no options there is no deadline at all").toBe(
      "pending",
    );
    expect(pendingTimers()).toBe(0);
    endless.end();
    const last = observe(stream.next());
    await settle();
    manual.end();
    await settle();
    expect(last.value).toEqual({ value: undefined, done: true });
  });

  it("does not count the time the consumer holds an item", async () => {
    useFakeClock();
    const manual = manualSource<string>();
    const stream = withTimeouts(manual.source, { idleMs: 100 });
    const first = observe(stream.next());
    manual.give("a");
    await settle();
    expect(first.value).toEqual({ value: "a", done: false });
    // The consumer works on "a" for a second before it asks for more.
    await advance(1_000);
    const second = observe(stream.next());
    await advance(50);
    manual.give("b");
    await settle();
    expect(
      second.reason,
      "the consumer held an item for 1 s, then the source answered in 50 ms: start the idle timer when you ask for the next item, not when you hand one out (the time the consumer takes does not count)",
    ).toBeUndefined();
    expect(second.value).toEqual({ value: "b", done: false });
    const last = observe(stream.next());
    await settle();
    manual.end();
    await settle();
    expect(last.value).toEqual({ value: undefined, done: true });
  });

  it("closes the source when a deadline passes", async () => {
    useFakeClock();
    const manual = manualSource<string>();
    const next = observe(withTimeouts(manual.source, { firstMs: 100 }).next());
    await advance(100);
    expect(next.reason).toBeInstanceOf(TimeoutError);
    await settle();
    expect(
      manual.stats.returnCalls,
      "after the timeout the source was never closed: call its return() so it can let go of what it holds (an HTTP request, say)",
    ).toBe(1);
  });

  it("does not wait for a stuck source's return() to settle", async () => {
    useFakeClock();
    const stuck = stuckSource();
    const next = observe(withTimeouts(stuck.source, { firstMs: 100 }).next());
    await advance(100);
    await settle();
    expect(
      next.state,
      "the deadline passed but withTimeouts did not throw: it waited for the return() of a source that is stuck in an await. Call return() without awaiting it (and catch its rejection)",
    ).toBe("rejected");
    expect(next.reason).toBeInstanceOf(TimeoutError);
    expect(
      stuck.stats.returnCalls,
      "the stuck source was never asked to close: call its return()",
    ).toBe(1);
  });

  it("closes the source when the consumer stops early", async () => {
    useFakeClock();
    const { source, stats } = ticking([10, 10, 10, 10]);
    const items = [];
    const loop = observe(
      (async () => {
        for await (const item of withTimeouts(source, { idleMs: 100 })) {
          items.push(item);
          if (item === 1) break;
        }
      })(),
    );
    await advance(50);
    expect(loop.state).toBe("fulfilled");
    expect(
      stats.closed,
      "the consumer broke out of its loop but the source's finally never ran: close the source (await its return()) when the consumer leaves",
    ).toBe(true);
    expect(pendingTimers(), "a timer was left armed after the break").toBe(0);
  });

  it("passes the source's error on as it is, with no timer left", async () => {
    useFakeClock();
    const manual = manualSource<string>();
    const stream = withTimeouts(manual.source, { firstMs: 100, idleMs: 100 });
    const next = observe(stream.next());
    const boom = new Error("the model failed");
    manual.fail(boom);
    await settle();
    expect(
      next.reason,
      "the source's own error should come out unchanged",
    ).toBe(boom);
    expect(
      pendingTimers(),
      "the timer of that wait is still armed: clear it when next() settles, also when it rejects",
    ).toBe(0);
  });

  it("causes no unhandled rejection when the source fails after the deadline", async () => {
    useFakeClock();
    const manual = manualSource<string>();
    const next = observe(withTimeouts(manual.source, { firstMs: 100 }).next());
    await advance(100);
    expect(next.reason).toBeInstanceOf(TimeoutError);
    manual.fail(new Error("too late"));
    await settle();
    await settle();
    expect(
      unhandledErrors(),
      "a rejection went unhandled when the source failed after the deadline: every promise made from the source's next() (then, finally, race) needs a rejection handler",
    ).toEqual([]);
  });
});
