/**
 * Lesson 12's chat page in headless Chromium, against the reference
 * solutions and the workbook's fake Claude: a suggested question streams in
 * with tool cards, Stop (button or Escape) ends the request on the server,
 * HTML in a reply stays text, errors are shown, a phone-sized screen works,
 * and axe-core finds no serious or critical violation. With
 * WORKBOOK_SCREENSHOTS=1 it writes the page's screenshots to
 * docs/public/agent/.
 */
import { mkdirSync } from "node:fs";
import type http from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAgentServer } from "#exercises/12-agent/server.ts";
import {
  calculator,
  currentTime,
  searchLessons,
  wait,
  type Tool,
} from "#exercises/12-agent/tools.ts";
import { agentScript, QUESTIONS } from "#kit/agent/script.ts";
import { axeViolations } from "#scripts/browser/axe.ts";
import { workbookRoot } from "#kit/catalog.ts";
import { launchChromium } from "#kit/chromium.ts";
import {
  startFakeAnthropic,
  type FakeAnthropicOptions,
} from "#kit/fake-anthropic.ts";

const SHOTS = join(workbookRoot, "docs", "public", "agent");

let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

/** The chat server with the reference agent, and the fake model under it. */
async function startApp(
  script: FakeAnthropicOptions["script"],
  options: { tokenDelayMs?: number; tools?: Tool[] } = {},
) {
  const fake = await startFakeAnthropic({
    script,
    tokenDelayMs: options.tokenDelayMs ?? 15,
  });
  const errors: unknown[] = [];
  const server: http.Server = createAgentServer(
    {
      client: fake.client({ maxRetries: 0 }),
      model: "claude-sonnet-5-5",
      tools: options.tools ?? [calculator, currentTime, searchLessons, wait],
    },
    { onError: (error) => errors.push(error) },
  );
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    fake,
    errors,
    async [Symbol.asyncDispose]() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await fake.close();
    },
  };
}

/** A page that records every request it makes and the answer's paints. */
async function openPage(url: string, width = 1280, height = 800) {
  const page = await browser.newPage({
    viewport: { width, height },
    colorScheme: "light",
  });
  const requests: string[] = [];
  const problems: string[] = [];
  page.on("request", (request) => requests.push(request.url()));
  page.on("pageerror", (error) => problems.push(error.message));
  // Each animation frame, the length of the answers' text, when it changed.
  await page.addInitScript(`
    window.__paints = [];
    const watch = () => {
      let length = 0;
      for (const p of document.querySelectorAll("#log .assistant .text"))
        length += p.textContent.length;
      if (length !== window.__paints.at(-1)) window.__paints.push(length);
      requestAnimationFrame(watch);
    };
    requestAnimationFrame(watch);
  `);
  await page.goto(url);
  return { page, requests, problems };
}

const idle = (page: Page) =>
  expect.poll(() => page.locator("#send").isEnabled()).toBe(true);

const shot = async (page: Page, name: string) => {
  if (process.env.WORKBOOK_SCREENSHOTS !== "1") return;
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, name) });
};

