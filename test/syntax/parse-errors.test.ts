import { describe, expect, it } from "vitest";
import { parseProgram } from "../../src/syntax/parse.ts";
import type * as A from "../../src/syntax/ast.ts";

const summary = (src: string) =>
  parseProgram(src, "bad.lvm").diagnostics.map((d) => ({ code: d.code, line: d.span?.start.line, column: d.span?.start.column, message: d.message, hint: d.hint }));

describe("syntax errors", () => {
  it("reports every one of three separate errors, each on its line", () => {
    const src = [
      "model GaussianMixture {", // 1
      "  const K = 3", // 2
      "  data x real[N, D]", // 3: missing `:`
      "  param mu: real[K, D]", // 4
      "  x ~ Normal(mu, )", // 5: missing argument
      "  latent z: cat[K][N]", // 6
      "  z = Categorical(weights)", // 7: `=` instead of `~`
      "}",
    ].join("\n");
    const ds = summary(src);
    expect(ds.map((d) => d.line)).toEqual([3, 5, 7]);
    expect(ds.every((d) => d.code.startsWith("P"))).toBe(true);
    expect(ds[0]).toMatchObject({ column: 10, message: "expected `:`, found name `real`" });
    expect(ds[1]).toMatchObject({ column: 18, message: "expected an expression, found `)`" });
    expect(ds[2]).toMatchObject({ column: 5, message: "expected `~`, found `=`" });
    expect(ds[2]!.hint).toContain("~");
    // The well-formed statements around the errors survive (the broken sample is dropped).
    const { program } = parseProgram(src, "bad.lvm");
    expect((program.blocks[0] as A.ModelBlock).body.map((s) => s.kind)).toEqual(["Const", "Data", "Param", "Latent"]);
  });

  it("names the block a missing `}` should close", () => {
    const src = "\n\nmodel GaussianMixture {\n  const K = 3\n  for n in N {\n    x[n] ~ Normal(0, 1)\n  }\n";
    expect(summary(src)).toEqual([
      expect.objectContaining({ code: "P001", line: 7, message: "expected `}` to close model `GaussianMixture` opened at line 3, found end of file" }),
    ]);
    const nested = "model M {\n  for n in N {\n    x[n] ~ Normal(0, 1)\n}\nguide G for M { }";
    expect(summary(nested)[0]!.message).toBe("expected `}` to close model `M` opened at line 1, found `guide` on line 5");
  });

  it("asks for a distribution call after `~`", () => {
    expect(summary("model M {\n  x ~ 3\n}")).toEqual([
      expect.objectContaining({ code: "P001", line: 2, column: 7, message: "expected a distribution call after `~`, found number `3`" }),
    ]);
  });

  it("explains `==` versus `=`", () => {
    const [d] = summary("model M {\n  let h == f(x)\n}");
    expect(d).toMatchObject({ line: 2, column: 9, message: "expected `=`, found `==`" });
    expect(d!.hint).toContain("`==` compares");
    const [e] = summary("model M {\n  x ~ Normal(a[n] = 1, 1)\n}");
    expect(e!.hint).toContain("`=` is not `==`");
  });

  it("points at the end of the line when something is missing there", () => {
    const ds = summary("model M {\n  x ~ Normal(0, 1\n  y ~ Normal(0, 1)\n}");
    expect(ds).toEqual([expect.objectContaining({ line: 2, column: 18, message: "expected `)`, found name `y` on line 3" })]);
  });

  it("requires a line break or `;` between statements", () => {
    expect(summary("model M {\n  let a = b c\n  x ~ Normal(0, 1) y ~ Normal(0, 1)\n  x ~ Normal(0, 1); y ~ Normal(0, 1)\n}")).toEqual([
      expect.objectContaining({ line: 2, column: 13, message: "expected the end of the statement, found name `c`", hint: "statements are separated by a line break or `;`" }),
      expect.objectContaining({ line: 3, column: 20, message: "expected the end of the statement, found name `y`" }),
    ]);
    const [d] = summary("model M {\n  data x: real[N] = 3\n}");
    expect(d).toMatchObject({ line: 2, column: 19, hint: "only `const`, `let` and `param` take `= value`" });
  });

  it("reports `Normal[0]` once", () => {
    expect(summary("model M {\n  x ~ Normal[0]\n  y ~ Normal(0, 1)\n}")).toEqual([
      expect.objectContaining({ line: 2, column: 13, message: "expected `(`, found `[`" }),
    ]);
  });

  it("rejects a second bracket on a plain type", () => {
    const ds = summary("model M {\n  data x: real[N][D]\n}");
    expect(ds).toEqual([expect.objectContaining({ code: "P005", line: 2, column: 18 })]);
    expect(ds[0]!.hint).toContain("real[N, D]");
  });

  it("says a keyword is not a name", () => {
    const [d] = summary("model M {\n  const for = 3\n}");
    expect(d!.hint).toContain("reserved word");
  });

  it("reports a stray `}` and text outside blocks", () => {
    const ds = summary("model M { }\n}\nmodel N { }\nfoo");
    expect(ds.map((d) => [d.code, d.line])).toEqual([
      ["P004", 2],
      ["P004", 4],
    ]);
    expect(ds[0]!.message).toBe("expected `model`, `guide` or `import`, found `}`");
  });
});

describe("lexing errors", () => {
  it("reports an unterminated block comment where it opens", () => {
    const ds = summary("model M {\n  const K = 3 /* never closed\n  data x: real\n}\n");
    expect(ds.find((d) => d.code === "L002")).toMatchObject({ line: 2, column: 15, message: "unterminated block comment: `/*` has no matching `*/`" });
  });

  it("reports an unknown character and still parses the rest", () => {
    const src = "model M {\n  const K = 3 #\n  data x: real[N]\n}";
    const r = parseProgram(src, "bad.lvm");
    expect(r.diagnostics).toEqual([expect.objectContaining({ code: "L001", message: "unexpected character `#`" })]);
    const span = r.diagnostics[0]!.span!;
    expect([span.start.line, span.start.column, span.end.column, span.start.offset]).toEqual([2, 15, 16, src.indexOf("#")]);
    expect((r.program.blocks[0] as A.ModelBlock).body.map((s) => s.kind)).toEqual(["Const", "Data"]);
  });

  it("does not repeat a bad character as parse errors on its line", () => {
    expect(summary("model M {\n  let q = a & b\n  let r = a $\n}").map((d) => [d.code, d.line])).toEqual([
      ["L001", 2],
      ["L001", 3],
    ]);
  });

  it("reports an unterminated string", () => {
    const ds = summary('import "other.lvm\nmodel M { }');
    expect(ds).toEqual([expect.objectContaining({ code: "L003", line: 1, column: 8 })]);
  });
});
