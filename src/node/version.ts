// The package version, read once from the nearest package.json above this module (src/node/ when
// run from source, dist/ when run from the bundle). The CLI and the REPL both print or record it.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

let cached: string | undefined;

/** The directory of the nearest package.json above this module: the package's root. */
export function packageRoot(): string | undefined {
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    if (existsSync(join(dir, "package.json"))) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}

export function latentVersion(): string {
  if (cached === undefined) {
    cached = "unknown";
    const root = packageRoot();
    if (root) {
      try {
        cached = String((JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { version?: string }).version ?? "unknown");
      } catch {
        /* unreadable: unknown */
      }
    }
  }
  return cached;
}
