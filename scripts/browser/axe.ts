/**
 * axe-core's serious and critical violations on a page, for the site's
 * browser check and the chat page's browser test. No DOM types here (the
 * chat page's test is type-checked without them): the code that runs in the
 * page declares the little it uses.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Page } from "playwright-core";

const axePath = createRequire(import.meta.url).resolve("axe-core/axe.min.js");

/** The impacts that fail a page; axe's "minor" and "moderate" do not. */
const FAILING = ["serious", "critical"];

/**
 * Violations in VitePress's own markup that no setting of ours can fix, each
 * ignored for one rule on one element only.
 */
const EXCLUSIONS = [
  {
    // The search button shows "Search" and the key "K" in two spans with no
    // space between (VPNavBarSearchButton.vue), so axe reads the visible
    // text as one word, "SearchK", and no aria-label but "SearchK" itself
    // (worse for a screen reader) satisfies it. Its name "Search" is the
    // visible word a voice-control user would say.
    rule: "label-content-name-mismatch",
    selector: "button.DocSearch-Button",
  },
];

/**
 * Runs axe-core on the page as it is now (its default rules: WCAG 2.x A and
 * AA, and best practices; `only` to run some of them) and lists each serious
 * or critical violation: rule, targets and axe's help text.
 */
export async function axeViolations(
  page: Page,
  only?: string[],
): Promise<string[]> {
  // Evaluated rather than added as a <script>: the chat page's Content
  // Security Policy would block an inline script.
  if (!(await page.evaluate(() => "axe" in globalThis)))
    await page.evaluate(readFileSync(axePath, "utf8"));
  const violations = await page.evaluate(
    async ({ failing, exclusions, only }) => {
      interface Result {
        violations: {
          id: string;
          impact?: string | null;
          help: string;
          nodes: { target: string[] }[];
        }[];
      }
      const { axe, document } = globalThis as unknown as {
        axe: { run: (context: unknown, o: object) => Promise<Result> };
        document: {
          querySelector(s: string): { matches(s: string): boolean } | null;
        };
      };
      const result = await axe.run(document, {
        // Only the violations in full: a lesson page has thousands of
        // code spans, and listing every pass takes longer than the check.
        resultTypes: ["violations"],
        ...(only && { runOnly: { type: "rule", values: only } }),
      });
      return result.violations
        .filter((v) => failing.includes(v.impact ?? ""))
        .map((v) => ({
          ...v,
          // No named helper function here: tsx would wrap it in __name(),
          // which does not exist in the page.
          nodes: v.nodes.filter(
            (node) =>
              !exclusions.some(
                (e) =>
                  e.rule === v.id &&
                  node.target.length === 1 &&
                  document.querySelector(node.target[0]!)?.matches(e.selector),
              ),
          ),
        }))
        .filter((v) => v.nodes.length > 0)
        .map((v) => ({
          id: v.id,
          impact: v.impact,
          help: v.help,
          targets: v.nodes.map((node) => node.target.join(" ")),
        }));
    },
    { failing: FAILING, exclusions: EXCLUSIONS, only },
  );
  return violations.map((v) => {
    const shown = v.targets.slice(0, 3).join(", ");
    const more =
      v.targets.length > 3 ? ` and ${v.targets.length - 3} more` : "";
    return `axe ${v.impact} ${v.id}: ${v.help} (${shown}${more})`;
  });
}
