// The language service against the CLI's goldens: for every model-only case of the bad-input
// corpus, checkDocument's rendered text is exactly what `latent check` prints (test/bad/*.expected.txt),
// and ranges are the spans moved to 0-based counting.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkDocument, highlightTokens } from "../../src/service/index.ts";

const ROOT = new URL("../..", import.meta.url).pathname;
const DIR = "test/bad";
const disk = (abs: string) => {
  try {
    return readFileSync(abs, "utf8");
  } catch {
    return undefined;
  }
};
const modelOnly = readdirSync(join(ROOT, DIR))
  .filter((f) => f.endsWith(".lvm"))
  .filter((f) => ![".data.json", ".data.csv"].some((ext) => existsSync(join(ROOT, DIR, f.replace(/\.lvm$/, ext)))))
  .sort();

describe("checkDocument", () => {
  it("covers most of the corpus", () => expect(modelOnly.length).toBeGreaterThan(25));
  for (const f of modelOnly) {
    it(`renders ${f} as the CLI golden`, () => {
      const rel = `${DIR}/${f}`;
      const r = checkDocument(readFileSync(join(ROOT, rel), "utf8"), rel);
      expect(r.rendered + "\n").toBe(readFileSync(join(ROOT, DIR, f.replace(/\.lvm$/, ".expected.txt")), "utf8"));
    });
  }

  it("gives the misspelled name's 0-based range, code and hint", () => {
    const text = readFileSync(join(ROOT, DIR, "07-unknown-name.lvm"), "utf8");
    const [d] = checkDocument(text, "m.lvm").diagnostics;
    // `sigm` is on line 5, columns 18-21 (1-based): line 4, characters 17..21 (0-based, end exclusive).
    expect(d).toMatchObject({ code: "N001", severity: "error", hint: "did you mean `sigma`?", range: { start: { line: 4, character: 17 }, end: { line: 4, character: 21 } } });
    expect(text.split("\n")[4]!.slice(17, 21)).toBe("sigm");
    expect(d!.rendered.split("\n")[0]).toBe("error[N001]: unknown name `sigm`");
  });

  it("returns the lowered graphs of a clean document and no diagnostics", () => {
    const r = checkDocument(readFileSync(join(ROOT, "examples/gaussian-mixture/model.lvm"), "utf8"), "gmm.lvm");
    expect(r.diagnostics).toEqual([]);
    expect(r.rendered).toBe("");
    expect(r.graphs.map((g) => g.name)).toEqual(["GaussianMixture"]);
  });
});

describe("highlightTokens", () => {
  it("classes keywords, types, distributions, numbers, strings and comments by the project's lexer", () => {
    const text = 'model M { // note\n  const K = 3 /* b */\n  data x: real[K]\n  x ~ Normal(0, softplus(1.5)) \n}\nimport "a.lvm"';
    const got = highlightTokens(text).map((t) => `${t.kind}:${text.slice(t.from, t.to)}`);
    expect(got).toEqual([
      "keyword:model",
      "comment:// note",
      "keyword:const",
      "operator:=",
      "number:3",
      "comment:/* b */",
      "keyword:data",
      "type:real",
      "operator:~",
      "distribution:Normal",
      "number:0",
      "function:softplus",
      "number:1.5",
      "keyword:import",
      'string:"a.lvm"',
    ]);
  });
});
