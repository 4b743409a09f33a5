/**
 * What the lesson pages say about Node 20, 22 and 24, checked on the Node
 * that runs this file. `npm run verify` runs it on all three (`scripts/on-node.ts`
 * for 22 and 24), so a page cannot drift from what the runtime does. Each
 * expectation names the page that states it.
 */
import { execFileSync } from "node:child_process";
import { promises as fs, readFile } from "node:fs";
import http from "node:http";
import { setImmediate as immediate } from "node:timers/promises";
import { Script } from "node:vm";
import { describe, expect, it } from "vitest";
import { workbookRoot } from "../kit/catalog.ts";
import { turnsToADueTimer } from "../test/fixtures/turns-to-a-due-timer.ts";

const major = Number(process.versions.node.split(".")[0]);
const [minor = 0, patch = 0] = process.versions.node
  .split(".")
  .slice(1)
  .map(Number);
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

/** `turnsToADueTimer`, measured inside a callback that `schedule` calls. */
function measuredInside(
  schedule: (callback: () => void) => void,
): Promise<number> {
  return new Promise((resolve, reject) =>
    schedule(() => void turnsToADueTimer().then(resolve, reject)),
  );
}

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

  it("has server.keepAliveTimeoutBuffer from 22.19 and 24.6 only (05-resources)", () => {
    const expected =
      major > 24 ||
      (major === 24 && minor >= 6) ||
      (major === 22 && minor >= 19);
    expect("keepAliveTimeoutBuffer" in http.createServer()).toBe(expected);
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

  it("reaches a due timer in one setImmediate turn only from some places (01-coroutines)", async () => {
    const turns = {
      "setImmediate callback": await measuredInside((cb) => setImmediate(cb)),
      "timer callback": await measuredInside((cb) => setTimeout(cb, 0)),
      "I/O callback": await measuredInside((cb) =>
        readFile(import.meta.filename, () => cb()),
      ),
      "after await setImmediate()": await immediate().then(turnsToADueTimer),
      "after await sleep()": await new Promise((r) => setTimeout(r, 1)).then(
        turnsToADueTimer,
      ),
      "after await readFile()": await fs
        .readFile(import.meta.filename)
        .then(turnsToADueTimer),
    };
    expect(turns).toEqual({
      "setImmediate callback": 1,
      "timer callback": 2,
      "I/O callback": 2,
      "after await setImmediate()": 1,
      "after await sleep()": 2,
      "after await readFile()": 2,
    });
  });

  it("reaches it from an ES module's top level in one turn on 22 and 24, two on 20 or through tsx's off-thread hooks (01-coroutines)", () => {
    const topLevel = (...flags: string[]) =>
      Number(
        execFileSync(
          process.execPath,
          [...flags, "test/fixtures/turns-to-a-due-timer.ts"],
          { cwd: workbookRoot, encoding: "utf8" },
        ),
      );
    // tsx 4.23 loads modules through module.registerHooks, on the main
    // thread, from Node 22.22.3 and 24.11.1; before, through module.register,
    // whose hooks run on another thread.
    const from = (m: number, n: number, p: number) =>
      major === m && (minor > n || (minor === n && patch >= p));
    const tsxOnMainThread = major > 24 || from(22, 22, 3) || from(24, 11, 1);
    expect(topLevel("--import", "tsx"), "with npx tsx").toBe(
      major >= 22 && tsxOnMainThread ? 1 : 2,
    );
    // Node strips the types itself from 22.18 on (and on 24).
    if ((process.features as { typescript?: unknown }).typescript) {
      expect(topLevel(), "run by Node itself").toBe(1);
    }
  });
});
