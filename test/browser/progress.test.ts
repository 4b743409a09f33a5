/**
 * The learner's progress on the site, end to end: in a sandbox copy of the
 * workbook with `sleep` solved (with an async abort listener, which the lint
 * hints at) and `fetchConcurrent` written one call after another, `npm test
 * -- 01` records the run, `vitepress dev` serves the site, and headless
 * Chromium sees the marks, the failure message, the lint's hints and the
 * sidebar's done/total; with `npm run watch` running, saving the exercise
 * updates the open page without a reload. The tests run in order, each from
 * the record the one before left.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { workbookRoot } from "#kit/catalog.ts";
import { launchChromium } from "#kit/chromium.ts";
import {
  createSandbox,
  withoutColour,
  type Sandbox,
} from "#scripts/sandbox.ts";

// Waits are for a hang, not for speed: a busy machine takes its time.
const HANG = 120_000; // the polls that wait for a whole test run
const SLEEP = "lessons/01-coroutines/sleep.ts";
const FETCH_ALL = "lessons/01-coroutines/fetch-all.ts";
const solution = (path: string) =>
  readFileSync(
    join(workbookRoot, path.replace(/^lessons/, "solutions")),
    "utf8",
  );

/** Solved, but its abort listener is async: a lint hint, not a failure. */
function sleepWithAsyncListener(): string {
  const solved = solution(SLEEP);
  const listener = "const onAbort = () => {";
  if (!solved.includes(listener))
    throw new Error(`no onAbort listener in the solution of ${SLEEP}`);
  return solved.replace(listener, "const onAbort = async () => {");
}

/** The stub with `fetchConcurrent` awaiting inside its loop. */
function oneAfterAnother(): string {
  const stub = readFileSync(join(workbookRoot, FETCH_ALL), "utf8");
  const todo = /todo\(\s*"Start every call first[^"]*",?\s*\);/;
  if (!todo.test(stub))
    throw new Error(`no fetchConcurrent todo in ${FETCH_ALL}`);
  return stub.replace(
    todo,
    "const results: T[] = [];\n" +
      "  for (const id of ids) results.push(await fetchOne(id));\n" +
      "  return results;",
  );
}

let browser: Browser;
let sandbox: Sandbox;
let site: ChildProcess | undefined;
let url: string;

async function npmTest(...args: string[]) {
  const bin = join(sandbox.root, "node_modules", "vitest", "vitest.mjs");
  return sandbox.run(process.execPath, [bin, "run", ...args]);
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** `npm run watch -- <filter>` in the sandbox, after its first run. */
async function startWatch(filter: string) {
  const bin = join(sandbox.root, "node_modules", "vitest", "vitest.mjs");
  const child = spawn(process.execPath, [bin, "watch", filter], {
    cwd: sandbox.root,
    stdio: ["pipe", "pipe", "pipe"],
    env: withoutColour(process.env),
  });
  let output = "";
  await new Promise<void>((resolve, reject) => {
    const seen = (chunk: Buffer) => {
      output += chunk.toString();
      if (/\d+ passed, \d+ failed, \d+ not started/.test(output)) resolve();
    };
    child.stdout.on("data", seen);
    child.stderr.on("data", seen);
    child.on("exit", (code) =>
      reject(new Error(`vitest watch exited (${code}):\n${output}`)),
    );
  });
  return {
    output: () => output,
    [Symbol.asyncDispose]: () => stopChild(child),
  };
}

/** Ends `child` and waits for it to be gone, so no process outlives the file. */
async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill();
  await exited;
}

/** `vitepress dev` in the sandbox, once it says where it serves. */
async function startSite(port: number): Promise<ChildProcess> {
  const bin = join(
    sandbox.root,
    "node_modules",
    "vitepress",
    "bin",
    "vitepress.js",
  );
  const child = spawn(
    process.execPath,
    [bin, "dev", "--host", "127.0.0.1", "--port", String(port), "--strictPort"],
    {
      cwd: sandbox.root,
      stdio: ["ignore", "pipe", "pipe"],
      env: withoutColour(process.env),
    },
  );
  let output = "";
  await new Promise<void>((resolve, reject) => {
    const seen = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes(`:${port}/`)) resolve();
    };
    child.stdout!.on("data", seen);
    child.stderr!.on("data", seen);
    child.on("exit", (code) =>
      reject(new Error(`vitepress dev exited (${code}):\n${output}`)),
    );
  });
  return child;
}

beforeAll(async () => {
  browser = await launchChromium();
  sandbox = await createSandbox({
    [SLEEP]: sleepWithAsyncListener(),
    [FETCH_ALL]: oneAfterAnother(),
  });
  const port = await freePort();
  site = await startSite(port);
  url = `http://127.0.0.1:${port}/lessons/01-coroutines`;
});

afterAll(async () => {
  if (site) await stopChild(site);
  await browser?.close();
  await sandbox?.[Symbol.asyncDispose]();
});

const SLEEP_HEADING = "#exercise-1-sleep";
const FETCH_HEADING = "#exercise-2-one-after-another-or-all-at-once";

/** The text CSS writes after the lesson's link in the sidebar. */
async function sidebarProgress(page: Page): Promise<string> {
  // A string: this file is type-checked without the DOM's types.
  return (await page.evaluate(
    `getComputedStyle(document.querySelector(` +
      `'.VPSidebarItem a.link[href$="/lessons/01-coroutines"] > .text'` +
      `), "::after").content`,
  )) as string;
}

