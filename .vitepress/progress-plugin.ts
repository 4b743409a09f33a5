/**
 * The learner's progress on the site: `.workbook/progress.json` (written by
 * `npm test` and `npm run watch`) served as the module
 * `virtual:workbook-progress`. `vitepress dev` watches the file and sends the
 * new record over HMR, so an open page updates when the tests re-run;
 * `vitepress build` always serves no record, so the built site never holds
 * anyone's progress.
 */
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import type { UserConfig } from "vitepress";
import { isUntouched } from "../kit/borrow/stubs.ts";
import {
  readRecord,
  recordPath,
  type ProgressRecord,
} from "../kit/progress/record.ts";
import { comparisons, type Comparisons } from "./compare.ts";

/** What the site gets: the record, and the comparisons of done exercises. */
export interface SiteRecord extends ProgressRecord {
  compare: Comparisons;
}

/**
 * The record as it stands now: a borrowed stub the learner has since
 * started is no longer borrowed.
 */
async function siteRecord(record: ProgressRecord): Promise<SiteRecord> {
  const lessons = Object.fromEntries(
    Object.entries(record.lessons).map(([id, lesson]) => {
      const borrowed = lesson.borrowed?.filter((b) => isUntouched(b.file));
      return [id, { ...lesson, borrowed }];
    }),
  );
  return { ...record, lessons, compare: await comparisons(record) };
}

/** A plugin for VitePress's own Vite (5), not the workbook's (8). */
type Plugin = Extract<
  NonNullable<NonNullable<UserConfig["vite"]>["plugins"]>[number],
  { name: string }
>;

export const PROGRESS_MODULE = "virtual:workbook-progress";
const RESOLVED = `\0${PROGRESS_MODULE}`;

export function progressPlugin(path = recordPath()): Plugin {
  let serving = false;
  return {
    name: "workbook-progress",
    configResolved(config) {
      serving = config.command === "serve";
    },
    resolveId(id) {
      return id === PROGRESS_MODULE ? RESOLVED : undefined;
    },
    async load(id) {
      if (id !== RESOLVED) return undefined;
      const found = serving ? readRecord(path) : undefined;
      const record = found ? await siteRecord(found) : null;
      // The ref outlives each update (import.meta.hot.data), so the pages
      // that imported the first version see every later one.
      return [
        `import { shallowRef } from "vue";`,
        `const record = ${JSON.stringify(record)};`,
        `export const progress =`,
        `  import.meta.hot?.data.progress ?? shallowRef(record);`,
        `progress.value = record;`,
        `if (import.meta.hot) {`,
        `  import.meta.hot.data.progress = progress;`,
        `  import.meta.hot.accept();`,
        `}`,
      ].join("\n");
    },
    configureServer(server) {
      // Watch the folder: the reporter replaces the file by renaming.
      mkdirSync(dirname(path), { recursive: true });
      server.watcher.add(dirname(path));
      const changed = (file: string) => {
        if (file !== path) return;
        const module = server.moduleGraph.getModuleById(RESOLVED);
        if (module) void server.reloadModule(module);
      };
      server.watcher.on("add", changed);
      server.watcher.on("change", changed);
      server.watcher.on("unlink", changed);
    },
  };
}
