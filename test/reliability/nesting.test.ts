// Deep nesting and long chains (issue 12, "stack overflows become internal errors"): nesting
// beyond MAX_NESTING is a located P006, never a stack overflow; nesting at the limit and chains
// of 100,000 operands go through every stage (parse, check, lower, IR dump, compile, evaluate)
// and give the closed-form log-density.
import { describe, expect, it } from "vitest";
import { loadModelSource } from "../../src/api/frontend.ts";
import type { Diagnostic } from "../../src/diagnostics/diagnostic.ts";
import { dumpGraph } from "../../src/ir/dump.ts";
import { MAX_NESTING, MAX_STATEMENT_TOKENS } from "../../src/syntax/nesting.ts";
import { parseProgram } from "../../src/syntax/parse.ts";
import { checkProgram } from "../../src/types/check.ts";
import { lvm, normalLogPdf } from "../helpers/compile.ts";

/** `let a = EXPR` sits on line 5, column 11. */
const model = (expr: string) => `model M {\n  data x: real[N]\n  latent mu: real\n  mu ~ Normal(0, 1)\n  let a = ${expr}\n  x ~ Normal(a, 1)\n}\n`;
const LINE = 5;
const COL = 11;

const load = (src: string) => loadModelSource(src, "m.lvm", { readFile: () => undefined });
const where = (d: Diagnostic) => `${d.code} ${d.span?.start.line}:${d.span?.start.column}`;

function onlyP006Or(code: string, src: string): Diagnostic {
  const r = load(src);
  expect(r.diagnostics.map(where)).toHaveLength(1);
  expect(r.diagnostics[0]!.code).toBe(code);
  return r.diagnostics[0]!;
}
const onlyP006 = (src: string) => onlyP006Or("P006", src);

describe("nesting beyond the limit is a located P006", () => {
  it("is 100 levels", () => expect(MAX_NESTING).toBe(100));

  // The model's `{` is level 1, so the 100th opener inside it is level 101.
  it.each([
    ["500 nested parentheses", "(".repeat(500) + "x" + ")".repeat(500), 99],
    ["10,000-deep array literal", "[".repeat(10000) + "1" + "]".repeat(10000), 99],
    ["10,000 unary minus", "-".repeat(10000) + "x", 99],
    ["10,000 `!`", "!".repeat(10000) + "x", 99],
    ["a 10,000-term `^` chain", Array(10000).fill("x").join("^"), 2 * 99 + 1],
    ["500 nested calls", "exp(".repeat(500) + "x" + ")".repeat(500), 4 * 99 + 3],
    ["500 nested indexings", "x[".repeat(500) + "0" + "]".repeat(500), 2 * 99 + 1],
    ["`-(` 100 times", "-(".repeat(100) + "x" + ")".repeat(100), 99],
  ])("%s", (_what, expr, offset) => {
    const d = onlyP006(model(expr));
    expect(where(d)).toBe(`P006 ${LINE}:${COL + offset}`);
    expect(d.message).toContain("nesting deeper than 100 levels");
  });

  it("400 nested plates: at the `{` of the 100th", () => {
    const lines = ["model M {", "  data x: real[N]"];
    for (let k = 0; k < 400; k++) lines.push(`${" ".repeat(k % 10)}for i${k} in N {`);
    lines.push("let q = 1", ..."}".repeat(400).split(""), "  x ~ Normal(0, 1)", "}");
    const d = onlyP006(lines.join("\n"));
    expect(where(d)).toBe(`P006 ${2 + 100}:${lines[101]!.indexOf("{") + 1}`);
  });

  it("an expression tree deeper than the limit with shallow brackets (P006 on the AST)", () => {
    // exp(1 + exp(1 + …)): one bracket but two tree levels per step; the `+` of the 50th `exp`
    // is at level 100, so its left operand `1` is the first part at level 101.
    const d = onlyP006(model("exp(1 + ".repeat(60) + "x" + ")".repeat(60)));
    expect(where(d)).toBe(`P006 ${LINE}:${COL + 49 * "exp(1 + ".length + "exp(".length}`);
    expect(d.message).toContain("expression nested deeper than 100 levels");
  });

  it("the recovered AST never holds a too-deep expression (the checker is safe on it)", () => {
    const { program } = parseProgram(model("exp(1 + ".repeat(60) + "x" + ")".repeat(60)), "m.lvm");
    const checked = checkProgram(program);
    expect(checked.diagnostics.map((d) => d.code)).not.toContain("T999");
  });
});

