/**
 * Diagrams a screen reader can describe: the browser check fails a page with
 * an inline <svg> that has no text alternative.
 */
import type { Page } from "playwright-core";

/**
 * Every diagram (an inline <svg> in the page's content) that a screen reader
 * cannot describe: it needs role="img" and a name (aria-label,
 * aria-labelledby or a <title>), unless it is aria-hidden decoration.
 */
export async function diagramsWithoutText(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    for (const svg of document.querySelectorAll<SVGSVGElement>(
      ".vp-doc svg, .VPHome svg",
    )) {
      if (svg.closest("[aria-hidden='true']")) continue;
      // Icons inside a control take their name from the control.
      if (svg.closest("button, a")) continue;
      const named =
        svg.getAttribute("aria-label")?.trim() ||
        svg.getAttribute("aria-labelledby")?.trim() ||
        svg.querySelector(":scope > title")?.textContent?.trim();
      if (svg.getAttribute("role") === "img" && named) continue;
      const text = (svg.textContent ?? "").replace(/\s+/g, " ").trim();
      problems.push(
        `a diagram has no text alternative (role="img" and aria-label, ` +
          `aria-labelledby or <title>): "${text.slice(0, 50)}…"`,
      );
    }
    return problems;
  });
}
