/**
 * The offline model of `npm run agent`: the fake Claude's script. It answers
 * the suggested questions (the chat page's `public/questions.json`, one copy
 * for both) by calling the agent's tools, then reads the results it is sent
 * and answers with them; anything else gets a short text. It never sees the
 * tools' code: like the real model, it only reads the transcript.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { workbookRoot } from "../catalog.ts";
import type {
  FakeBlock,
  FakeTurn,
  RecordedRequest,
} from "../fake-anthropic.ts";

/** The suggested questions, in the order the page shows them. */
export const QUESTIONS: string[] = JSON.parse(
  readFileSync(
    join(workbookRoot, "lessons/12-agent/public/questions.json"),
    "utf8",
  ),
);

/** What the real model is told (the fake ignores it). */
export const SYSTEM =
  "You are the agent of an open-source workbook that teaches async " +
  "TypeScript. Answer briefly. Use the calculator for arithmetic, " +
  "current_time for the time, search_lessons to point to the lessons, and " +
  "wait when asked for a timer.";

type Block = { type: string; text?: string; content?: unknown };
type Message = { role: string; content: string | Block[] };
/** One tool result the model was sent: its text, and whether it failed. */
type Result = { text: string; failed: boolean };
type Step = (results: Result[]) => FakeTurn;

const say = (text: string, ...calls: [string, object][]): FakeTurn => ({
  content: [
    { type: "text", text },
    ...calls.map(([name, input]): FakeBlock => ({
      type: "tool_use",
      name,
      input: input as Record<string, unknown>,
    })),
  ],
});

/** A result as the model would quote it. */
const quote = ({ text, failed }: Result) =>
  failed ? `(the tool failed: ${text})` : text;

/** "Sunday 2026-11-22 19:00:00" out of current_time's answer. */
const localTime = (result: Result | undefined) =>
  result?.failed
    ? quote(result)
    : (/: (\w+ [\d-]+ [\d:]+)/.exec(result?.text ?? "")?.[1] ?? "unknown");

/** The lesson titles a search_lessons answer lists. */
const titles = (result: Result | undefined) =>
  result?.failed
    ? quote(result)
    : [...(result?.text ?? "").matchAll(/^\d+\. (.+?) \(\/lessons/gm)]
        .map((match) => match[1])
        .join("; ") || "no lesson";

/** For each suggested question: one reply per step of the conversation. */
const PLAYS: Step[][] = [
  [
    () =>
      say(
        "I'll do the arithmetic and look at the clock in Tokyo at the same " +
          "time.",
        ["calculator", { expression: "(17 + 25) * 3^2 / 7" }],
        ["current_time", { timeZone: "Asia/Tokyo" }],
      ),
    ([sum, time]) =>
      say(
        `(17 + 25) * 3^2 / 7 = ${quote(sum!)}. In Tokyo it is ` +
          `${localTime(time)}.`,
      ),
  ],
  [
    () =>
      say(
        "Let me search the lessons for both, at once.",
        ["search_lessons", { query: "semaphore" }],
        ["search_lessons", { query: "AbortSignal" }],
      ),
    ([semaphores, signals]) =>
      say(
        `Semaphores: ${titles(semaphores)}.\nAbortSignal: ` +
          `${titles(signals)}.\nOpen a lesson from the workbook's sidebar.`,
      ),
  ],
  [
    () =>
      say(
        "Three calculations, run concurrently:",
        ["calculator", { expression: "2^32" }],
        ["calculator", { expression: "10 / 4" }],
        ["calculator", { expression: "-2^2" }],
      ),
    ([a, b, c]) =>
      say(
        `2^32 = ${quote(a!)}, 10 / 4 = ${quote(b!)} and -2^2 = ` +
          `${quote(c!)}: the power binds tighter than the minus.`,
      ),
  ],
  [
    () =>
      say(
        "Starting a 10 second timer. Press Stop to cancel it: the server " +
          "aborts the running tool.",
        ["wait", { seconds: 10 }],
      ),
    ([waited]) =>
      say(`Time's up (${quote(waited!)}). Now the clock:`, [
        "current_time",
        {},
      ]),
    ([time]) => say(`It is ${quote(time!)} (UTC).`),
  ],
];

/**
 * The script: finds the person's last question and how many replies have
 * followed it, and plays that step of the question's play.
 */
export function agentScript(request: RecordedRequest): FakeTurn {
  const messages: Message[] = request?.body?.messages ?? [];
  const asked = messages.findLastIndex(
    (m) => m.role === "user" && !hasResults(m),
  );
  const question = text(messages[asked]);
  const step = messages
    .slice(asked + 1)
    .filter((m) => m.role === "assistant").length;
  const play = PLAYS[QUESTIONS.findIndex((q) => same(q, question))];
  const reply = play?.[step];
  if (reply) return reply(results(messages.at(-1)));
  return say(
    play
      ? "Done."
      : "I am the workbook's offline stand-in for Claude, so I only know " +
          "the suggested questions. Set ANTHROPIC_API_KEY and restart " +
          "npm run agent to ask Claude anything.",
  );
}

function hasResults(message: Message): boolean {
  return (
    Array.isArray(message.content) &&
    message.content.some((block) => block.type === "tool_result")
  );
}

function text(message: Message | undefined): string {
  if (!message) return "";
  if (typeof message.content === "string") return message.content;
  return message.content.map((block) => block.text ?? "").join("");
}

function results(message: Message | undefined): Result[] {
  if (!message || !Array.isArray(message.content)) return [];
  return message.content
    .filter((block) => block.type === "tool_result")
    .map((block) => ({
      text: typeof block.content === "string" ? block.content : "",
      failed: (block as { is_error?: boolean }).is_error === true,
    }));
}

function same(a: string, b: string): boolean {
  const plain = (s: string) => s.toLowerCase().replace(/\s+/g, " ").trim();
  return plain(a) === plain(b);
}
