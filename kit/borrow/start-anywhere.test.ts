/**
 * A learner may start anywhere: in a sandbox copy of the workbook where only
 * one lesson is written, its tests, demo and benchmark run on the reference
 * for the untouched stubs of the lessons it builds on, and say so; a started
 * but broken prerequisite is named when a later lesson fails because of it.
 */
import { spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { QUESTIONS } from "../agent/script.ts";
import { workbookRoot } from "../catalog.ts";
import { createSandbox, withoutColour } from "../../scripts/sandbox.ts";

/** The reference's files of `lesson`, as the learner's own. */
function written(lesson: string): Record<string, string> {
  const folder = join(workbookRoot, "solutions", lesson);
  return Object.fromEntries(
    readdirSync(folder)
      .filter((file) => file.endsWith(".ts"))
      .map((file) => [
        `lessons/${lesson}/${file}`,
        readFileSync(join(folder, file), "utf8"),
      ]),
  );
}

async function run(
  changes: Record<string, string>,
  command: string,
  ...args: string[]
) {
  await using sandbox = await createSandbox(changes, {
    pristineLessons: true,
  });
  const npm = process.platform === "win32" ? "npm.cmd" : "npm";
  return await sandbox.run(npm, ["run", "--silent", command, "--", ...args]);
}

const QUEUE_BORROWED =
  "uses the reference AsyncQueue (lessons/04-queues/queue.ts, not started yet)";

describe("a learner who starts with lesson 06", () => {
  it.concurrent(
    "passes npm test -- 06 on the reference AsyncQueue, and is told so",
    async () => {
      const { code, output } = await run(written("06-context"), "test", "06");
      expect(output).toContain("29 passed, 0 failed, 0 not started");
      expect(output).toContain(QUEUE_BORROWED);
      expect(output).toMatch(/06 Context variables with AsyncLocalStorage ⇠/);
      expect(code).toBe(0);
    },
  );

  it.concurrent(
    "is pointed at lessons/04-queues/queue.ts when their own AsyncQueue breaks it",
    async () => {
      // A plausible slip in a queue of one's own: a field that does not exist.
      const queue = readFileSync(
        join(workbookRoot, "solutions/04-queues/queue.ts"),
        "utf8",
      ).replace(
        "const item = this.#items.take();",
        "const item = this.items.take();",
      );
      expect(queue).toContain("this.items.take()");
      const { code, output } = await run(
        {
          ...written("06-context"),
          "lessons/04-queues/queue.ts": queue,
        },
        "test",
        "06",
      );
      expect(output).not.toContain(QUEUE_BORROWED);
      expect(output).toContain(
        "your AsyncQueue in lessons/04-queues/queue.ts threw TypeError",
      );
      expect(output).toContain("fix AsyncQueue (lesson 04) first");
      expect(output).toMatch(
        /Next: AsyncQueue \(.*needs it first\)\n\s+edit lessons\/04-queues\/queue\.ts/,
      );
      expect(code).toBe(1);
    },
  );
});

describe("a learner who starts with lesson 09", () => {
  const lesson09 = written("09-sse");

  it.concurrent("passes npm test -- 09 on the reference sleep", async () => {
    const { code, output } = await run(lesson09, "test", "09");
    expect(output).toMatch(/\d+ passed, 0 failed, 0 not started/);
    expect(output).toContain(
      "uses the reference sleep (lessons/01-coroutines/sleep.ts, not started yet)",
    );
    expect(code).toBe(0);
  });

  it.concurrent(
    "runs npm run demo -- 09 on the reference sleep and listen",
    async () => {
      const { code, output } = await run(lesson09, "demo", "09");
      expect(output).toContain(
        "uses the reference listen (lessons/05-resources/server.ts, not started yet)",
      );
      expect(output).toContain(
        "uses the reference sleep (lessons/01-coroutines/sleep.ts, not started yet)",
      );
      expect(output).not.toContain("not written yet");
      expect(code).toBe(0);
    },
  );

  it.concurrent("runs npm run bench -- 09 on its borrowed parts", async () => {
    const { code, output } = await run(lesson09, "bench", "09", "--quick");
    expect(output).toContain("yours (sendEvents)");
    expect(output).not.toContain("not started");
    expect(code).toBe(0);
  });
});

describe("a learner who starts with lesson 12", () => {
  it("chats through npm run agent on their lesson 12 and borrowed parts", async () => {
    await using sandbox = await createSandbox(written("12-agent"), {
      pristineLessons: true,
    });
    await using agent = startAgent(sandbox.root);
    const url = await agent.url;
    expect(agent.output()).toMatch(/your code:\s+12-agent\n/);
    expect(agent.output()).toMatch(/the reference:\s+01-coroutines, 02-tasks,/);
    expect(agent.output()).toContain(
      "uses the reference Semaphore (lessons/07-semaphores/semaphore.ts, not started yet)",
    );
    const page = await fetch(url);
    expect(await page.text()).toContain("<!doctype html>");
    const parser = await fetch(new URL("lib/09-sse/parse.js", url));
    expect(
      await parser.text(),
      "the page's parser is lesson 09's, borrowed: not the stub",
    ).not.toContain("todo(");
    const reply = await fetch(new URL("api/chat", url), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        messages: [{ role: "user", content: QUESTIONS[2] }],
      }),
    });
    const stream = await reply.text();
    expect(stream).toContain("event: tool_result");
    expect(stream).toMatch(/event: done\n/);
  });
});

/**
 * `npm run agent -- --port 0` in `root`: its URL once it listens, what it
 * printed so far, and a dispose that stops it and waits for it to exit.
 */
function startAgent(root: string) {
  const child = spawn(
    process.execPath,
    [
      join(root, "node_modules", "tsx", "dist", "cli.mjs"),
      "kit/agent.ts",
      "--port",
      "0",
    ],
    { cwd: root, env: withoutColour(process.env) },
  );
  let output = "";
  const exited = new Promise<void>((resolve) =>
    child.once("exit", () => resolve()),
  );
  const url = new Promise<URL>((resolve, reject) => {
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const found = /Chat with the agent: (http:\/\/\S+)/.exec(output);
      if (found) resolve(new URL(found[1]!));
    };
    child.stdout.on("data", read);
    child.stderr.on("data", read);
    void exited.then(() =>
      reject(new Error(`npm run agent exited before listening:\n${output}`)),
    );
  });
  return {
    url,
    output: () => output,
    async [Symbol.asyncDispose]() {
      if (child.exitCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}
