// mistake: an 'error' event that ends the loop quietly instead of making it throw
// expect: did not make the loop throw
import type { EventEmitter } from "node:events";
import { AsyncQueue, QueueClosedError } from "../../../solutions/04-queues/queue.ts";

export function fromEvents<T>(emitter: EventEmitter, event: string, options: { close?: string; signal?: AbortSignal } = {}): AsyncIterableIterator<T> {
  const { close, signal } = options;
  const buffer = new AsyncQueue<T>();
  let failure: { error: unknown } | undefined;
  let stopped = false;

  const onEvent = (value: T) => void buffer.put(value);
  const onClose = () => finish();
  // MISTAKE: the error is swallowed; the loop just ends.
  const onError = (_error: unknown) => finish();
  const onAbort = () => {
    stopped = true;
    finish();
  };

  function finish(): void {
    emitter.off(event, onEvent);
    if (close !== undefined) emitter.off(close, onClose);
    emitter.off("error", onError);
    signal?.removeEventListener("abort", onAbort);
    buffer.close();
  }

  function listen(): void {
    emitter.on(event, onEvent);
    if (close !== undefined) emitter.on(close, onClose);
    emitter.on("error", onError);
    signal?.addEventListener("abort", onAbort, { once: true });
  }

  if (signal?.aborted) {
    stopped = true;
    buffer.close();
  } else {
    listen();
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
          failure = undefined;
          throw cause;
        }
        return { value: undefined, done: true };
      }
    },
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
