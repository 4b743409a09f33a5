// mistake: set() that wakes only the first waiter
// expect: set must wake every waiter
export class AsyncEvent {
  #set = false;
  readonly #waiters = new Set<() => void>();

  get isSet(): boolean {
    return this.#set;
  }

  set(): void {
    this.#set = true;
    // MISTAKE: only the first waiter is woken, like a lock handing over to one task.
    const [wake] = this.#waiters;
    if (wake) {
      this.#waiters.delete(wake);
      wake();
    }
  }

  clear(): void {
    this.#set = false;
  }

  wait(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.#set) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const wake = () => {
        signal?.removeEventListener("abort", onAbort);
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
