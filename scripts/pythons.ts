/**
 * The Python interpreters this machine has, and the Python files of
 * `python/` with the versions each one names. `scripts/python-twins.ts` runs
 * them; `scripts/samples/catalog.ts` takes their output for the pages.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { delimiter, join } from "node:path";
import { workbookRoot } from "../kit/catalog.ts";

/** The minor versions the pages talk about, and 3.7 for lesson 12's claim. */
export const MINORS = ["3.7", "3.8", "3.9", "3.10", "3.11", "3.12", "3.13"];

/** The one version whose output the pages show (every snippet runs on it). */
export const SAMPLE_PYTHON = "3.13";

const patch = (name: string) => Number(name.split(".")[2] ?? 0);

/**
 * Each minor version's interpreter: pyenv's (`$PYENV_ROOT`, else
 * `~/.pyenv`; the newest patch release of each minor), else `python3.X` on
 * the PATH. A version that is missing is not in the map.
 */
export function findPythons(): Map<string, string> {
  const found = new Map<string, string>();
  const root = process.env.PYENV_ROOT ?? join(homedir(), ".pyenv");
  const versions = join(root, "versions");
  const installed = existsSync(versions)
    ? readdirSync(versions).filter((name) => /^3\.\d+\.\d+$/.test(name))
    : [];
  for (const minor of MINORS) {
    const newest = installed
      .filter((name) => name.startsWith(`${minor}.`))
      .sort((a, b) => patch(b) - patch(a))[0];
    const pyenv = newest && join(versions, newest, "bin", "python");
    if (pyenv && existsSync(pyenv)) {
      found.set(minor, pyenv);
      continue;
    }
    const onPath = (process.env.PATH ?? "")
      .split(delimiter)
      .filter(Boolean)
      .map((dir) => join(dir, `python${minor}`))
      .find((file) => existsSync(file));
    if (onPath) found.set(minor, onPath);
  }
  return found;
}

export interface PythonFile {
  /** `02_tasks.py` */
  name: string;
  /** `python/02_tasks.py` */
  path: string;
  /** The minor versions it runs (or compiles) on, from `# versions: A-B`. */
  versions: string[];
  /** Why it is only compiled (`# compile-only: …`), if it is. */
  compileOnly?: string;
  /** A lesson's claims (`NN_slug_facts.py`) rather than a page's snippet. */
  facts: boolean;
}

const minorNumber = (v: string) => Number(v.split(".")[1]);

/**
 * The programs in `python/` (`NN_slug.py`, `NN_slug_facts.py`); the modules
 * they import (`facts.py`, the stand-ins) are not run on their own.
 */
export function listPythonFiles(): PythonFile[] {
  const folder = join(workbookRoot, "python");
  return readdirSync(folder)
    .filter((name) => /^\d\d_[a-z0-9_]+\.py$/.test(name))
    .sort()
    .map((name) => {
      const path = `python/${name}`;
      const text = readFileSync(join(folder, name), "utf8");
      const range = /^# versions: (3\.\d+)(?:-(3\.\d+))?$/m.exec(text);
      if (!range) {
        throw new Error(`${path} has no "# versions: 3.X-3.Y" line`);
      }
      const [low, high = low] = [range[1]!, range[2]];
      const versions = MINORS.filter(
        (v) =>
          minorNumber(v) >= minorNumber(low) &&
          minorNumber(v) <= minorNumber(high),
      );
      const compileOnly = /^# compile-only: (.+)$/m.exec(text)?.[1];
      return {
        name,
        path,
        versions,
        compileOnly,
        facts: name.endsWith("_facts.py"),
      };
    });
}

/** What a Python child needs: no `__pycache__` in the checkout, no colour. */
export function pythonEnv(): NodeJS.ProcessEnv {
  return { ...process.env, PYTHONDONTWRITEBYTECODE: "1", NO_COLOR: "1" };
}

/**
 * Compiles without running and without writing a `.pyc` (what
 * `python -m py_compile` checks, but it would write one).
 */
export const COMPILE = [
  "-c",
  "import sys; path = sys.argv[1]; " +
    "compile(open(path, encoding='utf-8').read(), path, 'exec')",
];