/** The id of the nearest `h2` before the element `selector` finds. */
async function headingAbove(page: Page, selector: string): Promise<string> {
  return (await page.evaluate(
    `(() => {
      let node = document.querySelector(${JSON.stringify(selector)});
      while (node && node.tagName !== "H2") node = node.previousElementSibling;
      return node ? node.id : "";
    })()`,
  )) as string;
}

/** axe-core's serious and critical findings inside `selectors`. */
async function seriousViolations(page: Page, selectors: string[]) {
  await page.addScriptTag({
    path: join(workbookRoot, "node_modules", "axe-core", "axe.min.js"),
  });
  const context = JSON.stringify({ include: selectors.map((s) => [s]) });
  const violations = (await page.evaluate(
    `axe.run(${context}).then((r) => r.violations)`,
  )) as { id: string; impact: string; nodes: { target: string[] }[] }[];
  return violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map(
      (v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`,
    );
}

describe("progress on the site", () => {
  it("shows nothing before npm test has recorded a run, then the run's marks", async () => {
    const page = await browser.newPage();
    await page.goto(url);
    await page.locator(SLEEP_HEADING).waitFor();
    expect(await page.locator(".wb-mark, .wb-failure").count()).toBe(0);
    expect(await sidebarProgress(page)).toBe("none");
    const run = await npmTest("01");
    expect(run.output).toMatch(/✗ fetchConcurrent/);
    await expect
      .poll(() => page.locator(`${SLEEP_HEADING} .wb-mark`).count())
      .toBe(1);
    await page.close();
  });

  it("marks a solved and a failing exercise, with the failure and the lint's hints under their headings and done/total in the sidebar", async () => {
    const page = await browser.newPage();
    await page.goto(url);
    await expect
      .poll(() => page.locator(`${SLEEP_HEADING} .wb-mark`).textContent())
      .toMatch(/done/);
    expect(
      await page.locator(`${FETCH_HEADING} .wb-mark`).textContent(),
    ).toMatch(/failing/);
    const failure = page.locator(".wb-failure");
    expect(await failure.count()).toBe(1);
    expect(await failure.textContent()).toContain("fetchConcurrent is failing");
    expect(await failure.textContent()).toContain(
      "did you await inside the loop?",
    );
    expect(await sidebarProgress(page)).toBe('"✗ 1/7"');
    const hints = page.locator(".wb-hints");
    expect(await hints.count()).toBe(1);
    expect(await headingAbove(page, ".wb-hints")).toBe(SLEEP_HEADING.slice(1));
    expect(await hints.textContent()).toMatch(
      /What a linter sees in sleep[^]*lessons\/01-coroutines\/sleep\.ts:\d+ an async function where the caller expects a plain one/,
    );
    await page.close();
  });

  it("offers the reference beside the learner's code under a done exercise, and nothing under one that is not done", async () => {
    const page = await browser.newPage();
    await page.goto(url);
    const compare = page.locator(".wb-compare");
    await expect.poll(() => compare.count()).toBe(1);
    expect(await headingAbove(page, ".wb-compare")).toBe(
      SLEEP_HEADING.slice(1),
    );
    expect(await compare.locator(".wb-compare-code").isVisible()).toBe(false);
    await compare.locator("summary").click();
    expect(await compare.locator("summary").textContent()).toContain(
      "Compare with the reference: sleep",
    );
    const code = compare.locator(".wb-compare-code");
    expect(await code.textContent()).toContain("export function sleep(");
    expect(await code.textContent()).not.toContain("async () =>");
    await compare.getByRole("tab", { name: /Yours/ }).click();
    expect(await code.textContent()).toContain("const onAbort = async () =>");
    await page.close();
  });

  it("passes axe-core in light and dark mode", async () => {
    for (const colorScheme of ["light", "dark"] as const) {
      const page = await browser.newPage({ colorScheme });
      await page.goto(url);
      await page.locator(".wb-failure").waitFor();
      await page.locator(".wb-compare summary").click();
      const dark = await page.evaluate(
        "document.documentElement.classList.contains('dark')",
      );
      expect(dark).toBe(colorScheme === "dark");
      expect(
        await seriousViolations(page, [
          ".wb-mark",
          ".wb-failure",
          ".wb-hints",
          ".wb-compare",
        ]),
        colorScheme,
      ).toEqual([]);
      await page.close();
    }
  });

  it("updates the open page, without a reload, when npm run watch re-runs a saved exercise", async () => {
    await using watch = await startWatch("01");
    const page = await browser.newPage();
    await page.goto(url);
    await expect.poll(() => page.locator(".wb-failure").count()).toBe(1);
    await page.evaluate("window.stayed = true");
    writeFileSync(join(sandbox.root, FETCH_ALL), solution(FETCH_ALL));
    await expect
      .poll(() => page.locator(".wb-failure").count(), { timeout: HANG })
      .toBe(0);
    // The reporter writes the record before it prints the closing line.
    await expect
      .poll(() => watch.output(), { timeout: HANG })
      .toMatch(/15 passed, 0 failed, 10 not started/);
    expect(
      await page.locator(`${FETCH_HEADING} .wb-mark`).textContent(),
    ).toMatch(/done/);
    expect(await sidebarProgress(page)).toBe('"◐ 3/7"');
    expect(await page.evaluate("window.stayed")).toBe(true);
    await page.close();
  });
});
