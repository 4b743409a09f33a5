import type Anthropic from "@anthropic-ai/sdk";
import fc from "fast-check";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it, vi } from "vitest";
import { eventStream } from "#exercises/06-context/emitter.ts";
import { parseEvents } from "#exercises/09-sse/parse.ts";
import { runAgent, type AgentOptions } from "#exercises/12-agent/agent.ts";
import { createAgentServer } from "#exercises/12-agent/server.ts";
import {
  calculator,
  currentTime,
  searchLessons,
  wait,
  type Tool,
} from "#exercises/12-agent/tools.ts";
import {
  advance,
  pendingTimers,
  settle,
  useFakeClock,
} from "#kit/testing/clock.ts";
import {
  startFakeAnthropic,
  type FakeAnthropic,
  type FakeTurn,
} from "#kit/fake-anthropic.ts";
import { deferred, observe, type Deferred } from "#kit/testing/deferred.ts";
import { inFlight } from "#kit/testing/in-flight.ts";
import { abortListeners, openNetworkHandles } from "#kit/testing/leaks.ts";
import { askInChromium, htmlSinks } from "#kit/testing/chat-page.ts";
import { CHROMIUM, hasChromium, INSTALL_CHROMIUM } from "#kit/chromium.ts";

const NEVER = new AbortController().signal;

/** What a tool answers, or `Error: <message>` when it throws. */
async function answer(tool: Tool, input: unknown): Promise<string> {
  try {
    return await tool.run(input, NEVER);
  } catch (error) {
    if (!(error instanceof Error)) throw error;
    return `Error: ${error.message}`;
  }
}

const calculate = (expression: string) => answer(calculator, { expression });

describe("calculator", () => {
  it("adds, subtracts, multiplies and divides, * and / before + and -", async () => {
    for (const [expression, expected] of [
      ["1 + 2 * 3", "7"],
      ["(1 + 2) * 3", "9"],
      ["7 - 2 - 1", "4"],
      ["8 / 4 / 2", "1"],
      ["2 * 3 + 4 * 5", "26"],
    ]) {
      expect(
        await calculate(expression!),
        `calculator("${expression}"): * and / bind tighter than + and -, ` +
          "and operators of one level go left to right (7 - 2 - 1 is 4)",
      ).toBe(expected);
    }
  });

  it("reads numbers with a fraction, with or without a leading digit, and spaces", async () => {
    for (const [expression, expected] of [
      ["42", "42"],
      [" 42 ", "42"],
      ["1.5", "1.5"],
      [".25", "0.25"],
      ["1.5 + .25", "1.75"],
    ]) {
      expect(
        await calculate(expression!),
        `calculator("${expression}"): a number is digits with an optional ` +
          "fraction (1.5), or a fraction alone (.25); spaces around numbers " +
          "and operators are skipped",
      ).toBe(expected);
    }
  });

  it("binds ^ tighter than unary minus: -2^2 is -4", async () => {
    expect(
      await calculate("-2^2"),
      "-2^2 should be -(2^2) = -4, as in mathematics and Python's -2**2: " +
        "^ binds tighter than unary minus (parse the minus above the power)",
    ).toBe("-4");
    expect(await calculate("(-2)^2"), "parentheses make (-2)^2 = 4").toBe("4");
    expect(await calculate("3 * -2^2"), "3 * -2^2 is 3 * -(4)").toBe("-12");
  });

  it("makes ^ right-associative: 2^3^2 is 512", async () => {
    expect(
      await calculate("2^3^2"),
      "2^3^2 should be 2^(3^2) = 512; 64 means ^ was parsed left to right " +
        "((2^3)^2): ^ is right-associative, so recurse for the exponent",
    ).toBe("512");
  });

  it("takes a minus after an operator or before an exponent", async () => {
    for (const [expression, expected] of [
      ["2^-1", "0.5"],
      ["2 * -3", "-6"],
      ["2 - -3", "5"],
      ["--2", "2"],
      ["-(1 + 2)", "-3"],
    ]) {
      expect(
        await calculate(expression!),
        `calculator("${expression}"): a unary minus may stand after any ` +
          "operator, also after ^",
      ).toBe(expected);
    }
  });

  it("refuses division by zero, a result that is not finite, and trailing input", async () => {
    for (const [expression, why] of [
      ["1 / 0", "division by zero"],
      ["1 / (2 - 2)", "division by zero"],
      ["1 / (1 / 0)", "division by zero, even if the result is finite"],
      ["10 ^ 400", "a result that is not finite (Infinity)"],
      ["(-8) ^ 0.5", "a result that is not finite (NaN)"],
      ["2 3", "trailing input"],
      ["(1 + 2", "a missing parenthesis"],
      ["1 + 2)", "trailing input"],
      ["", "an empty expression"],
    ]) {
      expect(
        await calculate(expression!),
        `calculator("${expression}") should throw (${why}), not answer`,
      ).toMatch(/^Error: /);
    }
  });

  it("refuses what is not arithmetic, and never runs it as JavaScript", async () => {
    const key = "__calculatorRanCode";
    try {
      for (const expression of [
        `globalThis.${key} = 1`,
        "2 ** 3",
        "Math.PI",
        "[] + {}",
      ]) {
        const result = await calculate(expression);
        expect(
          key in globalThis,
          "the calculator ran the model's input as JavaScript: parse it by " +
            "hand, never with eval or Function",
        ).toBe(false);
        expect(
          result,
          `calculator("${expression}") answered: only numbers, + - * / ^ ` +
            "and parentheses are arithmetic",
        ).toMatch(/^Error: /);
      }
    } finally {
      delete (globalThis as Record<string, unknown>)[key];
    }
    expect(
      await answer(calculator, { formula: "1 + 1" }),
      "an input without an expression string should be an error",
    ).toMatch(/^Error: /);
  });

  it("evaluates any expression as a reference evaluator does", async () => {
    await fc.assert(
      fc.asyncProperty(expressionTree(), fc.boolean(), async (tree, spaced) => {
        const text = print(tree, spaced);
        const expected = evaluate(tree);
        expect(
          await calculate(text),
          `calculator("${text}") disagrees with the reference evaluator, ` +
            `which says ${expected}`,
        ).toEqual(
          Number.isFinite(expected)
            ? String(expected)
            : expect.stringMatching(/^Error: /),
        );
      }),
      { numRuns: 300, seed: seedFromEnvironment() },
    );
  });
});

