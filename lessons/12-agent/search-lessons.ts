import { todo } from "#kit/todo.ts";
import type { Tool } from "./tools.ts";

// #region searchLessons
/**
 * Searches the workbook's own lesson pages (`docs/lessons/*.md`), without
 * regard to case, and answers with the best few: each page's title, link and
 * a snippet around the first match. Pages that match more of the query's
 * words come first, then pages that match more often. No match is an answer
 * ("No lesson page mentions …"), not an error.
 *
 * @example
 * await searchLessons.run({ query: "semaphore" }, signal);
 * // 'Found "semaphore" in 3 lesson pages. The best 3:\n1. Semaphores …'
 */
export const searchLessons: Tool = {
  name: "search_lessons",
  description:
    "Searches the pages of this async TypeScript workbook (case-" +
    "insensitive) and returns the best matching lessons with snippets.",
  inputSchema: {
    type: "object",
    properties: {
      query: { type: "string", description: "Words to look for" },
      limit: { type: "integer", minimum: 1, maximum: 5 },
    },
    required: ["query"],
  },
  async run(input: unknown, signal: AbortSignal): Promise<string> {
    return todo("search_lessons: rank docs/lessons/*.md pages by query");
  },
};
// #endregion searchLessons
