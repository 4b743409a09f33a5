import { AsyncLocalStorage } from "node:async_hooks";

// #region RequestInfo
/** Who and what a request is: set at the boundary, read anywhere below. */
export interface RequestInfo {
  id: string;
  user?: string;
}
// #endregion RequestInfo

// #region storage
// One storage for the whole program, and yet one value per request: run()
// gives the callback, and everything it starts, its own slot. A plain
// `let current` would be one slot shared by every request in flight.
const requests = new AsyncLocalStorage<RequestInfo>();
// #endregion storage

// #region withRequest
/**
 * Runs `fn` with `info` as the current request and returns what `fn` returns
 * (for an async `fn`, its promise). Everything `fn` starts sees `info`: code
 * after an `await`, timer and promise callbacks, `queueMicrotask`, tasks it
 * starts with `Promise.all`. Outside `fn`, and in other requests running at
 * the same time, nothing changes. Calls nest: inside a nested call the inner
 * request is current, and the outer one is back when it returns.
 *
 * The twin of Python's `token = var.set(info)` … `var.reset(token)` around a
 * request, with the scope made explicit by the callback.
 *
 * @example
 * http.createServer((req, res) =>
 *   withRequest({ id: randomUUID() }, () => handle(req, res)),
 * );
 */
export function withRequest<T>(info: RequestInfo, fn: () => T): T {
  // Not enterWith(): it would set the request for the rest of the caller's
  // code as well, and leak it into whatever the caller does next.
  return requests.run(info, fn);
}
// #endregion withRequest

// #region currentRequest
/**
 * The request that the innermost `withRequest` around this code set: the
 * twin of `ContextVar.get()`.
 *
 * @throws Error when called outside `withRequest` (a bug in the caller, not a
 * request without info).
 *
 * @example
 * async function audit(action: string) {
 *   const { id, user } = currentRequest();
 *   await db.insert({ request: id, user, action });
 * }
 */
export function currentRequest(): RequestInfo {
  const info = requests.getStore();
  if (info === undefined) {
    throw new Error(
      "currentRequest() was called outside withRequest(): no request is " +
        "running here. Wrap the request's handler in withRequest(info, fn).",
    );
  }
  return info;
}
// #endregion currentRequest

// #region log
/**
 * `console.log`s `message` tagged with the current request's id,
 * `[<id>] <message>`, or `[-] <message>` outside a request. Code deep down
 * logs without being handed the id.
 *
 * @example
 * withRequest({ id: "r1" }, async () => {
 *   await sleep(10);
 *   log("charged"); // [r1] charged
 * });
 * log("idle"); // [-] idle
 */
export function log(message: string): void {
  // getStore(), not currentRequest(): outside a request is fine here.
  const id = requests.getStore()?.id ?? "-";
  console.log(`[${id}] ${message}`);
}
// #endregion log