describe("currentTime", () => {
  it("answers the current time in ISO 8601, in UTC", async () => {
    useFakeClock();
    vi.setSystemTime(new Date("2026-11-22T10:00:00Z"));
    expect(
      await answer(currentTime, {}),
      "current_time should answer Date.now() as an ISO 8601 string in UTC " +
        "(toISOString())",
    ).toBe("2026-11-22T10:00:00.000Z");
  });

  it("adds the local time in an IANA time zone", async () => {
    useFakeClock();
    vi.setSystemTime(new Date("2026-11-22T10:00:00Z"));
    for (const [timeZone, local] of [
      ["Asia/Tokyo", "2026-11-22 19:00:00"],
      ["America/New_York", "2026-11-22 05:00:00"],
    ]) {
      const text = await answer(currentTime, { timeZone });
      expect(text, "the UTC time should still be there").toContain(
        "2026-11-22T10:00:00.000Z",
      );
      expect(
        text,
        `with timeZone ${timeZone}, the answer should hold the local time ` +
          `there (${local}): Intl.DateTimeFormat with { timeZone }`,
      ).toContain(local);
    }
  });

  it("refuses an unknown time zone with an error that names it", async () => {
    expect(
      await answer(currentTime, { timeZone: "Mars/Olympus_Mons" }),
      "an unknown time zone should be an error that names it",
    ).toMatch(/^Error: .*Mars\/Olympus_Mons/);
  });
});

describe("searchLessons", () => {
  const search = (input: unknown) => answer(searchLessons, input);

  it("finds the lesson pages that mention a word, whatever its case", async () => {
    const text = await search({ query: "asynclocalstorage" });
    expect(
      text,
      "searching for asynclocalstorage should find lesson 06, whose title " +
        "says AsyncLocalStorage: compare in lower case",
    ).toContain("Context variables with AsyncLocalStorage");
    expect(text, "each result should say where the page is").toContain(
      "/lessons/06-context",
    );
  });

  it("ranks the page that matches the most words first", async () => {
    const text = await search({ query: "PGlite unnest semaphore" });
    const first = /^1\. (.*)$/m.exec(text)?.[1];
    expect(
      first,
      "lesson 08 is the only page that mentions PGlite, unnest and " +
        "semaphore: it should come first",
    ).toContain("/lessons/08-pools");
  });

  it("answers the best three, or as many as limit asks for, with snippets", async () => {
    const numbered = (text: string) => text.match(/^\d+\. /gm)?.length ?? 0;
    const three = await search({ query: "promise" });
    expect(numbered(three), "without a limit, answer the best 3").toBe(3);
    expect(numbered(await search({ query: "promise", limit: 1 }))).toBe(1);
    expect(
      (await search({ query: "unnest" })).toLowerCase(),
      "each result should show a snippet around the match",
    ).toMatch(/\n.*unnest/);
  });

  it("says so when nothing matches, as an answer and not an error", async () => {
    expect(
      await search({ query: "xylophone" }),
      "no match is a plain answer for the model, not a thrown error",
    ).toMatch(/^(?!Error)[\s\S]*xylophone/);
  });

  it("refuses a missing or empty query", async () => {
    for (const input of [{}, { query: "  " }, { query: 3 }, null])
      expect(
        await search(input),
        `${JSON.stringify(input)} should be an error: the model must ` +
          "say what to look for",
      ).toMatch(/^Error: /);
  });
});

describe("wait", () => {
  it("waits the given number of seconds", async () => {
    useFakeClock();
    const waited = observe(wait.run({ seconds: 2 }, NEVER));
    await advance(1_999);
    expect(waited.state, "wait({ seconds: 2 }) ended early").toBe("pending");
    await advance(1);
    expect(waited.state, "wait({ seconds: 2 }) should end after 2 s").toBe(
      "fulfilled",
    );
    expect(waited.value).toMatch(/2 seconds/);
  });

  it("refuses seconds that are not a number from 0 to 3600", async () => {
    useFakeClock();
    for (const seconds of [-1, 3_601, "5", Number.NaN, undefined]) {
      const waited = observe(wait.run({ seconds }, NEVER));
      await settle();
      expect(
        waited.state,
        `wait({ seconds: ${String(seconds)} }) should be an error, at once`,
      ).toBe("rejected");
    }
    expect(pendingTimers(), "a refused wait started a timer").toBe(0);
    const zero = observe(wait.run({ seconds: 0 }, NEVER));
    await advance(0);
    expect(zero.state, "0 seconds is a valid wait").toBe("fulfilled");
  });

  it("rejects with signal.reason on abort and leaves no timer", async () => {
    useFakeClock();
    const controller = new AbortController();
    const waited = observe(wait.run({ seconds: 60 }, controller.signal));
    await advance(1_000);
    const reason = new Error("the user pressed Stop");
    controller.abort(reason);
    await settle();
    expect(
      waited.state,
      "wait kept waiting after its signal aborted: pass the signal on",
    ).toBe("rejected");
    expect(waited.reason, "reject with signal.reason itself").toBe(reason);
    expect(pendingTimers(), "the aborted wait left its timer armed").toBe(0);
    expect(abortListeners(controller.signal)).toBe(0);
  });
});

// ---------------------------------------------------------------------------
// The agent, against the workbook's fake Claude (kit/fake-anthropic.ts).

const MODEL = "claude-sonnet-5-5";
const QUESTION: Anthropic.MessageParam[] = [
  { role: "user", content: "Do two jobs." },
];

