/**
 * The docs build's time, written by scripts/timed-build.ts beside VitePress's
 * cache and read back by the browser check, which reports it.
 */
import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** The longest the docs build may take, in seconds. */
export const BUILD_BUDGET_S = 20;

const record = (dist: string) => join(dist, "..", "cache", "build-time.json");

interface BuildTime {
  seconds: number;
  /** The built index.html's mtime: a later build without timing voids it. */
  indexMtimeMs: number;
}

export function saveBuildTime(dist: string, seconds: number): void {
  const time: BuildTime = {
    seconds,
    indexMtimeMs: statSync(join(dist, "index.html")).mtimeMs,
  };
  writeFileSync(record(dist), JSON.stringify(time) + "\n");
}

/** The time of the build in `dist`, if scripts/timed-build.ts made it. */
export function lastBuild(dist: string): number | undefined {
  if (!existsSync(record(dist))) return undefined;
  const time = JSON.parse(readFileSync(record(dist), "utf8")) as BuildTime;
  const mtime = statSync(join(dist, "index.html")).mtimeMs;
  return time.indexMtimeMs === mtime ? time.seconds : undefined;
}
