import { describe, expect, it } from "vitest";
import { parseProgram } from "../../src/syntax/parse.ts";
import type * as A from "../../src/syntax/ast.ts";
import { DEEP_LATENT_GAUSSIAN, DIGIT_COMPLETION, ENCODER_GUIDE, GAUSSIAN_MIXTURE } from "./examples.ts";

/** The source text a span covers. */
const text = (src: string, s: { start: { offset: number }; end: { offset: number } }) => src.slice(s.start.offset, s.end.offset);
const at = (s: A.Ident["span"]) => [s.start.line, s.start.column];

describe("GaussianMixture", () => {
  const { program, diagnostics } = parseProgram(GAUSSIAN_MIXTURE, "gmm.lvm");
  const model = program.blocks[0] as A.ModelBlock;

  it("parses without diagnostics", () => {
    expect(diagnostics).toEqual([]);
    expect(program.blocks.map((b) => [b.kind, b.name.name])).toEqual([["Model", "GaussianMixture"]]);
  });

  it("has the statements in order", () => {
    expect(model.body.map((s) => s.kind)).toEqual(["Const", "Data", "Param", "Param", "Param", "Latent", "For"]);
    expect(at(model.span)).toEqual([2, 1]);
    expect(model.span.end.line).toBe(14);
  });

  it("reads cat[K][N] as base cat, args [K], shape [N]", () => {
    const z = model.body[5] as A.LatentDecl;
    expect(z.type.base.name).toBe("cat");
    expect(z.type.args.map((e) => (e as A.NameExpr).name)).toEqual(["K"]);
    expect(z.type.shape.map((e) => (e as A.NameExpr).name)).toEqual(["N"]);
    expect(text(GAUSSIAN_MIXTURE, z.type.span)).toBe("cat[K][N]");
    expect(at(z.span)).toEqual([8, 3]);
  });

  it("reads simplex[K] as args [K], and real[K, D] as shape [K, D]", () => {
    const w = model.body[2] as A.ParamDecl;
    expect(w.type.args.map((e) => (e as A.NameExpr).name)).toEqual(["K"]);
    expect(w.type.shape).toEqual([]);
    const mu = model.body[3] as A.ParamDecl;
    expect(mu.type.args).toEqual([]);
    expect(mu.type.shape.map((e) => (e as A.NameExpr).name)).toEqual(["K", "D"]);
    expect(mu.init).toBeUndefined();
  });

  it("reads the plate with indexed sampling targets and gather indexing", () => {
    const plate = model.body[6] as A.ForStmt;
    expect(plate.index.name).toBe("n");
    expect((plate.range as A.NameExpr).name).toBe("N");
    expect(at(plate.span)).toEqual([10, 3]);
    expect(plate.span.end.line).toBe(13);
    const [s1, s2] = plate.body as [A.SampleStmt, A.SampleStmt];
    expect(text(GAUSSIAN_MIXTURE, s1.span)).toBe("z[n] ~ Categorical(weights)");
    expect(s1.target.kind).toBe("Index");
    expect(s1.dist.callee.name).toBe("Categorical");
    expect(text(GAUSSIAN_MIXTURE, s2.dist.span)).toBe("Normal(mu[z[n]], sigma[z[n]])");
    const loc = s2.dist.args[0]!.value as A.IndexExpr;
    expect(loc.kind).toBe("Index");
    expect((loc.target as A.NameExpr).name).toBe("mu");
    const inner = loc.indices[0] as A.IndexExpr;
    expect(inner.kind).toBe("Index");
    expect(text(GAUSSIAN_MIXTURE, inner.span)).toBe("z[n]");
    expect(at(inner.span)).toEqual([12, 22]);
  });

  it("reads const K = 3 as a number", () => {
    const k = model.body[0] as A.ConstDecl;
    expect(k.value).toMatchObject({ kind: "Num", value: 3 });
    expect(at(k.value.span)).toEqual([3, 13]);
  });
});

