/**
 * Lesson 13's resumable chat page in headless Chromium, against the
 * reference solutions and the workbook's fake Claude: an answer goes on
 * after a reload, with no text doubled; a connection that drops (at the
 * server, or the browser going offline) is followed again by itself, with
 * Last-Event-ID; Stop ends the run on the server; a phone-sized screen
 * works; axe-core finds no serious or critical violation. With
 * WORKBOOK_SCREENSHOTS=1 it writes the page's screenshots to
 * docs/public/agent/.
 */
import { mkdirSync } from "node:fs";
import type http from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  calculator,
  currentTime,
  searchLessons,
  wait,
  type Tool,
} from "#exercises/12-agent/tools.ts";
import { createResumableServer } from "#exercises/13-resumable/server.ts";
import { agentScript, QUESTIONS } from "#kit/agent/script.ts";
import { workbookRoot } from "#kit/catalog.ts";
import { startFakeAnthropic } from "#kit/fake-anthropic.ts";
import { axeViolations } from "#scripts/browser/axe.ts";
import { launchChromium } from "#kit/chromium.ts";

const SHOTS = join(workbookRoot, "docs", "public", "agent");
const TIMER = QUESTIONS[3]!; // "Set a 10 second timer, then tell me the time."

let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

/**
 * The resumable server with the reference agent and the fake model. Its
 * `wait` tool waits a tenth of what it is asked (the timer's 10 s is 1 s),
 * and each call's signal is kept; every request's Last-Event-ID too.
 */
async function startApp(options: { tokenDelayMs?: number } = {}) {
  const fake = await startFakeAnthropic({
    script: agentScript,
    tokenDelayMs: options.tokenDelayMs ?? 15,
  });
  const waits: AbortSignal[] = [];
  const quickWait: Tool = {
    ...wait,
    run: (input, signal) => {
      waits.push(signal);
      const { seconds } = input as { seconds: number };
      return wait.run({ seconds: seconds / 10 }, signal);
    },
  };
  const errors: unknown[] = [];
  const server: http.Server = createResumableServer(
    {
      client: fake.client({ maxRetries: 0 }),
      model: "claude-sonnet-5-5",
      tools: [calculator, currentTime, searchLessons, quickWait],
    },
    { onError: (error) => errors.push(error) },
  );
  const lastEventIds: string[] = [];
  server.on("request", (req: http.IncomingMessage) => {
    const id = req.headers["last-event-id"];
    if (typeof id === "string") lastEventIds.push(id);
  });
  const sockets = new Set<Socket>();
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    fake,
    waits,
    errors,
    lastEventIds,
    /** Cuts every open connection, as a network that fails would. */
    cut: () => sockets.forEach((socket) => socket.destroy()),
    async [Symbol.asyncDispose]() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await fake.close();
    },
  };
}

async function openPage(url: string, width = 1280, height = 800) {
  const context = await browser.newContext({
    viewport: { width, height },
    colorScheme: "light",
  });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on("pageerror", (error) => problems.push(error.message));
  await page.goto(url);
  return { page, context, problems };
}

const idle = (page: Page) =>
  expect
    .poll(() => page.locator("#send").isEnabled(), { timeout: 10_000 })
    .toBe(true);

/** The answer's text and tool cards, as the page shows them. */
async function shown(page: Page) {
  return {
    text: await page.locator("#log .assistant .text").allTextContents(),
    tools: await page.locator("#log .tool .tool-name").allTextContents(),
  };
}

/** The same, from the transcript the run ended with. */
async function transcript(page: Page) {
  const messages = (await page.evaluate(
    "JSON.parse(sessionStorage.getItem('workbook.messages'))",
  )) as { role: string; content: string | Record<string, unknown>[] }[];
  const text: string[] = [];
  const tools: string[] = [];
  for (const { role, content } of messages) {
    if (role !== "assistant" || typeof content === "string") continue;
    for (const block of content) {
      if (block.type === "text") text.push(String(block.text));
      if (block.type === "tool_use") tools.push(`${block.name}done`);
    }
  }
  return { text, tools };
}

const shot = async (page: Page, name: string) => {
  if (process.env.WORKBOOK_SCREENSHOTS !== "1") return;
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, name) });
};

