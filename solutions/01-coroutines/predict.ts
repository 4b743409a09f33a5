// #region predictOrder
/**
 * Your prediction: the labels that the event-loop snippet on the lesson page
 * logs, in the order it logs them. The test runs the snippet and compares.
 */
export function predictOrder(): string[] {
  return [
    "script start",
    "greet: before await",
    "script end",
    "nextTick",
    "promise.then",
    "queueMicrotask",
    "greet: after await",
    "setImmediate",
    "setTimeout",
  ];
}
// #endregion predictOrder
