/**
 * `vitepress build`, timed: prints how long the site took to build and
 * records it for the browser check, which reports it against the 20 s budget.
 *
 * Usage: tsx scripts/timed-build.ts
 */
import { spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { workbookRoot } from "../kit/catalog.ts";
import { BUILD_BUDGET_S, saveBuildTime } from "./browser/build-time.ts";

const started = performance.now();
const build = spawnSync(
  join(workbookRoot, "node_modules", ".bin", "vitepress"),
  ["build"],
  { cwd: workbookRoot, stdio: "inherit" },
);
const seconds = (performance.now() - started) / 1000;
if (build.status !== 0) process.exit(build.status ?? 1);

const vitepress = join(workbookRoot, ".vitepress");
mkdirSync(join(vitepress, "cache"), { recursive: true });
saveBuildTime(join(vitepress, "dist"), seconds);
console.log(
  `The site built in ${seconds.toFixed(1)} s (at most ${BUILD_BUDGET_S} s).`,
);