describe("the resumable chat page", () => {
  it("goes on with the answer after a reload, with no text doubled", async () => {
    await using app = await startApp();
    const { page, context, problems } = await openPage(app.url);
    await page.getByRole("button", { name: TIMER }).click();
    await page.locator(".tool[data-state=running]").waitFor();
    await page.reload();
    await expect
      .poll(() => page.locator("#log .msg.user").textContent())
      .toBe(TIMER);
    await idle(page);
    const seen = await shown(page);
    expect(
      seen,
      "after the reload, the page should show the whole answer once: " +
        "the same text and tool cards as the transcript the run ended with",
    ).toEqual(await transcript(page));
    expect(seen.tools).toEqual(["waitdone", "current_timedone"]);
    expect(app.fake.requests.length, "one run, three model calls").toBe(3);
    expect(problems, "errors on the page").toEqual([]);
    expect(app.errors).toEqual([]);
    await context.close();
  });

  it("reconnects by itself with Last-Event-ID when the server cuts the connection", async () => {
    await using app = await startApp({ tokenDelayMs: 30 });
    const { page, context } = await openPage(app.url);
    await page.getByRole("button", { name: QUESTIONS[2] }).click();
    await expect
      .poll(() => page.locator("#log .assistant .text").count())
      .toBeGreaterThan(0);
    app.cut();
    await expect
      .poll(() => page.locator("#status").textContent())
      .toMatch(/reconnecting/i);
    await idle(page);
    expect(
      app.lastEventIds.length,
      "the page should reconnect with Last-Event-ID",
    ).toBeGreaterThan(0);
    expect(await shown(page), "no text doubled, none missing").toEqual(
      await transcript(page),
    );
    await context.close();
  });

  it("reconnects by itself after the browser was offline", async () => {
    await using app = await startApp({ tokenDelayMs: 30 });
    const { page, context } = await openPage(app.url);
    await page.getByRole("button", { name: TIMER }).click();
    await page.locator(".tool[data-state=running]").waitFor();
    await context.setOffline(true);
    app.cut(); // going offline leaves an open stream alone: cut it too
    await expect
      .poll(() => page.locator("#status").textContent())
      .toMatch(/reconnecting/i);
    await shot(page, "resumable-desktop.png");
    await context.setOffline(false);
    await idle(page);
    expect(await shown(page)).toEqual(await transcript(page));
    await context.close();
  });

  it("stops the run on the server with Stop", async () => {
    await using app = await startApp();
    const { page, context } = await openPage(app.url);
    await page.getByRole("button", { name: TIMER }).click();
    await page.locator(".tool[data-state=running]").waitFor();
    await expect.poll(() => app.waits.length).toBe(1);
    await page.getByRole("button", { name: "Stop" }).click();
    await expect
      .poll(() => app.waits[0]!.aborted, {
        message: "the server did not stop the run's wait tool after Stop",
      })
      .toBe(true);
    await idle(page);
    expect(await page.locator("#log .note").textContent()).toBe("Stopped.");
    expect(await page.locator(".tool").getAttribute("data-state")).toBe(
      "stopped",
    );
    await context.close();
  });

  it("fits a phone and passes axe-core in light and dark", async () => {
    await using app = await startApp();
    const { page, context } = await openPage(app.url);
    await page.getByRole("button", { name: QUESTIONS[0] }).click();
    await expect.poll(() => page.locator(".tool").count()).toBe(2);
    await idle(page);
    const found: string[] = [];
    for (const scheme of ["light", "dark"] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      for (const problem of await axeViolations(page))
        found.push(`${scheme}: ${problem}`);
    }
    expect(found, "serious or critical axe-core violations").toEqual([]);
    await page.emulateMedia({ colorScheme: "light" });
    await page.setViewportSize({ width: 390, height: 844 });
    const overflow = (await page.evaluate(
      "document.documentElement.scrollWidth",
    )) as number;
    expect(
      overflow,
      "the page scrolls sideways on a phone",
    ).toBeLessThanOrEqual(390);
    await shot(page, "resumable-phone.png");
    await context.close();
  });
});
