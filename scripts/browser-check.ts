/**
 * Opens the built site in headless Chromium: the home page, Getting started and
 * every lesson. Fails on a page that does not render its title, logs a console
 * error, or links to a page or heading that does not exist; on code (not
 * terminal output) or a table that scrolls sideways at 1280 px; at 390 px, on
 * a diagram that does, or whose text is under 12 px; on a serious or critical
 * axe-core violation or a diagram without a text alternative; and on a lesson
 * page that loads more than 5 kB (gzipped) of JavaScript of its own.
 * Reports the last build's time (scripts/timed-build.ts), failing above 20 s. Needs
 * `npm run docs:build` first (`npm run verify` does both).
 *
 * Usage: npm run browser-check [-- --screenshots <dir>] (1280 px light, 390 px
 * dark)
 */
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { listLessons, workbookRoot } from "../kit/catalog.ts";
import { serveStatic } from "./static-server.ts";
import { launchChromium } from "../kit/chromium.ts";
import { green, red, yellow } from "../kit/colors.ts";
import {
  codeThatScrolls,
  tablesThatScroll,
  unreadableOnPhone,
} from "./browser/layout-checks.ts";
import { axeViolations } from "./browser/axe.ts";
import { diagramsWithoutText } from "./browser/diagrams.ts";
import {
  OWN_JS_BUDGET_KB,
  pageWeights,
  recordScripts,
} from "./browser/page-weight.ts";
import { BUILD_BUDGET_S, lastBuild } from "./browser/build-time.ts";

const dist = join(workbookRoot, ".vitepress", "dist");
const screenshotIndex = process.argv.indexOf("--screenshots");
const screenshots =
  screenshotIndex > 0 ? process.argv[screenshotIndex + 1] : undefined;

if (!existsSync(join(dist, "index.html"))) {
  console.error(
    "No built site in .vitepress/dist: run `npm run docs:build` first.",
  );
  process.exit(1);
}
const pages = [
  { path: "/", title: "Async TypeScript" },
  { path: "/getting-started", title: "Getting started" },
  ...listLessons().map((lesson) => ({
    path: lesson.link,
    title: lesson.title,
  })),
];

