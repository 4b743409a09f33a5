/**
 * The JavaScript a page loads of its own, gzipped: what it costs beyond the
 * chunks every page shares (VitePress's framework, its theme, the app).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import type { Page } from "playwright-core";

/** Gzipped JavaScript a lesson page may load beyond the shared chunks. */
export const OWN_JS_BUDGET_KB = 5;

/** Records the path of every script each page load fetches. */
export function recordScripts(page: Page): (path: string) => Set<string> {
  const byPage = new Map<string, Set<string>>();
  let current = "";
  page.on("request", (request) => {
    if (request.resourceType() !== "script") return;
    byPage.get(current)?.add(new URL(request.url()).pathname);
  });
  return (path) => {
    current = path;
    const scripts = new Set<string>();
    byPage.set(path, scripts);
    return scripts;
  };
}

export interface Weight {
  files: string[];
  /** Their gzipped size, in kB. */
  gzipKb: number;
}

/**
 * The scripts every page loads (the framework, the theme with our
 * components, the app), and for each page the others: its own. Sizes are
 * read from the built site in `dist` and gzipped as a server would.
 */
export function pageWeights(
  dist: string,
  scripts: Map<string, Set<string>>,
): { shared: Weight; pages: Map<string, Weight> } {
  const all = [...scripts.values()];
  const isShared = (file: string) => all.every((set) => set.has(file));
  const weigh = (files: string[]): Weight => ({
    files,
    gzipKb:
      files.reduce(
        (sum, file) =>
          sum + gzipSync(readFileSync(join(dist, file)), { level: 9 }).length,
        0,
      ) / 1024,
  });
  const pages = new Map<string, Weight>();
  for (const [page, set] of scripts)
    pages.set(page, weigh([...set].filter((f) => !isShared(f)).sort()));
  return { shared: weigh([...(all[0] ?? [])].filter(isShared).sort()), pages };
}
