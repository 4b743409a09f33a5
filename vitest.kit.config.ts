/**
 * The workbook's own machinery, tested: the reporter's messages and the runs
 * a learner makes (`npm run test:kit`, part of `npm run verify`). The lessons'
 * tests live in `vitest.config.ts`.
 */
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["kit/**/*.test.ts", "scripts/**/*.test.ts"],
    // For a hang, not for speed: the kit's tests run real commands, which
    // take minutes on a busy machine.
    testTimeout: 300_000,
  },
});
