// Security of the front end: a model file runs no code and reads no file except the imports it
// names, resolved inside the root model's directory tree. The reader is a spy, so "reads
// nothing else" is checked on every call, not inferred from the diagnostics.
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { isAbsolute, join, relative } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadModelFile, loadModelSource } from "../../src/api/frontend.ts";

const base = realpathSync(mkdtempSync(join(tmpdir(), "latent-imports-")));
const root = join(base, "project", "models");
const outside = join(base, "outside");
mkdirSync(join(root, "sub"), { recursive: true });
mkdirSync(outside, { recursive: true });
afterAll(() => rmSync(base, { recursive: true, force: true }));

const LIB = "model Lib {\n  data x: real[N]\n  x ~ Normal(0, 1)\n}\n";
const SECRET = "model Secret {\n  data x: real[N]\n  x ~ Normal(0, 1)\n}\n";
writeFileSync(join(root, "lib.lvm"), LIB);
writeFileSync(join(root, "sub", "b.lvm"), "model B {\n  data y: real[N]\n  y ~ Normal(0, 1)\n}\n");
writeFileSync(join(outside, "secret.lvm"), SECRET);
writeFileSync(join(base, "project", "x.lvm"), SECRET);
const MAIN = "model Main {\n  data x: real[N]\n  x ~ Normal(0, 1)\n}\n";

const inside = (p: string, dir: string) => {
  const rel = relative(dir, p);
  return rel !== "" && !rel.split(/[\\/]/).includes("..") && !isAbsolute(rel);
};

/** Loads `source` as root/main.lvm with a spying reader (backed by the disk). */
function load(source: string) {
  const calls: string[] = [];
  const readFile = (abs: string) => {
    calls.push(abs);
    try {
      return readFileSync(abs, "utf8");
    } catch {
      return undefined;
    }
  };
  const r = loadModelSource(source, join(root, "main.lvm"), { readFile });
  return { ...r, calls, codes: r.diagnostics.map((d) => d.code) };
}

describe("imports stay inside the model's directory tree", () => {
  it("reads exactly the named imports, each once, inside the tree", () => {
    const r = load(`import "lib.lvm"\nimport "sub/b.lvm"\nimport "./lib.lvm"\n${MAIN}`);
    expect(r.codes).toEqual([]);
    expect(r.calls).toEqual([join(root, "lib.lvm"), join(root, "sub", "b.lvm")]);
    expect(r.graphs.map((g) => g.name).sort()).toEqual(["B", "Lib", "Main"]);
  });

  it.each([
    ["/etc/passwd", "I002"],
    ["/etc/passwd.lvm", "I002"],
    ["../../x.lvm", "I002"],
    ["../x.lvm", "I002"],
    ["sub/../../x.lvm", "I002"],
    ["./sub/../../../outside/secret.lvm", "I002"],
    [`${outside}/secret.lvm`, "I002"],
    ["lib.lvm/../../x.lvm", "I002"],
    ["secret.txt", "I004"],
    ["lib.lvm.js", "I004"],
    ["", "I004"],
  ])("import %j is refused with %s and nothing is read", (path, code) => {
    const r = load(`import ${JSON.stringify(path)}\n${MAIN}`);
    expect(r.codes).toContain(code);
    expect(r.calls).toEqual([]);
    expect(r.graphs).toEqual([]);
  });

  it("an imported file's own escape is refused (the tree is the root model's, not the importer's)", () => {
    writeFileSync(join(root, "sub", "hop.lvm"), `import "../../x.lvm"\n${LIB.replace("Lib", "Hop")}`);
    const r = load(`import "sub/hop.lvm"\n${MAIN}`);
    expect(r.codes).toEqual(["I002"]);
    expect(r.calls).toEqual([join(root, "sub", "hop.lvm")]);
  });

  it("a file importing itself or a cycle reads each file once", () => {
    writeFileSync(join(root, "c1.lvm"), `import "c2.lvm"\n${LIB.replace("Lib", "C1")}`);
    writeFileSync(join(root, "c2.lvm"), `import "c1.lvm"\n${LIB.replace("Lib", "C2")}`);
    const r = load(`import "c1.lvm"\nimport "main.lvm"\n${MAIN}`);
    expect(r.codes).toContain("I003");
    expect(r.calls).toEqual([join(root, "c1.lvm"), join(root, "c2.lvm")]);
  });

  it("every path the reader is asked for lies inside the tree, for every escape at once", () => {
    const escapes = ["/etc/passwd", "../../x.lvm", "sub/../../x.lvm", "../models/../../outside/secret.lvm", "lib.lvm"];
    const r = load(escapes.map((p) => `import ${JSON.stringify(p)}`).join("\n") + "\n" + MAIN);
    for (const c of r.calls) expect(inside(c, root), c).toBe(true);
    expect(r.codes.filter((c) => c === "I002")).toHaveLength(4);
  });

  it("model text is data: strings and names that look like code are not evaluated", () => {
    const src = `import "\${process.exit(1)}.lvm"\nmodel M {\n  data constructor: real[N]\n  data __proto__: real[N]\n  constructor ~ Normal(0, 1)\n  __proto__ ~ Normal(0, 1)\n}\n`;
    const r = load(src);
    // The import is a (missing) file name, read as text: nothing ran (the test process is alive).
    expect(r.codes).toEqual(["I001"]);
    expect(r.calls).toEqual([join(root, "${process.exit(1)}.lvm")]);
  });

  // A file whose name starts with two dots is inside the tree, but `relative(...).startsWith("..")`
  // in src/api/frontend.ts (loadImport) reads it as an escape. Harmless for security (it refuses
  // more, not less); remove `.fails` when the check compares path segments.
  it("a file named `..lib.lvm` inside the tree can be imported", () => {
    writeFileSync(join(root, "..lib.lvm"), LIB.replace("Lib", "Dots"));
    const r = load(`import "..lib.lvm"\n${MAIN}`);
    expect(r.codes).toEqual([]);
  });
});

