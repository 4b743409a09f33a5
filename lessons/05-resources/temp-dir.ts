import { todo } from "#kit/todo.ts";

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
  todo("mkdtemp under os.tmpdir(); dispose removes it with everything in it.");
}
// #endregion tempDir
