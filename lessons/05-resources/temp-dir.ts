import { todo } from "#kit/todo.ts";

// #region tempDir
/**
 * Creates a fresh directory under the system's temp folder, named `prefix` plus random
 * characters: the twin of Python's `tempfile.TemporaryDirectory`. Disposing removes it with
 * everything inside; disposing again does nothing.
 *
 * @example
 * await using dir = await tempDir("export-");
 * await writeFile(join(dir.path, "report.csv"), csv);
 */
export async function tempDir(prefix = "workbook-"): Promise<AsyncDisposable & { readonly path: string }> {
  todo("Create the directory with mkdtemp under os.tmpdir(), and return { path, [Symbol.asyncDispose] } that removes it with rm.");
}
// #endregion tempDir
