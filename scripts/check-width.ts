/**
 * Prettier wraps code at 80 columns but leaves comments and strings alone.
 * Lesson code is read on the pages and in a learner's editor, so no line in
 * lessons/, solutions/, test/fixtures/ or python/ (the pages show it) may be
 * wider. Part of `npm run verify`.
 */
import { readFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { workbookRoot } from "../kit/catalog.ts";

const WIDTH = 80;
const files = spawnSync(
  "git",
  [
    "ls-files",
    "-co",
    "--exclude-standard",
    "lessons/*.ts",
    "solutions/*.ts",
    "test/fixtures/*.ts",
    "python/*.py",
  ],
  { cwd: workbookRoot, encoding: "utf8" },
)
  .stdout.split("\n")
  .filter(Boolean);

const wide = files.flatMap((file) =>
  readFileSync(`${workbookRoot}/${file}`, "utf8")
    .split("\n")
    .map((line, i) => ({ file, line: i + 1, length: [...line].length }))
    .filter(({ length }) => length > WIDTH),
);
for (const { file, line, length } of wide) {
  console.error(
    `${file}:${line} is ${length} characters wide (at most ${WIDTH})`,
  );
}
console.log(
  `width: ${files.length} files, ${wide.length} line(s) wider than ${WIDTH}`,
);
process.exitCode = wide.length > 0 ? 1 : 0;
