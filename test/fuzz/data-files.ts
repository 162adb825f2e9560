// Fuzz inputs for data binding: hostile data files as bytes (JSON and CSV), and the models they
// are bound to. Values are serialized by hand so the text can hold what JSON.stringify never
// writes (NaN, Infinity, 1e999, cut-off documents, stray bytes).
import fc from "fast-check";

/**
 * Models whose data declarations cover every support, rank and `missing`. Object.prototype's
 * names cannot be declared (N009); `proto` declares the names next to them, and the files carry
 * `__proto__`/`constructor`/`toString` keys as unknown variables.
 */
export const DATA_MODELS: Readonly<Record<string, string>> = {
  gmm: `model G {\n  const K = 3\n  data x: real[N, D]\n  param weights: simplex[K]\n  param mu: real[K, D]\n  param sigma: positive[K, D]\n  latent z: cat[K][N]\n  for n in N {\n    z[n] ~ Categorical(weights)\n    x[n] ~ Normal(mu[z[n]], sigma[z[n]])\n  }\n}\n`,
  vi: `model V {\n  data x: real[N]\n  latent m: real\n  m ~ Normal(0, 1)\n  x ~ Normal(m, 1)\n}\n`,
  mixed: `model Mixed {\n  data x: real[N]\n  data c: count[N]\n  data b: binary[N] missing\n  data u: unit[N]\n  data p: simplex[3][N]\n  data k: cat[3][N]\n  data y: positive[N, 2]\n  latent m: real\n  m ~ Normal(0, 1)\n  x ~ Normal(m, 1)\n  c ~ Poisson(exp(m))\n  b ~ Bernoulli(sigmoid(m))\n}\n`,
  proto: `model P {\n  data constructor_: real[N]\n  data toString_: real[N]\n  latent m: real\n  m ~ Normal(0, 1)\n  constructor_ ~ Normal(m, 1)\n  toString_ ~ Normal(m, 1)\n}\n`,
};
export type DataModel = keyof typeof DATA_MODELS;
const MODEL_NAMES = Object.keys(DATA_MODELS) as DataModel[];

/** A JSON-ish value whose text we control: numbers as written, possibly invalid tokens. */
type Val = { t: "num"; text: string } | { t: "str"; s: string } | { t: "lit"; text: string } | { t: "arr"; items: Val[] } | { t: "obj"; entries: [string, Val][] } | { t: "deep"; depth: number; open: string; close: string };

const NUM_TEXTS = ["0", "-0", "1", "-1", "0.5", "2", "3", "1e308", "-1e308", "1e999", "-1e999", "1e-320", "5e-324", "NaN", "Infinity", "-Infinity", "1.7976931348623157e308", "123456789012345678901234567890", "0x10", "01", "1.", ".5", "+1", "1e", "-", "3.4e38", "3.5e38"];
const cellArb: fc.Arbitrary<Val> = fc.oneof(
  { weight: 8, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }).map((d) => ({ t: "num" as const, text: String(d) })) },
  { weight: 4, arbitrary: fc.integer({ min: -2, max: 4 }).map((i) => ({ t: "num" as const, text: String(i) })) },
  { weight: 3, arbitrary: fc.constantFrom(...NUM_TEXTS).map((text) => ({ t: "num" as const, text })) },
  { weight: 2, arbitrary: fc.constantFrom("null", "true", "false", "undefined", "{}", "[]").map((text) => ({ t: "lit" as const, text })) },
  { weight: 1, arbitrary: fc.string({ maxLength: 5 }).map((s) => ({ t: "str" as const, s })) },
);

/** Nesting depths the generator uses; the last two reach the lenient JSON parser's recursion limit. */
export const DEPTHS = [10, 100, 500, 10_000, 100_000];
export const DEEP_SAFE = 500;

