import { todo } from "#kit/todo.ts";
import type { Tool } from "./tools.ts";

// #region calculator
/**
 * Arithmetic for the model, which is bad at it: `+ - * / ^`, parentheses and
 * unary minus, parsed by hand (no `eval`, no `Function`: the input comes from
 * a model, and a model's input is untrusted). `^` binds tighter than unary
 * minus and is right-associative, as in mathematics and Python's `**`:
 * `-2^2` is -4 and `2^3^2` is 512. Division by zero, a result that is not
 * finite, or anything left over after the expression is an error.
 *
 * @example
 * await calculator.run({ expression: "(1 + 2) * -3^2" }, signal); // "-27"
 */
export const calculator: Tool = {
  name: "calculator",
  description:
    "Evaluates an arithmetic expression: numbers, + - * / ^ " +
    "(power), parentheses and unary minus. Use it for any arithmetic.",
  inputSchema: {
    type: "object",
    properties: {
      expression: { type: "string", description: "For example (2+3)*4^2" },
    },
    required: ["expression"],
  },
  async run(input: unknown): Promise<string> {
    return todo("calculator: parse input.expression by hand; no eval");
  },
};
// #endregion calculator
