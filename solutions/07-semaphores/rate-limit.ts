// #region TokenBucket
// Floating-point slack: ten refills of 0.1 add up to 0.9999999999999999,
// and that must count as the whole token it is.
const EPSILON = 1e-9;

/**
 * A rate limit: at most `capacity` calls in a burst, and `refillPerSecond`
 * calls per second after that. The bucket starts full; each call takes a
 * token, and tokens flow back in at a steady rate, never above `capacity`.
 *
 * Callers that find the bucket empty wait in line, first in, first out, each
 * woken exactly when its token is due, by one timer at most (no polling).
 *
 * @example
 * const bucket = new TokenBucket({ capacity: 5, refillPerSecond: 2 });
 * for (const prompt of prompts) {
 *   await bucket.take(); // 5 at once, then one every 500 ms
 *   void complete(prompt);
 * }
 */
export class TokenBucket {
  readonly #capacity: number;
  readonly #tokensPerMs: number;
  #tokens: number;
  #refilledAt: number;
  // A Set iterates in insertion order (first in, first out), and an aborted
  // waiter leaves from the middle in O(1).
  readonly #waiters = new Set<() => void>();
  #timer: ReturnType<typeof setTimeout> | undefined;

  /**
   * @throws RangeError when `capacity` is not a positive integer or
   * `refillPerSecond` is not a positive, finite number.
   */
  constructor(options: { capacity: number; refillPerSecond: number }) {
    const { capacity, refillPerSecond } = options;
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError(
        `capacity must be a positive integer, got ${capacity}`,
      );
    if (!(refillPerSecond > 0 && Number.isFinite(refillPerSecond)))
      throw new RangeError(
        `refillPerSecond must be positive and finite, got ${refillPerSecond}`,
      );
    this.#capacity = capacity;
    this.#tokensPerMs = refillPerSecond / 1000;
    this.#tokens = capacity;
    this.#refilledAt = performance.now();
  }

  /**
   * Takes a token if one is there right now, and says whether it did. Always
   * false while someone waits in `take()`: the next token is theirs.
   */
  tryTake(): boolean {
    if (this.#waiters.size > 0) return false;
    return this.#takeIfThere();
  }

  /**
   * Resolves once a token is taken: at once when one is there and nobody
   * waits, else in line, when its token is due. When `signal` aborts first,
   * rejects with `signal.reason` and leaves the line without a token.
   */
  take(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.tryTake()) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const wake = () => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      };
      const onAbort = () => {
        this.#waiters.delete(wake);
        // The timer stays armed for whoever is first in line now: no token
        // was spent, so the next one is due when it was due before. Only
        // with nobody left does it go.
        if (this.#waiters.size === 0) {
          clearTimeout(this.#timer);
          this.#timer = undefined;
        }
        reject(signal?.reason);
      };
      this.#waiters.add(wake);
      signal?.addEventListener("abort", onAbort, { once: true });
      this.#arm();
    });
  }

  /** Adds the tokens that flowed in since the last look, up to capacity. */
  #refill(): void {
    const now = performance.now();
    const flowed = (now - this.#refilledAt) * this.#tokensPerMs;
    // Capped: an hour of quiet must not buy a burst of thousands.
    this.#tokens = Math.min(this.#capacity, this.#tokens + flowed);
    this.#refilledAt = now;
  }

  #takeIfThere(): boolean {
    this.#refill();
    if (this.#tokens < 1 - EPSILON) return false;
    this.#tokens -= 1;
    return true;
  }

  /** Arms the one timer, for when the next token is due. */
  #arm(): void {
    if (this.#timer !== undefined) return;
    this.#refill();
    const ms = (1 - this.#tokens) / this.#tokensPerMs;
    // Rounded up to whole milliseconds, or the timer fires a moment early
    // and has to be armed again.
    this.#timer = setTimeout(this.#serve, Math.max(0, Math.ceil(ms - 1e-6)));
  }

  readonly #serve = (): void => {
    this.#timer = undefined;
    for (const wake of this.#waiters) {
      if (!this.#takeIfThere()) break;
      this.#waiters.delete(wake);
      wake();
    }
    if (this.#waiters.size > 0) this.#arm();
  };
}
// #endregion TokenBucket
