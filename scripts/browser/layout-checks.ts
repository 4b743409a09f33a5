/**
 * What a page must look like, measured in the browser: code and tables that
 * fit the column at 1280 px, diagrams that fit a phone's column and stay
 * readable there, and a page that never scrolls sideways as a whole.
 */
import type { Page } from "playwright-core";

/** Smallest text a diagram may show, in CSS pixels. */
export const MIN_DIAGRAM_TEXT_PX = 12;

/**
 * Every code block that scrolls sideways, with its widest line. Terminal
 * output (`txt` blocks, docs/samples/) may: it is shown as it was printed.
 */
export async function codeThatScrolls(page: Page): Promise<string[]> {
  // Collapsed hints and inactive code-group tabs are code too: show them all.
  await page.addStyleTag({
    content: ".vp-code-group .blocks > div { display: block !important; }",
  });
  await page.evaluate(() => {
    for (const details of document.querySelectorAll("details"))
      details.open = true;
  });
  return page.evaluate(() =>
    [
      ...document.querySelectorAll<HTMLElement>(
        ".vp-doc div[class*='language-']:not(.language-txt) pre",
      ),
    ]
      .filter((pre) => pre.scrollWidth > pre.clientWidth + 1)
      .map((pre) => {
        const lines = [...pre.querySelectorAll<HTMLElement>(".line")];
        const widest = lines.reduce(
          (a, b) => (b.textContent!.length > a.textContent!.length ? b : a),
          lines[0]!,
        );
        const text = widest?.textContent ?? "";
        return `a code block scrolls sideways (${pre.scrollWidth - pre.clientWidth} px too wide); its longest line has ${text.length} characters: ${text.trim().slice(0, 60)}…`;
      }),
  );
}

/** Every table wider than the column, which then scrolls sideways. */
export async function tablesThatScroll(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>(".vp-doc table")]
      .filter((table) => table.scrollWidth > table.clientWidth + 1)
      .map(
        (table) =>
          `a table scrolls sideways (${table.scrollWidth - table.clientWidth} px too wide); it starts with "${table.querySelector("tr")?.textContent?.trim().slice(0, 50)}"`,
      ),
  );
}

/**
 * On a phone: a diagram that needs sideways scrolling (wider than its
 * column), diagram text drawn smaller than MIN_DIAGRAM_TEXT_PX, and a page
 * wider than the screen.
 */
export async function unreadableOnPhone(page: Page): Promise<string[]> {
  return page.evaluate((minimum) => {
    const problems: string[] = [];
    const overflow = document.documentElement.scrollWidth - window.innerWidth;
    if (overflow > 0)
      problems.push(`the page scrolls sideways by ${overflow} px`);
    for (const figure of document.querySelectorAll<HTMLElement>(".diagram")) {
      const column = figure.getBoundingClientRect().width;
      const widest = Math.max(
        ...[figure, ...figure.querySelectorAll<HTMLElement>(".scroll")].map(
          (box) => box.scrollWidth,
        ),
        ...[...figure.querySelectorAll("svg")].map(
          (svg) => svg.getBoundingClientRect().width,
        ),
      );
      if (widest > column + 1) {
        const text = figure.querySelector("svg")?.getAttribute("aria-label");
        problems.push(
          `a diagram is ${Math.round(widest)} px wide in a ${Math.round(column)} px column: it scrolls sideways, with part of it off screen. Give it a narrow drawing (<svg class="narrow">, see style.css): "${text?.slice(0, 50)}…"`,
        );
      }
    }
    for (const svg of document.querySelectorAll<SVGSVGElement>(
      ".diagram svg",
    )) {
      // The drawing for the other width is not shown.
      if (svg.getBoundingClientRect().width === 0) continue;
      const viewBox = svg.viewBox.baseVal;
      const scale = viewBox?.width
        ? svg.getBoundingClientRect().width / viewBox.width
        : 1;
      for (const text of svg.querySelectorAll("text")) {
        const size = parseFloat(getComputedStyle(text).fontSize) * scale;
        if (size < minimum - 0.01) {
          problems.push(
            `diagram text "${text.textContent?.trim().slice(0, 30)}" is ${size.toFixed(1)} px (at least ${minimum} px)`,
          );
          break;
        }
      }
    }
    return problems;
  }, MIN_DIAGRAM_TEXT_PX);
}