describe("the chat page", () => {
  it("streams a suggested question's answer, with a card per tool call", async () => {
    await using app = await startApp(agentScript);
    const { page, problems } = await openPage(app.url);
    await page.getByRole("button", { name: QUESTIONS[0] }).click();
    const cards = page.locator(".tool");
    await expect.poll(() => cards.count()).toBe(2);
    await idle(page);
    expect(
      [
        await cards.nth(0).getAttribute("data-state"),
        await cards.nth(1).getAttribute("data-state"),
      ],
      "each tool card should end in the done state",
    ).toEqual(["done", "done"]);
    expect(await cards.nth(0).locator(".tool-input").textContent()).toContain(
      "(17 + 25) * 3^2 / 7",
    );
    expect(await cards.nth(0).locator(".tool-output").textContent()).toBe("54");
    expect(await cards.nth(1).locator(".tool-output").textContent()).toMatch(
      /Asia\/Tokyo/,
    );
    const answer = await page.locator("#log .assistant").textContent();
    expect(answer).toContain("In Tokyo it is");
    const paints = (await page.evaluate("window.__paints")) as number[];
    const final = paints.at(-1) ?? 0;
    const partial = paints.filter((n) => n > 0 && n < final);
    expect(
      partial.length,
      `the answer's text was painted ${partial.length} time(s) before it ` +
        "was complete: it should appear as it streams in",
    ).toBeGreaterThan(1);
    expect(problems, "errors on the page").toEqual([]);
    await shot(page, "chat-desktop.png");

    await page.setViewportSize({ width: 390, height: 844 });
    const overflow = (await page.evaluate(
      "document.documentElement.scrollWidth",
    )) as number;
    expect(
      overflow,
      "the page scrolls sideways on a phone",
    ).toBeLessThanOrEqual(390);
    await shot(page, "chat-phone.png");
    await page.close();
  });

  it("keeps the newest text and tool card above the sticky footer, while streaming and after", async () => {
    await using app = await startApp(agentScript);
    for (const [width, height] of [
      [1280, 800],
      [390, 844],
    ] as const) {
      const { page } = await openPage(app.url, width, height);
      // Each animation frame: how far the newest content (the last text or
      // card of the last answer) reaches below the footer's top edge.
      await page.evaluate(`
        window.__covered = -Infinity;
        const watch = () => {
          const answer = document.querySelector("#log .assistant:last-child");
          const newest = answer?.lastElementChild;
          if (newest) {
            const below = newest.getBoundingClientRect().bottom -
              document.querySelector("footer").getBoundingClientRect().top;
            window.__covered = Math.max(window.__covered, below);
          }
          requestAnimationFrame(watch);
        };
        requestAnimationFrame(watch);
      `);
      // Three answers: the third is far below the first screenful.
      for (const question of QUESTIONS.slice(0, 3)) {
        await page.getByRole("button", { name: question }).click();
        await expect
          .poll(() => page.locator("#send").isEnabled(), { timeout: 10_000 })
          .toBe(true);
      }
      await page.evaluate("new Promise(requestAnimationFrame)");
      const covered = (await page.evaluate("window.__covered")) as number;
      expect(
        covered,
        `at ${width} px, the newest text or tool card went ${covered} px ` +
          "under the sticky footer: scroll it into view above the footer",
      ).toBeLessThanOrEqual(0);
      await page.close();
    }
  });

  it("sends a typed question with Enter, and Stop ends the request on the server", async () => {
    const long = Array.from({ length: 60 }, (_, i) => `word${i}`).join(" ");
    await using app = await startApp(
      [{ content: [{ type: "text", text: long }] }],
      { tokenDelayMs: 40 },
    );
    const { page } = await openPage(app.url);
    await page.locator("#prompt").fill("Tell me something long.");
    await page.locator("#prompt").press("Enter");
    await expect
      .poll(() => page.locator("#log .assistant .text").textContent())
      .toMatch(/word3 /);
    await page.getByRole("button", { name: "Stop" }).click();
    const ended = await Promise.race([
      app.fake.requests[0]!.finished,
      new Promise((resolve) => setTimeout(resolve, 2_000, "still open")),
    ]);
    expect(
      ended,
      "after Stop, the server should have closed the model request",
    ).toBe("client-left");
    await idle(page);
    expect(await page.locator("#log .note").textContent()).toBe("Stopped.");
    expect(await page.locator("#status").textContent()).toMatch(/^Stopped/);
    await page.close();
  });

  it("stops a running tool when Escape is pressed", async () => {
    const signals: AbortSignal[] = [];
    const watchedWait: Tool = {
      ...wait,
      run: (input, signal) => {
        signals.push(signal);
        return wait.run(input, signal);
      },
    };
    await using app = await startApp(agentScript, {
      tools: [calculator, currentTime, searchLessons, watchedWait],
    });
    const { page } = await openPage(app.url);
    await page.getByRole("button", { name: QUESTIONS[3] }).click();
    await page.locator(".tool[data-state=running]").waitFor();
    await expect.poll(() => signals.length).toBe(1);
    await page.keyboard.press("Escape");
    await expect
      .poll(() => signals[0]!.aborted, {
        message: "the server did not abort the wait tool after Escape",
      })
      .toBe(true);
    await idle(page);
    expect(await page.locator(".tool").getAttribute("data-state")).toBe(
      "stopped",
    );
    await page.close();
  });

  it("shows HTML in a reply as text: no element, no script, no request", async () => {
    const html =
      'Look: <img src=x onerror="window.__pwned = 1"> and ' +
      "<script>window.__pwned = 2</script> <b>bold</b>";
    await using app = await startApp([
      {
        content: [
          { type: "text", text: html },
          {
            type: "tool_use",
            name: "calculator",
            input: { expression: '<img src=y onerror="window.__pwned=3">' },
          },
        ],
      },
      { content: [{ type: "text", text: "<script>alert(1)</script>" }] },
    ]);
    const { page, requests } = await openPage(app.url);
    await page.locator("#prompt").fill("<i>hello</i>");
    await page.locator("#prompt").press("Enter");
    await idle(page);
    const log = page.locator("#log");
    expect(
      await log.locator("img, script, b, i").count(),
      "HTML from the model, a tool or the user became elements",
    ).toBe(0);
    expect(await log.textContent()).toContain('<img src=x onerror="window');
    expect(await log.textContent()).toContain("<script>alert(1)</script>");
    expect(await log.textContent()).toContain("<i>hello</i>");
    expect(await page.evaluate("window.__pwned")).toBe(undefined);
    expect(
      requests.filter((url) => /\/(x|y)$/.test(url)),
      "an <img> from the reply was loaded",
    ).toEqual([]);
    await page.close();
  });

  it("passes axe-core in light and dark: empty, answered, failed", async () => {
    const found: string[] = [];
    const check = async (page: Page, when: string) => {
      for (const scheme of ["light", "dark"] as const) {
        await page.emulateMedia({ colorScheme: scheme });
        for (const problem of await axeViolations(page))
          found.push(`${when}, ${scheme}: ${problem}`);
      }
    };
    {
      await using app = await startApp(agentScript);
      const { page } = await openPage(app.url);
      await check(page, "empty");
      await page.getByRole("button", { name: QUESTIONS[0] }).click();
      await expect.poll(() => page.locator(".tool").count()).toBe(2);
      await idle(page);
      await check(page, "with an answer and tool cards");
      await page.close();
    }
    {
      await using app = await startApp([{ status: 529, shouldRetry: false }]);
      const { page } = await openPage(app.url);
      await page.getByRole("button", { name: QUESTIONS[2] }).click();
      await idle(page);
      await check(page, "with an error");
      await page.close();
    }
    expect(found, "serious or critical axe-core violations").toEqual([]);
  });

  it("shows an error when the model request fails", async () => {
    await using app = await startApp([{ status: 529, shouldRetry: false }]);
    const { page } = await openPage(app.url);
    await page.getByRole("button", { name: QUESTIONS[2] }).click();
    await idle(page);
    expect(await page.getByRole("alert").textContent()).toBe(
      "model request failed (status 529)",
    );
    await page.close();
  });
});
