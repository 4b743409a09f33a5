import { todo } from "#kit/todo.ts";
// Your queue from lesson 04: one per stream.
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
  todo("Put event on the current stream's queue; reject outside a stream.");
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
  todo("Return an async generator: run work with its own queue, yield events");
}
// #endregion eventStream
