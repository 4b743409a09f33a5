/**
 * `npm run stubs` writes `kit/stubs.json`, the hash of every exercise stub in
 * `lessons/`, from which the kit tells an untouched stub (borrowed from the
 * reference by the lessons that build on it) from the learner's own work;
 * `npm run stubs -- --check` fails when a stub changed without it (part of
 * `npm run typecheck:all`). Run it on the committed stubs, never on a
 * learner's checkout.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { workbookRoot } from "../kit/catalog.ts";
import {
  hashSource,
  manifestPath,
  stubFiles,
  type StubHashes,
} from "../kit/borrow/stubs.ts";

const hashes: StubHashes = Object.fromEntries(
  stubFiles().map((file) => [
    file,
    hashSource(readFileSync(join(workbookRoot, file), "utf8")),
  ]),
);
const text = JSON.stringify(hashes, null, 2) + "\n";

if (process.argv.includes("--check")) {
  let current = "";
  try {
    current = readFileSync(manifestPath(), "utf8");
  } catch {
    // missing: reported below
  }
  if (current !== text) {
    console.error(
      "kit/stubs.json does not match the stubs in lessons/: run `npm run stubs` " +
        "(on the committed stubs) and commit it.",
    );
    process.exitCode = 1;
  } else console.log(`stubs: ${Object.keys(hashes).length} stub files hashed`);
} else {
  writeFileSync(manifestPath(), text);
  console.log(`kit/stubs.json: ${Object.keys(hashes).length} stub files`);
}
