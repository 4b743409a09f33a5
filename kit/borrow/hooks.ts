/**
 * Node's module hooks for the learner's runs outside vitest (`npm run demo`,
 * `bench`, `agent`): the same redirect as the vitest resolver (./rule.ts).
 * Registered by ./register.ts; runs on Node's hooks thread.
 */
import { fileURLToPath, pathToFileURL } from "node:url";
import { redirect } from "./rule.ts";

interface Data {
  own: string[];
}

interface Resolved {
  url: string;
  format?: string | null;
  shortCircuit?: boolean;
}

type NextResolve = (
  specifier: string,
  context: { parentURL?: string },
) => Promise<Resolved>;

let own = new Set<string>();

export function initialize(data: Data | undefined): void {
  own = new Set(data?.own ?? []);
}

export async function resolve(
  specifier: string,
  context: { parentURL?: string },
  nextResolve: NextResolve,
): Promise<Resolved> {
  const resolved = await nextResolve(specifier, context);
  if (!resolved.url.startsWith("file:")) return resolved;
  const importer = context.parentURL?.startsWith("file:")
    ? fileURLToPath(context.parentURL)
    : undefined;
  const target = redirect(fileURLToPath(resolved.url), importer, { own });
  return target
    ? { ...resolved, url: pathToFileURL(target).href, shortCircuit: true }
    : resolved;
}
