/**
 * The test runner: vitest's own, plus one rule. A test that reached a `todo()`
 * stub (anywhere: in the test body, in a hook, deep inside other code, even
 * when that code caught the error) is not a failure but "not started". It is
 * reported as skipped, with a note and with `meta.notStarted`, which the
 * progress reporter reads.
 */
import {
  TestRunner,
  type RunnerTask as Task,
  type RunnerTestCase as Test,
  type RunnerTestFile as File,
  type RunnerTestSuite as Suite,
} from "vitest";
import {
  clearTodoHits,
  isNotStarted,
  todoHits,
  type TodoHit,
} from "../todo.ts";

declare module "vitest" {
  interface TaskMeta {
    notStarted?: { exercise: string; file: string; page: string; task: string };
  }
}

export default class WorkbookRunner extends TestRunner {
  // `WORKBOOK_DESCRIBES=Pool,once`: only these exercises' tests run (the
  // mutants run only what can catch their mistake); the rest are skipped.
  onCollected(files: File[]): void {
    const only = process.env.WORKBOOK_DESCRIBES?.split(",");
    if (only)
      for (const file of files)
        for (const task of file.tasks)
          if (task.type === "suite" && !only.includes(task.name))
            task.mode = "skip";
  }

  override onBeforeTryTask(test: Task): void {
    clearTodoHits();
    super.onBeforeTryTask(test);
  }

  // Runs after the test and its afterEach hooks, before vitest decides pass,
  // fail or skip.
  onAfterRetryTask(test: Test): void {
    const hit = todoHits()[0];
    if (hit && test.result) markNotStarted(test, hit);
  }

  override async onBeforeRunSuite(suite: Suite): Promise<void> {
    clearTodoHits();
    await super.onBeforeRunSuite(suite);
  }

  // A `beforeAll` that reached a stub fails the whole suite; call it not
  // started instead.
  override async onAfterRunSuite(suite: Suite): Promise<void> {
    await super.onAfterRunSuite(suite);
    const errors = suite.result?.errors ?? [];
    if (
      suite.result?.state !== "fail" ||
      errors.length === 0 ||
      !errors.every((e) => isNotStarted(e))
    )
      return;
    const hit = todoHits()[0] ?? {
      task: errors[0]?.message ?? "",
      location: undefined,
    };
    suite.result = { ...suite.result, state: "skip", errors: undefined };
    for (const task of allTests(suite))
      if (task.result?.state !== "pass") markNotStarted(task, hit);
  }
}

function markNotStarted(test: Test, hit: TodoHit): void {
  const where = hit.location;
  test.meta.notStarted = {
    exercise: where?.exercise ?? "an exercise",
    file: where?.file ?? "lessons/",
    page: where?.page ?? "docs/",
    task: hit.task,
  };
  // `pending` is what vitest's own `context.skip()` sets: it turns the result
  // into a skip.
  test.result = Object.assign(
    { ...test.result },
    {
      state: "skip" as const,
      pending: true,
      errors: undefined,
      note: `not started: ${where ? `${where.exercise} in ${where.file}` : hit.task}`,
    },
  );
}

function allTests(suite: Suite | File): Test[] {
  return suite.tasks.flatMap((task) =>
    task.type === "suite" ? allTests(task) : task.type === "test" ? [task] : [],
  );
}
