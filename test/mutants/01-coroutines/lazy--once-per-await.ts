// mistake: calling start once per await
// expect: keep the first promise and hand it to every awaiter
export function lazy<T>(start: () => Promise<T>): PromiseLike<T> {
  return { then: (onFulfilled, onRejected) => start().then(onFulfilled, onRejected) };
}
