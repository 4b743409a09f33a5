// mistake: a fixed directory name instead of mkdtemp's random one
// expect: let mkdtemp add random characters
import { mkdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
export * from "../../../solutions/05-resources/temp-dir.ts";

export async function tempDir(prefix = "workbook-"): Promise<AsyncDisposable & { readonly path: string }> {
  const path = join(tmpdir(), prefix);
  await mkdir(path, { recursive: true });
  return {
    path,
    async [Symbol.asyncDispose]() {
      await rm(path, { recursive: true, force: true });
    },
  };
}
