import { sleep } from "../01-coroutines/sleep.ts";

export { calculator } from "./calculator.ts";
export { searchLessons } from "./search-lessons.ts";

// #region Tool
/**
 * Something the model may ask the agent to do. `name`, `description` and
 * `inputSchema` (a JSON Schema) are sent to the model with every request;
 * `run` does the work when the model calls the tool.
 *
 * `input` is whatever JSON the model wrote: check it, never trust it. `run`
 * resolves with the text the model reads next; a throw becomes an error
 * result that the model reads instead (the agent sees to that). A tool that
 * takes time must stop when `signal` aborts.
 */
export interface Tool {
  name: string;
  description: string;
  inputSchema: Record<string, unknown>;
  run(input: unknown, signal: AbortSignal): Promise<string>;
}
// #endregion Tool

// #region currentTime
/**
 * The current time, which a model cannot know: ISO 8601 in UTC, and with an
 * IANA `timeZone` ("Europe/Paris") the local date and time there as well.
 * Reads `Date.now()`, so tests can fake the clock.
 *
 * @example
 * await currentTime.run({ timeZone: "Asia/Tokyo" }, signal);
 * // "2026-11-22T10:00:00.000Z (Asia/Tokyo: Sunday 2026-11-22 19:00:00,
 * // GMT+09:00)"
 */
export const currentTime: Tool = {
  name: "current_time",
  description:
    "The current date and time in UTC (ISO 8601). Give an IANA timeZone " +
    "such as Europe/Paris to also get the local time there.",
  inputSchema: {
    type: "object",
    properties: {
      timeZone: { type: "string", description: "IANA name, e.g. Asia/Tokyo" },
    },
  },
  async run(input: unknown): Promise<string> {
    const now = new Date(Date.now());
    const timeZone = (input as { timeZone?: unknown } | null)?.timeZone;
    if (timeZone === undefined) return now.toISOString();
    if (typeof timeZone !== "string")
      throw new TypeError("timeZone must be a string such as Europe/Paris");
    return `${now.toISOString()} (${timeZone}: ${localTime(now, timeZone)})`;
  },
};

/** "Sunday 2026-11-22 19:00:00, GMT+09:00", the same on every Node. */
function localTime(date: Date, timeZone: string): string {
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      weekday: "long",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
      timeZoneName: "longOffset",
    });
  } catch {
    throw new RangeError(
      `unknown time zone "${timeZone}": use an IANA name such as Asia/Tokyo`,
    );
  }
  // Parts, not format(): the punctuation between them differs by locale
  // and by ICU version.
  const part = Object.fromEntries(
    format.formatToParts(date).map(({ type, value }) => [type, value]),
  );
  return (
    `${part.weekday} ${part.year}-${part.month}-${part.day} ` +
    `${part.hour}:${part.minute}:${part.second}, ${part.timeZoneName}`
  );
}
// #endregion currentTime

// #region wait
/**
 * Waits the given number of seconds (0 to 3,600): a tool that takes time, to
 * watch concurrency, the Stop button and a client that leaves at work. On
 * abort it rejects with `signal.reason` and leaves no timer.
 *
 * @example
 * await wait.run({ seconds: 2 }, signal); // "waited 2 seconds"
 */
export const wait: Tool = {
  name: "wait",
  description:
    "Waits the given number of seconds (0 to 3600), then says so. For " +
    "timers and reminders.",
  inputSchema: {
    type: "object",
    properties: { seconds: { type: "number", minimum: 0, maximum: 3600 } },
    required: ["seconds"],
  },
  async run(input: unknown, signal: AbortSignal): Promise<string> {
    const seconds = (input as { seconds?: unknown } | null)?.seconds;
    // Also refuses NaN: every comparison with NaN is false.
    if (typeof seconds !== "number" || !(seconds >= 0 && seconds <= 3_600))
      throw new RangeError("seconds must be a number from 0 to 3600");
    // Lesson 01's sleep: rejects with signal.reason, clears its timer.
    await sleep(seconds * 1_000, signal);
    return `waited ${seconds} second${seconds === 1 ? "" : "s"}`;
  },
};
// #endregion wait
