import http from "node:http";
import { createParser } from "eventsource-parser";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  encodeComment,
  encodeEvent,
  type SseEvent,
} from "#exercises/09-sse/encode.ts";
import { parseEvents, type SseMessage } from "#exercises/09-sse/parse.ts";
import { sendEvents } from "#exercises/09-sse/respond.ts";
import { followEvents } from "#exercises/09-sse/follow.ts";
import {
  advance,
  pendingTimers,
  settle,
  useFakeClock,
} from "#kit/testing/clock.ts";
import { deferred, observe, type Deferred } from "#kit/testing/deferred.ts";
import { abortListeners } from "#kit/testing/leaks.ts";
import {
  WPT_CONNECTIONS,
  WPT_RETRY_DELAYS,
  WPT_STREAMS,
  lastEventIdPy,
  type WptAnswer,
  type WptConnections,
  type WptMessage,
} from "./fixtures/wpt-eventsource.ts";

const utf8 = new TextEncoder();

/** What a client that follows the spec reads from `text`: the reference. */
function referenceParse(text: string): {
  events: { event: string; data: string }[];
  retries: number[];
} {
  const events: { event: string; data: string }[] = [];
  const retries: number[] = [];
  const parser = createParser({
    onEvent: (e) => events.push({ event: e.event ?? "message", data: e.data }),
    onRetry: (ms) => retries.push(ms),
  });
  // eventsource-parser keeps a BOM at the start of a string, holds back a CR
  // at the end of the stream waiting for an LF, and takes "ï»¿" (a BOM's
  // bytes read as Latin-1) for a BOM: undo all three (WHATWG strips the BOM,
  // a final CR ends its line, and "ï»¿" is text). It looks for "ï»¿" in its
  // first chunk only: an empty first chunk turns that off.
  let input = text.startsWith("\uFEFF") ? text.slice(1) : text;
  if (input.endsWith("\r")) input += "\n";
  parser.feed("");
  parser.feed(input);
  return { events, retries };
}

/**
 * The last event ID at each dispatch, by the WHATWG algorithm: a model the
 * size of a postcard. eventsource-parser forgets the id after each event, so
 * it cannot say.
 */
function referenceIds(text: string): string[] {
  const lines = text.replace(/^\uFEFF/, "").split(/\r\n|\r|\n/);
  lines.pop(); // a last line without its line end is never processed
  const ids: string[] = [];
  let id = "";
  let hasData = false;
  for (const line of lines) {
    if (line === "") {
      if (hasData) ids.push(id);
      hasData = false;
      continue;
    }
    const colon = line.indexOf(":");
    if (colon === 0) continue;
    const field = colon === -1 ? line : line.slice(0, colon);
    const value = colon === -1 ? "" : line.slice(colon + 1).replace(/^ /, "");
    if (field === "data") hasData = true;
    if (field === "id" && !value.includes("\0")) id = value;
  }
  return ids;
}

async function* chunksOf<T>(chunks: Iterable<T>): AsyncGenerator<T> {
  for (const chunk of chunks) yield chunk;
}

/** Every message of a stream, every retry and every id it reported. */
async function parseAll(
  chunks: Iterable<string | Uint8Array>,
  options: { lastEventId?: string } = {},
): Promise<{ messages: SseMessage[]; retries: number[]; ids: string[] }> {
  const retries: number[] = [];
  const ids: string[] = [];
  const messages: SseMessage[] = [];
  const onRetry = (ms: number) => void retries.push(ms);
  const onId = (id: string) => void ids.push(id);
  const stream = parseEvents(chunksOf(chunks), { ...options, onRetry, onId });
  for await (const message of stream) messages.push({ ...message });
  return { messages, retries, ids };
}

const datas = (messages: SseMessage[]) => messages.map((m) => m.data);

/** The bytes of `text`, cut at `offsets`. */
function cutBytes(text: string, offsets: number[]): Uint8Array[] {
  const bytes = utf8.encode(text);
  const at = [...new Set(offsets.map((o) => o % (bytes.length + 1)))];
  at.sort((a, b) => a - b);
  return [...at, bytes.length].map((end, i) =>
    bytes.slice(at[i - 1] ?? 0, end),
  );
}

/** `text` cut at `offsets` (UTF-16 code units: also inside an emoji). */
function cutText(text: string, offsets: number[]): string[] {
  const at = [...new Set(offsets.map((o) => o % (text.length + 1)))];
  at.sort((a, b) => a - b);
  return [...at, text.length].map((end, i) => text.slice(at[i - 1] ?? 0, end));
}

/**
 * What parseEvents got wrong on `text` fed as `chunks`, compared with the
 * reference, or undefined when it is right.
 */
async function differenceFromReference(
  text: string,
  chunks: (string | Uint8Array)[],
): Promise<string | undefined> {
  const { messages, retries } = await parseAll(chunks);
  const reference = referenceParse(text);
  const got = messages.map(({ event, data }) => ({ event, data }));
  const expected = {
    events: reference.events,
    ids: referenceIds(text),
    retries: reference.retries,
  };
  const actual = { events: got, ids: messages.map((m) => m.id), retries };
  if (JSON.stringify(actual) === JSON.stringify(expected)) return undefined;
  const kind = typeof chunks[0] === "string" ? "strings" : "byte chunks";
  const cuts = chunks.map((c) => (typeof c === "string" ? c : [...c]));
  return (
    `for the stream ${JSON.stringify(text)}\n` +
    `fed as ${chunks.length} ${kind}: ${JSON.stringify(cuts)}\n` +
    `expected ${JSON.stringify(expected)}\n` +
    `but got  ${JSON.stringify(actual)}`
  );
}

/**
 * encodeEvent's output, once it ends with the blank line that dispatches an
 * event: without it, every other check would blame something else.
 */
function encoded(event: SseEvent): string {
  const text = encodeEvent(event);
  if (!text.endsWith("\n\n"))
    expect.fail(
      `encodeEvent(${JSON.stringify(event)}) returned ` +
        `${JSON.stringify(text)}: the blank line that ends an event is ` +
        'missing ("\\n\\n" at the end). Without it, the client keeps ' +
        "waiting and never dispatches the event",
    );
  return text;
}

describe("encodeEvent", () => {
  it("writes a data line and the blank line that ends the event", () => {
    expect(
      encodeEvent({ data: "hello" }),
      'an event ends with a blank line ("\\n\\n"): without it, the client ' +
        "keeps waiting and never dispatches the event",
    ).toBe("data: hello\n\n");
  });

  it("writes event, id and retry before the data, in that order", () => {
    expect(
      encoded({ data: "hi", retry: 3000, id: "7", event: "greeting" }),
      'each field as "name: value" on a line of its own, in the order ' +
        "event, id, retry, data",
    ).toBe("event: greeting\nid: 7\nretry: 3000\ndata: hi\n\n");
    expect(encoded({ data: "", id: "" }), "an empty value still counts").toBe(
      "id: \ndata: \n\n",
    );
  });

  it("writes one data line per line of data, for CRLF, LF and CR", () => {
    expect(
      encoded({ data: "a\r\nb\nc\rd\n" }),
      "data with line breaks must become one data: line per line (CRLF, " +
        "LF and a lone CR all end a line): a line break inside a data: line " +
        "lets the payload write fields and events of its own, an injection " +
        "hole",
    ).toBe("data: a\ndata: b\ndata: c\ndata: d\ndata: \n\n");
  });

  it("cannot be tricked by its data into sending another event", () => {
    const evil = "ok\n\nevent: admin\ndata: rm -rf /";
    const { events } = referenceParse(encoded({ data: evil }));
    expect(
      events,
      "a spec-following client read these events from encodeEvent's output: " +
        "the data wrote an event of its own (an injection hole). Give every " +
        "line of data its own data: line",
    ).toEqual([
      { event: "message", data: "ok\n\nevent: admin\ndata: rm -rf /" },
    ]);
  });

  it("refuses an event name or id with a line break, and an id with NUL", () => {
    for (const event of [
      { data: "x", event: "a\nb" },
      { data: "x", event: "a\rb" },
      { data: "x", id: "1\n2" },
      { data: "x", id: "1\r" },
      { data: "x", id: "1\0" },
    ]) {
      expect(
        () => encodeEvent(event),
        `encodeEvent(${JSON.stringify(event)}) should throw a TypeError: a ` +
          "line break would start a field of its own, and a client ignores " +
          "an id that holds NUL",
      ).toThrow(TypeError);
    }
  });

  it("refuses a retry that is not a non-negative integer", () => {
    for (const retry of [-1, 1.5, Number.NaN, Infinity, 1e21]) {
      expect(
        () => encodeEvent({ data: "x", retry }),
        `retry ${retry} should throw a RangeError: a client reads only ` +
          'digits (and String(1e21) is "1e+21")',
      ).toThrow(RangeError);
    }
    expect(encoded({ data: "x", retry: 0 })).toBe("retry: 0\ndata: x\n\n");
  });
});

