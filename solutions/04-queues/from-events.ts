import type { EventEmitter } from "node:events";
import { AsyncQueue, QueueClosedError } from "./queue.ts";

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
  const { close, signal } = options;
  const buffer = new AsyncQueue<T>();
  let failure: { error: unknown } | undefined;
  // true once the reader left or aborted: buffered events are dropped
  let stopped = false;

  const onEvent = (value: T) => void buffer.put(value);
  const onClose = () => finish();
  const onError = (error: unknown) => {
    failure = { error };
    finish();
  };
  const onAbort = () => {
    stopped = true;
    finish();
  };

  // Called on every way out. A listener left on a long-lived emitter keeps the
  // iterator, its buffer and everything they reference alive, and keeps
  // buffering events nobody will read.
  function finish(): void {
    emitter.off(event, onEvent);
    if (close !== undefined) emitter.off(close, onClose);
    emitter.off("error", onError);
    signal?.removeEventListener("abort", onAbort);
    buffer.close(); // a pending next() ends (or throws) instead of waiting
  }

  if (signal?.aborted) {
    stopped = true;
    buffer.close();
  } else {
    emitter.on(event, onEvent);
    if (close !== undefined) emitter.on(close, onClose);
    emitter.on("error", onError);
    signal?.addEventListener("abort", onAbort, { once: true });
  }

  const iterator: AsyncIterableIterator<T> = {
    async next(): Promise<IteratorResult<T>> {
      if (stopped) return { value: undefined, done: true };
      try {
        return { value: await buffer.get(), done: false };
      } catch (error) {
        if (!(error instanceof QueueClosedError)) throw error;
        if (failure) {
          const { error: cause } = failure;
          failure = undefined; // thrown once; then the iterator is just done
          throw cause;
        }
        return { value: undefined, done: true };
      }
    },
    // for await calls return() when the loop body breaks, returns or throws.
    async return(value?: unknown): Promise<IteratorResult<T>> {
      stopped = true;
      finish();
      return { value, done: true };
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}
// #endregion fromEvents
