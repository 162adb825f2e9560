// The package version, read once from the nearest package.json above this module (src/cli/ when
// run from source, dist/ when run from the bundle).
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

let cached: string | undefined;

export function latentVersion(): string {
  if (cached === undefined) {
    cached = "unknown";
    for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
      const p = join(dir, "package.json");
      if (existsSync(p)) {
        try {
          cached = String((JSON.parse(readFileSync(p, "utf8")) as { version?: string }).version ?? "unknown");
        } catch {
          /* unreadable: unknown */
        }
        break;
      }
      if (dirname(dir) === dir) break;
    }
  }
  return cached;
}
