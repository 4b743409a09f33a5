import { readdir, readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import type { Tool } from "./tools.ts";

// The workbook's pages, found from this file (lessons/12-agent or
// solutions/12-agent, two levels below the root), not from the current
// directory, which is wherever the command was started.
const PAGES = fileURLToPath(new URL("../../docs/lessons/", import.meta.url));

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
    const { query, limit = 3 } = (input ?? {}) as {
      query?: unknown;
      limit?: unknown;
    };
    if (typeof query !== "string" || query.trim() === "")
      throw new TypeError('search_lessons needs { "query": "<words>" }');
    if (!Number.isInteger(limit) || Number(limit) < 1 || Number(limit) > 5)
      throw new RangeError("limit must be an integer from 1 to 5");
    const words = [...new Set(query.toLowerCase().match(/[\p{L}\p{N}_]+/gu))];
    const pages = await readPages(signal);
    const hits = pages
      .map((page) => ({ page, ...score(page.text.toLowerCase(), words) }))
      .filter((hit) => hit.count > 0)
      .sort((a, b) => b.words - a.words || b.count - a.count);
    if (hits.length === 0) return `No lesson page mentions "${query}".`;
    const best = hits
      .slice(0, Number(limit))
      .map(
        ({ page, first }, i) =>
          `${i + 1}. ${page.title} (/lessons/${page.id})\n` +
          `   ${snippet(page.text, first)}`,
      );
    return (
      `Found "${query}" in ${hits.length} lesson page` +
      `${hits.length === 1 ? "" : "s"}. The best ${best.length}:\n` +
      best.join("\n")
    );
  },
};
// #endregion searchLessons

// #region helpers
interface Page {
  id: string;
  title: string;
  text: string;
}

async function readPages(signal: AbortSignal): Promise<Page[]> {
  const files = (await readdir(PAGES)).filter((f) => f.endsWith(".md"));
  return Promise.all(
    files.sort().map(async (file) => {
      const markdown = await readFile(PAGES + file, {
        encoding: "utf8",
        signal,
      });
      const title = /^title:\s*"?(.+?)"?\s*$/m.exec(markdown)?.[1] ?? file;
      // Prose and code, without the front matter, HTML (the diagrams) and
      // VitePress's include and container lines.
      const text = markdown
        .replace(/^---\n[\s\S]*?\n---\n/, "")
        .split("\n")
        .filter((line) => !/^\s*(<|:::|<<<)/.test(line))
        .join("\n");
      return { id: file.replace(/\.md$/, ""), title, text };
    }),
  );
}

/** How many of `words` occur in `text`, how often, and where the first is. */
function score(text: string, words: string[]) {
  let found = 0;
  let count = 0;
  let first = -1;
  for (const word of words) {
    let at = text.indexOf(word);
    if (at === -1) continue;
    found += 1;
    if (first === -1 || at < first) first = at;
    for (; at !== -1; at = text.indexOf(word, at + word.length)) count += 1;
  }
  return { words: found, count, first };
}

/** About 160 characters of prose around `at`, on one line. */
function snippet(text: string, at: number): string {
  const start = Math.max(0, at - 60);
  const piece = text.slice(start, start + 160).replace(/[\s`*#]+/g, " ");
  return `${start > 0 ? "…" : ""}${piece.trim()}…`;
}
// #endregion helpers
