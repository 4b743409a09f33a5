// #region SuppressedError
/**
 * The standard `SuppressedError` where the runtime has it (Node 24), a small
 * twin of it on Node 20. `error` is the newer error, `suppressed` the one it
 * pushed aside. Given, not an exercise: use it as it is.
 */
class SuppressedErrorFallback extends Error {
  override name = "SuppressedError";
  error: unknown;
  suppressed: unknown;

  constructor(
    error: unknown,
    suppressed: unknown,
    message = "An error was suppressed during disposal.",
  ) {
    super(message);
    this.error = error;
    this.suppressed = suppressed;
  }
}

export const SuppressedError: new (
  error: unknown,
  suppressed: unknown,
  message?: string,
) => SuppressedError =
  (globalThis as { SuppressedError?: SuppressedErrorConstructor })
    .SuppressedError ?? SuppressedErrorFallback;
// #endregion SuppressedError

// #region AsyncStack
/**
 * A stack of resources and cleanups, disposed last in, first out: the
 * workbook's own `AsyncDisposableStack` (built into Node 24, missing on Node
 * 20). The twin of Python's `contextlib.AsyncExitStack`.
 *
 * Disposing runs every cleanup in reverse order, awaiting each one. A cleanup
 * that throws does not stop the others; the errors are chained as `await using`
 * chains them (`SuppressedError`, newest on the outside). Once disposed (or
 * moved), the stack refuses new resources with a `ReferenceError`, and
 * disposing it again does nothing.
 *
 * @example
 * await using stack = new AsyncStack();
 * const server = stack.use(await listen(handler));
 * const dir = stack.use(await tempDir("upload-"));
 * stack.defer(() => console.log("all closed"));
 */
export class AsyncStack implements AsyncDisposable {
  #cleanups: Array<() => unknown> = [];
  #disposed = false;

  /** True once the stack was disposed or moved. */
  get disposed(): boolean {
    return this.#disposed;
  }

  /**
   * Adds a resource (`Symbol.asyncDispose`, or else `Symbol.dispose`) and
   * returns it. `null` and `undefined` are accepted and ignored, as in
   * `await using x = null`; anything else that cannot be disposed is a
   * `TypeError`.
   */
  use<T extends AsyncDisposable | Disposable | null | undefined>(
    resource: T,
  ): T {
    this.#checkOpen();
    if (resource === null || resource === undefined) return resource;
    const target = resource as Partial<AsyncDisposable & Disposable>;
    // The method is read now, as `await using` reads it at the declaration, not
    // at disposal.
    const dispose = target[Symbol.asyncDispose] ?? target[Symbol.dispose];
    if (typeof dispose !== "function") {
      throw new TypeError(
        "AsyncStack.use() needs a value with [Symbol.asyncDispose] or " +
          "[Symbol.dispose], or null/undefined",
      );
    }
    this.#cleanups.push(() => dispose.call(resource));
    return resource;
  }

  /**
   * Adds `value`, which is not disposable itself, with the function that cleans
   * it up; returns `value`.
   */
  adopt<T>(value: T, onDispose: (value: T) => void | Promise<void>): T {
    this.#checkOpen();
    this.#cleanups.push(() => onDispose(value));
    return value;
  }

  /** Adds a cleanup callback. */
  defer(onDispose: () => void | Promise<void>): void {
    this.#checkOpen();
    this.#cleanups.push(onDispose);
  }

  /**
   * Hands every resource to a new stack and leaves this one disposed (without
   * running anything): how a constructor that acquired several resources passes
   * them on once nothing can fail.
   */
  move(): AsyncStack {
    this.#checkOpen();
    const next = new AsyncStack();
    next.#cleanups = this.#cleanups;
    this.#cleanups = [];
    this.#disposed = true;
    return next;
  }

  /**
   * Runs every cleanup, newest first, and rejects with the error (or chain of
   * errors) they threw.
   */
  async [Symbol.asyncDispose](): Promise<void> {
    // Set before the first await: a second dispose that arrives meanwhile must
    // find it set.
    if (this.#disposed) return;
    this.#disposed = true;
    const cleanups = this.#cleanups;
    this.#cleanups = [];
    // Boxed, because `throw undefined` is legal: "no error yet" cannot be
    // `error === undefined`.
    let failure: { error: unknown } | undefined;
    while (cleanups.length > 0) {
      const cleanup = cleanups.pop()!;
      try {
        await cleanup();
      } catch (error) {
        failure = {
          error: failure ? new SuppressedError(error, failure.error) : error,
        };
      }
    }
    if (failure) throw failure.error;
  }

  #checkOpen(): void {
    if (this.#disposed)
      throw new ReferenceError("this AsyncStack is already disposed");
  }
}
// #endregion AsyncStack
