/**
 * Borrowing in vitest (`npm test`, `npm run watch`): a resolver that sends an
 * import of an untouched stub of another lesson to its reference twin
 * (./rule.ts). In watch mode, a stub that becomes the learner's own (or goes
 * back to the stub) changes where imports lead: every module is invalidated,
 * and the test files that ran on it run again, now on the learner's code.
 */
import { join } from "node:path";
import type { Plugin } from "vite";
import type { Vitest } from "vitest/node";
import { workbookRoot } from "../catalog.ts";
import { borrowPlan } from "./graph.ts";
import { exerciseAt, redirect } from "./rule.ts";
import { isUntouched, stubFiles } from "./stubs.ts";

const RELEVANT = /^(?:\.{1,2}\/|#exercises\/)/;

export function borrowPlugin(root = workbookRoot): Plugin {
  const untouched = new Map<string, boolean>();
  let vitest: Vitest | undefined;
  return {
    name: "workbook-borrow",
    enforce: "pre",
    async resolveId(source, importer, options) {
      if (!importer || !RELEVANT.test(source)) return null;
      const resolved = await this.resolve(source, importer, {
        ...options,
        skipSelf: true,
      });
      if (!resolved || resolved.external) return resolved;
      const target = redirect(resolved.id, importer, { root });
      return target ? { ...resolved, id: target } : resolved;
    },
    configureVitest(context: { vitest: Vitest }) {
      vitest = context.vitest;
    },
    configureServer(server) {
      for (const file of stubFiles(root))
        untouched.set(file, isUntouched(file, root));
      server.watcher.on("change", (path) => {
        const ref = exerciseAt(path, root);
        if (ref?.tree !== "lessons") return;
        const now = isUntouched(ref.file, root);
        const before = untouched.get(ref.file);
        if (before === undefined || before === now) return;
        untouched.set(ref.file, now);
        for (const environment of Object.values(server.environments))
          environment.moduleGraph.invalidateAll();
        void rerunUsersOf(ref.file);
      });
    },
  } as Plugin;

  /** Runs again the test files that ran on `file`, in either tree. */
  async function rerunUsersOf(file: string): Promise<void> {
    if (!vitest) return;
    const twins = [join(root, file), join(root, "solutions", file.slice(8))];
    const users = vitest.state
      .getFiles()
      .map((task) => task.filepath)
      .filter((test) =>
        borrowPlan([test], { root }).files.some((f) => twins.includes(f)),
      );
    const specifications = users.flatMap((test) =>
      vitest!.getModuleSpecifications(test),
    );
    if (specifications.length > 0)
      await vitest.rerunTestSpecifications(specifications);
  }
}
