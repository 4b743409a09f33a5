/**
 * Runs a lesson's demo. When the demo reaches an exercise the learner has not
 * written yet, it says which one, where, and which page explains it, and exits
 * 1 without a stack trace.
 */
import { bold, cyan, dim, red } from "./colors.ts";
import { isNotStarted, todoHits, type NotStartedError } from "./todo.ts";

export function runDemo(main: () => Promise<void>): void {
  // A stub can also be reached from a timer or a stream callback, outside
  // main's promise.
  process.on("uncaughtException", fail);
  process.on("unhandledRejection", fail);
  main().catch(fail);
}

function fail(error: unknown): never {
  const hit = todoHits()[0];
  if (isNotStarted(error) || hit) {
    const location = (error as NotStartedError).location ?? hit?.location;
    const task = (error as NotStartedError).task ?? hit?.task;
    console.error(
      `\n${bold("This demo needs an exercise you have not written yet:")}`,
    );
    console.error(
      `  ${cyan(location?.exercise ?? "an exercise")} in ${location?.file ?? "lessons/"}`,
    );
    if (task) console.error(`  ${dim(task)}`);
    if (location)
      console.error(
        `  Read ${location.page}, or see the reference run:\n` +
          `  npm run demo -- ${location.lesson.slice(0, 2)} --solution`,
      );
    process.exit(1);
  }
  console.error(`\n${red("The demo failed:")}`, error);
  process.exit(1);
}
