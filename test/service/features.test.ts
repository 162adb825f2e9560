// The language service's editor features on one hand-written file (hover, completion in each
// context, definition, references, document symbols, quick fixes), and the two shortcuts the
// language server takes on every keystroke: no lowering and cached import parses give the same
// diagnostics as the full front end.
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { analyze, editorParser, complete, definition, documentSymbols, hover, quickFixes, references } from "../../src/service/index.ts";
import { indexSymbols } from "../../src/service/symbols.ts";
import { DISTRIBUTIONS, FUNCTIONS, LAYERS } from "../../stdlib/signatures.ts";
import { KEYWORDS } from "../../grammar/tokens.ts";
import { TYPE_NAMES } from "../../src/types/sizeexpr.ts";

const TEXT = `model M {
  const K = 3
  data x: real[N, D]
  param mu: real[K, D]
  latent z: real[N, K]
  net f = mlp(K -> 16 -> D, relu)
  for n in N {
    z[n] ~ Normal(0, 1)
    x[n] ~ Normal(f(z[n]) + mu[0], softplus(1.0))
  }
}

guide Q for M {
  param m: real[N, K]
  for n in N {
    z[n] ~ Normal(m[n], 1)
  }
}
`;
const FILE = "/work/m.lvm";
const a = analyze(TEXT, FILE);
/** The offset of the k-th (0-based) occurrence of `s`, plus `shift`. */
const at = (s: string, k = 0, shift = 0) => {
  let i = -1;
  for (let j = 0; j <= k; j++) i = TEXT.indexOf(s, i + 1);
  if (i < 0) throw new Error(`no ${s}`);
  return i + shift;
};
const lineOf = (offset: number) => TEXT.slice(0, offset).split("\n").length;
const labels = (entries: { label: string }[]) => entries.map((e) => e.label);

describe("language service features", () => {
  it("the file checks clean", () => expect(a.diagnostics).toEqual([]));

  it("hover: a declaration's type and shape, a net's sizes, a function's and a distribution's signature", () => {
    expect(hover(a, at("mu:"))!.contents).toContain("param mu: real[K, D]");
    const net = hover(a, at("f = "))!.contents;
    expect(net).toContain("net f = mlp(K -> 16 -> D, relu)");
    expect(net).toContain("input: last axis of size K; output: D");
    expect(hover(a, at("softplus"))!.contents).toContain("softplus(x) → positive");
    expect(hover(a, at("Normal"))!.contents).toContain("Normal(loc: real, scale: positive) → real");
    // A name used in the guide hovers as the model's declaration.
    expect(hover(a, at("z[n] ~ Normal(m", 0))!.contents).toContain("latent z: real[N, K]");
  });

  it("completion: distributions after `~`, types after `:`, models after `guide G for`, layers after `net f =`", () => {
    const tilde = "model M {\n  data y: real[N]\n  y ~ No\n}\n";
    const dists = complete(analyze(tilde, FILE), tilde.indexOf("No") + 2);
    expect(labels(dists)).toEqual(DISTRIBUTIONS.map((d) => d.name));
    const colon = "model M {\n  param s: \n}\n";
    expect(labels(complete(analyze(colon, FILE), colon.indexOf(": ") + 2))).toEqual(TYPE_NAMES);
    const guideText = "model A {\n}\nmodel B {\n}\nguide G for \n";
    expect(labels(complete(analyze(guideText, FILE), guideText.length - 1))).toEqual(["A", "B"]);
    const netText = "model M {\n  net g = \n}\n";
    const layers = complete(analyze(netText, FILE), netText.indexOf("= ") + 2);
    expect(labels(layers)).toEqual(LAYERS.map((l) => l.name));
    expect(layers.find((l) => l.label === "dense")!.snippet).toBe("dense(${1:IN} -> ${2:OUT}, ${3:relu})");
  });

  it("completion elsewhere: the names in scope with their types, then functions, distributions, keywords", () => {
    // Inside the model's loop: the model's names and the plate variable n.
    const inLoop = complete(a, at("x[n] ~"));
    const scope = inLoop.filter((e) => e.kind === "variable" || e.kind === "net");
    expect(labels(scope).sort()).toEqual(["D", "K", "N", "f", "mu", "n", "x", "z"]);
    expect(scope.find((e) => e.label === "mu")!.detail).toBe("param mu: real[K, D]");
    expect(labels(inLoop)).toEqual(expect.arrayContaining([...FUNCTIONS.map((f) => f.name), ...DISTRIBUTIONS.map((d) => d.name), ...KEYWORDS]));
    // In the guide, outside its loop: the guide's param and the model's names, no plate variable.
    const inGuide = complete(a, at("  for n in N", 1));
    const guideScope = labels(inGuide.filter((e) => e.kind === "variable" || e.kind === "net"));
    expect(guideScope).toContain("m");
    expect(guideScope).toContain("z");
    expect(guideScope).not.toContain("n");
  });

  it("definition and references: a guide's use of a latent, a net's call", () => {
    const decl = at("z: real");
    expect(definition(a, at("z[n] ~ Normal(m"))!.start.offset).toBe(decl);
    // z is used three times: sampled in the model, passed to f, sampled in the guide.
    const refs = references(a, decl, true).map((s) => lineOf(s.start.offset));
    expect(refs.sort((x, y) => x - y)).toEqual([5, 8, 9, 16]);
    expect(references(a, decl, false)).toHaveLength(3);
    expect(definition(a, at("f(z"))!.start.offset).toBe(at("f = "));
  });

  it("definition of an import's path: the imported file's start", () => {
    const imp = analyze('import "../lib/shared.lvm"\n', "/work/models/m.lvm", { readFile: () => "model S {\n}\n" });
    expect(definition(imp, 10)).toMatchObject({ file: "/work/lib/shared.lvm", start: { line: 1, column: 1 } });
  });

  it("document symbols: models and guides with their declarations, without sizes and plate variables", () => {
    expect(documentSymbols(a).map((s) => [s.name, s.kind, s.children.map((c) => `${c.kind} ${c.name}`)])).toEqual([
      ["M", "model", ["const K", "data x", "param mu", "latent z", "net f"]],
      ["Q", "guide", ["param m"]],
    ]);
  });

  it("quick fixes: each 'did you mean' hint becomes an edit of the misspelled name", () => {
    const text = "model M {\n  param sigma: positive\n  data x: real[N]\n  x ~ Normal(0, sigm)\n}\n";
    const fixes = quickFixes(analyze(text, FILE).diagnostics);
    expect(fixes).toHaveLength(1);
    const { span, newText } = fixes[0]!.edit;
    expect(text.slice(0, span.start.offset) + newText + text.slice(span.end.offset)).toBe(text.replace("sigm)", "sigma)"));
  });

  it("symbols and declarations, computed on first use, are those of the program", () => {
    const b = analyze(TEXT, FILE);
    expect(b.symbols).toEqual(indexSymbols(b.program!));
    expect(b.symbols).toBe(b.symbols); // computed once
    expect([...b.decls.get("M")!.keys()]).toEqual(["K", "x", "mu", "z", "f"]);
  });
});

