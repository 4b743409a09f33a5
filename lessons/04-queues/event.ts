import { todo } from "#kit/todo.ts";

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
  constructor() {
    todo("Keep a flag and a Set of the waiters' wake-up functions.");
  }

  /** True between `set()` and the next `clear()`. */
  get isSet(): boolean {
    return todo("Return the flag.");
  }

  /** Sets the flag and wakes every task waiting right now. */
  set(): void {
    todo("Set the flag, then wake every waiter and forget them.");
  }

  /**
   * Clears the flag: later calls to `wait()` wait again. Tasks already woken
   * stay woken.
   */
  clear(): void {
    todo("Clear the flag.");
  }

  /**
   * Resolves once the event is set: at once when it is set already. When
   * `signal` aborts first, rejects with `signal.reason` and stops waiting; no
   * listener is left on `signal`.
   */
  wait(signal?: AbortSignal): Promise<void> {
    todo("Resolve at once when set, else wait for set(); abort leaves.");
  }
}
// #endregion AsyncEvent