/** A scripted model turn: text chunks, then tool calls. */
function turn(text: string[], ...calls: [string, object, string?][]): FakeTurn {
  return {
    content: [
      ...(text.length > 0 ? [{ type: "text" as const, text }] : []),
      ...calls.map(([name, input, id]) => ({
        type: "tool_use" as const,
        name,
        input: input as Record<string, unknown>,
        ...(id ? { id } : {}),
      })),
    ],
  };
}

/**
 * A tool whose calls the test finishes: each call waits for its own
 * deferred, and rejects with the signal's reason when it aborts.
 */
function gatedTool(name = "job") {
  const calls: {
    input: unknown;
    signal: AbortSignal;
    done: Deferred<string>;
  }[] = [];
  const counter = inFlight();
  const tool: Tool = {
    name,
    description: "A job that the test finishes.",
    inputSchema: { type: "object" },
    run: counter.wrap(async (input: unknown, signal: AbortSignal) => {
      const done = deferred<string>();
      calls.push({ input, signal, done });
      signal.addEventListener("abort", () => done.reject(signal.reason), {
        once: true,
      });
      return done.promise;
    }),
  };
  return { tool, calls, counter };
}

/**
 * Lets real I/O run until `condition` holds; fails with `message` (computed
 * then, when it is a function) after 1 s, or at once with `work`'s own error
 * if it fails first (so a stub's todo() reports "not started", and a thrown
 * error is shown, without the wait). A failure points at the test's line.
 */
async function until(
  condition: () => boolean,
  message: string | (() => string),
  work?: Promise<unknown>,
) {
  const callSite = new Error();
  Error.captureStackTrace(callSite, until);
  let failed: { error: unknown } | undefined;
  work?.catch((error: unknown) => (failed = { error }));
  const end = performance.now() + 1_000;
  while (!condition()) {
    if (failed) throw failed.error;
    if (performance.now() > end) {
      const text = typeof message === "function" ? message() : message;
      try {
        expect.fail(text);
      } catch (error) {
        const frames = callSite.stack?.split("\n").slice(1) ?? [];
        (error as Error).stack = [`AssertionError: ${text}`, ...frames].join(
          "\n",
        );
        throw error;
      }
    }
    await settle();
  }
}

/**
 * For `until`: the tool calls of one turn have all started. When they have
 * not, says how many did and why that is likely.
 */
function allStarted(calls: readonly unknown[], count: number) {
  return {
    condition: () => calls.length >= count,
    message: () =>
      calls.length === 0
        ? `none of the ${count} tools of the turn started`
        : `only ${calls.length} of the ${count} tools of the turn started, ` +
          "and the test finishes none of them until all have: a turn's " +
          "tools run at the same time (did you await each tool inside the " +
          "loop?)",
  };
}

/** Runs the agent inside an eventStream, collecting its events. */
function streamAgent(
  messages: Anthropic.MessageParam[],
  options: AgentOptions,
  signal?: AbortSignal,
) {
  const events: Record<string, unknown>[] = [];
  let transcript: Anthropic.MessageParam[] | undefined;
  const run = (async () => {
    const stream = eventStream(async (streamSignal) => {
      transcript = await runAgent(
        messages,
        options,
        signal ? AbortSignal.any([signal, streamSignal]) : streamSignal,
      );
    });
    for await (const event of stream) events.push(event);
    return transcript!;
  })();
  return { events, run, observed: observe(run) };
}

async function fakeModel(
  script: FakeTurn[] | ((request: unknown, index: number) => FakeTurn),
  more: Partial<Parameters<typeof startFakeAnthropic>[0]> = {},
): Promise<FakeAnthropic> {
  return startFakeAnthropic({ script, ...more });
}

function optionsFor(fake: FakeAnthropic, tools: Tool[]): AgentOptions {
  return { client: fake.client({ maxRetries: 0 }), model: MODEL, tools };
}

/** The last message the model was sent in request `index`. */
function lastSent(fake: FakeAnthropic, index: number) {
  const messages = fake.requests[index]?.body?.messages as
    Anthropic.MessageParam[] | undefined;
  return messages?.at(-1);
}

/**
 * What a transcript means to the API: a tool result's `is_error: false` is
 * the same as no `is_error` at all, so the comparisons accept both.
 */
function byMeaning(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value ?? null), (_key, item: unknown) => {
    const block = item as { type?: unknown; is_error?: unknown } | null;
    if (block?.type !== "tool_result" || block.is_error !== false) return item;
    const { is_error: _, ...meaning } = block;
    return meaning;
  });
}