await using server = await serveStatic(dist);
const browser = await launchChromium().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
const problems: string[] = [];
const links = new Map<string, string>(); // target -> the page that links to it
const scripts = new Map<string, Set<string>>(); // page -> the scripts it loads
try {
  const page = await browser.newPage({
    viewport: { width: 1280, height: 800 },
  });
  let current = "";
  page.on("console", (message) => {
    if (message.type() === "error")
      problems.push(`${current}: console error: ${message.text()}`);
  });
  page.on("pageerror", (error) =>
    problems.push(`${current}: uncaught error: ${error.message}`),
  );
  page.on("response", (response) => {
    if (response.status() >= 400)
      problems.push(
        `${current}: ${response.url()} answered HTTP ${response.status()}`,
      );
  });
  if (screenshots) mkdirSync(screenshots, { recursive: true });
  const startRecording = recordScripts(page);

  for (const { path, title } of pages) {
    current = path;
    scripts.set(path, startRecording(path));
    const response = await page.goto(new URL(path, server.url).href, {
      waitUntil: "networkidle",
    });
    if (response?.status() !== 200)
      problems.push(`${path}: HTTP ${response?.status()}`);
    const heading =
      path === "/"
        ? page.locator(".VPHero .name")
        : page.locator(".vp-doc h1").first();
    const shown = (
      await heading.textContent({ timeout: 5_000 }).catch(() => null)
    )
      ?.replace(/\s+/g, " ")
      .trim();
    if (!shown?.includes(title))
      problems.push(
        `${path}: expected the title "${title}", the page shows ${shown ? `"${shown}"` : "no title"}`,
      );
    for (const href of await page
      .locator("a[href]")
      .evaluateAll((anchors) =>
        anchors.map((a) => (a as unknown as { href: string }).href),
      )) {
      const url = new URL(href);
      if (url.origin === server.url.origin && !links.has(href))
        links.set(href, path);
    }
    const name = path === "/" ? "home" : path.split("/").pop();
    if (screenshots) {
      await page.screenshot({
        path: join(screenshots, `${name}-1280.png`),
        fullPage: true,
      });
    }
    for (const problem of [
      ...(await codeThatScrolls(page)),
      ...(await tablesThatScroll(page)),
    ]) {
      problems.push(`${path} at 1280 px: ${problem}`);
    }
    // After codeThatScrolls, which opens every hint and code tab.
    for (const problem of [
      ...(await diagramsWithoutText(page)),
      ...(await axeViolations(page)),
    ]) {
      problems.push(`${path}: ${problem}`);
    }
  }
  startRecording("");

  // A phone: every diagram fits the column, its text stays readable, and the
  // page never scrolls sideways.
  // In dark mode, so that axe checks the dark theme's contrast too.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.emulateMedia({ colorScheme: "dark" });
  for (const { path } of pages) {
    current = `${path} at 390 px, dark`;
    await page.goto(new URL(path, server.url).href, {
      waitUntil: "networkidle",
    });
    for (const problem of [
      ...(await unreadableOnPhone(page)),
      ...(await axeViolations(page, ["color-contrast"])),
    ]) {
      problems.push(`${path} at 390 px, dark: ${problem}`);
    }
    if (screenshots) {
      const name = path === "/" ? "home" : path.split("/").pop();
      await page.screenshot({
        path: join(screenshots, `${name}-390-dark.png`),
        fullPage: true,
      });
    }
  }

  const html = new Map<string, string>();
  for (const [href, from] of links) {
    const url = new URL(href);
    const key = url.pathname;
    if (!html.has(key)) {
      const response = await fetch(new URL(key, server.url), {
        headers: { connection: "close" },
      });
      html.set(key, response.ok ? await response.text() : "");
      if (!response.ok)
        problems.push(
          `${from}: broken link to ${key} (HTTP ${response.status})`,
        );
    }
    const anchor = decodeURIComponent(url.hash.slice(1));
    if (anchor && html.get(key) && !html.get(key)?.includes(`id="${anchor}"`)) {
      problems.push(
        `${from}: link to ${key}#${anchor}, but that page has no such heading`,
      );
    }
  }
} finally {
  await browser.close();
}

// Page weight: each lesson's own JavaScript, beyond what every page loads.
const { shared, pages: weights } = pageWeights(dist, scripts);
console.log("page                          own JS, gzipped");
for (const [path, { files, gzipKb }] of weights) {
  const over = path.startsWith("/lessons/") && gzipKb > OWN_JS_BUDGET_KB;
  const line = `${path.padEnd(30)}${gzipKb.toFixed(1).padStart(5)} kB`;
  console.log(over ? red(line) : line);
  if (over)
    problems.push(
      `${path}: loads ${gzipKb.toFixed(1)} kB of JavaScript of its own ` +
        `(gzipped; at most ${OWN_JS_BUDGET_KB} kB): ${files.join(", ")}`,
    );
}
console.log(
  `shared by every page: ${shared.gzipKb.toFixed(1)} kB gzipped ` +
    `(${shared.files.map((f) => f.split("/").pop()).join(", ")})`,
);
const build = lastBuild(dist);
if (build === undefined) {
  console.log("build time: unknown (built without scripts/timed-build.ts)");
} else {
  // Reported, not enforced: a wall time on a shared machine is a
  // measurement, not a test (verify builds the site alone, first, to make
  // it a fair one). The page weights above are exact and do fail the check.
  const within = build <= BUILD_BUDGET_S;
  console.log(
    `${within ? green("✓") : yellow("!")} build time: ${build.toFixed(1)} s ` +
      `(budget ${BUILD_BUDGET_S} s${within ? "" : "; over it"})`,
  );
}

for (const problem of problems) console.error(red(`✗ ${problem}`));
console.log(
  problems.length === 0
    ? green(
        `✓ ${pages.length} pages render, no console errors, ${links.size} ` +
          "internal links resolve, no serious axe violation, " +
          "every diagram has a text alternative and fits a phone",
      )
    : red(`${problems.length} problem(s) in ${pages.length} pages`),
);
process.exitCode = problems.length === 0 ? 0 : 1;
