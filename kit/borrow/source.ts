/**
 * For code that reads another lesson's exercise file rather than importing
 * it (lesson 12 serves your lesson 09 parser to the browser): the file that
 * runs in its place, by the same rule as an import. Borrowing is on in the
 * learner's runs only (`WORKBOOK_BORROW`, set by vitest's config and by
 * ./register.ts); the reference runs read what they name.
 */
import { fileURLToPath } from "node:url";
import { redirect } from "./rule.ts";

export function exerciseSource(path: string, importerUrl: string): string {
  if (!process.env.WORKBOOK_BORROW) return path;
  const own = (process.env.WORKBOOK_OWN ?? "").split(",").filter(Boolean);
  return (
    redirect(path, fileURLToPath(importerUrl), { own: new Set(own) }) ?? path
  );
}
