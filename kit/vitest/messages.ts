/**
 * Failure messages in plain words. Vitest speaks to people who write tests
 * ("expected 1 to be +0 // Object.is equality", "pass a timeout value…");
 * a learner gets what was expected, what happened, and the test's own hint.
 */

interface Assertion {
  pattern: RegExp;
  /** Expected and got, from the match: what the test wanted, what it saw. */
  describe(match: RegExpExecArray): { expected: string; got: string };
}

const ASSERTIONS: Assertion[] = [
  {
    pattern: /^expected (.+) to be less than or equal to (.+)$/s,
    describe: (m) => ({ expected: `at most ${m[2]}`, got: m[1]! }),
  },
  {
    pattern: /^expected (.+) to be greater than or equal to (.+)$/s,
    describe: (m) => ({ expected: `at least ${m[2]}`, got: m[1]! }),
  },
  {
    pattern: /^expected (.+) to be less than (.+)$/s,
    describe: (m) => ({ expected: `less than ${m[2]}`, got: m[1]! }),
  },
  {
    pattern: /^expected (.+) to be greater than (.+)$/s,
    describe: (m) => ({ expected: `more than ${m[2]}`, got: m[1]! }),
  },
  {
    pattern: /^expected (.+) to be an instance of (.+)$/s,
    describe: (m) => ({ expected: `an instance of ${m[2]}`, got: m[1]! }),
  },
  {
    pattern: /^expected (.+) to be (undefined|null|NaN)$/s,
    describe: (m) => ({ expected: m[2]!, got: m[1]! }),
  },
  {
    pattern: /^expected \[Function\w*\] to throw an error$/s,
    describe: () => ({ expected: "an error thrown", got: "no error" }),
  },
  {
    pattern:
      /^expected \[Function\w*\] to not throw an error but (.+) was thrown$/s,
    describe: (m) => ({ expected: "no error", got: `${m[1]} thrown` }),
  },
  // Last: "to be" also starts "to be less than…" and the others above.
  {
    pattern:
      /^expected (.+) to (?:be|deeply equal|strictly equal) (.+?)(?: \/\/ Object\.is equality)?$/s,
    describe: (m) => ({ expected: m[2]!, got: m[1]! }),
  },
];

const TIMEOUT = /^(Test|Hook) timed out in (\d+)ms\.\n.*$/s;

/** A vitest failure message, rewritten for a learner. */
export function plainMessage(message: string): string {
  const timeout = TIMEOUT.exec(message);
  if (timeout) {
    const seconds = Number(timeout[2]) / 1000;
    const what = timeout[1] === "Hook" ? "The test's setup" : "The test";
    return (
      `${what} waited ${seconds} s for a promise that never settled ` +
      "(did you forget to resolve it, or to call a callback?)"
    );
  }
  for (const { pattern, describe } of ASSERTIONS) {
    // The test's own words come first, then vitest's: "<hint>: expected …".
    const at = message.search(/(?:^|: )expected /);
    if (at === -1) break;
    const hint = message.slice(0, at);
    const assertion = message.slice(at === 0 ? 0 : at + 2);
    const match = pattern.exec(assertion);
    if (!match) continue;
    const { expected, got } = describe(match);
    const values = [expected, got].map(plainValue);
    // "expected true, got false" adds nothing to a hint that says what failed.
    if (hint && values.every((v) => v === "true" || v === "false")) return hint;
    const lines = [`expected: ${values[0]}`, `got:      ${values[1]}`];
    return hint ? [hint, ...lines].join("\n") : lines.join("\n");
  }
  return message;
}

/** `+0` is how vitest prints zero. */
function plainValue(value: string): string {
  return value.replace(/(^|[\s[{(,])\+0(?=$|[\s\]},)])/g, "$10");
}
