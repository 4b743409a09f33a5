// mistake: calling start eagerly
// expect: start() ran before anyone awaited
export function lazy<T>(start: () => Promise<T>): PromiseLike<T> {
  return start();
}
