// `check`, `graph` and `--help` must stay fast: they never load TensorFlow.js or the backend.
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = new URL("../..", import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), "latent-spy-"));
// A resolve hook that logs every module specifier the process asks for.
writeFileSync(join(dir, "hooks.mjs"), 'export async function resolve(s, c, n) { process.stderr.write(`RESOLVE ${s}\\n`); return n(s, c); }\n');
writeFileSync(join(dir, "spy.mjs"), `import { register } from "node:module";\nregister(${JSON.stringify(pathToFileURL(join(dir, "hooks.mjs")).href)});\n`);

function resolved(...args: string[]): string[] {
  const r = spawnSync(process.execPath, ["--import", pathToFileURL(join(dir, "spy.mjs")).href, "bin/latent.mjs", ...args], { cwd: ROOT, encoding: "utf8" });
  return r.stderr.split("\n").filter((l) => l.startsWith("RESOLVE ")).map((l) => l.slice(8));
}

describe("lazy imports", () => {
  it("check, graph and --help do not load TensorFlow.js", () => {
    for (const args of [["check", "examples/vae-mnist/model.lvm"], ["graph", "examples/gaussian-mixture/model.lvm"], ["--help"]]) {
      const specs = resolved(...args);
      expect(specs.length).toBeGreaterThan(5); // the spy works
      expect(specs.filter((s) => s.includes("@tensorflow") || s.includes("/backend/"))).toEqual([]);
    }
  });
  it("--help does not load the parser either", () => {
    expect(resolved("--help").filter((s) => s.includes("chevrotain") || s.includes("frontend"))).toEqual([]);
  });
});
