// mistake: chaining errors the wrong way round (the first error outside)
// expect: each new error goes in `error`
import { SuppressedError } from "../../../solutions/05-resources/stack.ts";
export * from "../../../solutions/05-resources/stack.ts";

export class AsyncStack implements AsyncDisposable {
  #cleanups: Array<() => unknown> = [];
  #disposed = false;

  get disposed(): boolean {
    return this.#disposed;
  }

  use<T extends AsyncDisposable | Disposable | null | undefined>(resource: T): T {
    this.#checkOpen();
    if (resource === null || resource === undefined) return resource;
    const target = resource as Partial<AsyncDisposable & Disposable>;
    const dispose = target[Symbol.asyncDispose] ?? target[Symbol.dispose];
    if (typeof dispose !== "function") {
      throw new TypeError("AsyncStack.use() needs a value with [Symbol.asyncDispose] or [Symbol.dispose], or null/undefined");
    }
    this.#cleanups.push(() => dispose.call(resource));
    return resource;
  }

  adopt<T>(value: T, onDispose: (value: T) => void | Promise<void>): T {
    this.#checkOpen();
    this.#cleanups.push(() => onDispose(value));
    return value;
  }

  defer(onDispose: () => void | Promise<void>): void {
    this.#checkOpen();
    this.#cleanups.push(onDispose);
  }

  move(): AsyncStack {
    this.#checkOpen();
    const next = new AsyncStack();
    next.#cleanups = this.#cleanups;
    this.#cleanups = [];
    this.#disposed = true;
    return next;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    if (this.#disposed) return;
    this.#disposed = true;
    const cleanups = this.#cleanups;
    this.#cleanups = [];
    let failure: { error: unknown } | undefined;
    while (cleanups.length > 0) {
      const cleanup = cleanups.pop()!;
      try {
        await cleanup();
      } catch (error) {
        failure = { error: failure ? new SuppressedError(failure.error, error) : error };
      }
    }
    if (failure) throw failure.error;
  }

  #checkOpen(): void {
    if (this.#disposed) throw new ReferenceError("this AsyncStack is already disposed");
  }
}
