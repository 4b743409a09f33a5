/**
 * Proves that every exercise file in `lessons/` exports the same names, with
 * the same types, as its twin in `solutions/`: the learner's stub and the
 * reference can never drift apart. Private members are the learner's business
 * and are not compared. Part of `npm run typecheck`.
 */
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";
import { workbookRoot } from "../kit/catalog.ts";

function exerciseFiles(tree: "lessons" | "solutions"): string[] {
  const root = join(workbookRoot, tree);
  if (!existsSync(root)) return [];
  return readdirSync(root, { recursive: true, encoding: "utf8" })
    .filter(
      (file) =>
        file.endsWith(".ts") &&
        !file.endsWith("demo.ts") &&
        /^\d\d-/.test(file),
    )
    .map((file) => file.split("\\").join("/"))
    .sort();
}

const FLAGS =
  ts.TypeFormatFlags.NoTruncation | ts.TypeFormatFlags.UseFullyQualifiedType;

function publicMembers(
  checker: ts.TypeChecker,
  type: ts.Type,
  at: ts.Node,
): string[] {
  return checker
    .getPropertiesOfType(type)
    .filter((member) => {
      const modifiers = ts.getCombinedModifierFlags(
        (member.valueDeclaration ??
          member.declarations?.[0] ??
          at) as ts.Declaration,
      );
      return (
        !(
          modifiers &
          (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)
        ) &&
        !member.name.startsWith("#") &&
        !member.name.startsWith("__#")
      );
    })
    .map(
      (member) =>
        `${member.name.replace(/^__@(\w+)@\d+$/, "[Symbol.$1]")}: ${checker.typeToString(checker.getTypeOfSymbolAtLocation(member, at), at, FLAGS)}`,
    )
    .sort();
}

function describeExport(
  checker: ts.TypeChecker,
  symbol: ts.Symbol,
  at: ts.Node,
): string {
  const target =
    symbol.flags & ts.SymbolFlags.Alias
      ? checker.getAliasedSymbol(symbol)
      : symbol;
  const parts: string[] = [];
  if (target.flags & ts.SymbolFlags.Class) {
    const staticSide = checker.getTypeOfSymbolAtLocation(target, at);
    parts.push(
      ...staticSide
        .getConstructSignatures()
        .map((s) => `new ${checker.signatureToString(s, at, FLAGS)}`),
    );
    parts.push(
      ...publicMembers(checker, staticSide, at)
        .filter((m) => !m.startsWith("prototype:"))
        .map((m) => `static ${m}`),
    );
    parts.push(
      ...publicMembers(checker, checker.getDeclaredTypeOfSymbol(target), at),
    );
  } else if (target.flags & ts.SymbolFlags.Interface) {
    const declared = checker.getDeclaredTypeOfSymbol(target);
    parts.push(...publicMembers(checker, declared, at));
    parts.push(
      ...declared
        .getCallSignatures()
        .map((s) => checker.signatureToString(s, at, FLAGS)),
    );
  } else if (target.flags & ts.SymbolFlags.TypeAlias) {
    parts.push(
      checker.typeToString(
        checker.getDeclaredTypeOfSymbol(target),
        at,
        FLAGS | ts.TypeFormatFlags.InTypeAlias,
      ),
    );
  } else {
    parts.push(
      checker.typeToString(
        checker.getTypeOfSymbolAtLocation(target, at),
        at,
        FLAGS,
      ),
    );
  }
  return parts.join("\n    ");
}

function exportsOf(program: ts.Program, file: string): Map<string, string> {
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(file);
  const moduleSymbol = source && checker.getSymbolAtLocation(source);
  const result = new Map<string, string>();
  if (!source || !moduleSymbol) return result;
  for (const symbol of checker.getExportsOfModule(moduleSymbol)) {
    result.set(symbol.name, describeExport(checker, symbol, source));
  }
  return result;
}

function main(): void {
  const lessons = exerciseFiles("lessons");
  const solutions = exerciseFiles("solutions");
  const problems: string[] = [];
  for (const file of solutions.filter((f) => !lessons.includes(f)))
    problems.push(`solutions/${file} has no stub in lessons/${file}`);
  for (const file of lessons.filter((f) => !solutions.includes(f)))
    problems.push(`lessons/${file} has no reference in solutions/${file}`);

  const pairs = lessons.filter((f) => solutions.includes(f));
  const paths = pairs.flatMap((f) => [
    join(workbookRoot, "lessons", f),
    join(workbookRoot, "solutions", f),
  ]);
  const config = ts.getParsedCommandLineOfConfigFile(
    join(workbookRoot, "tsconfig.json"),
    {},
    { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} },
  );
  const program = ts.createProgram(paths, config?.options ?? {});

  for (const file of pairs) {
    const stub = exportsOf(program, join(workbookRoot, "lessons", file));
    const reference = exportsOf(program, join(workbookRoot, "solutions", file));
    for (const [name, type] of reference) {
      const stubType = stub.get(name);
      if (stubType === undefined)
        problems.push(`lessons/${file} does not export ${name}`);
      else if (stubType !== type)
        problems.push(
          `lessons/${file}: ${name} differs from the reference\n  stub:      ${stubType}\n  reference: ${type}`,
        );
    }
    for (const name of stub.keys()) {
      if (!reference.has(name))
        problems.push(
          `lessons/${file} exports ${name}, which solutions/${file} does not`,
        );
    }
  }
  for (const problem of problems) console.error(`twins: ${problem}`);
  console.log(
    `twins: ${pairs.length} exercise files compared, ${problems.length} problem(s)`,
  );
  if (problems.length > 0) process.exitCode = 1;
}

main();
