/**
 * Lesson 10 demo: a model's answer printed as it arrives (streamText, with
 * withTimeouts' deadlines around it); a tool call whose input comes in pieces
 * of JSON, seen through the SDK's helper and then through chatEvents; and an
 * answer stopped half-way by an abort, which closes the HTTP request.
 * Offline, the workbook's fake Claude plays a scripted conversation; with
 * ANTHROPIC_API_KEY set, Claude answers (and the output differs).
 *
 * Run it: npm run demo -- 10        (your code)
 *         npm run demo -- 10 --solution
 */
import type Anthropic from "@anthropic-ai/sdk";
import type { FakeTurn, RecordedRequest } from "#kit/fake-anthropic.ts";
import { demoModel, type DemoModel } from "#kit/model.ts";
import { runDemo } from "#kit/run-demo.ts";
import { chatEvents } from "#exercises/10-llm-streaming/chat-events.ts";
import { streamText } from "#exercises/10-llm-streaming/stream-text.ts";
import { withTimeouts } from "#exercises/10-llm-streaming/timeouts.ts";

const WHY = "In three sentences: why stream a model's reply?";
const SUM = "What is 17 * 23? Use the calculator.";
const LOOPS = "Explain the event loop in 200 words.";

const CALCULATOR: Anthropic.Tool = {
  name: "calculator",
  description: "Evaluates an arithmetic expression such as 2 * (3 + 4).",
  input_schema: {
    type: "object",
    properties: { expression: { type: "string" } },
    required: ["expression"],
  },
};

const calculatorTurn: FakeTurn = {
  content: [
    { type: "text", text: "I'll work that out with the calculator." },
    { type: "tool_use", name: "calculator", input: { expression: "17 * 23" } },
  ],
};

/** What the fake Claude answers, offline: one turn per request. */
const SCRIPT: FakeTurn[] = [
  {
    content: [
      {
        type: "text",
        text:
          "A reply takes seconds to write, and streaming shows the first " +
          "words at once instead of a spinner. The reader can start reading, " +
          "or stop the answer, while the model is still writing. And the " +
          "server holds no whole reply in memory: each piece goes out as it " +
          "comes in.",
      },
    ],
  },
  calculatorTurn,
  calculatorTurn,
  {
    content: [
      {
        type: "text",
        text:
          "The event loop is the heart of Node.js: one thread takes a " +
          "callback from a queue, runs it to the end, and takes the next. " +
          "Timers, sockets and files all feed that queue, so nothing else " +
          "runs while a callback does.",
      },
    ],
  },
];

/** Prints streamed text as it comes, wrapped at 78 columns, indented by 2. */
function typewriter() {
  let column = 0;
  const put = (text: string) => process.stdout.write(text);
  return {
    write(text: string): void {
      // Each piece is a word with the whitespace in front of it.
      for (let word of text.split(/(?=\s)/)) {
        while (word.startsWith("\n")) {
          put("\n");
          column = 0;
          word = word.slice(1);
        }
        if (column > 0 && column + word.length > 78) {
          put("\n");
          column = 0;
        }
        if (column === 0) word = word.trimStart();
        if (word === "") continue;
        if (column === 0) {
          put("  ");
          column = 2;
        }
        put(word);
        column += word.length;
      }
    },
    end(): void {
      if (column > 0) put("\n");
      column = 0;
    },
  };
}

// #region answer
async function answer(llm: DemoModel, prompt: string): Promise<void> {
  const out = typewriter();
  const controller = new AbortController();
  try {
    const deltas = streamText(
      llm.client,
      { model: llm.model, prompt, maxTokens: 300 },
      controller.signal,
    );
    for await (const text of withTimeouts(deltas, {
      firstMs: 30_000, // the model may think a while before its first word
      idleMs: 10_000, // but then a silence this long means it is stuck
    })) {
      out.write(text);
    }
  } finally {
    out.end();
    // A timeout leaves streamText waiting inside the SDK: the abort frees it
    // and closes the request. After a normal end it changes nothing.
    controller.abort();
  }
}
// #endregion answer

async function toolCall(llm: DemoModel): Promise<void> {
  const params: Anthropic.MessageCreateParamsNonStreaming = {
    model: llm.model,
    max_tokens: 300,
    tools: [CALCULATOR],
    messages: [{ role: "user", content: SUM }],
  };
  console.log("  messages.stream() fires inputJson for each piece of JSON:");
  const stream = llm.client.messages.stream(params);
  stream.on("inputJson", (piece, snapshot) => {
    const shown = JSON.stringify(piece).padEnd(20);
    console.log(
      `    piece ${shown} the SDK's guess: ${JSON.stringify(snapshot)}`,
    );
  });
  await stream.finalMessage();

  console.log(
    "  chatEvents joins the pieces and parses them once, at the end:",
  );
  let text = "";
  for await (const event of chatEvents(llm.client, params)) {
    if (event.type === "text") {
      text += event.delta; // shown whole, before the tool call
    } else if (event.type === "tool_use") {
      console.log(`    text      ${JSON.stringify(text)}`);
      const input = JSON.stringify(event.input);
      console.log(`    tool_use  ${event.name} ${input}`);
    } else {
      const { inputTokens, outputTokens } = event.usage;
      console.log(
        `    done      stop reason ${event.stopReason}, ` +
          `${inputTokens} tokens in, ${outputTokens} out`,
      );
    }
  }
}

async function stopHalfWay(llm: DemoModel, requests: RecordedRequest[]) {
  const out = typewriter();
  const controller = new AbortController();
  const stop = new Error("the user pressed stop");
  let pieces = 0;
  try {
    const deltas = streamText(
      llm.client,
      { model: llm.model, prompt: LOOPS, maxTokens: 400 },
      controller.signal,
    );
    for await (const text of deltas) {
      out.write(text);
      if ((pieces += 1) === 12) controller.abort(stop);
    }
    out.end();
    console.log("  the answer ended without the abort: that is a bug");
  } catch (error) {
    out.end();
    const same = error === stop ? "the abort's own reason" : "another error";
    console.log(`  streamText rejected with ${same}: ${String(error)}`);
  }
  const request = requests.at(-1);
  if (!request) {
    console.log(
      "  (offline, the fake server's record shows the closed request)",
    );
    return;
  }
  console.log(`  the fake server's record: ${await request.finished}`);
}

async function main() {
  // Offline, the script function sees each request the fake server records.
  const requests: RecordedRequest[] = [];
  await using llm = await demoModel((request, index) => {
    requests.push(request);
    return SCRIPT[index] ?? SCRIPT[0]!;
  });
  console.log(llm.description);

  console.log(`\n1. streamText: the answer, printed as it arrives\nQ: ${WHY}`);
  await answer(llm, WHY);

  console.log(`\n2. A tool call, streamed as pieces of JSON\nQ: ${SUM}`);
  await toolCall(llm);

  console.log(`\n3. An answer stopped after 12 pieces of text\nQ: ${LOOPS}`);
  await stopHalfWay(llm, requests);
}

runDemo(main);
