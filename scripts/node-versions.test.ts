/**
 * What the lesson pages say about Node 20, 22 and 24, checked on the Node
 * that runs this file. `npm run verify` runs it on all three (`scripts/on-node.ts`
 * for 22 and 24), so a page cannot drift from what the runtime does. Each
 * expectation names the page that states it.
 */
import { promises as fs } from "node:fs";
import { Script } from "node:vm";
import { describe, expect, it } from "vitest";

const major = Number(process.versions.node.split(".")[0]);
const [minor = 0] = process.versions.node.split(".").slice(1).map(Number);
const described = [20, 22, 24].includes(major);

/** Whether the engine itself (no compiler) parses `source`. */
function parses(source: string): boolean {
  try {
    new Script(source);
    return true;
  } catch (error) {
    if (error instanceof SyntaxError) return false;
    throw error;
  }
}

const has = (name: string) => name in globalThis;

describe.runIf(described)(`Node ${major}, as the pages describe it`, () => {
  it("runs await using natively on 24 only (05-resources)", () => {
    const source = "(async () => { await using x = null; })";
    expect(parses(source)).toBe(major >= 24);
  });

  it("has SuppressedError and AsyncDisposableStack on 24 only (05-resources)", () => {
    expect(has("SuppressedError")).toBe(major >= 24);
    expect(has("AsyncDisposableStack")).toBe(major >= 24);
  });

  it("defines Symbol.asyncDispose on all three, Node's own before 24 (05-resources)", () => {
    expect(typeof Symbol.asyncDispose).toBe("symbol");
    expect(typeof Symbol.dispose).toBe("symbol");
    expect(Symbol.asyncDispose.description).toBe(
      major >= 24 ? "Symbol.asyncDispose" : "nodejs.asyncDispose",
    );
  });

  it("has fs.promises.mkdtempDisposable from 24.4 only (05-resources)", () => {
    const expected = major > 24 || (major === 24 && minor >= 4);
    expect("mkdtempDisposable" in fs).toBe(expected);
  });

  it("has Array.fromAsync on 22 and 24, not 20 (03-generators)", () => {
    expect("fromAsync" in Array).toBe(major >= 22);
  });

  it("has Promise.withResolvers on 22 and 24, not 20 (04-queues)", () => {
    expect("withResolvers" in Promise).toBe(major >= 22);
  });

  it("has AbortSignal.any on all three (12-agent)", () => {
    expect(typeof AbortSignal.any).toBe("function");
  });
});
