import { describe, expect, it } from "vitest";
import { plainMessage } from "./messages.ts";

describe("plainMessage", () => {
  it("turns toBe's jargon into expected and got", () => {
    expect(
      plainMessage(
        "start() ran 3 times: keep the first promise: expected 3 to be 1 // Object.is equality",
      ),
    ).toBe(
      "start() ran 3 times: keep the first promise\nexpected: 1\ngot:      3",
    );
  });

  it("prints zero as 0, not +0", () => {
    expect(
      plainMessage("attempts: expected [ +0, 1, 2 ] to deeply equal [ +0 ]"),
    ).toBe("attempts\nexpected: [ 0 ]\ngot:      [ 0, 1, 2 ]");
    expect(plainMessage("expected 1 to be +0 // Object.is equality")).toBe(
      "expected: 0\ngot:      1",
    );
  });

  it("keeps a hint alone when the values are only true and false", () => {
    expect(
      plainMessage(
        "a due timer did not run: did you yield with a microtask? Use setImmediate: expected false to be true // Object.is equality",
      ),
    ).toBe(
      "a due timer did not run: did you yield with a microtask? Use setImmediate",
    );
  });

  it("says what a comparison wanted", () => {
    expect(
      plainMessage(
        "3 next() calls waiting: expected 3 to be less than or equal to 1",
      ),
    ).toBe("3 next() calls waiting\nexpected: at most 1\ngot:      3");
  });

  it("explains a test that timed out as a promise that never settled", () => {
    const vitest =
      'Test timed out in 5000ms.\nIf this is a long-running test, pass a timeout value as the last argument or configure it globally with "testTimeout".';
    expect(plainMessage(vitest)).toBe(
      "The test waited 5 s for a promise that never settled (did you forget to resolve it, or to call a callback?)",
    );
    expect(plainMessage(vitest)).not.toContain("testTimeout");
  });

  it("leaves a message it does not recognise as it is", () => {
    expect(plainMessage("The queue is closed")).toBe("The queue is closed");
    expect(plainMessage("expected a miracle")).toBe("expected a miracle");
  });
});
