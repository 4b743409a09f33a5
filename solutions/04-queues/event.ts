// #region AsyncEvent
/**
 * A flag that tasks can wait for: the twin of `asyncio.Event`. While it is
 * clear, `wait()` waits; `set()` wakes every waiter at once and lets later
 * waits through until `clear()`.
 *
 * @example
 * const ready = new AsyncEvent();
 * void loadConfig().then(() => ready.set());
 * await ready.wait(); // every task that waits here wakes together
 */
export class AsyncEvent {
  #set = false;
  // Each waiter's wake-up function; in a Set, an aborted one leaves in O(1).
  readonly #waiters = new Set<() => void>();

  /** True between `set()` and the next `clear()`. */
  get isSet(): boolean {
    return this.#set;
  }

  /** Sets the flag and wakes every task waiting right now. */
  set(): void {
    this.#set = true;
    // Wake the waiters of this moment, even if someone calls clear() right
    // after: a waiter is woken by the set() it waited for, not by the flag it
    // would see later.
    const waiters = [...this.#waiters];
    this.#waiters.clear();
    for (const wake of waiters) wake();
  }

  /**
   * Clears the flag: later calls to `wait()` wait again. Tasks already woken
   * stay woken.
   */
  clear(): void {
    this.#set = false;
  }

  /**
   * Resolves once the event is set: at once when it is set already. When
   * `signal` aborts first, rejects with `signal.reason` and stops waiting; no
   * listener is left on `signal`.
   */
  wait(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.#set) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const wake = () => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      };
      const onAbort = () => {
        // Otherwise every abandoned wait stays in the set until the next set().
        this.#waiters.delete(wake);
        reject(signal?.reason);
      };
      this.#waiters.add(wake);
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  }
}
// #endregion AsyncEvent
