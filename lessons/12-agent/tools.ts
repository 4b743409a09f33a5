import { todo } from "#kit/todo.ts";

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
    return todo("current_time: ISO 8601 UTC, plus the local time in timeZone");
  },
};
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
    return todo("wait: check seconds (0 to 3600), sleep; abort stops it");
  },
};
// #endregion wait
