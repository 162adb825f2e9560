import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Diagnostic } from "../../src/diagnostics/diagnostic.ts";
import type { DataNode, IRNode, ModelGraph } from "../../src/ir/graph.ts";
import { bindData, parseCsv, parseDataText, parseJson, parseSizeSpec } from "../../src/data/index.ts";
import { loadDataFile } from "../../src/data/load.ts";
import { lit, sym, type Size, type Support } from "../../src/ir/types.ts";

const dataNode = (name: string, support: Support, shape: Size[], extra: { card?: Size; missing?: boolean } = {}): DataNode => ({
  kind: "data",
  name,
  type: { support, shape, ...(extra.card ? { card: extra.card } : {}) },
  parents: [],
  plates: [],
  missing: extra.missing ?? false,
});

const model = (nodes: IRNode[], consts: Record<string, number> = {}, sizeSymbols = ["N", "D"]): ModelGraph => ({
  name: "M",
  file: "m.lvm",
  consts,
  sizeSymbols,
  dataPlate: "N",
  nodes,
  body: [],
  guides: [],
});

const N = sym("N");
const Dm = sym("D");
const K = sym("K");
const errors = (ds: Diagnostic[]) => ds.filter((d) => d.severity === "error");
const messages = (ds: Diagnostic[]) => ds.map((d) => `${d.code} ${d.message}`);