describe("runAgent", () => {
  it("emits the turn's text, its tool calls, turn_end, then each tool's result", async () => {
    await using fake = await fakeModel([
      turn(
        ["Let me", " check."],
        ["job", { n: 1 }, "toolu_a"],
        ["job", { n: 2 }, "toolu_b"],
      ),
      turn(["Both", " done."]),
    ]);
    const { tool, calls } = gatedTool();
    const { events, run } = streamAgent(QUESTION, optionsFor(fake, [tool]));
    const both = allStarted(calls, 2);
    await until(both.condition, both.message, run);
    calls[1]!.done.resolve("second"); // the second call finishes first
    await settle();
    calls[0]!.done.resolve("first");
    await run;
    expect(
      events,
      "the agent's events should be: a text event per delta as it comes, a " +
        "tool_call per tool block, turn_end when the model stops, then a " +
        "tool_result as each tool finishes (here the second one first), " +
        "and the next turn",
    ).toEqual([
      { type: "text", delta: "Let me" },
      { type: "text", delta: " check." },
      { type: "tool_call", id: "toolu_a", name: "job", input: { n: 1 } },
      { type: "tool_call", id: "toolu_b", name: "job", input: { n: 2 } },
      { type: "turn_end", stopReason: "tool_use" },
      { type: "tool_result", id: "toolu_b", output: "second", isError: false },
      { type: "tool_result", id: "toolu_a", output: "first", isError: false },
      { type: "text", delta: "Both" },
      { type: "text", delta: " done." },
      { type: "turn_end", stopReason: "end_turn" },
    ]);
  });

  it("emits text as it arrives, before the model's turn is over", async () => {
    const gate = deferred();
    let held = false;
    await using fake = await fakeModel([turn(["Hello", " there", "!"])], {
      beforeEvent: async ({ type, index }) => {
        // hold the stream before its second delta (events 0-2 come first)
        if (type !== "content_block_delta" || index < 4) return;
        held = true;
        await gate.promise;
      },
    });
    const { events, run } = streamAgent(QUESTION, optionsFor(fake, []));
    await until(
      () => held,
      "the fake model never reached its second delta",
      run,
    );
    await until(
      () => events.length > 0,
      "no text event while the model was still writing: emit each delta " +
        "as it arrives, not the whole text at the end of the turn",
    );
    expect(events[0]).toEqual({ type: "text", delta: "Hello" });
    gate.resolve();
    await run;
  });

  it("returns the whole transcript, and runs silently outside an eventStream", async () => {
    await using fake = await fakeModel([
      turn(["Adding."], ["calculator", { expression: "2 + 2" }, "toolu_c"]),
      turn(["It is 4."]),
    ]);
    let transcript: unknown;
    try {
      transcript = await runAgent(QUESTION, optionsFor(fake, [calculator]));
    } catch (error) {
      expect.fail(
        `runAgent failed outside an eventStream (${String(error)}): lesson ` +
          "06's emit rejects there; outside a stream the agent must run " +
          "silently (the given emitIfStreaming does that)",
      );
    }
    expect(
      byMeaning(transcript),
      "runAgent should resolve with the messages it was given, each " +
        "assistant turn (text and tool_use blocks) and a user message with " +
        "the tool results",
    ).toEqual([
      ...QUESTION,
      {
        role: "assistant",
        content: [
          { type: "text", text: "Adding." },
          {
            type: "tool_use",
            id: "toolu_c",
            name: "calculator",
            input: { expression: "2 + 2" },
          },
        ],
      },
      {
        role: "user",
        content: [
          { type: "tool_result", tool_use_id: "toolu_c", content: "4" },
        ],
      },
      { role: "assistant", content: [{ type: "text", text: "It is 4." }] },
    ]);
  });

  it("sends the model the tools, the system prompt and the conversation", async () => {
    await using fake = await fakeModel([turn(["Hi."])]);
    await runAgent(QUESTION, {
      ...optionsFor(fake, [calculator, wait]),
      system: "Be brief.",
    });
    const body = fake.requests[0]?.body;
    expect(body?.model).toBe(MODEL);
    expect(body?.system, "pass options.system on as system").toBe("Be brief.");
    expect(body?.messages).toEqual(QUESTION);
    expect(
      body?.tools,
      "each tool goes to the model as { name, description, input_schema }",
    ).toEqual(
      [calculator, wait].map((t) => ({
        name: t.name,
        description: t.description,
        input_schema: t.inputSchema,
      })),
    );
  });

  it("sends every result back in one user message, in the order of the calls", async () => {
    await using fake = await fakeModel([
      turn(
        [],
        ["job", { n: 1 }, "toolu_1"],
        ["job", { n: 2 }, "toolu_2"],
        ["job", { n: 3 }, "toolu_3"],
      ),
      turn(["Done."]),
    ]);
    const { tool, calls } = gatedTool();
    const run = runAgent(QUESTION, optionsFor(fake, [tool]));
    const three = allStarted(calls, 3);
    await until(three.condition, three.message, run);
    for (const i of [2, 0, 1]) {
      calls[i]!.done.resolve(`result ${i + 1}`);
      await settle();
    }
    const failure = await run.then(
      () => undefined,
      (error: unknown) => String(error),
    );
    expect(
      failure,
      "runAgent failed after the tools ran. Did you send each result in a " +
        "message of its own? The API wants every result of a turn in the " +
        "one user message that follows it",
    ).toBe(undefined);
    const sent = lastSent(fake, 1);
    expect(sent?.role, "the tool results go back as a user message").toBe(
      "user",
    );
    expect(
      byMeaning(sent?.content),
      "the results should go back in one message, in the order the model " +
        "called the tools (not the order they finished), each with the " +
        "tool_use_id of its call",
    ).toEqual([
      { type: "tool_result", tool_use_id: "toolu_1", content: "result 1" },
      { type: "tool_result", tool_use_id: "toolu_2", content: "result 2" },
      { type: "tool_result", tool_use_id: "toolu_3", content: "result 3" },
    ]);
  });

  it("turns a tool that throws or does not exist into an is_error result", async () => {
    await using fake = await fakeModel([
      turn(
        [],
        ["broken", {}, "toolu_x"],
        ["teleport", { to: "Mars" }, "toolu_y"],
      ),
      turn(["Sorry."]),
    ]);
    const broken: Tool = {
      name: "broken",
      description: "Always fails.",
      inputSchema: { type: "object" },
      run: async () => {
        throw new Error("disk on fire");
      },
    };
    const { events, run } = streamAgent(QUESTION, optionsFor(fake, [broken]));
    const outcome = await run.then(
      () => "resolved",
      (error: unknown) => `rejected: ${String(error)}`,
    );
    expect(
      outcome,
      "a tool that throws, or a call of a tool that does not exist, must " +
        "not crash the agent: send the model an is_error result instead",
    ).toBe("resolved");
    const [x, y] = (lastSent(fake, 1)?.content ?? []) as {
      tool_use_id: string;
      content: string;
      is_error?: boolean;
    }[];
    expect(x?.is_error, "the throwing tool's result needs is_error: true").toBe(
      true,
    );
    expect(
      x?.content,
      "the error result should say which tool failed and why",
    ).toMatch(/broken[\s\S]*disk on fire/);
    expect(y?.is_error, "an unknown tool's result needs is_error: true").toBe(
      true,
    );
    expect(y?.content, "say which tool does not exist").toContain("teleport");
    expect(
      events.filter((e) => e.type === "tool_result").map((e) => e.isError),
      "the tool_result events should say isError: true",
    ).toEqual([true, true]);
  });

  it("runs a turn's tools concurrently, at most maxConcurrentTools at once", async () => {
    const six = Array.from({ length: 6 }, (_, i): [string, object] => [
      "job",
      { n: i + 1 },
    ]);
    await using fake = await fakeModel([turn([], ...six), turn(["Done."])]);
    const { tool, calls, counter } = gatedTool();
    const run = runAgent(QUESTION, {
      ...optionsFor(fake, [tool]),
      maxConcurrentTools: 2,
    });
    await until(() => calls.length >= 1, "no tool started", run);
    for (let i = 0; i < 5; i += 1) await settle();
    expect(
      counter.active,
      counter.active === 1
        ? "only 1 tool ran although 2 may run at once: did you await each " +
            "tool inside the loop?"
        : `${counter.active} tools ran at once with maxConcurrentTools 2: ` +
            "take a Semaphore permit around each tool",
    ).toBe(2);
    calls[0]!.done.resolve("ok");
    await until(
      () => calls.length === 3,
      "one of the 2 running tools finished but no third one started: a " +
        "new tool should start as soon as a permit is free, not in batches",
      run,
    );
    for (let next = 1; next < 6; next += 1) {
      await until(
        () => calls.length > next,
        `tool ${next + 1} never started`,
        run,
      );
      calls[next]!.done.resolve("ok");
    }
    await run;
    expect(counter.peak, "never more than 2 tools at once").toBe(2);
  });

  it("runs up to 4 tools at once by default", async () => {
    const six = Array.from({ length: 6 }, (_, i): [string, object] => [
      "job",
      { n: i + 1 },
    ]);
    await using fake = await fakeModel([turn([], ...six), turn(["Done."])]);
    const { tool, calls, counter } = gatedTool();
    const run = runAgent(QUESTION, optionsFor(fake, [tool]));
    await until(
      () => calls.length >= 4,
      () =>
        `only ${calls.length} of the 6 tools started: without the option, ` +
        "4 run at once (maxConcurrentTools defaults to 4)" +
        (calls.length === 1
          ? "; or did you await each tool inside the loop?"
          : ""),
      run,
    );
    for (let i = 0; i < 5; i += 1) await settle();
    expect(
      counter.active,
      "maxConcurrentTools defaults to 4: 4 of the 6 tools should run",
    ).toBe(4);
    for (let next = 0; next < 6; next += 1) {
      await until(
        () => calls.length > next,
        `tool ${next + 1} never started`,
        run,
      );
      calls[next]!.done.resolve("ok");
    }
    await run;
    expect(counter.peak).toBe(4);
  });

  it("stops after maxTurns model calls, and still runs the last turn's tools", async () => {
    const asksForever = () =>
      turn(["Again."], ["calculator", { expression: "1 + 1" }]);
    await using fake = await fakeModel(asksForever);
    const transcript = await runAgent(QUESTION, {
      ...optionsFor(fake, [calculator]),
      maxTurns: 3,
    });
    expect(
      fake.requests.length,
      "a model that always asks for a tool was called more than maxTurns " +
        "(3) times, or fewer: count the model calls and stop at maxTurns",
    ).toBe(3);
    const last = transcript.at(-1);
    expect(
      last?.role === "user" &&
        Array.isArray(last.content) &&
        last.content[0]?.type === "tool_result",
      "the transcript should end with the results of the last turn's " +
        "tools: every tool_use needs its tool_result",
    ).toBe(true);
  });

  it("calls the model at most 8 times by default", async () => {
    await using fake = await fakeModel(() =>
      turn([], ["calculator", { expression: "1" }]),
    );
    await runAgent(QUESTION, optionsFor(fake, [calculator]));
    expect(fake.requests.length, "maxTurns defaults to 8").toBe(8);
  });

  it("refuses a maxTurns or maxConcurrentTools that is not a positive integer", async () => {
    await using fake = await fakeModel([]);
    for (const bad of [
      { maxTurns: 0 },
      { maxTurns: 1.5 },
      { maxConcurrentTools: 0 },
    ]) {
      const outcome = await runAgent(QUESTION, {
        ...optionsFor(fake, []),
        ...bad,
      }).then(
        () => "it resolved",
        (error: unknown) => error,
      );
      expect(
        outcome instanceof RangeError,
        `${JSON.stringify(bad)} should reject with a RangeError, before the ` +
          `model is called; ${typeof outcome === "string" ? outcome : `it rejected with ${String(outcome)}`}`,
      ).toBe(true);
    }
    expect(fake.requests.length, "refused before calling the model").toBe(0);
  });

  it("aborts the model request when the signal aborts while the model writes", async () => {
    const gate = deferred();
    let held = false;
    await using fake = await fakeModel([turn(["Long", " answer"])], {
      beforeEvent: async ({ type }) => {
        if (type !== "content_block_delta") return;
        held = true;
        await gate.promise;
      },
    });
    const controller = new AbortController();
    const running = runAgent(QUESTION, optionsFor(fake, []), controller.signal);
    const run = observe(running);
    await until(() => held, "the model request never started", running);
    const reason = new Error("the user pressed Stop");
    controller.abort(reason);
    // A bounded real wait: the socket closes in milliseconds when it works.
    const left = await within(fake.requests[0]!.finished, 1_000);
    gate.resolve();
    expect(
      left,
      "the model request stayed open after the abort: pass the signal to " +
        "chatEvents",
    ).toBe("client-left");
    await until(
      () => run.state !== "pending",
      "runAgent kept waiting after its signal aborted",
    );
    expect(run.reason, "reject with signal.reason itself").toBe(reason);
  });

  it("aborts every running tool when the signal aborts, and asks the model nothing more", async () => {
    await using fake = await fakeModel([
      turn([], ["job", { n: 1 }], ["job", { n: 2 }]),
      turn(["Never sent."]),
    ]);
    const { tool, calls } = gatedTool();
    const controller = new AbortController();
    const running = runAgent(
      QUESTION,
      optionsFor(fake, [tool]),
      controller.signal,
    );
    const run = observe(running);
    const both = allStarted(calls, 2);
    await until(both.condition, both.message, running);
    const reason = new Error("the user pressed Stop");
    controller.abort(reason);
    await until(
      () => calls.every((c) => c.signal.aborted),
      "the running tools' signals did not abort: run them in a taskGroup " +
        "given the agent's signal, and pass each tool the task's signal",
    );
    await until(
      () => run.state !== "pending",
      "runAgent kept waiting for its tools after its signal aborted",
    );
    expect(run.reason, "reject with signal.reason, not an error result").toBe(
      reason,
    );
    expect(fake.requests.length, "no model call after the abort").toBe(1);
  });
});

