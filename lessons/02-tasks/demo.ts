/**
 * Lesson 02 demo: happy eyeballs against three fake servers, a deadline on work
 * that ignores its signal, and a task group in which one task fails and its
 * siblings are aborted. Each prints a timeline (one character is 10 ms).
 *
 * Run it: npm run demo -- 02        (your code)
 *         npm run demo -- 02 --solution
 */
import { runDemo } from "#kit/run-demo.ts";
import { sleep } from "#exercises/01-coroutines/sleep.ts";
import { firstSuccess } from "#exercises/02-tasks/race.ts";
import { withTimeout } from "#exercises/02-tasks/timeout.ts";
import { taskGroup } from "#exercises/02-tasks/task-group.ts";

/**
 * One bar of a timeline: when a piece of work started, when it ended, and how.
 */
interface Bar {
  label: string;
  start: number;
  end?: number;
  outcome?: string;
}

function timeline() {
  const t0 = performance.now();
  const bars: Bar[] = [];
  const now = () => Math.round(performance.now() - t0);
  return {
    now,
    /**
     * Runs `work`, drawing a bar from its start to its end, labelled with how
     * it ended.
     */
    async track<T>(
      label: string,
      work: () => Promise<T>,
      signal?: AbortSignal,
    ): Promise<T> {
      const bar: Bar = { label, start: now() };
      bars.push(bar);
      try {
        const value = await work();
        Object.assign(bar, { end: now(), outcome: `done at ${now()} ms` });
        return value;
      } catch (error) {
        const how =
          signal?.aborted && error === signal.reason ? "aborted" : "failed";
        Object.assign(bar, {
          end: now(),
          outcome: `${how} at ${now()} ms: ${(error as Error).message}`,
        });
        throw error;
      }
    },
    print(): void {
      for (const bar of bars) {
        const from = Math.round(bar.start / 10);
        const length = Math.max(
          1,
          Math.round(((bar.end ?? now()) - bar.start) / 10),
        );
        const drawn = `${" ".repeat(from)}${"█".repeat(length)}`.padEnd(43);
        console.log(
          `  ${bar.label.padEnd(24)} ${drawn}${bar.outcome ?? "still running"}`,
        );
      }
    },
  };
}

// #region fake-servers
/**
 * Pretend servers: how long each takes to answer, and whether it refuses the
 * connection.
 */
const servers = [
  { name: "eu-1 (slow)", latencyMs: 400, refuses: false },
  { name: "eu-2 (down)", latencyMs: 60, refuses: true },
  { name: "us-1", latencyMs: 150, refuses: false },
];

async function connect(
  server: (typeof servers)[number],
  signal: AbortSignal,
): Promise<string> {
  // Stops early, with signal.reason, when this attempt loses the race.
  await sleep(server.latencyMs, signal);
  if (server.refuses) throw new Error(`${server.name}: connection refused`);
  return `connected to ${server.name}`;
}
// #endregion fake-servers

async function happyEyeballs(): Promise<void> {
  console.log(
    "firstSuccess, staggerMs 100: attempt 1 starts at 100 ms; it fails at\n" +
      "160 ms, so attempt 2 starts at once",
  );
  const t = timeline();
  const attempts = servers.map(
    (server, i) => (signal: AbortSignal) =>
      t.track(
        `attempt ${i}: ${server.name}`,
        () => connect(server, signal),
        signal,
      ),
  );
  const winner = await firstSuccess(attempts, { staggerMs: 100 });
  const wonAt = t.now();
  // The aborted loser notices on its next turn: let it record how it ended.
  await sleep(5);
  t.print();
  console.log(`  → ${winner} after ${wonAt} ms\n`);
}

async function deadline(): Promise<void> {
  console.log(
    "withTimeout(100 ms) around work that ignores its signal and takes 300 ms:",
  );
  const t = timeline();
  let stubborn: Promise<unknown> = Promise.resolve();
  const ignoresSignal = () =>
    (stubborn = t.track("work (ignores signal)", () => sleep(300)));
  const outcome = await withTimeout(100, ignoresSignal).catch(
    (error: Error) => `rejected with a ${error.name} at ${t.now()} ms`,
  );
  console.log(`  → withTimeout ${outcome}; the work ran on:`);
  await stubborn;
  t.print();
  console.log(
    "  The deadline did not stop the work: nothing can, unless the work\n" +
      "  listens to its signal.\n",
  );
}

async function failingGroup(): Promise<void> {
  console.log(
    "taskGroup: 'orders' fails at 120 ms; the group aborts its siblings and\n" +
      "waits for every task",
  );
  const t = timeline();
  const outcome = await taskGroup(async (group) => {
    group.spawn((signal) =>
      t.track("profile", () => sleep(200, signal), signal),
    );
    group.spawn((signal) =>
      t.track("recommendations", () => sleep(300, signal), signal),
    );
    // No signal: it runs to the end.
    group.spawn(() => t.track("audit log (ignores)", () => sleep(250)));
    group.spawn(() =>
      t.track("orders", async () => {
        await sleep(120);
        throw new Error("orders: database unavailable");
      }),
    );
    return "all loaded";
  }).catch(
    (error: Error) => `rejected at ${t.now()} ms with "${error.message}"`,
  );
  t.print();
  console.log(
    `  → the group ${outcome},\n` +
      "    not before the audit log, which ignored the abort, had finished",
  );
}

async function main() {
  await happyEyeballs();
  await deadline();
  await failingGroup();
}

runDemo(main);