/** Rectangular or ragged nested arrays of cells (rank 0–3), huge arrays, deep nesting to the given depths. */
const tensorArbOf = (depths: number[]): fc.Arbitrary<Val> => fc.oneof(
  { weight: 2, arbitrary: cellArb },
  { weight: 4, arbitrary: fc.array(cellArb, { maxLength: 6 }).map((items) => ({ t: "arr" as const, items })) },
  {
    weight: 4,
    arbitrary: fc
      .tuple(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 4 }), cellArb, fc.array(cellArb, { maxLength: 30 }), fc.boolean())
      .map(([rows, cols, fill, cells, ragged]) => ({
        t: "arr" as const,
        items: Array.from({ length: rows }, (_, i) => ({ t: "arr" as const, items: Array.from({ length: ragged ? (cols + i) % 5 : cols }, (_, j) => cells[i * cols + j] ?? fill) })),
      })),
  },
  { weight: 1, arbitrary: fc.array(fc.array(fc.array(cellArb, { maxLength: 3 }), { maxLength: 3 }), { maxLength: 3 }).map((a) => ({ t: "arr" as const, items: a.map((b) => ({ t: "arr" as const, items: b.map((c) => ({ t: "arr" as const, items: c })) })) })) },
  // Huge arrays: many rows of a fixed cell, or one long vector.
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(1000, 20_000, 60_000), fc.integer({ min: 1, max: 3 }), cellArb).map(([rows, cols, c]) => ({ t: "arr" as const, items: Array.from({ length: rows }, () => ({ t: "arr" as const, items: Array.from({ length: cols }, () => c) })) })) },
  { weight: 1, arbitrary: fc.constantFrom(100_000, 5_000).map((n) => ({ t: "arr" as const, items: Array.from({ length: n }, (_, i) => ({ t: "num" as const, text: String(i % 7) })) })) },
  // Deep nesting: arrays or objects thousands of levels deep (depths past DEEP_SAFE are generated
  // only with `deep: true`: see the it.fails test in test/fuzz/data.test.ts).
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...depths), fc.constantFrom(["[", "]"], ['{"a":', "}"], ['[{"x":', "}]"])).map(([depth, [open, close]]) => ({ t: "deep" as const, depth, open: open!, close: close! })) },
  { weight: 1, arbitrary: fc.dictionary(fc.string({ maxLength: 3 }), cellArb, { maxKeys: 3 }).map((o) => ({ t: "obj" as const, entries: Object.entries(o) })) },
);

const KEYS = ["x", "c", "b", "u", "p", "k", "y", "extra", "X", "__proto__", "constructor", "toString", "", "x "];
const recordArbOf = (tensorArb: fc.Arbitrary<Val>): fc.Arbitrary<Val> =>
  fc.oneof(
    { weight: 8, arbitrary: fc.array(fc.tuple(fc.constantFrom(...KEYS), tensorArb), { maxLength: 5 }).map((entries) => ({ t: "obj" as const, entries })) },
    { weight: 1, arbitrary: tensorArb },
  );

function write(v: Val, out: string[]): void {
  switch (v.t) {
    case "num":
    case "lit":
      out.push(v.text);
      return;
    case "str":
      out.push(JSON.stringify(v.s));
      return;
    case "arr":
      out.push("[");
      v.items.forEach((x, i) => {
        if (i) out.push(",");
        write(x, out);
      });
      out.push("]");
      return;
    case "obj":
      out.push("{");
      v.entries.forEach(([k, x], i) => {
        if (i) out.push(",");
        out.push(JSON.stringify(k), ":");
        write(x, out);
      });
      out.push("}");
      return;
    case "deep":
      out.push('{"x":', v.open.repeat(v.depth), "1", v.close.repeat(v.depth), "}");
  }
}

const text = (v: Val): string => {
  const out: string[] = [];
  write(v, out);
  return out.join("");
};

// ---- near-valid records: right names and shapes, then a few perturbations ---------------

