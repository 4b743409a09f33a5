/**
 * Counts calls in flight and their peak: concurrency asserted by counting, not
 * by timing.
 */
export interface InFlight {
  /** Calls started and not yet settled. */
  readonly active: number;
  /** The most calls that were ever in flight at once. */
  readonly peak: number;
  /** Arguments of every call, in the order they started. */
  readonly started: readonly string[];
  /** Wraps `fn` so its calls are counted. */
  wrap<A extends unknown[], R>(
    fn: (...args: A) => Promise<R>,
  ): (...args: A) => Promise<R>;
}

export function inFlight(): InFlight {
  let active = 0;
  let peak = 0;
  const started: string[] = [];
  return {
    get active() {
      return active;
    },
    get peak() {
      return peak;
    },
    started,
    wrap(fn) {
      return async (...args) => {
        active += 1;
        peak = Math.max(peak, active);
        started.push(args.map(String).join(","));
        try {
          return await fn(...args);
        } finally {
          active -= 1;
        }
      };
    },
  };
}
