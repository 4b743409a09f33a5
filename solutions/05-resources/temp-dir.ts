import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

// #region tempDir
/**
 * Creates a fresh directory under the system's temp folder, named `prefix` plus
 * random characters: the twin of Python's `tempfile.TemporaryDirectory`.
 * Disposing removes it with everything inside; disposing again does nothing.
 *
 * @example
 * await using dir = await tempDir("export-");
 * await writeFile(join(dir.path, "report.csv"), csv);
 */
export async function tempDir(
  prefix = "workbook-",
): Promise<AsyncDisposable & { readonly path: string }> {
  // mkdtemp adds random characters: two calls (or two test files running at
  // once) never collide.
  const path = await mkdtemp(join(tmpdir(), prefix));
  return {
    path,
    async [Symbol.asyncDispose]() {
      // recursive: the directory is rarely empty; force: removing it twice is
      // not an error.
      await rm(path, { recursive: true, force: true });
    },
  };
}
// #endregion tempDir
