import { todo } from "#kit/todo.ts";

// #region predictOrder
/**
 * Your prediction: the labels that the event-loop snippet on the lesson page
 * logs, in the order it logs them. The test runs the snippet and compares.
 */
export function predictOrder(): string[] {
  todo("Return the snippet's labels in the order you expect them logged.");
}
// #endregion predictOrder