// ---------------------------------------------------------------------------
// The server, with a real loopback client.

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

/** Starts `server` on a free loopback port; disposing it closes everything. */
async function serve(server: http.Server) {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    async [Symbol.asyncDispose]() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** One request on its own connection (no keep-alive pool left behind). */
function send(
  port: number,
  options: {
    method?: string;
    path?: string;
    headers?: Record<string, string | number>;
    body?: string | Buffer | Buffer[];
  } = {},
): Promise<Reply> {
  const { method = "GET", path = "/", headers = {}, body } = options;
  return new Promise((resolve, reject) => {
    // A string body is sent with its length; an array of chunks, chunked.
    const length =
      body === undefined || Array.isArray(body)
        ? {}
        : { "content-length": Buffer.byteLength(body) };
    const req = http.request(
      {
        host: "127.0.0.1",
        port,
        method,
        path,
        headers: { ...length, ...headers },
        agent: false,
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (text += chunk));
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text }),
        );
      },
    );
    // A server that answers 413 early may reset the rest of a big upload.
    req.on("error", reject);
    for (const chunk of Array.isArray(body) ? body : body ? [body] : [])
      req.write(chunk);
    req.end();
  });
}

const postChat = (port: number, body: unknown) =>
  send(port, {
    method: "POST",
    path: "/api/chat",
    headers: { "content-type": "application/json" },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });

