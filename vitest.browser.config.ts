/**
 * The chat pages of lessons 12 and 13 in headless Chromium (`playwright-core`
 * with Debian's `chromium`), against the reference solutions: `npx vitest run
 * --config vitest.browser.config.ts`. With `WORKBOOK_SCREENSHOTS=1` it also
 * writes the screenshots the lesson pages show (`docs/public/agent/`).
 */
import { defaultServerConditions } from "vite";
import { defineConfig } from "vitest/config";

export default defineConfig({
  ssr: {
    resolve: { conditions: ["solutions", ...defaultServerConditions] },
  },
  test: {
    include: ["test/browser/*.test.ts"],
    setupFiles: ["./kit/vitest/setup.ts"],
    // For a hang, not for speed: on a busy machine a page, a build or a
    // child `npm test` takes its time.
    testTimeout: 180_000,
    hookTimeout: 180_000,
    expect: { poll: { timeout: 60_000 } },
  },
});
