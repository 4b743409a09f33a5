// mistake: removing the directory without its contents
// expect: needs rm(path, { recursive: true })
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
export * from "../../../solutions/05-resources/temp-dir.ts";

export async function tempDir(prefix = "workbook-"): Promise<AsyncDisposable & { readonly path: string }> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  return {
    path,
    async [Symbol.asyncDispose]() {
      await rm(path, { force: true });
    },
  };
}
