/**
 * Lesson 12's chat page, as its tests see it: in headless Chromium when there
 * is one (kit/chromium.ts), else a static look at the page's scripts. The
 * maintainers' browser tests (test/browser/) check the page further.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { workbookRoot } from "../catalog.ts";
import { launchChromium } from "../chromium.ts";

/** The chat page's files: one copy, served in both trees. */
export const CHAT_PAGE = join(workbookRoot, "lessons", "12-agent", "public");

/** What the page did with one question and its answer. */
export interface PageAnswer {
  /** The answer ended: the Send button came back. */
  finished: boolean;
  /** The elements the conversation holds that are not the page's own. */
  strayElements: string[];
  /** The conversation's text, as shown. */
  text: string;
  /** What the page's own scripts set `window.__pwned` to, if anything. */
  pwned: unknown;
  /** Every URL the page requested. */
  requests: string[];
  /** Uncaught errors in the page. */
  pageErrors: string[];
}

/**
 * Opens the page at `url` in Chromium, types `question`, sends it with Enter,
 * and waits (at most `ms` of real time) for the answer to end.
 */
export async function askInChromium(
  url: string,
  question: string,
  ms = 10_000,
): Promise<PageAnswer> {
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    const requests: string[] = [];
    const pageErrors: string[] = [];
    page.on("request", (request) => requests.push(request.url()));
    page.on("pageerror", (error) => pageErrors.push(error.message));
    await page.goto(url);
    await page.locator("#prompt").fill(question);
    await page.locator("#prompt").press("Enter");
    // Busy, then idle again: the answer ended (with done, error or a failure).
    const finished = await page
      .waitForFunction(
        `!document.querySelector("#send").disabled &&
          document.querySelector("#log .assistant") !== null`,
        undefined,
        { timeout: ms },
      )
      .then(
        () => true,
        () => false,
      );
    const strayElements = (await page.evaluate(
      `[...document.querySelectorAll("#log :is(img, script, iframe, b, i)")]
        .map((element) => element.outerHTML.slice(0, 80))`,
    )) as string[];
    return {
      finished,
      strayElements,
      text: (await page.locator("#log").textContent()) ?? "",
      pwned: await page.evaluate("window.__pwned"),
      requests,
      pageErrors,
    };
  } finally {
    await browser.close();
  }
}

/** A place in the page's scripts that writes HTML into the page. */
export interface HtmlSink {
  where: string;
  code: string;
}

const SINKS =
  /\.(innerHTML|outerHTML)\s*\+?=(?!=)|\.insertAdjacentHTML\s*\(|\.setHTMLUnsafe\s*\(|\bdocument\.write(ln)?\s*\(|\.createContextualFragment\s*\(/;

/**
 * Without a browser: every line of the page's scripts that turns a string
 * into HTML (`innerHTML =`, `outerHTML =`, `insertAdjacentHTML`,
 * `document.write`, …), comments left out.
 */
export function htmlSinks(folder = CHAT_PAGE): HtmlSink[] {
  return readdirSync(folder)
    .filter((file) => file.endsWith(".js"))
    .sort()
    .flatMap((file) =>
      withoutComments(readFileSync(join(folder, file), "utf8"))
        .split("\n")
        .flatMap((line, i) =>
          SINKS.test(line)
            ? [
                {
                  where: `lessons/12-agent/public/${file}:${i + 1}`,
                  code: line.trim(),
                },
              ]
            : [],
        ),
    );
}

/** Comments blanked out, line breaks kept (so line numbers hold). */
function withoutComments(source: string): string {
  return source
    .replace(/\/\*[\s\S]*?\*\//g, (comment) => comment.replace(/[^\n]/g, " "))
    .replace(/(^|[^:"'`\\])\/\/.*$/gm, "$1");
}