describe("bindData: shapes and sizes", () => {
  const g = model([dataNode("x", "real", [N, Dm]), dataNode("y", "binary", [N])]);

  it("flattens row-major and binds N and D from the shapes", () => {
    const r = bindData(g, { x: [[1, 2, 3], [4, 5, 6]], y: [0, 1] });
    expect(r.diagnostics).toEqual([]);
    expect(r.data!.sizes).toEqual({ N: 2, D: 3 });
    expect(r.data!.values.x!.shape).toEqual([2, 3]);
    expect(Array.from(r.data!.values.x!.data)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(Array.from(r.data!.values.y!.data)).toEqual([0, 1]);
    expect(r.data!.values.x!.mask).toBeUndefined();
  });

  it("reports a missing variable with its expected type", () => {
    const r = bindData(g, { x: [[1]] });
    expect(r.data).toBeUndefined();
    expect(messages(r.diagnostics)).toContain("D001 missing data variable `y`: expected binary[N]");
  });

  it("suggests the closest name for a misspelt variable", () => {
    const r = bindData(g, { x: [[1]], Y: [1] });
    const d001 = r.diagnostics.find((d) => d.code === "D001")!;
    expect(d001.hint).toBe("the data has `Y`; rename it to `y`");
    const d002 = r.diagnostics.find((d) => d.code === "D002")!;
    expect(d002.severity).toBe("warning");
    expect(d002.message).toBe("unknown data variable `Y` (ignored)");
    expect(d002.hint).toBe("did you mean `y`?");
  });

  it("warns about unknown extra variables without failing", () => {
    const r = bindData(g, { x: [[1]], y: [1], extra: [1, 2] });
    expect(errors(r.diagnostics)).toEqual([]);
    expect(r.data).toBeDefined();
    expect(messages(r.diagnostics)).toEqual(["D002 unknown data variable `extra` (ignored)"]);
  });

  it("names ragged rows by index", () => {
    const r = bindData(g, { x: [[1, 2, 3], [4, 5, 6], [7, 8], [1, 2, 3]], y: [0, 1, 0, 1] });
    expect(messages(errors(r.diagnostics))).toEqual(["D004 `x[2]` has 2 entries, expected 3"]);
  });

  it("reports a rank mismatch once", () => {
    const r = bindData(g, { x: [1, 2, 3], y: [0, 1, 0] });
    expect(messages(errors(r.diagnostics))).toEqual(["D003 data `x` has shape [3], but is declared real[N, D] (rank 2)"]);
    expect(r.diagnostics[0]!.hint).toBe("a value of rank 2 is a list of lists of numbers");
  });

  it("reports non-numbers with their position", () => {
    const r = bindData(g, { x: [[1, "a"], [true, 2]], y: [0, {}] });
    expect(messages(errors(r.diagnostics))).toEqual([
      'D005 `x[0, 1]` is a string ("a"), expected a number',
      "D005 `x[1, 0]` is a boolean (true), expected a number",
      "D005 `y[1]` is an object, expected a number",
    ]);
  });

  it("checks N across variables and says where N came from", () => {
    const r = bindData(g, { x: [[1], [2], [3]], y: [0, 1] });
    const d = errors(r.diagnostics);
    expect(messages(d)).toEqual(["D009 expected binary[N] with N = 3; data `y` has shape [2]"]);
    expect(d[0]!.hint).toBe("N = 3 comes from data `x` (shape [3, 1])");
  });

  it("checks shapes against consts", () => {
    const h = model([dataNode("x", "real", [N, K])], { K: 3 }, ["N"]);
    const r = bindData(h, { x: [[1, 2], [3, 4]] });
    expect(messages(r.diagnostics)).toEqual(["D009 expected real[N, K] with K = 3; data `x` has shape [2, 2]"]);
    expect(r.diagnostics[0]!.hint).toBe("K = 3 comes from `const K = 3`");
  });

  it("checks literal sizes", () => {
    const h = model([dataNode("x", "binary", [N, lit(4)])], {}, ["N"]);
    expect(messages(bindData(h, { x: [[0, 1, 0]] }).diagnostics)).toEqual(["D009 expected binary[N, 4]; data `x` has shape [1, 3]"]);
  });

  it("checks data against --size values", () => {
    const r = bindData(g, { x: [[1, 2]], y: [1] }, { sizes: { N: 5 } });
    expect(messages(r.diagnostics)).toEqual(["D009 expected real[N, D] with N = 5; data `x` has shape [1, 2]", "D009 expected binary[N] with N = 5; data `y` has shape [1]"]);
    expect(r.diagnostics[0]!.hint).toBe("N = 5 comes from `--size N=5`");
    expect(bindData(g, { x: [[1, 2]], y: [1] }, { sizes: { N: 1 } }).diagnostics).toEqual([]);
  });

  it("solves size arithmetic with one unknown (`2 * P`, `K + 1`)", () => {
    const P = sym("P");
    const h = model([dataNode("h", "real", [N, { kind: "op", op: "*", left: lit(2), right: P }]), dataNode("c", "real", [{ kind: "op", op: "+", left: P, right: lit(1) }])], {}, ["N", "P"]);
    expect(bindData(h, { h: [[1, 2, 3, 4]], c: [1, 2, 3] }).data!.sizes).toEqual({ N: 1, P: 2 });
    expect(messages(bindData(h, { h: [[1, 2, 3, 4]], c: [1, 2] }).diagnostics)).toEqual(["D009 expected real[P + 1] with P + 1 = 3; data `c` has shape [2]"]);
    // An odd width cannot be 2 * P: checked again once `c` has bound P.
    const odd = bindData(h, { h: [[1, 2, 3]], c: [1, 2, 3] }).diagnostics;
    expect(messages(odd)).toEqual(["D009 expected real[N, 2 * P] with 2 * P = 4; data `h` has shape [1, 3]"]);
    expect(odd[0]!.hint).toBe("P = 2 comes from data `c` (shape [3])");
    const alone = model([dataNode("h", "real", [N, { kind: "op", op: "*", left: lit(2), right: P }])], {}, ["N", "P"]);
    expect(messages(bindData(alone, { h: [[1, 2, 3]] }).diagnostics)).toEqual(["D010 size `P` of model M is not bound by the data"]);
  });

  it("binds sizes without data, and names unbound sizes", () => {
    const r = bindData(g, undefined, { sizes: { N: 500, D: 2 } });
    expect(r.diagnostics).toEqual([]);
    expect(r.data).toEqual({ sizes: { N: 500, D: 2 }, values: {} });
    const s = bindData(g, undefined, { sizes: { N: 500 } });
    expect(messages(s.diagnostics)).toEqual(["D010 size `D` of model M is not given"]);
    expect(s.diagnostics[0]!.hint).toBe("give it with --size D=…");
  });

  it("rejects bad --size names and values", () => {
    const h = model([dataNode("x", "real", [N, K])], { K: 3 }, ["N"]);
    expect(messages(bindData(h, undefined, { sizes: { N: 2, K: 4 } }).diagnostics)).toEqual(["D015 `--size K=4` contradicts `const K = 3` in model M"]);
    const w = bindData(h, undefined, { sizes: { N: 2, M: 4 } });
    expect(w.diagnostics.map((d) => [d.severity, d.message, d.hint])).toEqual([["warning", "`--size M=4`: model M has no size `M` (ignored)", "the sizes of model M are N"]]);
  });

  it("rejects a non-object top level", () => {
    expect(messages(bindData(g, [1, 2]).diagnostics)[0]).toBe("D014 data must be a JSON object mapping variable names to values, found a list");
  });

  it("warns when data is given for a latent", () => {
    const lat: IRNode = { kind: "latent", name: "z", type: { support: "real", shape: [N] }, parents: [], plates: [], enumerable: false, local: true };
    const r = bindData(model([dataNode("y", "real", [N]), lat], {}, ["N"]), { y: [1], z: [2] });
    expect(messages(r.diagnostics)).toEqual(["D002 `z` is a latent of model M, not data (ignored)"]);
  });
});

describe("bindData: supports", () => {
  const one = (support: Support, values: unknown, extra: { card?: Size } = {}, consts: Record<string, number> = {}) =>
    messages(bindData(model([dataNode("v", support, [N], extra)], consts, ["N"]), { v: values }).diagnostics);

  it("binary: only 0 and 1", () => {
    expect(one("binary", [0, 1, 1, 0])).toEqual([]);
    expect(one("binary", [0, 2, 0.5])).toEqual(["D008 `v[1]` is 2, but `v` must be binary (0 or 1)", "D008 `v[2]` is 0.5, but `v` must be binary (0 or 1)"]);
  });
  it("cat[K]: integers in 0..K-1", () => {
    expect(one("cat", [0, 1, 2], { card: K }, { K: 3 })).toEqual([]);
    expect(one("cat", [0, 3, -1, 1.5], { card: K }, { K: 3 })).toEqual([
      "D008 `v[1]` is 3, but `v` must be a category in 0..2",
      "D008 `v[2]` is -1, but `v` must be a category in 0..2",
      "D008 `v[3]` is 1.5, but `v` must be a category in 0..2",
    ]);
  });
  it("count: non-negative integers", () => {
    expect(one("count", [0, 7, 1000])).toEqual([]);
    expect(one("count", [-1, 2.5])).toEqual(["D008 `v[0]` is -1, but `v` must be a count (an integer ≥ 0)", "D008 `v[1]` is 2.5, but `v` must be a count (an integer ≥ 0)"]);
  });
  it("positive: > 0", () => {
    expect(one("positive", [0.001, 3])).toEqual([]);
    expect(one("positive", [0, -2])).toEqual(["D008 `v[0]` is 0, but `v` must be positive (> 0)", "D008 `v[1]` is -2, but `v` must be positive (> 0)"]);
  });
  it("unit: the closed interval [0, 1]", () => {
    expect(one("unit", [0, 0.5, 1])).toEqual([]);
    expect(one("unit", [1.5])).toEqual(["D008 `v[0]` is 1.5, but `v` must be in [0, 1]"]);
  });
  it("real: anything finite", () => {
    expect(one("real", [-1e30, 0, 1e30])).toEqual([]);
  });
  it("simplex rows sum to one within 1e-4", () => {
    const g = model([dataNode("p", "simplex", [N, K])], { K: 3 }, ["N"]);
    expect(bindData(g, { p: [[0.2, 0.3, 0.5], [0.33333, 0.33333, 0.33334]] }).diagnostics).toEqual([]);
    expect(messages(bindData(g, { p: [[0.2, 0.3, 0.5], [0.5, 0.5, 0.2]] }).diagnostics)).toEqual([
      "D008 row `p[1]` sums to 1.2, but `p` is simplex[K][N]: each row must sum to 1 (±0.0001)",
    ]);
    expect(messages(bindData(g, { p: [[0.2, 1.3, -0.5]] }).diagnostics)).toEqual([
      "D008 `p[0, 1]` is 1.3, but `p` must be a probability in [0, 1]",
      "D008 `p[0, 2]` is -0.5, but `p` must be a probability in [0, 1]",
    ]);
  });
});

describe("bindData: missing values and non-finite entries", () => {
  it("records null entries of a missing variable in the mask", () => {
    const g = model([dataNode("x", "binary", [N, Dm], { missing: true })]);
    const r = bindData(g, { x: [[1, null], [null, 0]] });
    expect(r.diagnostics).toEqual([]);
    expect(Array.from(r.data!.values.x!.mask!)).toEqual([1, 0, 0, 1]);
    expect(Array.from(r.data!.values.x!.data)).toEqual([1, 0, 0, 0]);
  });
  it("treats a null row of a missing variable as a missing row", () => {
    const g = model([dataNode("x", "binary", [N, Dm], { missing: true })]);
    const r = bindData(g, { x: [[1, 0, 1], null, [0, null, 1]] });
    expect(r.diagnostics).toEqual([]);
    expect(Array.from(r.data!.values.x!.mask!)).toEqual([1, 1, 1, 0, 0, 0, 1, 0, 1]);
    const h = model([dataNode("x", "binary", [N, Dm])]);
    expect(messages(bindData(h, { x: [[1, 0], null] }).diagnostics)).toEqual(["D004 `x[1]` is null, expected a list of 2 entries"]);
  });
  it("finds the shape past a leading null row", () => {
    const g = model([dataNode("x", "real", [N, Dm], { missing: true })]);
    expect(bindData(g, { x: [[null, null], [1, 2]] }).data!.sizes).toEqual({ N: 2, D: 2 });
  });
  it("rejects null in a variable that is not missing", () => {
    const g = model([dataNode("x", "real", [N, Dm])]);
    const r = bindData(g, { x: [[1, 2], [3, null]] });
    expect(messages(r.diagnostics)).toEqual(["D006 `x[1, 1]` is null, but `x` is not declared `missing`"]);
    expect(r.diagnostics[0]!.hint).toBe("declare `data x: real[N, D] missing` to treat null entries as unobserved");
  });
  it("rejects NaN and Infinity (as Python's json writes them)", () => {
    const g = model([dataNode("x", "real", [N, Dm])]);
    const parsed = parseJson('{"x": [[1, NaN], [Infinity, -Infinity]]}');
    expect(parsed.ok).toBe(true);
    const r = bindData(g, (parsed as { value: unknown }).value);
    expect(messages(r.diagnostics)).toEqual(["D007 `x[0, 1]` is NaN", "D007 `x[1, 0]` is Infinity", "D007 `x[1, 1]` is -Infinity"]);
  });
  it("reports at most 10 position errors per variable, then how many more", () => {
    const g = model([dataNode("y", "binary", [N])], {}, ["N"]);
    const r = bindData(g, { y: Array.from({ length: 300 }, (_, i) => (i < 250 ? 2 : 0)) }, { file: "d.json" });
    expect(r.diagnostics.length).toBe(10);
    expect(r.diagnostics[9]!.related).toEqual([{ message: "data file: d.json" }, { message: "… and 240 more invalid entries in `y`" }]);
  });
});

describe("CSV", () => {
  const csv = (text: string) => parseDataText(text, "d.csv", "csv");

  it("binds a table to the only data variable as rows × columns", () => {
    const g = model([dataNode("x", "real", [N, Dm])]);
    const { raw, diagnostics } = csv("a,b\n1,2\n3,4\n5,6\n");
    expect(diagnostics).toEqual([]);
    const r = bindData(g, raw);
    expect(r.data!.sizes).toEqual({ N: 3, D: 2 });
    expect(Array.from(r.data!.values.x!.data)).toEqual([1, 2, 3, 4, 5, 6]);
  });
  it("binds columns by name to rank-1 variables", () => {
    const g = model([dataNode("h", "real", [N]), dataNode("c", "count", [N])], {}, ["N"]);
    const r = bindData(g, csv("c,h\n1,0.5\n2,NA\n").raw);
    expect(messages(r.diagnostics)).toEqual(["D006 `h[1]` is null, but `h` is not declared `missing`"]);
    const ok = bindData(g, csv('c,h\r\n1,0.5\r\n2,"1.5"\r\n').raw);
    expect(Array.from(ok.data!.values.h!.data)).toEqual([0.5, 1.5]);
  });
  it("refuses a CSV it cannot map", () => {
    const g = model([dataNode("x", "real", [N, Dm]), dataNode("y", "real", [N])]);
    expect(messages(bindData(g, csv("a,b\n1,2\n").raw).diagnostics)).toEqual(["D013 cannot bind CSV columns `a`, `b` to the model's data `x`, `y`"]);
  });
  it("reports rows of the wrong length with their line", () => {
    const { diagnostics } = csv("a,b\n1,2\n3\n");
    expect(diagnostics.map((d) => [d.code, d.message, d.span!.start.line])).toEqual([["D013", "malformed CSV: row has 1 fields, the header has 2", 3]]);
  });
  it("keeps strings for the binder to report", () => {
    expect(parseCsv("a\nfoo\n").table!.rows).toEqual([["foo"]]);
  });
});

describe("files", () => {
  const dir = mkdtempSync(join(tmpdir(), "latent-data-"));

  it("locates JSON syntax errors by line and column", async () => {
    const p = join(dir, "bad.json");
    writeFileSync(p, '{\n  "x": [1, 2,, 3]\n}\n');
    const r = await loadDataFile(p);
    expect(r.raw).toBeUndefined();
    expect(r.diagnostics.map((d) => [d.code, d.message, d.span!.start.line, d.span!.start.column])).toEqual([["D012", "malformed JSON: unexpected `,`, expected a JSON value", 2, 14]]);
  });
  it("reports missing files and unknown formats without throwing", async () => {
    expect((await loadDataFile(join(dir, "nope.json"))).diagnostics[0]!.message).toMatch(/^cannot read data file `.*nope.json`: no such file$/);
    expect((await loadDataFile(join(dir, "x.txt"))).diagnostics[0]!.hint).toBe("data files end in .json or .csv");
    expect((await loadDataFile(dir + "/")).diagnostics[0]!.code).toBe("D011");
  });
  it("reads good JSON and CSV files", async () => {
    writeFileSync(join(dir, "ok.json"), '{"x": [1, 2]}');
    writeFileSync(join(dir, "ok.csv"), "x\n1\n2\n");
    expect((await loadDataFile(join(dir, "ok.json"))).raw).toEqual({ x: [1, 2] });
    expect((await loadDataFile(join(dir, "ok.csv"))).diagnostics).toEqual([]);
  });
  it("reports unterminated JSON at the end", () => {
    const r = parseJson('{"x": [1, 2');
    expect(r).toMatchObject({ ok: false, message: "unexpected end of file, expected `,` or `]`", line: 1, column: 12 });
  });
});

describe("parseSizeSpec", () => {
  it("parses NAME=INT", () => {
    expect(parseSizeSpec("N=500")).toEqual({ name: "N", value: 500 });
    expect(parseSizeSpec(" D = 2 ")).toEqual({ name: "D", value: 2 });
    expect(parseSizeSpec("N=abc")).toEqual({ message: "malformed size `N=abc`: expected NAME=INTEGER, e.g. N=500" });
  });
});

describe("bindDataFile", () => {
  it("reads, parses and binds, or binds sizes only without a path", async () => {
    const { bindDataFile } = await import("../../src/data/load.ts");
    const dir = mkdtempSync(join(tmpdir(), "latent-bdf-"));
    const g = model([dataNode("x", "real", [N, Dm])]);
    writeFileSync(join(dir, "d.json"), '{"x": [[1, 2], [3, 4]]}');
    expect((await bindDataFile(g, join(dir, "d.json"))).data!.sizes).toEqual({ N: 2, D: 2 });
    expect((await bindDataFile(g, undefined, { sizes: { N: 3, D: 1 } })).data).toEqual({ sizes: { N: 3, D: 1 }, values: {} });
    expect((await bindDataFile(g, join(dir, "none.json"))).diagnostics.map((d) => d.code)).toEqual(["D011"]);
  });
});
