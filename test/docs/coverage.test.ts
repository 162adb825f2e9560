// The docs against the code they describe, without running anything heavy: every public method
// of CompiledModel and every export of the API appears in docs/api.md, and every command of
// docs/tutorial.md names files that exist and options that `latent COMMAND --help` lists.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const read = (rel: string) => readFileSync(join(ROOT, rel), "utf8");
const api = read("docs/api.md");
const tutorial = read("docs/tutorial.md");

describe("docs/api.md covers the API", () => {
  it("mentions every public method of CompiledModel", () => {
    const src = read("src/api/compiled-model.ts");
    const methods = [...src.matchAll(/^ {2}(?:async |get )?([a-zA-Z]+)\(/gm)].map((m) => m[1]!).filter((m) => m !== "constructor");
    expect(methods.length).toBeGreaterThan(10);
    for (const m of methods) expect(api, m).toMatch(new RegExp(`\`${m}[(\`]`));
  });

  it("mentions every export of src/api/index.ts", () => {
    const src = read("src/api/index.ts");
    const names = new Set<string>();
    for (const m of src.matchAll(/^export (?:type )?\{([^}]+)\}/gm)) for (const n of m[1]!.split(",")) names.add(n.trim());
    for (const m of src.matchAll(/^export (?:async )?(?:function|interface|class|const) (\w+)/gm)) names.add(m[1]!);
    expect(names.size).toBeGreaterThan(8);
    for (const n of names) expect(api, n).toContain(n);
  });
});

/** `$ npx latent CMD …` and `$ npx tsx FILE …` lines of the tutorial. */
const commands = tutorial.split("\n").filter((l) => l.startsWith("$ npx "));

describe("docs/tutorial.md commands", () => {
  it("has commands with outputs", () => expect(commands.length).toBeGreaterThan(15));

  it("names files that exist (inputs under examples/)", () => {
    for (const c of commands) for (const f of c.match(/examples\/[\w./-]+\.(?:lvm|ts)/g) ?? []) expect(existsSync(join(ROOT, f)), `${f} in: ${c}`).toBe(true);
  });

  it("uses only options that the CLI lists", () => {
    const helps = new Map<string, string>();
    for (const c of commands) {
      const m = /^\$ npx latent (\w+) /.exec(c);
      if (!m) continue;
      const cmd = m[1]!;
      if (!helps.has(cmd)) helps.set(cmd, execFileSync(process.execPath, [join(ROOT, "bin/latent.mjs"), cmd, "--help"], { cwd: ROOT, encoding: "utf8" }));
      for (const flag of c.match(/ --[a-z-]+/g) ?? []) expect(helps.get(cmd), `${flag.trim()} of: ${c}`).toContain(flag.trim() + " ");
    }
    expect(helps.size).toBeGreaterThanOrEqual(5);
  }, 60_000);
});
