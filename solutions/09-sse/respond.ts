import type http from "node:http";
import { encodeComment, encodeEvent, type SseEvent } from "./encode.ts";

// #region sendEvents
/**
 * Streams `events` to the client as Server-Sent Events, and resolves once the
 * stream is over: the events ended, the source threw, the client went away,
 * or `signal` aborted. It never rejects.
 *
 * Headers go out at once. Each event is written as it comes; while the client
 * reads slower than the source produces, the source is not pulled (the
 * response's buffer stays small). After `heartbeatMs` without a write, a
 * comment keeps proxies from closing the quiet connection. When the client
 * leaves, the source is closed (its `finally` runs). An error from the source
 * is sent as an `error` event with the error's message only.
 *
 * @example
 * http.createServer(async (req, res) => {
 *   await sendEvents(res, countdown(10), { heartbeatMs: 15_000 });
 * });
 */
export async function sendEvents(
  res: http.ServerResponse,
  events: AsyncIterable<SseEvent>,
  options: { heartbeatMs?: number; signal?: AbortSignal } = {},
): Promise<void> {
  const { heartbeatMs = 15_000, signal } = options;
  res.writeHead(200, {
    "Content-Type": "text/event-stream",
    "Cache-Control": "no-cache",
    Connection: "keep-alive",
    "X-Accel-Buffering": "no", // nginx: pass each write on, do not buffer
  });
  res.flushHeaders(); // else Node holds the headers until the first write

  // Whatever we wait for (the next event, a drain), a stop cuts it short.
  let stopped = false;
  let wake: (() => void) | undefined;
  const stop = () => {
    stopped = true;
    wake?.();
  };
  // The response's close, not the request's: `req` closes as soon as its
  // body has been read, long before the client leaves.
  res.once("close", stop);
  signal?.addEventListener("abort", stop, { once: true });
  if (res.destroyed || signal?.aborted) stop();

  const heartbeat = setTimeout(function beat() {
    // A client that reads nothing gets no more: it has enough to read.
    if (!res.writableNeedDrain) res.write(HEARTBEAT);
    heartbeat.refresh(); // the next one after another heartbeatMs
  }, heartbeatMs);

  const iterator = events[Symbol.asyncIterator]();
  let pulling = false; // a next() is in flight
  let finished = false; // the source ended or threw: nothing to close
  try {
    while (!stopped) {
      pulling = true;
      const step = await new Promise<IteratorResult<SseEvent> | undefined>(
        (resolve, reject) => {
          wake = () => resolve(undefined);
          iterator.next().then(resolve, reject);
        },
      );
      if (step === undefined) break; // stopped while the source was busy
      pulling = false;
      if (step.done) {
        finished = true;
        break;
      }
      if (!res.write(encodeEvent(step.value))) {
        // The client reads slower than we write. Wait for drain, or close:
        // a client that left never drains.
        await new Promise<void>((resolve) => {
          const drained = () => {
            res.off("drain", drained);
            resolve();
          };
          wake = drained;
          res.once("drain", drained);
        });
      }
      heartbeat.refresh();
    }
  } catch (error) {
    if (pulling) finished = true; // the source threw: it is done
    pulling = false;
    const message = error instanceof Error ? error.message : String(error);
    // The message only: a stack or other properties would leak internals.
    if (!stopped) res.write(encodeEvent({ event: "error", data: message }));
  } finally {
    clearTimeout(heartbeat);
    res.off("close", stop);
    signal?.removeEventListener("abort", stop);
    if (!finished) {
      // return() runs the source's finally. A source busy in an await gets
      // it after that await: do not wait for it, the client is gone.
      const closing = Promise.resolve()
        .then(() => iterator.return?.())
        .catch(() => {});
      if (!pulling) await closing;
    }
    if (!res.destroyed) res.end();
  }
}
// #endregion sendEvents

const HEARTBEAT = encodeComment("heartbeat");
