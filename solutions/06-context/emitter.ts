import { AsyncLocalStorage } from "node:async_hooks";
import { AsyncQueue } from "../04-queues/queue.ts";

// #region DomainEvent
/**
 * Something that happened, for whoever reads the stream:
 * `{ type: "tool-started", tool: "search" }`.
 */
export interface DomainEvent {
  type: string;
  [key: string]: unknown;
}
// #endregion DomainEvent

// #region Stream
/** What the context of a stream's work holds: where its events go. */
interface Stream {
  queue: AsyncQueue<DomainEvent>;
  signal: AbortSignal;
}

const streams = new AsyncLocalStorage<Stream>();
// #endregion Stream

// #region emit
/**
 * Sends `event` to the stream whose work is running this code, however deep
 * in the call tree and in whichever task: no generator, no `yield` at every
 * level. Resolves once the event is queued; while `maxBuffered` events wait
 * unread, it waits for room (backpressure).
 *
 * Rejects outside an `eventStream`, and with the abort reason once the
 * stream's consumer has left: work that ignores its signal still stops at its
 * next `emit`.
 *
 * @example
 * async function callTool(step: Step) {
 *   await emit({ type: "tool-started", tool: step.tool });
 *   return tools[step.tool](step.input);
 * }
 */
export async function emit(event: DomainEvent): Promise<void> {
  const stream = streams.getStore();
  if (stream === undefined) {
    throw new Error(
      "emit() was called outside an eventStream: no stream is reading " +
        "here. Call it from the work you pass to eventStream(work).",
    );
  }
  // Checked before the queue: once the consumer left, the queue is closed
  // too, and "closed" would hide why.
  stream.signal.throwIfAborted();
  if (stream.queue.closed) {
    throw new Error(
      "emit() after the eventStream's work had returned: await every task " +
        "the work starts before it returns.",
    );
  }
  await stream.queue.put(event, stream.signal);
}
// #endregion emit

// #region eventStream
/**
 * The events that `work` emits, as a stream for `for await`. Nothing runs
 * until the first `next()`; then `work` starts, in the context where
 * `eventStream` was called plus a fresh queue of its own, so every `emit` in
 * its call tree lands here and nowhere else (not in a concurrent stream, not
 * in an outer one).
 *
 * The stream ends after the last event once `work` resolves; when `work`
 * rejects, it yields the events emitted before, then throws that error. A
 * consumer that stops early (`break`, `return`, a throw) aborts `work`'s
 * signal and is not kept waiting for `work` to notice. `maxBuffered` (default
 * unbounded) is how many events may wait unread before `emit` waits.
 *
 * @example
 * const events = eventStream((signal) => runAgent(task, signal));
 * for await (const event of events) {
 *   res.write(`data: ${JSON.stringify(event)}\n\n`);
 * }
 */
export function eventStream(
  work: (signal: AbortSignal) => Promise<unknown>,
  options: { maxBuffered?: number } = {},
): AsyncIterable<DomainEvent> {
  // Here, not when iterating: a bad maxBuffered throws where it was passed.
  const queue = new AsyncQueue<DomainEvent>(options.maxBuffered);
  // The stream is often read somewhere else (a response writer, a merge):
  // work must see the context of the code that made the stream, not of the
  // code that happens to call next() first.
  const inCreatorsContext = AsyncLocalStorage.snapshot();
  return run(work, queue, inCreatorsContext);
}

async function* run(
  work: (signal: AbortSignal) => Promise<unknown>,
  queue: AsyncQueue<DomainEvent>,
  inCreatorsContext: <R>(fn: () => R) => R,
): AsyncGenerator<DomainEvent, void, undefined> {
  // #region generator-body
  const controller = new AbortController();
  const stream: Stream = { queue, signal: controller.signal };
  let settled = false;
  let failure: { error: unknown } | undefined;

  inCreatorsContext(() =>
    // async: a work that is not itself async may throw instead of
    // rejecting; this turns the throw into a rejection, handled below.
    streams.run(stream, async () => work(controller.signal)),
  ).then(
    () => {
      settled = true;
      queue.close(); // no more events; the loop below drains what is left
    },
    (error: unknown) => {
      settled = true;
      failure = { error };
      queue.close();
    },
  );

  try {
    for await (const event of queue) yield event;
    if (failure) throw failure.error;
  } finally {
    // Reached on break, return or a throw in the consumer's loop too. Stop
    // the work, but do not await it: work that ignores its signal would
    // keep the consumer waiting for ever.
    if (!settled) {
      controller.abort(
        new DOMException("The consumer stopped reading", "AbortError"),
      );
      queue.close();
    }
  }
  // #endregion generator-body
}
// #endregion eventStream
