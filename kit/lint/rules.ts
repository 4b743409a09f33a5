/**
 * The rules the lint hints run over `lessons/`, and what each finding means in
 * the workbook's words: one line, said to the learner.
 */
import { createHash } from "node:crypto";
import type { Linter } from "eslint";

type Explain = Record<string, string>;

/**
 * What each rule means here, by the rule's message id (`*` for any other).
 * The keys are also the rules the hints run.
 */
export const EXPLANATIONS: Record<string, Explain> = {
  "no-floating-promises": {
    "*":
      "a promise nobody awaits: its error is lost and nothing waits " +
      "for it (await it, or return it)",
  },
  "no-misused-promises": {
    conditional:
      "a promise used as a condition is always true: did you forget " +
      "to await it?",
    spread: "spreading a promise copies nothing: await it first",
    "*":
      "an async function where the caller expects a plain one (forEach, " +
      "an event listener): nothing awaits its promise, and its errors are " +
      "lost",
  },
  "await-thenable": {
    forAwaitOfNonAsyncIterable:
      "for await over something that is not async: use a plain for...of",
    awaitUsingOfNonAsyncDisposable:
      "await using on something with no [Symbol.asyncDispose]: " +
      "use plain using",
    invalidPromiseAggregatorInput:
      "Promise.all over values that are not promises: did you forget " +
      "to call the function?",
    "*":
      "await on a value that is not a promise: it waits for nothing " +
      "(did you forget to call the function that returns the promise?)",
  },
  "require-await": {
    "*": "an async function that awaits nothing: did you forget an await?",
  },
  "return-await": {
    "*":
      "return without await inside try or a using block: catch, finally " +
      "and dispose run before the promise settles",
  },
  "prefer-promise-reject-errors": {
    "*":
      "a rejection that is not an Error: whoever catches it gets no " +
      "message and no stack",
  },
};

export const RULES: Linter.RulesRecord = {
  ...Object.fromEntries(
    Object.keys(EXPLANATIONS).map((rule) => [
      `@typescript-eslint/${rule}`,
      "warn",
    ]),
  ),
  "@typescript-eslint/return-await": [
    "warn",
    "error-handling-correctness-only",
  ],
  "@typescript-eslint/prefer-promise-reject-errors": [
    "warn",
    { allowThrowingAny: true, allowThrowingUnknown: true },
  ],
};

/**
 * Part of every cache key: it changes with the rules and the explanations
 * (bump the number when the way findings become hints changes).
 */
export const VERSION = createHash("sha1")
  .update(JSON.stringify([RULES, EXPLANATIONS, 1]))
  .digest("hex");
