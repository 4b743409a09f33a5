/**
 * Lesson 06 demo: two orders handled at the same time. Code deep in each
 * order's call tree calls log() and emit() without being handed anything: the
 * request context tags the log lines, and each order's events reach its own
 * stream, read by its own consumer as they happen. They never mix. Then a
 * consumer that leaves after the first event, and the work that stops.
 *
 * Run it: npm run demo -- 06        (your code)
 *         npm run demo -- 06 --solution
 */
import { setImmediate as nextTurn } from "node:timers/promises";
import { runDemo } from "#kit/run-demo.ts";
import {
  currentRequest,
  log,
  withRequest,
} from "#exercises/06-context/request-context.ts";
import {
  emit,
  eventStream,
  type DomainEvent,
} from "#exercises/06-context/emitter.ts";

interface Item {
  name: string;
  /** How long reserving it takes, in turns of the event loop. */
  turns: number;
}

interface Order {
  id: string;
  user: string;
  items: Item[];
}

/**
 * Pretend work: `turns` turns of the event loop. Real work would wait for a
 * database or a payment API; turns keep the demo fast, and make two orders
 * interleave the same way on every run.
 */
async function busy(turns: number, signal: AbortSignal): Promise<void> {
  for (let turn = 0; turn < turns; turn += 1)
    await nextTurn(undefined, { signal });
}

// #region order
// The order's code: not one parameter for the request or the stream.
async function placeOrder(order: Order, signal: AbortSignal): Promise<void> {
  log(`placing ${order.items.length} items for ${currentRequest().user}`);
  await Promise.all(order.items.map((item) => reserve(item, signal)));
  await charge(signal);
  await emit({ type: "placed", request: currentRequest().id });
}

async function reserve(item: Item, signal: AbortSignal): Promise<void> {
  await busy(item.turns, signal);
  await emit({
    type: "reserved",
    item: item.name,
    request: currentRequest().id,
  });
}

async function charge(signal: AbortSignal): Promise<void> {
  await busy(2, signal);
  log("card charged");
  await emit({ type: "charged", request: currentRequest().id });
}
// #endregion order

// #region handle
/** The boundary: where a request's context and its stream are made. */
function handle(order: Order): AsyncIterable<DomainEvent> {
  return withRequest({ id: order.id, user: order.user }, () =>
    eventStream(async (signal) => {
      try {
        await placeOrder(order, signal);
      } finally {
        if (signal.aborted) log(`stopped: ${String(signal.reason)}`);
      }
    }),
  );
}

/** The consumer of one stream, e.g. the code that writes the response. */
async function consume(order: Order, stop?: string): Promise<void> {
  let count = 0;
  const from = new Set<unknown>(); // the requests that emitted the events
  for await (const event of handle(order)) {
    count += 1;
    from.add(event.request);
    const item = event.item === undefined ? "" : ` ${event.item}`;
    console.log(`      ${order.id} ← ${event.type}${item}`);
    if (event.type === stop) {
      console.log(`      ${order.id}'s consumer leaves the loop`);
      break;
    }
  }
  const requests = [...from].join(" and ");
  console.log(
    `  stream ${order.id}: ${count} event(s), from request ${requests}`,
  );
}
// #endregion handle

const ada: Order = {
  id: "A",
  user: "ada",
  items: [
    { name: "book", turns: 3 },
    { name: "lamp", turns: 1 },
  ],
};
const bob: Order = {
  id: "B",
  user: "bob",
  items: [
    { name: "tea", turns: 2 },
    { name: "mug", turns: 4 },
  ],
};
const cy: Order = {
  id: "C",
  user: "cy",
  items: [
    { name: "pen", turns: 1 },
    { name: "desk", turns: 5 },
  ],
};

async function main() {
  console.log(
    "Two orders at once. [A] lines are log() calls deep in order A's code;\n" +
      "'A ←' lines are what the consumer of A's stream receives.\n",
  );
  await Promise.all([consume(ada), consume(bob)]);
  log("between requests, log() has no request to name");

  console.log("\nA consumer that leaves after the first event:\n");
  await consume(cy, "reserved");
  await nextTurn(); // one turn: time enough for the work to notice
}

runDemo(main);
