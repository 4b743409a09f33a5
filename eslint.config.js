// @ts-check
/**
 * Type-aware lint for the async mistakes a type checker can find: a promise
 * nobody awaits, an async callback where nothing awaits it, an `await` on
 * something that is not a promise. `npm run lint` runs it over the reference
 * and the machinery; `kit/lint/hints.ts` runs the same rules over the
 * learner's `lessons/` and shows the findings as hints.
 */
import { defineConfig } from "eslint/config";
import tseslint from "typescript-eslint";

/**
 * The promise rules. kit/lint/hints.ts runs the same ones over lessons/ (its
 * test checks the list), with return-await only where it changes behaviour.
 */
export const promiseRules = {
  "@typescript-eslint/no-floating-promises": "error",
  "@typescript-eslint/no-misused-promises": "error",
  "@typescript-eslint/await-thenable": "error",
  "@typescript-eslint/require-await": "error",
  "@typescript-eslint/return-await": ["error", "in-try-catch"],
  // Passing on a reason that is already unknown (`signal.reason`, a caught
  // error) is how cancellation works; rejecting with a string is the mistake.
  "@typescript-eslint/prefer-promise-reject-errors": [
    "error",
    { allowThrowingAny: true, allowThrowingUnknown: true },
  ],
};

export default defineConfig(
  {
    ignores: [
      "node_modules/**",
      ".vitepress/cache/**",
      ".vitepress/dist/**",
      ".scratch/**",
      "docs/**",
      // The learner's tree: kit/lint/hints.ts lints it, as hints.
      "lessons/**",
      // Lesson 01's event-loop snippet: the page shows it as it is, with a
      // then() nobody awaits and an `await null`, on purpose.
      "test/fixtures/event-loop-order.ts",
      "**/*.js",
      "**/*.mjs",
    ],
  },
  {
    files: [
      "solutions/**/*.ts",
      "kit/**/*.ts",
      "scripts/**/*.ts",
      "test/**/*.ts",
      "bench/**/*.ts",
    ],
    languageOptions: {
      parser: tseslint.parser,
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    plugins: { "@typescript-eslint": tseslint.plugin },
    linterOptions: { reportUnusedDisableDirectives: "error" },
    rules: promiseRules,
  },
  {
    // Test doubles and benchmark sources stand in for async APIs: `async`
    // without `await` is how they keep the real thing's contract (a throw
    // becomes a rejection).
    files: [
      "test/**/*.ts",
      "bench/**/*.ts",
      "kit/**/*.test.ts",
      "scripts/**/*.test.ts",
    ],
    rules: { "@typescript-eslint/require-await": "off" },
  },
  {
    // Interfaces whose methods return promises (a tool's run(), an async
    // iterator's return()), implemented by methods that answer at once:
    // `async` keeps the contract and turns a throw into a rejection.
    files: [
      "solutions/04-queues/from-events.ts",
      "solutions/12-agent/calculator.ts",
      "solutions/12-agent/tools.ts",
    ],
    rules: { "@typescript-eslint/require-await": "off" },
  },
  {
    // What a learner runs (the kit, the lessons' tests, demos and
    // benchmarks) never needs the maintainers' tooling in scripts/.
    files: ["kit/**/*.ts", "solutions/**/*.ts", "test/*.ts", "bench/**/*.ts"],
    ignores: ["kit/**/*.test.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              regex: "(^#scripts/|(^|/)scripts/)",
              message:
                "scripts/ is for maintainers and CI; what a learner runs must not import it.",
            },
          ],
        },
      ],
    },
  },
  {
    // The browser check's page.evaluate() callbacks run in Chromium: they
    // need the DOM's types, from tsconfig.browser.json.
    files: ["scripts/browser-check.ts", "scripts/browser/**/*.ts"],
    languageOptions: {
      parserOptions: {
        projectService: false,
        project: "./tsconfig.browser.json",
        tsconfigRootDir: import.meta.dirname,
      },
    },
  },
);