describe("the language server's shortcuts", () => {
  const corpus = ["examples", "test/bad"].flatMap((dir) =>
    readdirSync(new URL(`../../${dir}`, import.meta.url), { recursive: true, encoding: "utf8" })
      .filter((f) => f.endsWith(".lvm"))
      .map((f) => ({ file: `${dir}/${f}`, text: readFileSync(new URL(`../../${dir}/${f}`, import.meta.url), "utf8") })),
  );
  const disk = (abs: string) => {
    try {
      return readFileSync(abs, "utf8");
    } catch {
      return undefined;
    }
  };

  it("checking without lowering and with cached import parses gives the full front end's diagnostics", () => {
    expect(corpus.length).toBeGreaterThan(50);
    const parse = editorParser();
    for (const { file, text } of corpus) {
      const full = analyze(text, file, { readFile: disk });
      const quick = analyze(text, file, { readFile: disk, lower: false, parse });
      expect(quick.diagnostics, file).toEqual(full.diagnostics);
      expect(quick.graphs).toEqual([]);
    }
  });

  it("a keystroke inside a statement re-parses that statement only, with the full analysis's diagnostics", () => {
    const parse = editorParser();
    const first = analyze(TEXT, FILE, { parse, lower: false });
    const typed = TEXT.replace("softplus(1.0)", "softplus(1.05)");
    const next = analyze(typed, FILE, { parse, lower: false });
    // The statements before the edit are the same objects: they were not parsed again.
    expect(next.program!.blocks[0]!.body[0]).toBe(first.program!.blocks[0]!.body[0]);
    expect(next.program).toEqual(analyze(typed, FILE).program);
    const misspelt = TEXT.replace("softplus(1.0)", "softplux(1.0)");
    expect(analyze(misspelt, FILE, { parse, lower: false }).diagnostics).toEqual(analyze(misspelt, FILE).diagnostics);
  });

  it("an import is parsed once per text; a changed text is parsed again; the cache is bounded", () => {
    const files: Record<string, string> = { "/p/lib.lvm": "model L {\n  data y: real[N]\n  y ~ Normal(0, 1)\n}\n", "/p/other.lvm": "model O {\n}\n" };
    let reads = 0;
    const readFile = (abs: string) => (reads++, files[abs]);
    const parse = editorParser(2); // the importing file and one import
    const first = analyze('import "lib.lvm"\n', "/p/m.lvm", { readFile, parse });
    const second = analyze('import "lib.lvm"\n\n', "/p/m.lvm", { readFile, parse });
    // The same parsed blocks (not re-parsed): the imported model object is shared.
    expect(second.program!.blocks[0]).toBe(first.program!.blocks[0]);
    files["/p/lib.lvm"] = files["/p/lib.lvm"]!.replace("L {", "L2 {");
    const third = analyze('import "lib.lvm"\n', "/p/m.lvm", { readFile, parse });
    expect(third.program!.blocks[0]!.name.name).toBe("L2");
    expect(third.program!.blocks[0]).not.toBe(first.program!.blocks[0]);
    expect(reads).toBe(3); // the file is read every time (it may have changed); only its parse is kept
    analyze('import "other.lvm"\n', "/p/m.lvm", { readFile, parse });
    expect(parse.size()).toBe(2); // m.lvm and other.lvm; lib.lvm dropped
  });
});
