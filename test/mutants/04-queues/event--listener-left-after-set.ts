// mistake: a waiter woken by set() that leaves its abort listener on the signal
// expect: its abort listener is still on the signal
export class AsyncEvent {
  #set = false;
  readonly #waiters = new Set<() => void>();

  get isSet(): boolean {
    return this.#set;
  }

  set(): void {
    this.#set = true;
    const waiters = [...this.#waiters];
    this.#waiters.clear();
    for (const wake of waiters) wake();
  }

  clear(): void {
    this.#set = false;
  }

  wait(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.#set) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const wake = () => {
        // MISTAKE: the abort listener stays on the signal after the waiter woke.
        resolve();
      };
      const onAbort = () => {
        this.#waiters.delete(wake);
        reject(signal?.reason);
      };
      this.#waiters.add(wake);
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  }
}
