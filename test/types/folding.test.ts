// Constant folding never hands a non-finite number to the backend (issue 12: `1e999999999 -
// 1e999999999` passed the check and gave -Infinity at run time), and sizes computed from
// constants are whole numbers ≥ 0 or an error that says what they came to.
import { describe, expect, it } from "vitest";
import { loadModelSource } from "../../src/api/frontend.ts";
import type { Diagnostic } from "../../src/diagnostics/diagnostic.ts";

/** Errors of a model whose third line is `line`. */
function errorsOf(line: string): string[] {
  const src = `model M {\n  data x: real[N]\n  ${line}\n  x ~ Normal(0, 1)\n}\n`;
  const r = loadModelSource(src, "m.lvm", { readFile: () => undefined });
  return r.diagnostics.filter((d: Diagnostic) => d.severity === "error").map((d) => `${d.code} ${d.span?.start.line}:${d.span?.start.column} ${d.message}`);
}

describe("numeric literals", () => {
  it("a literal beyond ±1.8e308 is L004 at the literal", () => {
    expect(errorsOf("let a = 1e999999999 - 1e999999999")).toEqual([
      "L004 3:11 number `1e999999999` is too large: numbers are at most about 1.8e308",
      "L004 3:25 number `1e999999999` is too large: numbers are at most about 1.8e308",
    ]);
    expect(errorsOf("data y: real[1e999]")).toEqual(["L004 3:16 number `1e999` is too large: numbers are at most about 1.8e308"]);
  });

  it("literals that are merely tiny are fine (they round to 0 or a subnormal)", () => {
    expect(errorsOf("let a = 1e-400 + 5e-324")).toEqual([]);
  });
});

describe("constant expressions that are not finite numbers (T034)", () => {
  it.each([
    ["let a = 1e308 * 10", "T034 3:11 constant `1e308 * 10` overflows to Infinity"],
    ["let a = -1e308 - 1e308", "T034 3:11 constant `-1e308 - 1e308` overflows to -Infinity"],
    ["let a = 1 / 0", "T034 3:11 constant `1 / 0` divides by zero"],
    ["let a = 0 / 0", "T034 3:11 constant `0 / 0` divides by zero"],
    ["let a = 0 ^ -1", "T034 3:11 constant `0 ^ -1` is Infinity, not a finite number"],
    ["let a = (-8) ^ 0.5", "T034 3:11 constant `-8 ^ 0.5` is NaN, not a finite number"],
    ["let a = 10 ^ 400", "T034 3:11 constant `10 ^ 400` overflows to Infinity"],
    ["const K = 1e308 * 10", "T034 3:13 constant `1e308 * 10` overflows to Infinity"],
  ])("%s", (line, expected) => {
    expect(errorsOf(line)).toEqual([expected]);
  });

  it("reports the innermost overflowing part once, not every enclosing one", () => {
    // The span of a parenthesized part includes its parentheses.
    expect(errorsOf("let a = (1e308 * 10) * 2 + 1")).toEqual(["T034 3:11 constant `1e308 * 10` overflows to Infinity"]);
  });

  it("large finite constants fold as before", () => {
    expect(errorsOf("let a = 1e308 - 1e308 + 1.7e308 * 1")).toEqual([]);
  });
});

describe("sizes computed from constants", () => {
  it.each([
    ["const K = 3\n  data y: real[K / 2]", "S008 4:16 size `K / 2` is 1.5; a size must be a whole number ≥ 0"],
    ["const K = 3\n  data y: real[K - 4]", "S008 4:16 size `K - 4` is -1; a size must be a whole number ≥ 0"],
    ["const K = 1e308\n  data y: real[K * 10]", "S008 4:16 size `K * 10` overflows to Infinity; a size must be a whole number ≥ 0"],
    ["data y: real[N * 1e308 * 10]", "S008 3:16 size `(N * 1e308) * 10` overflows to Infinity; a size must be a whole number ≥ 0"],
  ])("%s", (line, expected) => {
    expect(errorsOf(line)).toEqual([expected]);
  });

  it("symbolic sizes that may be valid are accepted (`N - 4`, `2 * K + N`)", () => {
    expect(errorsOf("const K = 3\n  data y: real[N - 4, 2 * K + N]")).toEqual([]);
  });
});
