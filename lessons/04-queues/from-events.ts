import type { EventEmitter } from "node:events";
import { todo } from "#kit/todo.ts";

// #region fromEvents
/**
 * Turns an emitter's `event` into an async iterator of each event's first
 * argument, for `for await`. Events that come while nobody is reading are
 * buffered, in order.
 *
 * The iteration ends (after the buffered events) on the `close` event, and at
 * once when `signal` aborts; an `error` event makes it throw that error (after
 * the buffered events). However the loop is left (end, error, abort, `break`,
 * `return` or a throw in its body), every listener it added to `emitter` and to
 * `signal` is removed.
 *
 * @example
 * const lines = fromEvents<string>(reader, "line", { close: "close" });
 * for await (const line of lines) {
 *   console.log(line);
 * }
 */
export function fromEvents<T>(
  emitter: EventEmitter,
  event: string,
  options: { close?: string; signal?: AbortSignal } = {},
): AsyncIterableIterator<T> {
  todo("Listen now, buffer in an AsyncQueue; return() removes every listener.");
}
// #endregion fromEvents
