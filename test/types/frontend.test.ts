import { describe, expect, it } from "vitest";
import { loadModelSource } from "../../src/api/frontend.ts";
import { at } from "./helpers.ts";

const MODEL = `model M {\n  data x: real[N]\n  latent m: real\n  m ~ Normal(0, 1)\n  x ~ Normal(m, 1)\n}\n`;
const GUIDE = (path: string) => `import "${path}"\nguide Q for M {\n  param a: real\n  m ~ Normal(a, 1)\n}\n`;

function fs(files: Record<string, string>) {
  return { readFile: (abs: string) => files[abs] };
}

describe("frontend: parse → imports → check → lower", () => {
  it("makes imported blocks visible (relative to the importing file)", () => {
    const r = loadModelSource(GUIDE("lib/m.lvm"), "/p/main.lvm", fs({ "/p/lib/m.lvm": MODEL }));
    expect(r.diagnostics).toEqual([]);
    expect(r.graphs.map((g) => [g.name, g.file, g.guides.map((x) => x.name)])).toEqual([["M", "/p/lib/m.lvm", ["Q"]]]);
  });

  it("resolves nested imports relative to each file and loads shared files once", () => {
    const files = {
      "/p/lib/a.lvm": `import "b.lvm"\nimport "../c.lvm"\n`,
      "/p/lib/b.lvm": `import "../c.lvm"\n`,
      "/p/c.lvm": MODEL,
    };
    const r = loadModelSource(GUIDE("lib/a.lvm"), "/p/main.lvm", fs(files));
    expect(r.diagnostics).toEqual([]);
    expect(r.graphs).toHaveLength(1);
  });

  it("lists the root file's models before imported ones", () => {
    const r = loadModelSource(`import "lib.lvm"\nmodel Own {\n  data y: real[N]\n  y ~ Normal(0, 1)\n}\n`, "/p/main.lvm", fs({ "/p/lib.lvm": MODEL }));
    expect(r.diagnostics).toEqual([]);
    expect(r.graphs.map((g) => g.name)).toEqual(["Own", "M"]);
  });

  it("reports a missing file", () => {
    const r = loadModelSource(GUIDE("nope.lvm"), "/p/main.lvm", fs({}));
    expect(r.diagnostics.map((d) => [d.code, at(d)])).toEqual([["I001", "1:1"]]);
    expect(r.graphs).toEqual([]);
  });

  it("refuses imports that escape the root file's directory", () => {
    for (const p of ["/etc/passwd", "/etc/passwd.lvm", "../../x.lvm", "lib/../../x.lvm"]) {
      const r = loadModelSource(GUIDE(p), "/p/q/main.lvm", fs({ "/etc/passwd.lvm": MODEL, "/x.lvm": MODEL, "/p/x.lvm": MODEL }));
      expect(r.diagnostics.map((d) => d.code), p).toEqual(["I002"]);
    }
    // An imported file may not escape either.
    const r = loadModelSource(GUIDE("lib/a.lvm"), "/p/main.lvm", fs({ "/p/lib/a.lvm": `import "../../etc.lvm"\n` }));
    expect(r.diagnostics.map((d) => [d.code, d.span?.file])).toEqual([["I002", "/p/lib/a.lvm"]]);
  });

  it("reports only .lvm imports", () => {
    expect(loadModelSource(GUIDE("lib/notes.txt"), "/p/main.lvm", fs({ "/p/lib/notes.txt": MODEL })).diagnostics.map((d) => d.code)).toEqual(["I004"]);
  });

  it("reports import cycles with the chain", () => {
    const files = { "/p/a.lvm": `import "b.lvm"\n` + MODEL, "/p/b.lvm": `import "a.lvm"\n` };
    const r = loadModelSource(`import "a.lvm"\n`, "/p/main.lvm", fs(files));
    expect(r.diagnostics.map((d) => d.code)).toEqual(["I003"]);
    expect(r.diagnostics[0]!.message).toBe("import cycle: a.lvm → b.lvm → a.lvm");
    const self = loadModelSource(`import "main.lvm"\n` + MODEL, "/p/main.lvm", fs({ "/p/main.lvm": "" }));
    expect(self.diagnostics.map((d) => d.code)).toEqual(["I003"]);
  });

  it("locates diagnostics in imported files by their path", () => {
    const r = loadModelSource(GUIDE("m.lvm"), "dir/main.lvm", { readFile: (abs) => (abs.endsWith("/dir/m.lvm") ? MODEL.replace("Normal(m, 1)", "Normal(mm, 1)") : undefined) });
    expect(r.diagnostics.map((d) => [d.code, d.span?.file, at(d)])).toEqual([["N001", "dir/m.lvm", "5:14"]]);
  });

  it("never throws and does not lower a program with errors", () => {
    const r = loadModelSource("model { ~~ }", "x.lvm");
    expect(r.graphs).toEqual([]);
    expect(r.diagnostics.length).toBeGreaterThan(0);
  });
});
