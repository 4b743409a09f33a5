import { todo } from "#kit/todo.ts";

// #region TokenBucket
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
  /**
   * @throws RangeError when `capacity` is not a positive integer or
   * `refillPerSecond` is not a positive, finite number.
   */
  constructor(options: { capacity: number; refillPerSecond: number }) {
    todo("Check the options; start full, and note the time.");
  }

  /**
   * Takes a token if one is there right now, and says whether it did. Always
   * false while someone waits in `take()`: the next token is theirs.
   */
  tryTake(): boolean {
    return todo("False while anyone waits; else refill, take one if there.");
  }

  /**
   * Resolves once a token is taken: at once when one is there and nobody
   * waits, else in line, when its token is due. When `signal` aborts first,
   * rejects with `signal.reason` and leaves the line without a token.
   */
  take(signal?: AbortSignal): Promise<void> {
    todo("Take one now if you may, else wait in line; one timer at most.");
  }
}
// #endregion TokenBucket
