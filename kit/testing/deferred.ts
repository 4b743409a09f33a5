/**
 * A promise with its resolve and reject exposed: the test decides when work
 * finishes.
 */
export interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(reason: unknown): void;
}

export function deferred<T = void>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/**
 * Settles to a description instead of throwing, so a test can look at a promise
 * without awaiting it.
 */
export function observe<T>(promise: Promise<T>): {
  readonly state: "pending" | "fulfilled" | "rejected";
  readonly value: T | undefined;
  readonly reason: unknown;
} {
  const seen = {
    state: "pending" as "pending" | "fulfilled" | "rejected",
    value: undefined as T | undefined,
    reason: undefined as unknown,
  };
  promise.then(
    (value) => Object.assign(seen, { state: "fulfilled", value }),
    (reason) => Object.assign(seen, { state: "rejected", reason }),
  );
  return seen;
}