describe("nesting at the limit goes through every stage", () => {
  const x = [99.25, 100.75, 98.5];
  const expected = (mu: number, a: number) => normalLogPdf(mu, 0, 1) + x.reduce((s, v) => s + normalLogPdf(v, a, 1), 0);

  /** Front end (with the IR dump), then compile and log p(x, mu) at mu = 0.5. */
  async function evaluate(expr: string): Promise<number> {
    const src = model(expr);
    const r = load(src);
    expect(r.diagnostics.map(where)).toEqual([]);
    expect(dumpGraph(r.graphs[0]!)).toContain("let a");
    const m = await lvm(src);
    try {
      return m.logJoint({ x }, { mu: 0.5 }) as number;
    } finally {
      m.dispose();
    }
  }

  it("99 parentheses inside the model's braces: 100 levels, a tree 100 deep (a = mu + 99)", async () => {
    const lp = await evaluate("(1 + ".repeat(99) + "mu" + ")".repeat(99));
    expect(lp).toBeCloseTo(expected(0.5, 99.5), 3);
  });

  it("draws from the model at that depth (x ~ Normal(mu + 99, 1), seed 3)", async () => {
    const m = await lvm(model("(1 + ".repeat(99) + "mu" + ")".repeat(99)));
    const s = m.sample({ sizes: { N: 50 }, seed: 3 });
    m.dispose();
    const mu = s.latents["mu"] as number;
    const xs = s.data["x"] as number[];
    // 50 draws of N(mu + 99, 1): every one within 5 sd, their mean within 5 standard errors.
    for (const v of xs) expect(Math.abs(v - (mu + 99))).toBeLessThan(5);
    expect(Math.abs(xs.reduce((a, b) => a + b, 0) / xs.length - (mu + 99))).toBeLessThan(5 / Math.sqrt(50));
  });

  it("100 levels of prefix minus and brackets (a = mu)", async () => {
    const lp = await evaluate("-(".repeat(49) + "-mu" + ")".repeat(49));
    expect(lp).toBeCloseTo(expected(0.5, 0.5), 4);
  });
});

describe("long chains are not nesting", () => {
  it("a statement of more than 500,000 tokens is a located P008 (its syntax tree alone would take ~1 GB)", () => {
    expect(MAX_STATEMENT_TOKENS).toBe(500_000);
    // `let a = x + x + … `: tokens after `let`: a = then x (+ x)… ; the 500,001st is past the limit.
    const terms = 300_000;
    const src = model(Array(terms).fill("x").join(" + "));
    const d = onlyP006Or("P008", src);
    // Token k (1-based) after `let`: `a` is 1, `=` is 2, then x + x …: token 500,001 is an `x` (odd position after `=`).
    expect(d.span!.start.line).toBe(LINE);
    expect(d.span!.start.column).toBe(COL + (500_001 - 3) * 2);
  });

  it("a 100,000-term sum compiles and evaluates (a = 100000 · mu / 100000)", async () => {
    const src = model(`(${Array(100000).fill("mu").join(" + ")}) / 100000`);
    const r = load(src);
    expect(r.diagnostics).toEqual([]);
    const m = await lvm(src);
    const x = [0.25, 1.5];
    // 0.5 · k is exact in float32 for every partial sum, so the value is exact in any grouping.
    const lp = m.logJoint({ x }, { mu: 0.5 }) as number;
    m.dispose();
    expect(lp).toBeCloseTo(normalLogPdf(0.5, 0, 1) + normalLogPdf(0.25, 0.5, 1) + normalLogPdf(1.5, 0.5, 1), 4);
  });

  it("regroups mixed `+ -` and `* /` chains without changing their value", () => {
    const n = 100001;
    // 1 - 2 + 3 - 4 + … + n = (n + 1) / 2 for odd n.
    const alt = Array.from({ length: n }, (_, i) => `${i + 1}`).reduce((s, t, i) => (i === 0 ? t : `${s} ${i % 2 ? "-" : "+"} ${t}`), "");
    // 8 / 2 * 2 / 2 * … : powers of two, exact in every grouping; ends at 8 / 2 = 4 after an odd count.
    const prod = ["8", ...Array.from({ length: 20001 }, (_, i) => (i % 2 ? "* 2" : "/ 2"))].join(" ");
    const r = checkProgram(parseProgram(`model M {\n  const A = ${alt}\n  const B = ${prod}\n  data x: real[N]\n  x ~ Normal(A + B, 1)\n}\n`, "m.lvm").program);
    expect(r.diagnostics).toEqual([]);
    expect(r.blocks[0]!.consts).toEqual({ A: (n + 1) / 2, B: 4 });
  });

  it("keeps short chains as written (left to right)", () => {
    const { program } = parseProgram(model("mu - 1 - 2 - 3"), "m.lvm");
    const let_ = program.blocks[0]!.body[3]!;
    expect(let_.kind).toBe("Let");
    const e = (let_ as { value: { kind: string; op: string; left: { op: string; right: { value: number } }; right: { value: number } } }).value;
    expect([e.op, e.right.value, e.left.op, e.left.right.value]).toEqual(["-", 3, "-", 2]);
  });
});
