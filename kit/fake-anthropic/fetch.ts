/**
 * The fetch the fake's clients use: node:http instead of the global fetch.
 *
 * Why: Node's fetch (undici) arms its own timers with the global setTimeout,
 * looked up at call time. Under `vi.useFakeTimers()` those become fake timers
 * that a test never meant to own: `vi.getTimerCount()` counts them, a leak
 * check flags them, and advancing time fires them. node:http keeps its timers
 * to itself, so with this fetch the only timers are the SDK's and the fake's.
 */
import { Agent, request, type IncomingMessage } from "node:http";

/** A fetch for loopback HTTP, and a way to drop its idle connections. */
export interface LoopbackFetch {
  fetch: typeof globalThis.fetch;
  /** Closes every connection the fetch opened; resolves once all closed. */
  destroy(): Promise<void>;
}

function abortError(): DOMException {
  return new DOMException("This operation was aborted", "AbortError");
}

/** Streams the response's body; cancelling it closes the connection. */
function webBody(res: IncomingMessage): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    start(controller) {
      res.on("data", (chunk: Buffer) => {
        controller.enqueue(new Uint8Array(chunk));
        if ((controller.desiredSize ?? 1) <= 0) res.pause();
      });
      res.on("end", () => controller.close());
      // A response cut before its end ("aborted"), or a destroy on abort.
      res.on("error", (error) => controller.error(error));
    },
    pull: () => void res.resume(),
    cancel: () => void res.destroy(),
  });
}

/** A fetch with its own keep-alive connections, for one fake server. */
export function loopbackFetch(): LoopbackFetch {
  const agent = new Agent({ keepAlive: true });
  const fetch = (input: string | URL | Request, init: RequestInit = {}) =>
    new Promise<Response>((resolve, reject) => {
      const { signal } = init;
      if (signal?.aborted) return reject(abortError());
      const url = input instanceof Request ? input.url : String(input);
      const headers = Object.fromEntries(new Headers(init.headers));
      const req = request(url, { agent, method: init.method, headers });
      const onAbort = () => req.destroy(abortError());
      signal?.addEventListener("abort", onAbort, { once: true });
      req.on("close", () => signal?.removeEventListener("abort", onAbort));
      req.on("error", reject); // before the response; later, the body errors
      req.on("response", (res) => {
        const onBodyAbort = () => res.destroy(abortError());
        signal?.addEventListener("abort", onBodyAbort, { once: true });
        res.on("close", () =>
          signal?.removeEventListener("abort", onBodyAbort),
        );
        const responseHeaders = new Headers();
        for (const [name, value] of Object.entries(res.headers)) {
          for (const one of [value ?? []].flat()) {
            responseHeaders.append(name, one);
          }
        }
        const status = res.statusCode ?? 500;
        const body = status === 204 || status === 304 ? null : webBody(res);
        resolve(new Response(body, { status, headers: responseHeaders }));
      });
      req.end(init.body as string | undefined);
    });
  async function destroy() {
    const pools = [agent.sockets, agent.freeSockets];
    const sockets = pools.flatMap((pool) => Object.values(pool).flat());
    const closed = sockets.map(
      (socket) => new Promise((resolve) => socket!.once("close", resolve)),
    );
    agent.destroy();
    await Promise.all(closed);
  }
  return { fetch: fetch as typeof globalThis.fetch, destroy };
}
