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
    const expression = (input as { expression?: unknown } | null)?.expression;
    if (typeof expression !== "string")
      throw new TypeError('calculator needs { "expression": "<arithmetic>" }');
    if (expression.length > 1_000)
      throw new RangeError("the expression is longer than 1,000 characters");
    const result = new Parser(expression).parse();
    if (!Number.isFinite(result))
      throw new RangeError(`${expression} is not a finite number`);
    return String(result);
  },
};
// #endregion calculator

// #region Parser
/**
 * A recursive-descent parser that evaluates as it goes. One method per
 * precedence level, loosest first; each calls the next tighter one:
 *
 *   sum     = product (("+" | "-") product)*
 *   product = unary (("*" | "/") unary)*
 *   unary   = "-" unary | power
 *   power   = atom ("^" unary)?      right-associative: recurse, don't loop
 *   atom    = number | "(" sum ")"
 */
class Parser {
  #at = 0;

  constructor(readonly text: string) {}

  parse(): number {
    const value = this.#sum();
    this.#skipSpace();
    // Without this check "2 3" would quietly be 2.
    if (this.#at < this.text.length) throw this.#unexpected();
    return value;
  }

  #sum(): number {
    let value = this.#product();
    for (let op = this.#take("+-"); op; op = this.#take("+-")) {
      const right = this.#product();
      value = op === "+" ? value + right : value - right;
    }
    return value;
  }

  #product(): number {
    let value = this.#unary();
    for (let op = this.#take("*/"); op; op = this.#take("*/")) {
      const right = this.#unary();
      if (op === "/" && right === 0) throw new RangeError("division by zero");
      value = op === "*" ? value * right : value / right;
    }
    return value;
  }

  #unary(): number {
    // Below power, so that -2^2 is -(2^2).
    return this.#take("-") ? -this.#unary() : this.#power();
  }

  #power(): number {
    const base = this.#atom();
    // The exponent is a unary, not an atom: 2^-1 is 0.5, and 2^3^2 recurses
    // to 2^(3^2). A loop here would make it (2^3)^2.
    return this.#take("^") ? base ** this.#unary() : base;
  }

  #atom(): number {
    if (this.#take("(")) {
      const value = this.#sum();
      if (!this.#take(")")) throw this.#unexpected("a closing parenthesis");
      return value;
    }
    this.#skipSpace();
    const number = /^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/.exec(
      this.text.slice(this.#at),
    )?.[0];
    if (number === undefined) throw this.#unexpected("a number");
    this.#at += number.length;
    return Number(number);
  }

  /** Consumes the next character if it is one of `chars`. */
  #take(chars: string): string | undefined {
    this.#skipSpace();
    const next = this.text[this.#at];
    if (next === undefined || !chars.includes(next)) return undefined;
    this.#at += 1;
    return next;
  }

  #skipSpace(): void {
    while (/\s/.test(this.text[this.#at] ?? "")) this.#at += 1;
  }

  #unexpected(wanted?: string): SyntaxError {
    const found = this.text[this.#at];
    const what = found === undefined ? "the end" : `"${found}"`;
    return new SyntaxError(
      `${wanted ? `expected ${wanted} but found` : "unexpected"} ${what} ` +
        `at position ${this.#at + 1} of ${JSON.stringify(this.text)}`,
    );
  }
}
// #endregion Parser
