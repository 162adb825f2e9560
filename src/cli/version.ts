// The package version, read once from package.json.
import { readFileSync } from "node:fs";

let cached: string | undefined;

export function latentVersion(): string {
  if (cached === undefined) {
    try {
      cached = String((JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version?: string }).version ?? "unknown");
    } catch {
      cached = "unknown";
    }
  }
  return cached;
}
