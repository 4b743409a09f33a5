/**
 * Where an exercise file's exercises and stubs are, by line: which exported
 * function, class or object a line belongs to, and which bodies are still a
 * single `todo(...)` call.
 */
import ts from "typescript";

interface Span {
  name: string;
  /** 1-based, inclusive. */
  start: number;
  end: number;
  text: string;
}

export interface Spans {
  file: string;
  /** Top-level exported declarations: the exercises. */
  exports: Span[];
  /** Top-level declarations that are not exported: their helpers. */
  helpers: Span[];
  /** First lines of functions with a body that is not only `todo(...)`. */
  written: number[];
  /** Functions whose body is only `todo(...)`, signature included. */
  stubs: Omit<Span, "name" | "text">[];
  /**
   * First lines of the signatures the stub gives (exported functions, the
   * methods of exported classes and objects) and of iterator methods: whether
   * they are `async` is the contract's choice, not the learner's.
   */
  given: number[];
}

const ITERATOR_METHODS = new Set(["next", "return", "throw"]);

export function exerciseSpans(source: string, file: string): Spans {
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true);
  const line = (pos: number) => sf.getLineAndCharacterOfPosition(pos).line + 1;
  const span = (name: string, node: ts.Node): Span => ({
    name,
    start: line(node.getStart(sf)),
    end: line(node.getEnd()),
    text: node.getText(sf),
  });
  const spans: Spans = {
    file,
    exports: [],
    helpers: [],
    stubs: [],
    written: [],
    given: [],
  };
  for (const statement of sf.statements) {
    const exported = ts
      .getModifiers(statement as ts.HasModifiers)
      ?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
    const list = exported ? spans.exports : spans.helpers;
    if (exported) spans.given.push(...signatures(statement));
    if (
      (ts.isFunctionDeclaration(statement) ||
        ts.isClassDeclaration(statement)) &&
      statement.name
    ) {
      list.push(span(statement.name.text, statement));
    } else if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        if (ts.isIdentifier(declaration.name))
          list.push(span(declaration.name.text, statement));
      }
    }
  }
  function signatures(statement: ts.Statement): number[] {
    const start = (node: ts.Node) => line(node.getStart(sf));
    if (ts.isFunctionDeclaration(statement)) return [start(statement)];
    const members = ts.isClassDeclaration(statement)
      ? statement.members
      : ts.isVariableStatement(statement)
        ? statement.declarationList.declarations.flatMap((d) =>
            d.initializer && ts.isObjectLiteralExpression(d.initializer)
              ? [...d.initializer.properties]
              : [],
          )
        : [];
    return members.map(start);
  }
  const visit = (node: ts.Node): void => {
    // An iterator's return() often answers at once: `async` there keeps the
    // protocol's promise, it is no forgotten await.
    if (
      ts.isMethodDeclaration(node) &&
      ts.isObjectLiteralExpression(node.parent) &&
      ts.isIdentifier(node.name) &&
      ITERATOR_METHODS.has(node.name.text)
    ) {
      spans.given.push(line(node.getStart(sf)));
    }
    if (ts.isFunctionLike(node) && "body" in node && isTodoBody(node.body)) {
      spans.stubs.push({
        start: line(node.getStart(sf)),
        end: line(node.getEnd()),
      });
      return;
    }
    if (ts.isFunctionLike(node) && "body" in node && node.body)
      spans.written.push(line(node.getStart(sf)));
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return spans;
}

/** `{ todo("…"); }` or `{ return todo("…"); }` */
function isTodoBody(body: unknown): boolean {
  if (!body || !ts.isBlock(body as ts.Node)) return false;
  const statements = (body as ts.Block).statements;
  if (statements.length !== 1) return false;
  const statement = statements[0]!;
  const expression = ts.isExpressionStatement(statement)
    ? statement.expression
    : ts.isReturnStatement(statement)
      ? statement.expression
      : undefined;
  return (
    expression !== undefined &&
    ts.isCallExpression(expression) &&
    ts.isIdentifier(expression.expression) &&
    expression.expression.text === "todo"
  );
}

/**
 * True once some exercise in the file has code of its own: a function inside
 * an export whose body is not only `todo(...)`. Other files need no lint.
 */
export function isAttempted(spans: Spans): boolean {
  return spans.written.some((line) =>
    spans.exports.some((span) => span.start <= line && line <= span.end),
  );
}

/** `require-await` on a signature the stub gave is not the learner's doing. */
export function isGivenSignature(spans: Spans, line: number): boolean {
  return spans.given.includes(line);
}

export function isInStub(spans: Spans, line: number): boolean {
  return spans.stubs.some((stub) => stub.start <= line && line <= stub.end);
}

/**
 * The exercise a line belongs to: the export around it; for a helper, the
 * first export that uses it; else the file's first export.
 */
export function exerciseAt(spans: Spans, line: number): string {
  const within = (span: Span) => span.start <= line && line <= span.end;
  const exported = spans.exports.find(within);
  if (exported) return exported.name;
  const helper = spans.helpers.find(within);
  const user =
    helper &&
    spans.exports.find((span) =>
      new RegExp(String.raw`\b${helper.name}\b`).test(span.text),
    );
  return (
    user?.name ??
    spans.exports[0]?.name ??
    spans.file.replace(/^.*\//, "").replace(/\.ts$/, "")
  );
}
