/**
 * One config, three runs, chosen with `--mode`:
 * - default: the learner's exercises in `lessons/` (`npm test`),
 * - `solutions`: the reference in `solutions/` (`npm run test:solutions`),
 * - `untouched`: the stubs, where every test must report "not started" (`npm
 *   run verify`). The `solutions` resolve condition is what switches the
 *   `#exercises/*` import between the trees.
 */
import { defaultServerConditions } from "vite";
import { defineConfig } from "vitest/config";
import { borrowPlugin } from "./kit/borrow/vite-plugin.ts";
import WorkbookReporter, { type ReporterMode } from "./kit/vitest/reporter.ts";

export default defineConfig(({ mode }) => {
  const reporterMode: ReporterMode =
    mode === "solutions" || mode === "untouched" ? mode : "learner";
  return {
    // The learner's runs borrow the reference for untouched stubs of the
    // lessons a lesson builds on; the reference run has nothing to borrow.
    plugins: mode === "solutions" ? [] : [borrowPlugin()],
    ssr: {
      resolve: {
        conditions:
          mode === "solutions"
            ? ["solutions", ...defaultServerConditions]
            : [...defaultServerConditions],
      },
    },
    test: {
      include: ["test/*.test.ts"],
      runner: "./kit/vitest/runner.ts",
      setupFiles: ["./kit/vitest/setup.ts"],
      reporters: [new WorkbookReporter(reporterMode)],
      includeTaskLocation: true,
      testTimeout: 5_000,
      hookTimeout: 5_000,
      teardownTimeout: 2_000,
      restoreMocks: true,
      // Code that reads an exercise file borrows too (kit/borrow/source.ts).
      env: mode === "solutions" ? {} : { WORKBOOK_BORROW: "1" },
    },
  };
});
