/**
 * `npm run agent` starts lesson 12's chat server on http://127.0.0.1:8787
 * with your exercises; `npm run agent -- --solution` with the reference;
 * `--resumable` starts lesson 13's instead (its page survives a reload).
 * Offline (the workbook's fake Claude, scripted to use the tools) unless
 * ANTHROPIC_API_KEY is set. `--port <n>` picks another port.
 */
import { join } from "node:path";
import { workbookRoot } from "./catalog.ts";
import { runAgainstTree } from "./run-tree.ts";

const args = process.argv.slice(2);
const solution = args.includes("--solution") || args.includes("--solutions");
const resumable = args.includes("--resumable");
const portAt = args.indexOf("--port");
const port = portAt === -1 ? "8787" : (args[portAt + 1] ?? "");

// 0 asks for any free port (the kit's tests use it).
if (!/^\d{1,5}$/.test(port) || Number(port) > 65_535) {
  console.error(
    `--port needs a port number from 1 to 65535, got "${port}".\n\n` +
      "Usage: npm run agent [-- --solution] [--resumable] [--port 8787]",
  );
  process.exit(2);
}

console.error(
  `▶ the lesson ${resumable ? "13 (resumable)" : "12"} agent against ${solution ? "solutions/ (the reference)" : "lessons/ (your code)"}\n`,
);
const main = join(workbookRoot, "kit", "agent", "main.ts");
runAgainstTree(main, ["--port", port, ...(resumable ? ["--resumable"] : [])], {
  solution,
  borrow: {
    entries: [main],
    own: [resumable ? "13-resumable" : "12-agent"],
    listLessons: true,
  },
});