type Decl = { name: string; cell: (r: () => number) => string; shape: (N: number, D: number) => number[] };
const real = (r: () => number) => String((r() - 0.5) * 20);
const DECLS: Record<DataModel, Decl[]> = {
  gmm: [{ name: "x", cell: real, shape: (N, D) => [N, D] }],
  vi: [{ name: "x", cell: real, shape: (N) => [N] }],
  mixed: [
    { name: "x", cell: real, shape: (N) => [N] },
    { name: "c", cell: (r) => String(Math.floor(r() * 5)), shape: (N) => [N] },
    { name: "b", cell: (r) => (r() < 0.2 ? "null" : String(Math.round(r()))), shape: (N) => [N] },
    { name: "u", cell: (r) => String(r()), shape: (N) => [N] },
    { name: "p", cell: () => "0.25", shape: (N) => [N, 3] },
    { name: "k", cell: (r) => String(Math.floor(r() * 3)), shape: (N) => [N] },
    { name: "y", cell: (r) => String(r() * 10), shape: (N) => [N, 2] },
  ],
  proto: [
    { name: "constructor_", cell: real, shape: (N) => [N] },
    { name: "toString_", cell: real, shape: (N) => [N] },
  ],
};

function mulberry(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function filled(shape: number[], cell: () => string): Val {
  if (shape.length === 0) return { t: "num", text: cell() };
  return { t: "arr", items: Array.from({ length: shape[0]! }, () => filled(shape.slice(1), cell)) };
}

type Perturb = { kind: "drop" | "extra" | "cell" | "row" | "wrap" | "scalar"; at: number; text: string };
const perturbArb: fc.Arbitrary<Perturb> = fc.record({ kind: fc.constantFrom("drop", "extra", "cell", "cell", "cell", "row", "wrap", "scalar"), at: fc.nat(), text: fc.constantFrom(...NUM_TEXTS, "null", "true", '"1"', "[]", "{}") });

/** All leaves of a value, for in-place cell replacement. */
function leaves(v: Val, out: Val[] = []): Val[] {
  if (v.t === "arr") v.items.forEach((x) => leaves(x, out));
  else if (v.t === "obj") v.entries.forEach(([, x]) => leaves(x, out));
  else out.push(v);
  return out;
}

function perturb(entries: [string, Val][], p: Perturb): [string, Val][] {
  const e = entries.map(([k, v]) => [k, v] as [string, Val]);
  const i = e.length ? p.at % e.length : 0;
  switch (p.kind) {
    case "drop":
      e.splice(i, 1);
      break;
    case "extra":
      e.push([["extra", "__proto__", "X", "constructor"][p.at % 4]!, { t: "num", text: p.text }]);
      break;
    case "cell": {
      const ls = e.flatMap(([, v]) => leaves(v));
      if (ls.length) Object.assign(ls[p.at % ls.length]!, { t: "lit", text: p.text });
      break;
    }
    case "row":
      if (e[i] && e[i]![1].t === "arr") (e[i]![1] as { items: Val[] }).items.push({ t: "num", text: "1" });
      break;
    case "wrap":
      if (e[i]) e[i] = [e[i]![0], { t: "arr", items: [e[i]![1]] }];
      break;
    case "scalar":
      if (e[i]) e[i] = [e[i]![0], { t: "lit", text: p.text }];
  }
  return e;
}

const nearValidArb = (model: DataModel): fc.Arbitrary<string> =>
  fc
    .tuple(fc.integer({ min: 0, max: 8 }), fc.integer({ min: 1, max: 3 }), fc.nat(), fc.array(perturbArb, { maxLength: 2 }))
    .map(([N, D, seed, ps]) => {
      const r = mulberry(seed);
      const entries = DECLS[model].map((d) => [d.name, filled(d.shape(N, D), () => d.cell(r))] as [string, Val]);
      return text({ t: "obj", entries: ps.reduce(perturb, entries) });
    });

/** The same as CSV: one column per rank-1 variable (rank-2 variables make the binder refuse it). */
const nearValidCsvArb = (model: DataModel): fc.Arbitrary<string> =>
  fc.tuple(fc.integer({ min: 0, max: 8 }), fc.nat(), fc.boolean()).map(([N, seed, crlf]) => {
    const r = mulberry(seed);
    const cols = DECLS[model].filter((d) => d.shape(1, 1).length === 1);
    const rows = Array.from({ length: N }, () => cols.map((d) => (d.name === "b" ? (r() < 0.2 ? "" : String(Math.round(r()))) : d.cell(r))).join(","));
    return [cols.map((d) => d.name).join(","), ...rows].join(crlf ? "\r\n" : "\n") + "\n";
  });

// ---- CSV -----------------------------------------------------------------------------------

const CSV_CELLS = ["0", "1", "-2.5", "1e308", "1e999", "NaN", "nan", "Inf", "-inf", "Infinity", "", "NA", "null", "abc", '"1"', '"1,2"', '"a""b"', '"unterminated', " 3 ", "0x1F", "1_000", "true", "\t4"];
const csvTextArb = fc
  .tuple(
    fc.array(fc.constantFrom("x", "c", "b", "u", "k", "extra", "", "x", '"x"', "constructor", "__proto__"), { minLength: 0, maxLength: 4 }),
    fc.array(fc.array(fc.oneof(fc.constantFrom(...CSV_CELLS), fc.double({ noNaN: true }).map(String)), { maxLength: 5 }), { maxLength: 8 }),
    fc.constantFrom("\n", "\r\n", "\r"),
    fc.boolean(),
  )
  .map(([header, rows, eol, trailing]) => [header.join(","), ...rows.map((r) => r.join(","))].join(eol) + (trailing ? eol : ""));

// ---- bytes ---------------------------------------------------------------------------------

const enc = new TextEncoder();
/** Byte damage: invalid UTF-8 sequences, a BOM, NULs, truncation. */
type Damage = { at: number; bytes: readonly number[] } | { cut: number };
const damageArb: fc.Arbitrary<Damage> = fc.oneof(
  fc.record({ at: fc.nat(), bytes: fc.constantFrom([0xff], [0xfe, 0xff], [0xc3], [0xe2, 0x82], [0xed, 0xa0, 0x80], [0xef, 0xbb, 0xbf], [0x00], [0xc0, 0xaf], [0xf4, 0x90, 0x80, 0x80]) }),
  fc.record({ cut: fc.nat() }),
);

function damage(bytes: Uint8Array, d: Damage): Uint8Array {
  if ("cut" in d) return bytes.subarray(0, bytes.length ? d.cut % (bytes.length + 1) : 0);
  const at = bytes.length ? d.at % (bytes.length + 1) : 0;
  const out = new Uint8Array(bytes.length + d.bytes.length);
  out.set(bytes.subarray(0, at));
  out.set(d.bytes, at);
  out.set(bytes.subarray(at), at + d.bytes.length);
  return out;
}

export interface DataCase {
  model: DataModel;
  ext: "json" | "csv" | "txt";
  bytes: Uint8Array;
}

/**
 * Data cases: a target model, then hostile JSON, near-valid JSON, CSV, near-valid CSV or
 * arbitrary text, maybe byte-damaged. `deep` adds nesting depths past DEEP_SAFE.
 */
export const dataCaseArb = (opts: { deep?: boolean } = {}): fc.Arbitrary<DataCase> => {
  const json = recordArbOf(tensorArbOf(opts.deep ? DEPTHS : DEPTHS.filter((d) => d <= DEEP_SAFE))).map(text);
  return fc
  .tuple(fc.constantFrom(...MODEL_NAMES), fc.nat())
  .chain(([model, k]) =>
    fc.tuple(
      fc.constant(model),
      fc.oneof(
        { weight: 4, arbitrary: json.map((s) => ["json", s] as const) },
        { weight: 4, arbitrary: nearValidArb(model).map((s) => ["json", s] as const) },
        { weight: 2, arbitrary: csvTextArb.map((s) => ["csv", s] as const) },
        { weight: 1, arbitrary: nearValidCsvArb(model).map((s) => ["csv", s] as const) },
        { weight: 1, arbitrary: fc.string().map((s) => [k % 2 ? "json" : "csv", s] as const) },
      ),
      fc.oneof({ weight: 3, arbitrary: fc.constant([] as Damage[]) }, { weight: 1, arbitrary: fc.array(damageArb, { minLength: 1, maxLength: 2 }) }),
      fc.integer({ min: 0, max: 99 }),
    ),
  )
  .map(([model, [ext, text], damages, r]) => ({
    model,
    // One case in a hundred has an unknown extension (the loader must refuse it, not guess).
    ext: r === 0 ? ("txt" as const) : (ext as "json" | "csv"),
    bytes: damages.reduce(damage, enc.encode(text)),
  }));
};