describe("DeepLatentGaussian with its Encoder guide in one file", () => {
  const src = DEEP_LATENT_GAUSSIAN + "\n" + ENCODER_GUIDE;
  const { program, diagnostics } = parseProgram(src, "dlgm.lvm");

  it("parses without diagnostics into a model and a guide", () => {
    expect(diagnostics).toEqual([]);
    expect(program.blocks.map((b) => [b.kind, b.name.name])).toEqual([
      ["Model", "DeepLatentGaussian"],
      ["Guide", "Encoder"],
    ]);
    const g = program.blocks[1] as A.GuideBlock;
    expect(g.model.name).toBe("DeepLatentGaussian");
    expect(at(g.span)).toEqual([13, 1]);
    expect(at(g.model.span)).toEqual([13, 19]);
  });

  it("reads nets as layer calls with arrow arguments", () => {
    const m = program.blocks[0] as A.ModelBlock;
    expect(m.body.map((s) => s.kind)).toEqual(["Const", "Data", "Latent", "Net", "Net", "Sample", "Sample"]);
    const mean = m.body[3] as A.NetDecl;
    expect(mean.name.name).toBe("mean");
    expect(mean.layer.callee.name).toBe("dense");
    const arrow = mean.layer.args[0]!.value as A.ArrowExpr;
    expect(arrow.kind).toBe("Arrow");
    expect(arrow.sizes.map((e) => (e as A.NameExpr).name)).toEqual(["P", "D"]);
    expect((mean.layer.args[1]!.value as A.NameExpr).name).toBe("sigmoid");
    expect(text(src, mean.span)).toBe("net mean  = dense(P -> D, sigmoid)");
  });

  it("reads nested calls", () => {
    const x = (program.blocks[0] as A.ModelBlock).body[6] as A.SampleStmt;
    const scale = x.dist.args[1]!.value as A.CallExpr;
    expect(scale.callee.name).toBe("sqrt");
    expect(((scale.args[0]!.value as A.CallExpr).args[0]!.value as A.CallExpr).callee.name).toBe("logv");
  });

  it("reads mlp(D -> 64 -> 2 * P, tanh) and h[:, 0:P]", () => {
    const g = program.blocks[1] as A.GuideBlock;
    expect(g.body.map((s) => s.kind)).toEqual(["Net", "Let", "Sample"]);
    const enc = (g.body[0] as A.NetDecl).layer;
    const arrow = enc.args[0]!.value as A.ArrowExpr;
    expect(arrow.kind).toBe("Arrow");
    expect(arrow.sizes.map((e) => e.kind)).toEqual(["Name", "Num", "Binary"]);
    expect(arrow.sizes[2]).toMatchObject({ kind: "Binary", op: "*", left: { kind: "Num", value: 2 }, right: { kind: "Name", name: "P" } });
    expect(text(src, arrow.span)).toBe("D -> 64 -> 2 * P");

    const z = g.body[2] as A.SampleStmt;
    const loc = z.dist.args[0]!.value as A.IndexExpr;
    expect(loc.kind).toBe("Index");
    expect(loc.indices).toHaveLength(2);
    const [all, part] = loc.indices as [A.SliceExpr, A.SliceExpr];
    expect(all.kind).toBe("Slice");
    expect(all.start).toBeUndefined();
    expect(all.end).toBeUndefined();
    expect(part).toMatchObject({ kind: "Slice", start: { kind: "Num", value: 0 }, end: { kind: "Name", name: "P" } });
    expect(text(src, loc.span)).toBe("h[:, 0:P]");
    expect(at(loc.span)).toEqual([16, 14]);
    const scale = ((z.dist.args[1]!.value as A.CallExpr).args[0]!.value as A.IndexExpr).indices[1] as A.SliceExpr;
    expect(text(src, scale.span)).toBe("P:2*P");
    expect(scale.end).toMatchObject({ kind: "Binary", op: "*" });
  });
});

describe("DigitCompletion (complete version)", () => {
  const { program, diagnostics } = parseProgram(DIGIT_COMPLETION, "digits.lvm");
  it("parses missing data and named arguments", () => {
    expect(diagnostics).toEqual([]);
    const m = program.blocks[0] as A.ModelBlock;
    expect(m.body.map((s) => s.kind)).toEqual(["Data", "Latent", "Net", "Sample", "Sample"]);
    const x = m.body[0] as A.DataDecl;
    expect(x.missing).toBe(true);
    expect(text(DIGIT_COMPLETION, x.span)).toBe("data x: binary[N, 784] missing");
    expect(x.type.shape.map((e) => e.kind)).toEqual(["Name", "Num"]);
    const lik = m.body[4] as A.SampleStmt;
    expect(lik.dist.args[0]!.name?.name).toBe("logits");
    expect(text(DIGIT_COMPLETION, lik.dist.args[0]!.span)).toBe("logits = decode(z)");
    expect((lik.dist.args[0]!.value as A.CallExpr).callee.name).toBe("decode");
  });
});

