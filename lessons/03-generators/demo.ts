/**
 * Lesson 03 demo: lazy generators on an endless source; a fake model streaming
 * its answer token by token; two streams merged as their values arrive; and a
 * consumer that stops early, closing its source.
 *
 * Run it: npm run demo -- 03        (your code)
 *         npm run demo -- 03 --solution
 */
import { runDemo } from "#kit/run-demo.ts";
import { chunk, take } from "#exercises/03-generators/iterate.ts";
import {
  collect,
  mapAsync,
  takeAsync,
} from "#exercises/03-generators/async-iterate.ts";
import { merge } from "#exercises/03-generators/merge.ts";
import { streamTokens } from "#exercises/03-generators/tokens.ts";

let started = performance.now();
const restartClock = () => (started = performance.now());
const at = () =>
  `${String(Math.round(performance.now() - started)).padStart(4)} ms`;

/** 1, 2, 3, … for ever: only a lazy consumer can use it. */
function* naturals() {
  for (let i = 1; ; i += 1) yield i;
}

// #region noisy-source
/**
 * A stream that says when it is asked for a value and when its finally runs.
 */
async function* noisy(name: string) {
  try {
    for (let i = 1; ; i += 1) {
      console.log(`${at()}  ${name}: producing ${i}`);
      yield i;
    }
  } finally {
    console.log(`${at()}  ${name}: finally ran (closed)`);
  }
}
// #endregion noisy-source

async function main() {
  console.log(
    "take(chunk(naturals(), 3), 2), from an endless source:",
    JSON.stringify([...take(chunk(naturals(), 3), 2)]),
    "\n",
  );

  console.log("streamTokens: a fake model answers, 60 ms per token");
  process.stdout.write("  ");
  for await (const token of streamTokens(
    "Generators hand out values one at a time, only when asked.",
    60,
  )) {
    process.stdout.write(token);
  }
  process.stdout.write("\n\n");

  console.log(
    "merge: a fast stream (90 ms a token) and a slow one (150 ms),\n" +
      "values as they arrive",
  );
  const fast = mapAsync(
    streamTokens("one two three four five", 90),
    (token) => `fast  ${token.trim()}`,
  );
  const slow = mapAsync(
    streamTokens("uno dos tres", 150),
    (token) => `slow  ${token.trim()}`,
  );
  restartClock();
  for await (const line of merge(fast, slow)) console.log(`${at()}  ${line}`);

  console.log(
    "\ntakeAsync(source, 2): the consumer needs two values, then the source\n" +
      "is closed",
  );
  restartClock();
  const firstTwo = await collect(takeAsync(noisy("source"), 2));
  console.log(
    `${at()}  consumer: got ${JSON.stringify(firstTwo)}; ` +
      "the source's finally ran before this line",
  );
}

runDemo(main);