describe("encodeComment", () => {
  it("writes one comment line per line of text, then a blank line", () => {
    expect(encodeComment("heartbeat")).toBe(": heartbeat\n\n");
    expect(
      encodeComment("two\nlines\r\nhere"),
      'every line of a comment starts with ": ": a line without the colon ' +
        "would be read as a field",
    ).toBe(": two\n: lines\n: here\n\n");
    expect(
      referenceParse(encodeComment("x\ndata: injected\n")).events,
      "a client read an event out of a comment",
    ).toEqual([]);
  });
});

describe("parseEvents", () => {
  it("yields a message per event, with event 'message' by default", async () => {
    const { messages } = await parseAll(["data: hello\n\n"]);
    expect(messages).toEqual([{ event: "message", data: "hello", id: "" }]);
  });

  it("joins data lines with \\n, and takes the event's name from event:", async () => {
    const { messages } = await parseAll([
      "event: add\ndata: first\ndata: second\n\ndata: plain\n\n",
    ]);
    expect(
      messages.map(({ event, data }) => ({ event, data })),
      "data lines are joined with \\n; event: names one event only",
    ).toEqual([
      { event: "add", data: "first\nsecond" },
      { event: "message", data: "plain" },
    ]);
  });

  it("ends lines with CRLF, LF or a lone CR", async () => {
    const { messages } = await parseAll([
      "data: a\r\ndata: b\rdata: c\n\r\nevent: x\rdata: d\r\r",
    ]);
    expect(
      messages.map(({ event, data }) => ({ event, data })),
      'a line ends with CRLF, LF or a lone CR: did you split on "\\n" only?',
    ).toEqual([
      { event: "message", data: "a\nb\nc" },
      { event: "x", data: "d" },
    ]);
  });

  it("joins lines that chunks cut in two", async () => {
    const { messages } = await parseAll([
      "da",
      "ta: hel",
      "lo\n",
      "\n",
      "data:",
      " x\n\n",
    ]);
    expect(
      datas(messages),
      "chunk boundaries fall anywhere, also inside a line: keep the " +
        "unfinished line and put the next chunk after it",
    ).toEqual(["hello", "x"]);
  });

  it("reads a CR at the end of one chunk and an LF at the start of the next as one line end", async () => {
    const { messages } = await parseAll([
      "data: a\r",
      "\ndata: b\r",
      "\n\r",
      "\n",
    ]);
    expect(
      datas(messages),
      "a CR that ends a chunk and an LF that starts the next are one CRLF: " +
        "two line ends would make a blank line and dispatch too early",
    ).toEqual(["a\nb"]);
  });

  it("ends the line at a CR that is the last byte of the stream", async () => {
    const { messages } = await parseAll(["data: a\r", "\r"]);
    expect(
      datas(messages),
      "the stream ended with CR CR: the second CR ends the blank line that " +
        "dispatches. Do not hold a CR back until the end of the stream " +
        "waiting for an LF that never comes",
    ).toEqual(["a"]);
  });

  it("decodes UTF-8 characters cut between byte chunks", async () => {
    const bytes = utf8.encode("data: é中😀\n\n");
    const oneByteEach = [...bytes].map((b) => Uint8Array.of(b));
    const { messages } = await parseAll(oneByteEach);
    expect(
      datas(messages),
      "a UTF-8 character cut between two chunks was garbled: decode every " +
        "chunk with one TextDecoder and { stream: true }, which holds back " +
        "the first bytes of a character until the rest comes",
    ).toEqual(["é中😀"]);
  });

  it("removes one leading space from a value, not more", async () => {
    const { messages } = await parseAll([
      "data:  two spaces\ndata:none\ndata: \n\n",
    ]);
    expect(
      datas(messages),
      'only one leading space is removed from a value ("data:  x" is " x"): ' +
        "did you trim all of them?",
    ).toEqual([" two spaces\nnone\n"]);
  });

  it("skips comments and unknown fields, and reads a line without a colon as a field with no value", async () => {
    const { messages } = await parseAll([
      ": a comment\nfoo: bar\nData: no\n data: no\ndata\ndata\n\n",
      "event\ndata: x\n\n",
    ]);
    expect(
      messages.map(({ event, data }) => ({ event, data })),
      'a line without a colon is a field with an empty value ("data" adds ' +
        'an empty line); names are matched exactly; ":" starts a comment',
    ).toEqual([
      { event: "message", data: "\n" },
      { event: "message", data: "x" },
    ]);
  });

  it("dispatches nothing for an event without data, and forgets its name", async () => {
    const { messages } = await parseAll([
      "event: ping\n\nid: 4\n\ndata: x\n\n",
    ]);
    expect(
      messages,
      "an event with no data line is not dispatched, and its event name " +
        "does not carry over to the next one",
    ).toEqual([{ event: "message", data: "x", id: "4" }]);
  });

  it("keeps the last event ID for later events, and ignores an id with NUL", async () => {
    const { messages } = await parseAll([
      "id: 1\ndata: a\n\ndata: b\n\nid: 2\0\ndata: c\n\nid\ndata: d\n\n",
    ]);
    expect(
      messages.map((m) => m.id),
      "id is the last event ID: it stays until another id: changes it (an " +
        'empty one, "id" or "id:", resets it to ""); an id holding NUL is ' +
        "ignored",
    ).toEqual(["1", "1", "1", ""]);
  });

  it("starts the last event ID at options.lastEventId", async () => {
    const { messages } = await parseAll(
      ["data: a\n\nid: 8\ndata: b\n\nid:\ndata: c\n\n"],
      { lastEventId: "7" },
    );
    expect(
      messages.map((m) => `${m.data} (id ${JSON.stringify(m.id)})`),
      "the last event ID starts as options.lastEventId (a client passes " +
        "the one it had on the last connection); only an id: changes it, " +
        'and an empty one clears it to ""',
    ).toEqual(['a (id "7")', 'b (id "8")', 'c (id "")']);
  });

  it("reports each change of the last event ID to onId, at the end of its block", async () => {
    const { messages, ids } = await parseAll(
      ["id: 1\n\nid: 1\ndata: a\n\nid:\n\nid: 2\ndata: b\n\nid: 3\ndata: c"],
      { lastEventId: "0" },
    );
    expect(
      ids,
      "onId is called at the blank line that ends a block whose id: " +
        "changed the last event ID, also a block without data (so a client " +
        "learns an id that came alone), and not when the id stays the " +
        "same; the id of a block that the stream cuts off never takes effect",
    ).toEqual(["1", "", "2"]);
    expect(datas(messages)).toEqual(["a", "b"]);
  });

  it("reports a retry: of digits only to onRetry", async () => {
    const { messages, retries } = await parseAll([
      "retry: 1500\nretry: 1.5\nretry: -1\nretry: 2s\nretry:\nretry\n",
      "retry: 007\ndata: x\n\n",
    ]);
    expect(
      retries,
      "a retry: made only of ASCII digits is reported (as a number); any " +
        "other is ignored",
    ).toEqual([1500, 7]);
    expect(datas(messages)).toEqual(["x"]);
  });

  it("skips a byte order mark at the start, in bytes and in text", async () => {
    const bom = Uint8Array.of(0xef, 0xbb, 0xbf);
    const bytes = [bom.slice(0, 1), bom.slice(1), utf8.encode("data: a\n\n")];
    expect(
      datas((await parseAll(bytes)).messages),
      "a stream may start with a byte order mark (EF BB BF): skip it, " +
        'or the first line reads "\\uFEFFdata" and is ignored',
    ).toEqual(["a"]);
    expect(
      datas((await parseAll(["", "\uFEFFdata: b\n\n"])).messages),
      "text that starts with U+FEFF: skip it too",
    ).toEqual(["b"]);
    expect(
      datas((await parseAll(["\uFEFF\uFEFFdata: c\n\ndata: d\n\n"])).messages),
      "only one byte order mark is skipped, and only at the very start",
    ).toEqual(["d"]);
  });

  it("drops an event that the stream ends before its blank line", async () => {
    const { messages } = await parseAll(["data: a\n\ndata: b\n"]);
    expect(
      datas(messages),
      "an event is dispatched by its blank line; one cut off by the end " +
        "of the stream is dropped",
    ).toEqual(["a"]);
  });

  it("drops a last line that has no line end, retry: included", async () => {
    const { retries } = await parseAll(["retry: 100\nretry: 200"]);
    expect(
      retries,
      "a line counts once its line end has come: at the end of the " +
        "stream, a last line without one is dropped whole, a retry: too",
    ).toEqual([100]);
  });

  it("yields each event as soon as its blank line arrives", async () => {
    const more = deferred();
    async function* body() {
      yield "data: one\n\n";
      await more.promise;
      yield "data: two\n\n";
    }
    const messages = parseEvents(body());
    try {
      const first = observe(messages.next());
      await settle();
      expect(
        first.state,
        "parseEvents held the first event back while the stream went on: " +
          "yield each event when its blank line arrives",
      ).toBe("fulfilled");
    } finally {
      more.resolve();
      await messages.return(undefined);
    }
  });

  it("matches eventsource-parser on hand-written edge cases", async () => {
    const cases = [
      "data: a\n\n",
      "data:a\r\n\r\ndata:b\r\rdata:c\n\n",
      ":\n:comment\n\ndata: x\n\n",
      "data\ndata\n\n",
      "data:\n\n",
      "event:\ndata: x\n\n",
      "retry: 10\nretry:x\nretry: 20\n\n",
      "\uFEFFdata: bom\n\n",
      "\u00EF\u00BB\u00BFdata: latin-1 bom\n\ndata: x\n\n",
      "data: a\r",
      "data: a\r\r",
      "data: é😀𝄞\n\n",
      "id: 1\ndata: a\n\nid\n\ndata: b\n\n",
      "data: tail without end",
    ];
    for (const text of cases) {
      for (const chunks of [
        [text],
        cutText(text, [1, 2, 3, 5, 8, 13, 21]),
        cutBytes(text, [...utf8.encode(text).keys()]),
      ]) {
        const difference = await differenceFromReference(text, chunks);
        if (difference) expect.fail(`parseEvents ${difference}`);
      }
    }
  });

  it("matches eventsource-parser on generated streams cut at random points", async () => {
    // A stub fails at once, before fast-check tries to shrink its failure.
    await parseAll(["data: x\n\n"]);
    const seed = process.env.FC_SEED ? Number(process.env.FC_SEED) : undefined;
    const result = await fc.check(
      fc.asyncProperty(
        streams,
        fc.array(fc.nat(), { maxLength: 12 }),
        fc.constantFrom("random", "every byte", "after each CR"),
        async (text, offsets, how) => {
          const bytes = utf8.encode(text);
          const at =
            how === "every byte"
              ? [...bytes.keys()]
              : how === "after each CR"
                ? [...bytes.keys()].filter((i) => bytes[i - 1] === 13)
                : offsets;
          for (const chunks of [cutBytes(text, at), cutText(text, offsets)]) {
            const difference = await differenceFromReference(text, chunks);
            if (difference) throw new Error(difference);
          }
        },
      ),
      { seed, numRuns: 300 },
    );
    if (result.failed) {
      const why =
        result.errorInstance instanceof Error
          ? result.errorInstance.message
          : String(result.errorInstance);
      expect.fail(
        `parseEvents differs from eventsource-parser (the reference, with ` +
          `its four departures from WHATWG undone) ${why}\n` +
          `Replay this run: FC_SEED=${result.seed} npm test -- 09`,
      );
    }
  });

  describe("the web-platform-tests cases", () => {
    for (const stream of WPT_STREAMS) {
      it(`${stream.file}: ${stream.rule}`, async () => {
        const expected = {
          messages: stream.messages.map(asMessage),
          retries: stream.retries ?? [],
        };
        for (const [how, chunks] of chunkings(stream.body)) {
          const { messages, retries } = await parseAll(chunks);
          const got = { messages: messages.map(asMessage), retries };
          if (JSON.stringify(got) === JSON.stringify(expected)) continue;
          expect.fail(
            `web-platform-tests eventsource/${stream.file}: ` +
              `${stream.rule}.\n` +
              `The stream ${shorten(JSON.stringify(stream.body))}, fed ` +
              `${how}, gave\n  ${describeParsed(got)}\n` +
              `and a browser reads\n  ${describeParsed(expected)}`,
          );
        }
      });
    }
  });
});