/** A chat request that the test leaves while the answer streams. */
function leavingClient(port: number, body: unknown) {
  let received = "";
  const req = http.request({
    host: "127.0.0.1",
    port,
    method: "POST",
    path: "/api/chat",
    headers: { "content-type": "application/json" },
    agent: false,
  });
  req.on("response", (res) => {
    res.setEncoding("utf8");
    res.on("data", (chunk: string) => (received += chunk));
    res.on("error", () => {}); // we cut it off ourselves
  });
  req.on("error", () => {});
  req.end(JSON.stringify(body));
  return {
    get received() {
      return received;
    },
    leave: () => req.destroy(),
  };
}

/** Waits at most `ms` of real time for `promise`; says what it settled to. */
async function within<T>(promise: Promise<T>, ms: number): Promise<T | "late"> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<"late">((resolve) => {
    timer = setTimeout(resolve, ms, "late");
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

async function agentServer(
  script: FakeTurn[],
  tools: Tool[] = [],
  more: Partial<Parameters<typeof startFakeAnthropic>[0]> = {},
) {
  const fake = await fakeModel(script, more);
  const errors: unknown[] = [];
  const server = createAgentServer(optionsFor(fake, tools), {
    onError: (error) => errors.push(error),
  });
  const app = await serve(server);
  return {
    fake,
    errors,
    port: app.port,
    async [Symbol.asyncDispose]() {
      await app[Symbol.asyncDispose]();
      await fake.close();
    },
  };
}

/** Said once per run when the chat page is checked without a browser. */
const NO_CHROMIUM =
  `\nNo Chromium at ${CHROMIUM}: the chat page was checked by reading its ` +
  "scripts (no innerHTML and the like), not in a browser. For the full " +
  `check, install it (${INSTALL_CHROMIUM}) and run npm test -- 12 again.\n\n`;

const sse = (event: string, id: number, data: unknown) =>
  `event: ${event}\nid: ${id}\ndata: ${JSON.stringify(data)}\n\n`;

describe("createAgentServer", () => {
  it("serves the chat page and its files", async () => {
    await using app = await agentServer([]);
    const page = await send(app.port, { path: "/" });
    expect(page.status, "GET / should serve public/index.html").toBe(200);
    expect(page.headers["content-type"]).toMatch(/^text\/html/);
    expect(page.text).toContain("<html");
    const script = await send(app.port, { path: "/app.js" });
    expect(script.status, "GET /app.js should serve public/app.js").toBe(200);
    expect(script.headers["content-type"]).toMatch(/^text\/javascript/);
  });

  it("streams the agent's events as SSE, numbered, and ends with done", async () => {
    await using app = await agentServer([turn(["Hi", " there!"])]);
    const reply = await postChat(app.port, { messages: QUESTION });
    expect(reply.status).toBe(200);
    expect(reply.headers["content-type"]).toBe("text/event-stream");
    expect(
      reply.text,
      "each event should be `event: <type>`, `id: <1, 2, 3…>`, `data: " +
        "<the event's JSON>`, and the last one done with the transcript. " +
        (reply.text === ""
          ? "Nothing came: did you abort on the request's close? It fires " +
            "as soon as the body has been read; watch the response's close"
          : ""),
    ).toBe(
      sse("text", 1, { type: "text", delta: "Hi" }) +
        sse("text", 2, { type: "text", delta: " there!" }) +
        sse("turn_end", 3, { type: "turn_end", stopReason: "end_turn" }) +
        sse("done", 4, {
          type: "done",
          messages: [
            ...QUESTION,
            {
              role: "assistant",
              content: [{ type: "text", text: "Hi there!" }],
            },
          ],
        }),
    );
  });

  it("answers each bad request with a JSON error, and keeps serving", async () => {
    await using app = await agentServer([turn(["Still here."])]);
    const big = JSON.stringify({
      messages: [{ role: "user", content: "x".repeat(70_000) }],
    });
    const json = { "content-type": "application/json" };
    const cases: [string, Parameters<typeof send>[1], number][] = [
      [
        "a text/plain body",
        {
          method: "POST",
          path: "/api/chat",
          headers: { "content-type": "text/plain" },
          body: "{}",
        },
        415,
      ],
      [
        "no content type",
        { method: "POST", path: "/api/chat", body: "{}" },
        415,
      ],
      [
        "a declared length over 64 KiB",
        { method: "POST", path: "/api/chat", headers: json, body: big },
        413,
      ],
      [
        "a chunked body over 64 KiB (no length declared)",
        {
          method: "POST",
          path: "/api/chat",
          headers: json,
          body: [
            Buffer.from(big.slice(0, 40_000)),
            Buffer.from(big.slice(40_000)),
          ],
        },
        413,
      ],
      [
        "malformed JSON",
        {
          method: "POST",
          path: "/api/chat",
          headers: json,
          body: '{"messages": [',
        },
        400,
      ],
      [
        "a __proto__ key",
        {
          method: "POST",
          path: "/api/chat",
          headers: json,
          body: '{"messages":[{"role":"user","content":"hi","__proto__":{"admin":true}}]}',
        },
        400,
      ],
      [
        "no messages",
        {
          method: "POST",
          path: "/api/chat",
          headers: json,
          body: '{"messages":[]}',
        },
        400,
      ],
      [
        "a system role",
        {
          method: "POST",
          path: "/api/chat",
          headers: json,
          body: '{"messages":[{"role":"system","content":"hi"}]}',
        },
        400,
      ],
      [
        "empty content",
        {
          method: "POST",
          path: "/api/chat",
          headers: json,
          body: '{"messages":[{"role":"user","content":""}]}',
        },
        400,
      ],
      [
        "not an object",
        { method: "POST", path: "/api/chat", headers: json, body: "[]" },
        400,
      ],
      ["an unknown API path", { path: "/api/other" }, 404],
      ["a missing file", { path: "/missing.html" }, 404],
      ["a path that climbs out of public/", { path: "/../server.ts" }, 404],
      [
        "a climb with escaped slashes",
        { path: "/..%2f..%2f..%2fpackage.json" },
        404,
      ],
      ["GET /api/chat", { path: "/api/chat" }, 405],
      ["DELETE /", { method: "DELETE", path: "/" }, 405],
    ];
    for (const [what, request, status] of cases) {
      const reply = await send(app.port, request);
      expect(reply.status, `${what} should get ${status}`).toBe(status);
      expect(
        reply.headers["content-type"],
        `${what}: the error should be JSON`,
      ).toMatch(/^application\/json/);
      let body: unknown;
      try {
        body = JSON.parse(reply.text);
      } catch {
        expect.fail(`${what}: the body is not JSON: ${reply.text}`);
      }
      expect(
        Object.keys(body as object),
        `${what}: answer { "error": "..." } and nothing else`,
      ).toEqual(["error"]);
      if (status === 405)
        expect(
          reply.headers.allow,
          `${what}: a 405 needs an Allow header`,
        ).toBeTruthy();
    }
    expect(
      app.fake.requests.length,
      "a bad request reached the model: check it before starting the agent",
    ).toBe(0);
    const good = await postChat(app.port, { messages: QUESTION });
    expect(
      good.text,
      "after the bad requests, a good one should still be served",
    ).toContain("Still here.");
  });

  it("stops the model request within 100 ms when the client leaves mid-answer", async () => {
    const gate = deferred();
    let held = false;
    await using app = await agentServer([turn(["Long", " answer"])], [], {
      beforeEvent: async ({ type, index }) => {
        if (type !== "content_block_delta" || index < 4) return;
        held = true;
        await gate.promise;
      },
    });
    const client = leavingClient(app.port, { messages: QUESTION });
    await until(
      () => held && client.received.includes("Long"),
      "the first text event never reached the client",
    );
    client.leave();
    const left = await within(app.fake.requests[0]!.finished, 100);
    gate.resolve();
    expect(
      left,
      "the model request was still open 100 ms after the client left: " +
        "watch the response's close (the request's close fired long ago, " +
        "once its body was read) and abort runAgent yourself",
    ).toBe("client-left");
  });

  it("stops every running tool within 100 ms when the client leaves while the agent is silent", async () => {
    const handles = openNetworkHandles().length;
    {
      const { tool, calls } = gatedTool();
      await using app = await agentServer(
        [turn(["Working."], ["job", { n: 1 }]), turn(["Never sent."])],
        [tool],
      );
      const client = leavingClient(app.port, { messages: QUESTION });
      await until(() => calls.length === 1, "the tool never started");
      client.leave();
      const signal = calls[0]!.signal;
      const aborted = await within(
        new Promise<true>((resolve) =>
          signal.aborted
            ? resolve(true)
            : signal.addEventListener("abort", () => resolve(true)),
        ),
        100,
      );
      expect(
        aborted,
        "the running tool was not aborted 100 ms after the client left: " +
          "closing the event stream waits behind a pending next() while the " +
          "agent is silent; watch the response's close (the request's close " +
          "fired long ago, once its body was read) and abort runAgent " +
          "yourself",
      ).toBe(true);
      await settle();
      expect(
        app.fake.requests.length,
        "no model call after the client left",
      ).toBe(1);
    }
    await until(
      () => openNetworkHandles().length <= handles,
      "a socket or server was still open after the server and the fake " +
        "model were closed",
    );
  });

  it("turns an upstream 529 into an error event with a safe message", async () => {
    await using app = await agentServer([{ status: 529, shouldRetry: false }]);
    const reply = await postChat(app.port, { messages: QUESTION });
    expect(
      reply.text,
      "an upstream failure should end the stream with an error event that " +
        "says only what failed and the status, never the error's own text",
    ).toBe(
      sse("error", 1, {
        type: "error",
        message: "model request failed (status 529)",
      }),
    );
    expect(app.errors.length, "the real error should go to onError").toBe(1);
  });

  it("turns a mid-stream error into an error event with a safe message", async () => {
    await using app = await agentServer([
      {
        ...turn(["Half", " an", " answer"]),
        streamError: {
          afterEvents: 5,
          type: "overloaded_error",
          message: "internal: shard 7 of eu-west is down",
        },
      },
    ]);
    const reply = await postChat(app.port, { messages: QUESTION });
    const last = reply.text.trim().split("\n\n").at(-1) ?? "";
    expect(
      last,
      "an error in the middle of the model's stream should end the SSE " +
        "stream with an error event",
    ).toMatch(/^event: error\n/);
    expect(
      reply.text,
      "the error event leaked the upstream error's text: send a generic " +
        "message, such as model request failed (overloaded_error)",
    ).not.toContain("shard 7");
    expect(last).toContain('"message":"model request failed');
  });

  it(
    "serves a chat page that shows HTML from the model, a tool or you as text",
    { timeout: 30_000 },
    async () => {
      const html =
        'Look: <img src=x onerror="window.__pwned = 1"> and ' +
        "<script>window.__pwned = 2</script> <b>bold</b>";
      await using app = await agentServer(
        [
          turn(
            [html],
            [
              "calculator",
              { expression: '<img src=y onerror="window.__pwned = 3">' },
            ],
          ),
          turn(["<script>alert(1)</script>"]),
        ],
        [calculator],
      );
      const index = await send(app.port, { path: "/" });
      expect(index.status, "GET / should serve the chat page").toBe(200);
      if (!hasChromium()) {
        // No browser here: look for the ways a script turns text into HTML.
        process.stderr.write(NO_CHROMIUM);
        expect(
          htmlSinks().map(({ where, code }) => `${where}: ${code}`),
          "the chat page writes strings into the page as HTML: a reply that " +
            "holds <img onerror=…> becomes an element. Put text in with " +
            "textContent or document.createTextNode",
        ).toEqual([]);
        return;
      }
      // The page parses the stream with your lesson 09 parseEvents.
      await parseEvents(
        (async function* () {
          yield "data: ok\n\n";
        })(),
      ).next();
      const answer = await askInChromium(
        `http://127.0.0.1:${app.port}/`,
        "<i>hello</i>",
      );
      expect(answer.pageErrors, "the chat page threw").toEqual([]);
      expect(
        answer.finished,
        "the answer never ended on the chat page (the Send button stayed " +
          "disabled for 10 s): does the stream end with done?",
      ).toBe(true);
      expect(
        answer.strayElements,
        "HTML from the model's reply, a tool's input or the question became " +
          "elements of the page: put text in with textContent or " +
          "document.createTextNode, never innerHTML",
      ).toEqual([]);
      expect(answer.pwned, "a script from the reply ran").toBe(undefined);
      expect(
        answer.requests.filter((url) => /\/(x|y)$/.test(url)),
        "an <img> from the reply was loaded",
      ).toEqual([]);
      for (const text of ['<img src=x onerror="window', "<i>hello</i>"])
        expect(answer.text, "the HTML should show, as text").toContain(text);
    },
  );
});

// ---------------------------------------------------------------------------
// A reference for the calculator's property test: random expression trees,
// printed with as few parentheses as the precedence rules allow.

type Tree =
  | { kind: "number"; value: number }
  | { kind: "negate"; of: Tree }
  | { kind: "+" | "-" | "*" | "/" | "^"; left: Tree; right: Tree };

function expressionTree(): fc.Arbitrary<Tree> {
  const { tree } = fc.letrec<{ tree: Tree }>((tie) => ({
    tree: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      fc
        .oneof(fc.integer({ min: 0, max: 99 }), fc.constantFrom(0.5, 2.25))
        .map((value): Tree => ({ kind: "number", value })),
      tie("tree").map((of): Tree => ({ kind: "negate", of })),
      fc
        .record({
          kind: fc.constantFrom("+", "-", "*", "/", "^" as const),
          left: tie("tree"),
          right: tie("tree"),
        })
        .map((node) => node as Tree),
    ),
  }));
  return tree;
}

/**
 * The value of a tree, computed directly: the reference. NaN stands for an
 * error (division by zero, a result that is not finite).
 */
function evaluate(tree: Tree): number {
  try {
    const value = compute(tree);
    return Number.isFinite(value) ? value : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

function compute(tree: Tree): number {
  if (tree.kind === "number") return tree.value;
  if (tree.kind === "negate") return -compute(tree.of);
  const left = compute(tree.left);
  const right = compute(tree.right);
  switch (tree.kind) {
    case "+":
      return left + right;
    case "-":
      return left - right;
    case "*":
      return left * right;
    case "/":
      if (right === 0) throw new RangeError("division by zero");
      return left / right;
    case "^":
      return left ** right;
  }
}

// Binding strength: + - loosest, then * /, unary minus, ^, numbers.
const LEVEL = { "+": 1, "-": 1, "*": 2, "/": 2, negate: 3, "^": 4, number: 5 };

function print(tree: Tree, spaced: boolean): string {
  const at = (child: Tree, min: number) =>
    LEVEL[child.kind] >= min
      ? print(child, spaced)
      : `(${print(child, spaced)})`;
  const gap = spaced ? " " : "";
  switch (tree.kind) {
    case "number":
      return String(tree.value);
    case "negate":
      return `-${at(tree.of, LEVEL.negate)}`;
    case "^": // right-associative; the exponent may be negated
      return `${at(tree.left, LEVEL.number)}^${at(tree.right, LEVEL.negate)}`;
    default: {
      // left-associative: the right side needs parentheses at equal level
      const level = LEVEL[tree.kind];
      return `${at(tree.left, level)}${gap}${tree.kind}${gap}${at(tree.right, level + 1)}`;
    }
  }
}

/** `FC_SEED` (set by `npm run verify`) replays one run of random inputs. */
function seedFromEnvironment(): number | undefined {
  const seed = Number(process.env.FC_SEED);
  return Number.isInteger(seed) ? seed : undefined;
}