describe("symlinks", () => {
  // root/link.lvm → outside/secret.lvm; root/linkdir → outside/
  symlinkSync(join(outside, "secret.lvm"), join(root, "link.lvm"));
  symlinkSync(outside, join(root, "linkdir"), "dir");

  it("the reader is only asked for paths that are lexically inside the tree", () => {
    const r = load(`import "link.lvm"\nimport "linkdir/secret.lvm"\n${MAIN}`);
    for (const c of r.calls) expect(inside(c, root), c).toBe(true);
  });

  // Found here: imports are checked lexically (path.resolve/relative), not after resolving
  // symlinks, and the default disk reader follows links. So a symlink inside the model's
  // directory that points outside it lets `import` read a file outside the tree (here
  // outside/secret.lvm, whose model then appears among the graphs). A spy reader sees only the
  // in-tree link path. The fix belongs in src/api/frontend.ts: realpath the target (and the root)
  // before the inside-the-tree check. Remove `.fails` when that is done.
  it("a symlink that points outside the tree is refused with I002 (default disk reader)", () => {
    const file = join(root, "main.lvm");
    writeFileSync(file, `import "link.lvm"\nimport "linkdir/secret.lvm"\n${MAIN}`);
    const r = loadModelFile(file);
    expect(r.graphs.map((g) => g.name)).not.toContain("Secret");
    expect(r.diagnostics.map((d) => d.code)).toEqual(["I002", "I002"]);
  });
});

describe("long import chains (issue 12: a 3,000-file chain was a stack overflow, I999)", () => {
  /** main → f1 → f2 → … → fN, each file one model, served from memory. */
  function chain(n: number, last = "") {
    const files = new Map<string, string>();
    for (let i = 1; i <= n; i++) {
      const next = i < n ? `import "f${i + 1}.lvm"\n` : last;
      files.set(join(root, `f${i}.lvm`), `${next}model F${i} {\n  data x: real[N]\n  x ~ Normal(0, 1)\n}\n`);
    }
    const reads: string[] = [];
    const readFile = (abs: string) => {
      reads.push(abs);
      return files.get(abs);
    };
    const r = loadModelSource(`import "f1.lvm"\n${MAIN}`, join(root, "main.lvm"), { readFile });
    return { ...r, reads };
  }

  it("loads a 3,000-file chain, each file once, the deepest file's model first", () => {
    const r = chain(3000);
    expect(r.diagnostics).toEqual([]);
    expect(r.reads).toHaveLength(3000);
    // The root's models come first; then imports depth-first, imported before importer.
    expect(r.graphs.map((g) => g.name).slice(0, 4)).toEqual(["Main", "F3000", "F2999", "F2998"]);
    expect(r.graphs.at(-1)!.name).toBe("F1");
    expect(r.graphs).toHaveLength(3001);
  });

  it("reports a cycle closing a 3,000-file chain once, with the chain shortened", () => {
    const r = chain(3000, 'import "f1.lvm"\n');
    expect(r.diagnostics.map((d) => d.code)).toEqual(["I003"]);
    const msg = r.diagnostics[0]!.message;
    expect(msg).toMatch(/^import cycle: f1\.lvm → f2\.lvm → .* → … 2990 more … → .* → f3000\.lvm → f1\.lvm$/);
    expect(msg.length).toBeLessThan(200);
  });
});
