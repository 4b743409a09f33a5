import { todo } from "#kit/todo.ts";

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
  constructor() {
    todo("Set up an empty list of cleanups and a disposed flag.");
  }

  /** True once the stack was disposed or moved. */
  get disposed(): boolean {
    return todo("Return whether the stack was disposed (or moved).");
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
    todo("Push a cleanup that calls the resource's dispose method; return it.");
  }

  /**
   * Adds `value`, which is not disposable itself, with the function that cleans
   * it up; returns `value`.
   */
  adopt<T>(value: T, onDispose: (value: T) => void | Promise<void>): T {
    todo("Push a cleanup that calls onDispose(value), and return value.");
  }

  /** Adds a cleanup callback. */
  defer(onDispose: () => void | Promise<void>): void {
    todo("Push onDispose onto the stack of cleanups.");
  }

  /**
   * Hands every resource to a new stack and leaves this one disposed (without
   * running anything): how a constructor that acquired several resources passes
   * them on once nothing can fail.
   */
  move(): AsyncStack {
    todo("Hand every cleanup to a new stack; this one ends up disposed.");
  }

  /**
   * Runs every cleanup, newest first, and rejects with the error (or chain of
   * errors) they threw.
   */
  async [Symbol.asyncDispose](): Promise<void> {
    todo("Run the cleanups last to first, each awaited, on past failures.");
  }
}
// #endregion AsyncStack