describe("statement forms", () => {
  const parse = (body: string) => {
    const r = parseProgram(`model M {\n${body}\n}`, "m.lvm");
    expect(r.diagnostics).toEqual([]);
    return (r.program.blocks[0] as A.ModelBlock).body;
  };

  it("accepts optional semicolons and several statements on one line", () => {
    expect(parse("const K = 3; const L = 4;; data x: real[N]").map((s) => s.kind)).toEqual(["Const", "Const", "Data"]);
  });

  it("reads param initializers and let annotations", () => {
    const [p, l] = parse("param phi: unit[392] = 0.5\nlet h: real[N, 4] = enc(x)") as [A.ParamDecl, A.LetDecl];
    expect(p.init).toMatchObject({ kind: "Num", value: 0.5 });
    expect(l.type?.shape).toHaveLength(2);
    expect(l.value.kind).toBe("Call");
  });

  it("nests plates and indexes with two indices", () => {
    const [f] = parse("for n in N {\n for d in D {\n  x[n, d] ~ Normal(0, 1)\n }\n}") as [A.ForStmt];
    const inner = f.body[0] as A.ForStmt;
    const s = inner.body[0] as A.SampleStmt;
    expect((s.target as A.IndexExpr).indices).toHaveLength(2);
    expect(s.span.start.line).toBe(4);
  });

  it("lexes keyword prefixes as names", () => {
    const [c] = parse("const modelX = format + netw + index + missingness + letter") as [A.ConstDecl];
    expect(c.name.name).toBe("modelX");
  });

  it("uses the usual precedence and right-associative ^", () => {
    const [c] = parse("const a = 1 + 2 * 3 ^ 2 ^ 1 == 7 || !b && c < -d") as [A.ConstDecl];
    const e = c.value as A.BinaryExpr;
    expect(e.op).toBe("||");
    const eq = e.left as A.BinaryExpr;
    expect(eq.op).toBe("==");
    const plus = eq.left as A.BinaryExpr;
    expect(plus.op).toBe("+");
    const times = plus.right as A.BinaryExpr;
    expect(times.op).toBe("*");
    const pow = times.right as A.BinaryExpr;
    expect(pow).toMatchObject({ op: "^", left: { value: 3 }, right: { op: "^", left: { value: 2 }, right: { value: 1 } } });
    const and = e.right as A.BinaryExpr;
    expect(and.op).toBe("&&");
    expect(and.left).toMatchObject({ kind: "Unary", op: "!" });
    expect(and.right).toMatchObject({ op: "<", right: { kind: "Unary", op: "-", operand: { name: "d" } } });
  });

  it("binds unary minus looser than ^ and folds negative literals", () => {
    const [a, b, c] = parse("const a = -2 ^ 2\nconst b = -1e-3\nconst c = 2 - -1.5") as A.ConstDecl[];
    expect(a!.value).toMatchObject({ kind: "Unary", op: "-", operand: { kind: "Binary", op: "^" } });
    expect(b!.value).toMatchObject({ kind: "Num", value: -0.001 });
    expect(b!.value.span.start.column).toBe(11);
    expect(c!.value).toMatchObject({ kind: "Binary", op: "-", right: { kind: "Num", value: -1.5 } });
  });

  it("reads arrays, parentheses, chained indexing and comments", () => {
    const [c, d] = parse("const p = [0.2, 0.3, (0.5)] /* block\n comment */\nlet e = a[i][j] // tail") as [A.ConstDecl, A.LetDecl];
    expect(c.value).toMatchObject({ kind: "Array", items: [{ value: 0.2 }, { value: 0.3 }, { value: 0.5 }] });
    expect(d.value).toMatchObject({ kind: "Index", target: { kind: "Index", target: { name: "a" } }, indices: [{ name: "j" }] });
  });

  it("reads imports", () => {
    const r = parseProgram(`import "other.lvm"\nimport "lib/b.lvm"\nmodel M { }`, "i.lvm");
    expect(r.diagnostics).toEqual([]);
    expect(r.program.imports.map((i) => i.path)).toEqual(["other.lvm", "lib/b.lvm"]);
    expect(r.program.imports[1]!.span.start.line).toBe(2);
  });
});
