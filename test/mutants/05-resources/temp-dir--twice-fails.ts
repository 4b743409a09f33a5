// mistake: a second dispose fails because the directory is already gone
// expect: removing a directory that is already gone should not be an error
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
export * from "../../../solutions/05-resources/temp-dir.ts";

export async function tempDir(prefix = "workbook-"): Promise<AsyncDisposable & { readonly path: string }> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  return {
    path,
    async [Symbol.asyncDispose]() {
      await rm(path, { recursive: true });
    },
  };
}
