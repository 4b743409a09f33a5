/**
 * Borrowing in vitest (`npm test`, `npm run watch`): a resolver that sends an
 * import of an untouched stub of another lesson to its reference twin
 * (./rule.ts). In watch mode, a stub that becomes the learner's own (or goes
 * back to the stub) changes where imports lead, so every module is
 * invalidated and the next run resolves afresh.
 */
import type { Plugin } from "vite";
import { workbookRoot } from "../catalog.ts";
import { exerciseAt, redirect } from "./rule.ts";
import { isUntouched, stubFiles } from "./stubs.ts";

const RELEVANT = /^(?:\.{1,2}\/|#exercises\/)/;

export function borrowPlugin(root = workbookRoot): Plugin {
  const untouched = new Map<string, boolean>();
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
      });
    },
  };
}