/** A wpt message with its defaults filled in. */
function asMessage({ data, event = "message", id = "" }: WptMessage) {
  return { event, data, id };
}

/**
 * `body` as a server may send it: whole (bytes, and text), one byte or one
 * UTF-16 unit at a time, and, when it is short, cut in two at every byte.
 */
function chunkings(body: string): [string, (string | Uint8Array)[]][] {
  const bytes = utf8.encode(body);
  const ways: [string, (string | Uint8Array)[]][] = [
    ["as one chunk of bytes", [bytes]],
    ["as one string", [body]],
    ["one byte per chunk", [...bytes].map((byte) => Uint8Array.of(byte))],
    ["one UTF-16 unit per chunk", body.split("")],
  ];
  if (bytes.length <= 300)
    for (let i = 1; i < bytes.length; i += 1)
      ways.push([
        `cut in two after byte ${i}`,
        [bytes.slice(0, i), bytes.slice(i)],
      ]);
  return ways;
}

/** Messages as `data (event, id)`, and the retries. */
function describeParsed({
  messages,
  retries,
}: {
  messages: SseMessage[];
  retries: number[];
}): string {
  const each = messages.map(
    (m) =>
      `${shorten(JSON.stringify(m.data))} (event ${JSON.stringify(m.event)}` +
      `, id ${JSON.stringify(m.id)})`,
  );
  return `messages [${each.join(", ")}], retries [${retries.join(", ")}]`;
}

/** Long runs of one character, written as a count: "x…(×2048)". */
function shorten(text: string): string {
  return text.replace(/(.)\1{15,}/g, (run, char: string) => {
    return `${char}…(×${run.length})`;
  });
}

/** Values: ASCII, spaces, colons, NUL, non-ASCII and astral characters. */
const values = fc
  .array(fc.constantFrom(..."ab7 :\0\té中😀𝄞\uFEFF".match(/[\s\S]/gu)!), {
    maxLength: 6,
  })
  .map((chars) => chars.join(""));
const digits = fc.stringMatching(/^[0-9]{1,5}$/);
/** No colon, a colon, a colon and one space, a colon and two. */
const colons = fc.constantFrom("", ":", ": ", ":  ");
const field = (name: fc.Arbitrary<string>, value = values) =>
  fc
    .tuple(name, colons, value)
    .map(([n, colon, v]) => (colon ? n + colon + v : n));
/** The four fields the format knows, and look-alikes it must ignore. */
const fields = fc.oneof(
  { weight: 5, arbitrary: field(fc.constant("data")) },
  { weight: 2, arbitrary: field(fc.constant("event")) },
  { weight: 2, arbitrary: field(fc.constant("id")) },
  {
    weight: 2,
    arbitrary: field(fc.constant("retry"), fc.oneof(digits, values)),
  },
  {
    weight: 1,
    arbitrary: field(fc.constantFrom("foo", "Data", " data", "data ")),
  },
);
const lines = fc.oneof(
  { weight: 6, arbitrary: fields },
  { weight: 3, arbitrary: fc.constant("") },
  { weight: 1, arbitrary: values.map((text) => `:${text}`) },
);
/** A whole stream: maybe a BOM (or its bytes read as Latin-1, "ï»¿"), lines
 * with any line end, maybe a tail. */
const streams = fc
  .tuple(
    fc.constantFrom("", "", "\uFEFF", "\u00EF\u00BB\u00BF"),
    fc.array(fc.tuple(lines, fc.constantFrom("\n", "\r", "\r\n")), {
      maxLength: 30,
      size: "max",
    }),
    fc.oneof(fc.constant(""), fields),
  )
  .map(
    ([bom, body, tail]) =>
      bom + body.map(([l, end]) => l + end).join("") + tail,
  );

// ---------------------------------------------------------------------------
// sendEvents: a real HTTP server on 127.0.0.1 and real clients.

interface Served {
  url: URL;
  /** The response sendEvents streams to, once the request came. */
  res?: http.ServerResponse;
  /** What sendEvents returned, watched. */
  done?: ReturnType<typeof observe<void>>;
  /** Every chunk sendEvents wrote, in order. */
  writes: string[];
  /** Listeners on the response and its socket before sendEvents ran. */
  listenersBefore?: Record<string, number>;
  socket?: import("node:net").Socket;
  close(): Promise<void>;
}

/**
 * An HTTP server whose handler reads the request's JSON body (as an app
 * that streams a model's answer does), then calls sendEvents.
 */
async function serveEvents(
  source: AsyncIterable<SseEvent>,
  options: { heartbeatMs?: number; signal?: AbortSignal } = {},
  serverOptions: http.ServerOptions = {},
): Promise<Served> {
  // A throw in this handler is an unhandled rejection: vitest fails the run.
  // eslint-disable-next-line @typescript-eslint/no-misused-promises -- see above
  const server = http.createServer(serverOptions, async (req, res) => {
    for await (const _ of req); // the request's body, read to its end
    served.res = res;
    served.socket = res.socket!;
    served.listenersBefore = listenerCounts(res, res.socket!);
    const write = res.write.bind(res) as (...args: unknown[]) => boolean;
    res.write = ((...args: unknown[]) => {
      served.writes.push(String(args[0]));
      return write(...args);
    }) as typeof res.write;
    served.done = observe(sendEvents(res, source, options));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as import("node:net").AddressInfo;
  const served: Served = {
    url: new URL(`http://127.0.0.1:${port}/events`),
    writes: [],
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
  return served;
}

function listenerCounts(
  res: http.ServerResponse,
  socket: import("node:net").Socket,
): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const name of ["close", "drain", "error", "finish"])
    counts[`res ${name}`] = res.listenerCount(name);
  for (const name of ["close", "drain", "error", "end"])
    counts[`socket ${name}`] = socket.listenerCount(name);
  return counts;
}

/**
 * What sendEvents should write for `events`: encodeEvent's own output. So a
 * mistake in encodeEvent fails encodeEvent's tests, not these.
 */
function onTheWire(events: SseEvent[]): string {
  return events.map((event) => encodeEvent(event)).join("");
}

interface Client {
  response?: http.IncomingMessage;
  body: string;
  ended: boolean;
  /** Starts reading, for a client created with `reading: false`. */
  read(): void;
  /** Leaves: closes the connection. */
  leave(): void;
}

/** POSTs a prompt and reads the answer (unless `reading` is false). */
function post(url: URL, { reading = true } = {}): Client {
  const client: Client = {
    body: "",
    ended: false,
    read() {
      client.response?.setEncoding("utf8");
      client.response?.on("data", (text: string) => (client.body += text));
    },
    leave: () => request.destroy(),
  };
  const request = http.request(
    url,
    { method: "POST", agent: false, headers: { "content-type": "json" } },
    (response) => {
      client.response = response;
      response.on("end", () => (client.ended = true));
      response.on("error", () => {}); // the tests cut connections on purpose
      if (reading) client.read();
    },
  );
  request.on("error", () => {});
  request.end('{"prompt":"count down"}');
  return client;
}

/**
 * Lets real I/O happen until `condition` holds or `ms` of real time passed;
 * says which. Rethrows at once when sendEvents rejected.
 */
async function waitFor(
  condition: () => unknown,
  served?: Served,
  ms = 2_000,
): Promise<boolean> {
  const until = performance.now() + ms;
  for (;;) {
    if (served?.done?.state === "rejected") throw served.done.reason;
    if (condition()) return true;
    if (performance.now() > until) return false;
    await settle();
  }
}

/** A source that the test feeds by hand, one event at a time. */
function manualSource() {
  const END = Symbol("end");
  let next = deferred<SseEvent | typeof END>();
  const state = { pulls: 0, closed: false };
  async function* events(): AsyncGenerator<SseEvent> {
    try {
      for (;;) {
        state.pulls += 1;
        const event = await next.promise;
        next = deferred();
        if (event === END) return;
        yield event;
      }
    } finally {
      state.closed = true;
    }
  }
  return {
    events: events(),
    state,
    send: (event: SseEvent) => next.resolve(event),
    end: () => next.resolve(END),
  };
}

/**
 * `count` events of `size` bytes, as fast as they are pulled. Counts the
 * pulls, and the pulls made while the response's buffer was full.
 */
function bigSource(served: () => Served, count: number, size: number) {
  const state = { pulls: 0, pulledWhileFull: 0, closed: false };
  const data = "x".repeat(size);
  async function* events(): AsyncGenerator<SseEvent> {
    try {
      for (let i = 1; i <= count; i += 1) {
        state.pulls += 1;
        if (served().res?.writableNeedDrain) state.pulledWhileFull += 1;
        yield { id: String(i), data };
      }
    } finally {
      state.closed = true;
    }
  }
  return { events: events(), state };
}

/**
 * Waits until the server writes no more: the response's buffer is full (or
 * the response ended) and the source has not been pulled for many turns of
 * the event loop.
 */
async function untilStuck(
  served: Served,
  state: { pulls: number },
): Promise<boolean> {
  let pulls = -1;
  let still = 0;
  return waitFor(
    () => {
      still = state.pulls === pulls ? still + 1 : 0;
      pulls = state.pulls;
      const res = served.res;
      return (res?.writableNeedDrain || res?.writableEnded) && still >= 25;
    },
    served,
    3_000,
  );
}

describe("sendEvents", () => {
  it("sends status 200 and the event-stream headers before the first event", async () => {
    const source = manualSource();
    const served = await serveEvents(source.events);
    try {
      const client = post(served.url);
      expect(
        await waitFor(() => client.response, served),
        "the client got no headers while the source had no event yet: " +
          "call res.flushHeaders() after writeHead (Node holds the headers " +
          "back until the first write)",
      ).toBe(true);
      expect(client.response!.statusCode).toBe(200);
      const headers = client.response!.headers;
      expect(
        {
          "content-type": headers["content-type"],
          "cache-control": headers["cache-control"],
          connection: headers.connection,
          "x-accel-buffering": headers["x-accel-buffering"],
        },
        "the headers of an event stream",
      ).toEqual({
        "content-type": "text/event-stream",
        "cache-control": "no-cache",
        connection: "keep-alive",
        "x-accel-buffering": "no",
      });
      source.end();
      expect(await waitFor(() => client.ended, served)).toBe(true);
    } finally {
      await served.close();
    }
  });

  it("writes each event as encodeEvent encodes it, then ends the response", async () => {
    const events: SseEvent[] = [
      { event: "greeting", id: "1", data: "hello" },
      { id: "2", data: "two\nlines" },
      { data: "three", retry: 2500 },
    ];
    const served = await serveEvents(chunksOf(events));
    try {
      const client = post(served.url);
      expect(
        await waitFor(() => client.ended, served),
        "the response did not end after the last event: call res.end() " +
          "when the events end",
      ).toBe(true);
      expect(
        client.body,
        "the bytes on the wire should be each event as encodeEvent " +
          "encodes it, in order",
      ).toBe(onTheWire(events));
      expect(
        served.done?.state,
        "sendEvents should resolve once the events ended",
      ).toBe("fulfilled");
    } finally {
      await served.close();
    }
  });

  it("writes each event as it comes", async () => {
    const source = manualSource();
    const served = await serveEvents(source.events);
    try {
      const client = post(served.url);
      source.send({ data: "one" });
      expect(
        await waitFor(
          () => client.body === onTheWire([{ data: "one" }]),
          served,
        ),
        "the first event did not reach the client while the source waited " +
          "for the second: write each event as it comes",
      ).toBe(true);
      source.end();
      expect(await waitFor(() => client.ended, served)).toBe(true);
    } finally {
      await served.close();
    }
  });

  it("pulls no event while the client does not read, and resumes when it reads", async () => {
    let served: Served | undefined;
    const source = bigSource(() => served!, 2_000, 4096);
    // A small buffer: write() returns false after a few KiB, not 16 or 64.
    served = await serveEvents(source.events, {}, { highWaterMark: 1024 });
    try {
      const client = post(served.url, { reading: false });
      expect(
        await untilStuck(served, source.state),
        "the server never stopped writing to a client that reads nothing",
      ).toBe(true);
      expect(
        source.state.pulledWhileFull,
        "the source was pulled while the response's buffer was full " +
          "(write() had returned false): wait for 'drain' before pulling " +
          "again (backpressure), or a slow client makes the server buffer " +
          "everything",
      ).toBe(0);
      expect(
        source.state.pulls,
        "the source was read to the end while the client read nothing " +
          "(backpressure)",
      ).toBeLessThan(2_000);
      client.read();
      expect(
        await waitFor(() => client.ended, served, 5_000),
        "the client read again, but the stream did not go on to its end: " +
          "after 'drain', pull the next event",
      ).toBe(true);
      const data = "x".repeat(4096);
      const expected = onTheWire(
        Array.from({ length: 2_000 }, (_, i) => ({ id: String(i + 1), data })),
      );
      expect(
        client.body === expected,
        "the client did not receive every event, in order, once",
      ).toBe(true);
      expect(source.state.pulledWhileFull).toBe(0);
    } finally {
      await served.close();
    }
  });

  it("closes the source and resolves when the client leaves mid-stream", async () => {
    useFakeClock();
    const source = manualSource();
    const served = await serveEvents(source.events);
    try {
      const client = post(served.url);
      source.send({ data: "one" });
      expect(await waitFor(() => client.body !== "", served)).toBe(true);
      client.leave();
      expect(
        await waitFor(() => served.done?.state !== "pending", served),
        "sendEvents did not resolve after the client left while the source " +
          "waited for its next event. Watch the response's 'close' (not " +
          "the request's: req closes as soon as its body was read), and " +
          "do not wait for a source that is busy in an await",
      ).toBe(true);
      expect(
        pendingTimers(),
        "the heartbeat timer is still armed after sendEvents returned",
      ).toBe(0);
      source.send({ data: "too late" });
      expect(
        await waitFor(() => source.state.closed),
        "the source's finally never ran after the client left: call " +
          "return() on its iterator, so that it can let go of what it holds",
      ).toBe(true);
      expect(
        listenerCounts(served.res!, served.socket!),
        "sendEvents left listeners behind on the response or its socket",
      ).toEqual(served.listenersBefore);
    } finally {
      await served.close();
    }
  });

  it("resolves when a client that never reads goes away, though it never drains", async () => {
    let served: Served | undefined;
    const source = bigSource(() => served!, 2_000, 16_384);
    served = await serveEvents(source.events);
    try {
      const client = post(served.url, { reading: false });
      expect(await untilStuck(served, source.state)).toBe(true);
      client.leave();
      expect(
        await waitFor(() => served.done?.state !== "pending", served),
        "sendEvents never resolved after a client that was not reading " +
          "went away: a client that left never emits 'drain'. Wait for " +
          "'drain' or the response's 'close', whichever comes first",
      ).toBe(true);
      expect(
        source.state.closed,
        "the source's finally had not run when sendEvents resolved: call " +
          "return() on its iterator and await it",
      ).toBe(true);
      expect(
        listenerCounts(served.res!, served.socket!),
        "sendEvents left listeners behind on the response or its socket",
      ).toEqual(served.listenersBefore);
    } finally {
      await served.close();
    }
  });

  it("sends a heartbeat comment after heartbeatMs of silence", async () => {
    useFakeClock();
    const source = manualSource();
    const served = await serveEvents(source.events, { heartbeatMs: 1_000 });
    try {
      const client = post(served.url);
      expect(await waitFor(() => served.done, served)).toBe(true);
      const comments = () => served.writes.filter((w) => w.startsWith(":"));
      await advance(999);
      expect(comments(), "a heartbeat came before heartbeatMs").toEqual([]);
      await advance(1);
      expect(
        comments().length,
        "no comment after heartbeatMs of silence: send one (a line " +
          'starting with ":") to keep proxies from closing the connection',
      ).toBe(1);
      await advance(1_000);
      expect(
        comments().length,
        "one heartbeat every heartbeatMs while the silence lasts",
      ).toBe(2);
      await advance(500);
      source.send({ data: "news" });
      expect(
        await waitFor(() =>
          served.writes.includes(onTheWire([{ data: "news" }])),
        ),
      ).toBe(true);
      await advance(999);
      expect(
        comments().length,
        "a heartbeat came less than heartbeatMs after an event: restart " +
          "the heartbeat's timer after every write",
      ).toBe(2);
      await advance(1);
      expect(comments().length).toBe(3);
      source.end();
      expect(
        await waitFor(() => served.done?.state === "fulfilled", served),
      ).toBe(true);
      expect(
        pendingTimers(),
        "the heartbeat timer is still armed after sendEvents returned: " +
          "clear it in a finally",
      ).toBe(0);
      expect(
        await waitFor(() => client.ended && client.body.includes(": ")),
        "the client should have received the heartbeats",
      ).toBe(true);
    } finally {
      await served.close();
    }
  });

  it("sends the heartbeat after 15 s by default", async () => {
    useFakeClock();
    const source = manualSource();
    const served = await serveEvents(source.events);
    try {
      post(served.url);
      expect(await waitFor(() => served.done, served)).toBe(true);
      const comments = () => served.writes.filter((w) => w.startsWith(":"));
      await advance(14_999);
      expect(comments(), "the default heartbeatMs is 15,000").toEqual([]);
      await advance(1);
      expect(comments().length, "the default heartbeatMs is 15,000").toBe(1);
      source.end();
      expect(
        await waitFor(() => served.done?.state === "fulfilled", served),
      ).toBe(true);
    } finally {
      await served.close();
    }
  });

  it("sends an error of the source as an error event with its message only", async () => {
    async function* failing(): AsyncGenerator<SseEvent> {
      yield { data: "first" };
      throw Object.assign(new Error("the database is down"), {
        connectionString: "postgres://admin:hunter2@db",
      });
    }
    const served = await serveEvents(failing());
    try {
      const client = post(served.url);
      expect(
        await waitFor(() => client.ended, served),
        "the response did not end after the source threw",
      ).toBe(true);
      expect(
        client.body,
        "an error from the source should reach the client as " +
          '"event: error" with the error\'s message only (no stack, no ' +
          "other properties: they can hold secrets), then the response ends",
      ).toBe(
        onTheWire([
          { data: "first" },
          { event: "error", data: "the database is down" },
        ]),
      );
      expect(
        served.done?.state,
        "sendEvents should resolve, not reject, when the source threw: the " +
          "client has been told",
      ).toBe("fulfilled");
    } finally {
      await served.close();
    }
  });

  it("ends the response and closes the source when the signal aborts", async () => {
    const source = manualSource();
    const controller = new AbortController();
    const served = await serveEvents(source.events, {
      signal: controller.signal,
    });
    try {
      const client = post(served.url);
      source.send({ data: "one" });
      expect(await waitFor(() => client.body !== "", served)).toBe(true);
      controller.abort(new Error("shutting down"));
      expect(
        await waitFor(() => client.ended, served),
        "the response did not end when the signal aborted",
      ).toBe(true);
      expect(client.body, "an abort adds nothing to the stream").toBe(
        onTheWire([{ data: "one" }]),
      );
      expect(served.done?.state, "sendEvents should resolve").toBe("fulfilled");
      expect(
        abortListeners(controller.signal),
        "sendEvents left its abort listener on the signal",
      ).toBe(0);
      source.send({ data: "too late" });
      expect(
        await waitFor(() => source.state.closed),
        "the source's finally never ran after the abort: call return() on " +
          "its iterator",
      ).toBe(true);
    } finally {
      await served.close();
    }
  });
});

// ---------------------------------------------------------------------------
// followEvents: a fake fetch, with bodies the test writes by hand.

interface FakeBody {
  stream: ReadableStream<Uint8Array>;
  send(text: string): void;
  end(): void;
  fail(error: unknown): void;
  /** True once the reader cancelled the body: the connection is let go. */
  readonly cancelled: boolean;
}

function fakeBody(): FakeBody {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let cancelled = false;
  const stream = new ReadableStream<Uint8Array>({
    start: (c) => void (controller = c),
    cancel: () => void (cancelled = true),
  });
  return {
    stream,
    send: (text) => controller.enqueue(utf8.encode(text)),
    end: () => controller.close(),
    fail: (error) => controller.error(error),
    get cancelled() {
      return cancelled;
    },
  };
}

function eventStream(body: FakeBody, init: ResponseInit = {}): Response {
  return new Response(body.stream, {
    status: 200,
    headers: { "content-type": "text/event-stream" },
    ...init,
  });
}

/**
 * A fetch that answers its n-th call with `answers[n]` (the last answer
 * again once they run out), and records each request's Last-Event-ID.
 */
function fakeFetch(answers: Array<() => Response>) {
  const requests: { url: string; lastEventId: string | null }[] = [];
  const fetch = async (input: string | URL | Request, init?: RequestInit) => {
    init?.signal?.throwIfAborted();
    const headers = new Headers(init?.headers);
    requests.push({
      url: String(input),
      lastEventId: headers.get("last-event-id"),
    });
    // A client that reconnects in a loop without waiting would never let
    // the test go on: park it.
    if (requests.length > 50) return new Promise<Response>(() => {});
    return answers[Math.min(requests.length, answers.length) - 1]!();
  };
  return { fetch: fetch as typeof globalThis.fetch, requests };
}

const URL_ = "http://127.0.0.1:9/events";

/** A wpt handler's answer, as a fetch Response. */
function answer({ status = 200, type, body }: WptAnswer): Response {
  return new Response(body || null, {
    status,
    headers: { "content-type": type ?? "text/event-stream" },
  });
}

/** What followEvents did against a wpt handler on a real server. */
interface LoopbackRun {
  messages: SseMessage[];
  /** Each request's Last-Event-ID, as bytes; null: no such header. */
  requests: (Uint8Array | null)[];
  /** "closed": the iteration ended; "stopped": the test stopped reading. */
  end: "closed" | "failed" | "stopped";
  error?: unknown;
}

/** fetch threw: the test stopped followEvents, which would retry forever. */
class FetchThrew extends Error {}
/** One request more than a browser makes: followEvents was stopped. */
class TooManyRequests extends Error {}

/**
 * Runs followEvents, on Node's own fetch, against a server on 127.0.0.1 that
 * answers as the wpt handler does, until it has the messages a browser gets
 * (then stops reading, as the wpt test closes its EventSource), or until the
 * iteration ends or throws when the case says it does.
 */
async function followOnLoopback(wpt: WptConnections): Promise<LoopbackRun> {
  const run: LoopbackRun = { messages: [], requests: [], end: "stopped" };
  const controller = new AbortController();
  const server = http.createServer((req, res) => {
    const lastEventId = headerBytes(req, "last-event-id");
    run.requests.push(lastEventId);
    if (run.requests.length > wpt.requests.length) {
      controller.abort(new TooManyRequests());
      return void res.writeHead(204).end();
    }
    const {
      status = 200,
      type,
      body,
    } = lastEventId && wpt.withLastEventId
      ? wpt.withLastEventId
      : wpt.answers[Math.min(run.requests.length, wpt.answers.length) - 1]!;
    res.writeHead(status, { "Content-Type": type ?? "text/event-stream" });
    res.end(withHeaders(body, req));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as import("node:net").AddressInfo;
  // Node's fetch, telling the test when it throws: followEvents would take
  // that for a network error and try again, forever.
  const fetchThatTells = ((input, init) =>
    fetch(input, init).catch((error: unknown) => {
      if (!controller.signal.aborted)
        controller.abort(new FetchThrew(String(error), { cause: error }));
      throw error;
    })) as typeof fetch;
  try {
    const messages = followEvents(`http://127.0.0.1:${port}/events`, {
      fetch: fetchThatTells,
      signal: controller.signal,
      retryMs: 10, // the cases that reconnect say retry: themselves
    });
    run.end = "closed";
    for await (const message of messages) {
      run.messages.push({ ...message });
      const enough = run.messages.length === wpt.messages.length;
      if (run.messages.length > wpt.messages.length || (enough && !wpt.end)) {
        run.end = "stopped";
        break;
      }
    }
  } catch (error) {
    run.end = "failed";
    run.error = error;
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
  return run;
}

/** The bytes of a request header (Node reads them as Latin-1), or null. */
function headerBytes(
  req: http.IncomingMessage,
  name: string,
): Uint8Array | null {
  const at = req.rawHeaders.findIndex(
    (h, i) => i % 2 === 0 && h.toLowerCase() === name,
  );
  return at === -1 ? null : Buffer.from(req.rawHeaders[at + 1]!, "latin1");
}

/** `body` with each `{{headers[name]}}` replaced by that header's bytes. */
function withHeaders(body: string, req: http.IncomingMessage): Buffer {
  const parts = body.split(/\{\{headers\[([a-z-]+)\]\}\}/);
  return Buffer.concat(
    parts.map((part, i) =>
      i % 2 === 0
        ? Buffer.from(part, "utf8")
        : (headerBytes(req, part) ?? new Uint8Array()),
    ),
  );
}

/** `E2 80 A6`, `(none)`, or `(empty)`. */
function hex(bytes: Uint8Array | null): string {
  if (bytes === null) return "(none)";
  if (bytes.length === 0) return "(empty)";
  return [...bytes]
    .map((b) => b.toString(16).toUpperCase().padStart(2, "0"))
    .join(" ");
}

/** Fails with what a browser does and what followEvents did, or passes. */
function checkRun(wpt: WptConnections, run: LoopbackRun): void {
  const what = `web-platform-tests eventsource/${wpt.file}: ${wpt.rule}.`;
  const browserSends = wpt.requests.map((id) =>
    id === null ? "(none)" : `${hex(utf8.encode(id))} (${JSON.stringify(id)})`,
  );
  if (run.error instanceof FetchThrew) {
    expect.fail(
      `${what}\nfetch threw ${run.error.message} on request ` +
        `${run.requests.length + 1}, which a browser sends with ` +
        `Last-Event-ID ${browserSends[run.requests.length]}. ` +
        `${RULE_BYTES}. (followEvents took the throw for a network error ` +
        "and would have retried forever: the test stopped it.)",
    );
  }
  const made = run.requests.length;
  if (made !== wpt.requests.length) {
    const last = wpt.answers.at(-1)!;
    expect.fail(
      `${what}\nfollowEvents made ${made} request(s), a browser ` +
        `${wpt.requests.length}. ` +
        (made > wpt.requests.length
          ? `It connected again after the answer ${last.status ?? 200} ` +
            `${last.type ?? "text/event-stream"}: EventSource ` +
            (wpt.end === "closed" ? "stops at 204" : "does not reconnect") +
            " there."
          : "It did not reconnect when the stream ended."),
    );
  }
  const sent = run.requests.map(hex);
  const wanted = wpt.requests.map((id) =>
    id === null ? "(none)" : hex(utf8.encode(id)),
  );
  const wrongBytes = sent.some(
    (id, i) => id !== wanted[i] && id !== "(none)" && wanted[i] !== "(none)",
  );
  if (JSON.stringify(sent) !== JSON.stringify(wanted))
    expect.fail(
      `${what}\nEach request's Last-Event-ID bytes: [${sent.join(", ")}]\n` +
        `a browser sends [${browserSends.join(", ")}]\n` +
        (wrongBytes
          ? `${RULE_BYTES}.`
          : `${RULE_PERSISTS}; ${RULE_EMPTY_CLEARS}; an id that holds NUL ` +
            "is ignored."),
    );
  const got = run.messages.map(shown);
  const want = wpt.messages.map((m) => shown(asMessage(m)));
  if (JSON.stringify(got) !== JSON.stringify(want)) {
    const sameData =
      JSON.stringify(run.messages.map((m) => m.data)) ===
      JSON.stringify(wpt.messages.map((m) => m.data));
    expect.fail(
      `${what}\nfollowEvents yielded [${got.join(", ")}]\n` +
        `a browser dispatches   [${want.join(", ")}]` +
        (run.end === "failed" ? `\nand then threw ${String(run.error)}` : "") +
        (sameData ? `\nThe ids differ: ${RULE_PERSISTS}.` : ""),
    );
  }
  const wantEnd = wpt.end ?? "stopped";
  if (run.end !== wantEnd) {
    const how = {
      closed: "end (return), without an error and without reconnecting",
      failed: "throw an Error, without reconnecting",
      stopped: "go on (the test stops reading there)",
    };
    const did = {
      closed: "ended",
      failed: `threw ${String(run.error)}`,
      stopped: "went on",
    }[run.end];
    expect.fail(
      `${what}\nAfter those messages followEvents should ${how[wantEnd]}; ` +
        `it ${did}.`,
    );
  }
}

// The EventSource rules of the last event ID, as the failures state them.
const RULE_PERSISTS =
  "the last event ID outlives the connection: the messages of a new " +
  "connection carry it until the server sends an id: " +
  "(EventSource's MessageEvent.lastEventId does)";
const RULE_EMPTY_CLEARS =
  'an empty id: clears the last event ID to "", and then no ' +
  "Last-Event-ID is sent (as EventSource does)";
const RULE_BYTES =
  "Last-Event-ID holds the id's UTF-8 bytes, as EventSource sends it: a " +
  "header value is a byte string, one character per byte (fetch throws on " +
  "a character above 255, and sends é as the one byte E9)";

/** A message as a failure shows it: `"b" (id "7")`, its event if not the
 * default. */
function shown(message: SseMessage | undefined): string {
  if (message === undefined) return "(nothing yet)";
  const { event, data, id } = message;
  const type = event === "message" ? "" : `event ${JSON.stringify(event)}, `;
  return `${JSON.stringify(data)} (${type}id ${JSON.stringify(id)})`;
}

/** Fails, showing every message and its id, unless `got` is `want`. */
function expectMessages(
  got: (SseMessage | undefined)[],
  want: WptMessage[],
  rule: string,
): void {
  const [a, b] = [got.map(shown), want.map((m) => shown(asMessage(m)))];
  if (JSON.stringify(a) !== JSON.stringify(b))
    expect.fail(
      `${rule}\nfollowEvents yielded [${a.join(", ")}]\n` +
        `a browser dispatches   [${b.join(", ")}]`,
    );
}

/** Fails, showing each request's Last-Event-ID, unless they are `want`. */
function expectLastEventIds(
  requests: { lastEventId: string | null }[],
  want: (string | null)[],
  rule: string,
): void {
  const show = (id: string | null) => (id === null ? "(none)" : `"${id}"`);
  const got = requests.map((r) => r.lastEventId);
  if (JSON.stringify(got) !== JSON.stringify(want))
    expect.fail(
      `${rule}\nEach request's Last-Event-ID: [${got.map(show).join(", ")}]` +
        `\na browser sends [${want.map(show).join(", ")}]`,
    );
}

describe("followEvents", () => {
  it("yields the messages of the stream, and cancels the body when the loop stops", async () => {
    const body = fakeBody();
    const server = fakeFetch([() => eventStream(body)]);
    body.send("id: 1\ndata: a\n\nevent: add\ndata: b\n\n");
    const got: SseMessage[] = [];
    for await (const message of followEvents(URL_, server)) {
      got.push(message);
      if (got.length === 2) break;
    }
    expectMessages(
      got,
      [
        { data: "a", id: "1" },
        { event: "add", data: "b", id: "1" },
      ],
      "yield parseEvents' messages as they are",
    );
    expect(server.requests[0]?.url, "fetch the url you were given").toBe(URL_);
    expect(
      server.requests[0]?.lastEventId,
      "the first request has no Last-Event-ID: no id was seen yet",
    ).toBe(null);
    expect(
      body.cancelled,
      "the loop stopped, but the response body was not cancelled: the " +
        "connection stays open. Cancel it (reader.cancel()) in a finally",
    ).toBe(true);
  });

  it("reconnects after retryMs when the stream ends, with Last-Event-ID", async () => {
    useFakeClock();
    const first = fakeBody();
    const second = fakeBody();
    const server = fakeFetch([
      () => eventStream(first),
      () => eventStream(second),
    ]);
    const messages = followEvents(URL_, {
      fetch: server.fetch,
      retryMs: 1_000,
    });
    first.send("id: 1\ndata: a\n\nid: 2\ndata: b\n\n");
    await messages.next();
    await messages.next();
    first.end();
    const next = observe(messages.next());
    await settle();
    expect(
      server.requests.length,
      "followEvents reconnected at once when the stream ended: wait " +
        "retryMs first, or a server that closes every stream is hit in a " +
        "hot loop",
    ).toBe(1);
    await advance(999);
    expect(
      server.requests.length,
      "reconnected before retryMs had passed (hot loop)",
    ).toBe(1);
    await advance(1);
    expect(
      server.requests.length,
      "no reconnect retryMs after the stream ended",
    ).toBe(2);
    expect(
      server.requests[1]?.lastEventId,
      "the reconnect should send Last-Event-ID: the last id seen, so the " +
        "server can go on where it stopped",
    ).toBe("2");
    second.send("data: c\n\n");
    await settle();
    expectMessages(
      [next.value?.value],
      [{ data: "c", id: "2" }],
      RULE_PERSISTS,
    );
    await messages.return(undefined);
    expect(second.cancelled, "return() should cancel the body").toBe(true);
  });

  it("keeps the last event ID across connections: a new connection's messages carry it", async () => {
    useFakeClock();
    const bodies = [fakeBody(), fakeBody(), fakeBody()];
    const server = fakeFetch(bodies.map((body) => () => eventStream(body)));
    const messages = followEvents(URL_, { fetch: server.fetch, retryMs: 10 });
    const got: SseMessage[] = [];
    bodies[0]!.send("id: 7\ndata: a\n\n");
    bodies[0]!.end();
    got.push((await messages.next()).value!);
    const next = observe(messages.next());
    await advance(10);
    bodies[1]!.send("data: b\n\n"); // no id on this connection yet
    bodies[1]!.end();
    await settle();
    if (next.value?.value) got.push(next.value.value);
    const last = observe(messages.next());
    await advance(10);
    bodies[2]!.send("data: c\n\n");
    await settle();
    if (last.value?.value) got.push(last.value.value);
    await messages.return(undefined);
    expectMessages(
      got,
      [
        { data: "a", id: "7" },
        { data: "b", id: "7" },
        { data: "c", id: "7" },
      ],
      `${RULE_PERSISTS}. The second and third connections sent no id: ` +
        "their messages still carry 7.",
    );
    expectLastEventIds(server.requests, [null, "7", "7"], RULE_PERSISTS);
  });

  it("forgets the last event ID at an empty id:, and sends no Last-Event-ID then", async () => {
    useFakeClock();
    const bodies = [fakeBody(), fakeBody()];
    const server = fakeFetch(bodies.map((body) => () => eventStream(body)));
    const messages = followEvents(URL_, { fetch: server.fetch, retryMs: 10 });
    bodies[0]!.send("id: 7\ndata: a\n\nid:\ndata: b\n\n");
    bodies[0]!.end();
    const got = [(await messages.next()).value, (await messages.next()).value];
    const next = observe(messages.next());
    await advance(10);
    bodies[1]!.send("data: c\n\n");
    await settle();
    got.push(next.value?.value);
    await messages.return(undefined);
    expectMessages(
      got,
      [{ data: "a", id: "7" }, { data: "b" }, { data: "c" }],
      RULE_EMPTY_CLEARS,
    );
    expectLastEventIds(
      server.requests,
      [null, null],
      `${RULE_EMPTY_CLEARS}. Did you keep the old id because the new one ` +
        "was empty?",
    );
  });

  it("sends an id that came without data", async () => {
    useFakeClock();
    const bodies = [fakeBody(), fakeBody()];
    const server = fakeFetch(bodies.map((body) => () => eventStream(body)));
    const messages = followEvents(URL_, { fetch: server.fetch, retryMs: 10 });
    const next = observe(messages.next());
    bodies[0]!.send("id: 7\n\n"); // an id, and no message to carry it
    bodies[0]!.end();
    await settle();
    await advance(10);
    expectLastEventIds(
      server.requests,
      [null, "7"],
      "a block with an id: and no data sets the last event ID too, though " +
        "no message carries it: parseEvents' onId tells you",
    );
    bodies[1]!.send("data: b\n\n");
    await settle();
    expectMessages(
      [next.value?.value],
      [{ data: "b", id: "7" }],
      RULE_PERSISTS,
    );
    await messages.return(undefined);
  });

  it("waits 3 s before it reconnects, when neither retryMs nor the server says", async () => {
    useFakeClock();
    const bodies = [fakeBody(), fakeBody()];
    const server = fakeFetch(bodies.map((body) => () => eventStream(body)));
    const messages = followEvents(URL_, { fetch: server.fetch });
    const next = observe(messages.next());
    bodies[0]!.end();
    await settle();
    await advance(2_999);
    expect(
      server.requests.length,
      "followEvents reconnected before 3 s: the default of retryMs is 3,000",
    ).toBe(1);
    await advance(1);
    expect(
      server.requests.length,
      "no reconnect after 3 s: the default of retryMs is 3,000",
    ).toBe(2);
    bodies[1]!.send("data: b\n\n");
    await settle();
    expect(next.value?.value?.data).toBe("b");
    await messages.return(undefined);
  });

  it("waits the server's retry: instead of retryMs, from then on", async () => {
    useFakeClock();
    const bodies = [fakeBody(), fakeBody(), fakeBody()];
    const server = fakeFetch(bodies.map((body) => () => eventStream(body)));
    const messages = followEvents(URL_, {
      fetch: server.fetch,
      retryMs: 1_000,
    });
    bodies[0]!.send("retry: 5000\ndata: a\n\n");
    bodies[0]!.end();
    await messages.next();
    const next = observe(messages.next());
    await advance(1_000);
    expect(
      server.requests.length,
      "the server sent retry: 5000, but followEvents reconnected after " +
        "retryMs: a server's retry: wins",
    ).toBe(1);
    await advance(4_000);
    expect(
      server.requests.length,
      "no reconnect after the server's retry:",
    ).toBe(2);
    bodies[1]!.send("data: b\n\n");
    bodies[1]!.end();
    await settle();
    expect(next.value?.value?.data).toBe("b");
    const last = observe(messages.next());
    await advance(4_999);
    expect(
      server.requests.length,
      "the server's retry: holds for every later reconnect too",
    ).toBe(2);
    await advance(1);
    expect(server.requests.length).toBe(3);
    bodies[2]!.send("data: c\n\n");
    await settle();
    expect(last.value?.value?.data).toBe("c");
    await messages.return(undefined);
  });

  it("reconnects when the network fails mid-stream", async () => {
    useFakeClock();
    const first = fakeBody();
    const second = fakeBody();
    const server = fakeFetch([
      () => eventStream(first),
      () => eventStream(second),
    ]);
    const messages = followEvents(URL_, { fetch: server.fetch, retryMs: 500 });
    first.send("id: 7\ndata: a\n\n");
    await messages.next();
    const next = observe(messages.next());
    first.fail(new TypeError("terminated"));
    await settle();
    expect(
      next.state,
      "a network error mid-stream ended followEvents: reconnect instead, " +
        "as EventSource does",
    ).toBe("pending");
    await advance(500);
    expect(
      server.requests.map((r) => r.lastEventId),
      "after a network error, reconnect after the delay with Last-Event-ID",
    ).toEqual([null, "7"]);
    second.send("data: b\n\n");
    await settle();
    expect(next.value?.value?.data).toBe("b");
    await messages.return(undefined);
  });

  it("tries again when the server cannot be reached", async () => {
    useFakeClock();
    const body = fakeBody();
    const server = fakeFetch([
      () => {
        throw new TypeError("fetch failed");
      },
      () => eventStream(body),
    ]);
    const messages = followEvents(URL_, { fetch: server.fetch, retryMs: 500 });
    const next = observe(messages.next());
    await settle();
    expect(
      next.state,
      "fetch failed (a network error): wait and try again, do not give up",
    ).toBe("pending");
    await advance(500);
    body.send("data: up again\n\n");
    await settle();
    expect(next.value?.value?.data).toBe("up again");
    await messages.return(undefined);
  });

  it("ends for good when the server answers 204", async () => {
    useFakeClock();
    const server = fakeFetch([() => new Response(null, { status: 204 })]);
    const messages = followEvents(URL_, { fetch: server.fetch, retryMs: 100 });
    const next = observe(messages.next());
    await advance(1_000);
    expect(
      next.value,
      "status 204 means: do not reconnect. The iteration should end",
    ).toEqual({ value: undefined, done: true });
    expect(server.requests.length).toBe(1);
  });

  it("throws without reconnecting on another status than 200, or another content type", async () => {
    useFakeClock();
    const answers = [
      () => eventStream(fakeBody(), { status: 500 }),
      () =>
        new Response("<html>", { headers: { "content-type": "text/html" } }),
    ];
    for (const answer of answers) {
      const server = fakeFetch([answer]);
      const messages = followEvents(URL_, { fetch: server.fetch, retryMs: 1 });
      const next = observe(messages.next());
      await advance(100);
      expect(
        next.state,
        "a status other than 200, or a body that is not " +
          "text/event-stream, is not a network error: throw, without " +
          "reconnecting (as EventSource does)",
      ).toBe("rejected");
      expect(next.reason).toBeInstanceOf(Error);
      expect(
        server.requests.length,
        "followEvents reconnected after a refusal: throw without reconnecting",
      ).toBe(1);
    }
    const body = fakeBody();
    const server = fakeFetch([
      () =>
        new Response(body.stream, {
          headers: { "content-type": "Text/Event-Stream; charset=utf-8" },
        }),
    ]);
    const messages = followEvents(URL_, { fetch: server.fetch });
    body.send("data: fine\n\n");
    const first = await messages.next().then(
      (result) => result.value?.data,
      (error: unknown) => `an error: ${String(error)}`,
    );
    expect(
      first,
      'a content type with parameters ("; charset=utf-8") is still an ' +
        "event stream: compare the media type alone, ignoring case",
    ).toBe("fine");
    await messages.return(undefined);
  });

  it("cancels the body and rejects with signal.reason when the signal aborts", async () => {
    const body = fakeBody();
    const server = fakeFetch([() => eventStream(body)]);
    const controller = new AbortController();
    const messages = followEvents(URL_, {
      fetch: server.fetch,
      signal: controller.signal,
    });
    body.send("data: a\n\n");
    await messages.next();
    const next = observe(messages.next());
    await settle();
    const reason = new Error("the user left");
    controller.abort(reason);
    await settle();
    expect(
      body.cancelled,
      "the body was not cancelled on abort: cancel it yourself (a fetch " +
        "need not tie the body to the signal), or its connection stays open",
    ).toBe(true);
    expect(
      next.state,
      "the signal aborted while the stream was open, but followEvents went on",
    ).toBe("rejected");
    expect(next.reason, "reject with signal.reason itself").toBe(reason);
    expect(
      abortListeners(controller.signal),
      "followEvents left an abort listener on the signal",
    ).toBe(0);
  });

  it("rejects with signal.reason when the signal aborts while it waits to reconnect", async () => {
    useFakeClock();
    const body = fakeBody();
    const server = fakeFetch([() => eventStream(body)]);
    const controller = new AbortController();
    const messages = followEvents(URL_, {
      fetch: server.fetch,
      signal: controller.signal,
      retryMs: 1_000,
    });
    const next = observe(messages.next());
    body.end();
    await advance(500);
    const reason = new Error("stop");
    controller.abort(reason);
    await settle();
    expect(
      next.state,
      "an abort while waiting to reconnect should end the wait at once",
    ).toBe("rejected");
    expect(next.reason, "reject with signal.reason itself").toBe(reason);
    expect(
      pendingTimers(),
      "the retry timer is still armed after the abort: clear it",
    ).toBe(0);
    expect(abortListeners(controller.signal)).toBe(0);
    expect(server.requests.length).toBe(1);
  });

  describe("the web-platform-tests cases, on a fake clock", () => {
    for (const wpt of WPT_RETRY_DELAYS) {
      it(`${wpt.file}: ${wpt.rule}`, async () => {
        useFakeClock();
        const server = fakeFetch(wpt.answers.map((a) => () => answer(a)));
        const requestedAt: number[] = [];
        const fetch = (async (...args: Parameters<typeof server.fetch>) => {
          requestedAt.push(Date.now());
          return server.fetch(...args);
        }) as typeof server.fetch;
        // A retryMs that no case expects: only the server's retry: counts.
        const messages = followEvents(URL_, { fetch, retryMs: 500 });
        const got = [(await messages.next()).value];
        const next = observe(messages.next());
        await settle();
        const endedAt = Date.now();
        await advance(Math.max(...wpt.delays!));
        await settle();
        got.push(next.value?.value);
        await messages.return(undefined);
        const waited = requestedAt.slice(1).map((at) => at - endedAt);
        const what = `web-platform-tests eventsource/${wpt.file}: ${wpt.rule}`;
        expect(
          waited,
          `${what}. followEvents waited [${waited.join(", ")}] ms before ` +
            `each reconnection, a browser [${wpt.delays!.join(", ")}]`,
        ).toEqual(wpt.delays);
        expectMessages(got, wpt.messages, `${what}.`);
        expectLastEventIds(server.requests, wpt.requests, `${what}.`);
      });
    }
  });

  describe("the web-platform-tests cases, on a real server with Node's fetch", () => {
    for (const wpt of WPT_CONNECTIONS)
      it(`${wpt.file}: ${wpt.rule}`, async () => {
        checkRun(wpt, await followOnLoopback(wpt));
      });

    const eAcute: WptConnections = {
      file: "format-field-id.any.js, with the id é",
      rule: "Last-Event-ID holds the id's UTF-8 bytes, C3 A9, not E9",
      ...lastEventIdPy("é"),
      requests: [null, "é"],
      messages: [
        { data: "hello", id: "é" },
        { data: "é", id: "é" },
      ],
    };
    it(`${eAcute.file}: ${eAcute.rule}`, async () => {
      checkRun(eAcute, await followOnLoopback(eAcute));
    });
  });
});
