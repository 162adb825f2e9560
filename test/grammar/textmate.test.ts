// The TextMate grammar must stay in step with the lexer's keywords and the stdlib's
// distribution names.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { KEYWORDS } from "../../grammar/tokens.ts";
import { DISTRIBUTIONS } from "../../stdlib/signatures.ts";

const path = new URL("../../grammar/lvm.tmLanguage.json", import.meta.url);

type Rule = { match?: string; begin?: string; end?: string; patterns?: Rule[]; name?: string };
const grammar = JSON.parse(readFileSync(path, "utf8")) as { scopeName: string; fileTypes: string[]; repository: Record<string, Rule> };

/** The words of a `\b(?:a|b|c)\b` alternation. */
const words = (rule: Rule | undefined): string[] => {
  const m = /^\\b\(\?:(.*)\)\\b$/.exec(rule?.match ?? "");
  return m ? m[1]!.split("|") : [];
};

function* regexes(rule: Rule): Generator<string> {
  for (const r of [rule.match, rule.begin, rule.end]) if (r !== undefined) yield r;
  for (const p of rule.patterns ?? []) yield* regexes(p);
}

describe("grammar/lvm.tmLanguage.json", () => {
  it("is JSON for source.lvm files", () => {
    expect(grammar.scopeName).toBe("source.lvm");
    expect(grammar.fileTypes).toEqual(["lvm"]);
  });

  it("highlights exactly the lexer's keywords", () => {
    expect(words(grammar.repository.keywords).sort()).toEqual([...KEYWORDS].sort());
  });

  it("highlights exactly the stdlib's distributions and the type names", () => {
    expect(words(grammar.repository.distributions).sort()).toEqual(DISTRIBUTIONS.map((d) => d.name).sort());
    expect(words(grammar.repository.types).sort()).toEqual(["binary", "cat", "count", "positive", "real", "simplex", "unit"]);
  });

  it("has regexes that compile and behave on samples", () => {
    for (const rule of Object.values(grammar.repository)) for (const r of regexes(rule)) expect(() => new RegExp(r)).not.toThrow();
    const kw = new RegExp(grammar.repository.keywords!.match!);
    expect(kw.test("model")).toBe(true);
    expect(kw.test("modelX")).toBe(false);
    const num = new RegExp(`^${grammar.repository.numbers!.match!}$`);
    for (const n of ["3", "0.5", "1e-3", "2.5E+4", ".5"]) expect(num.test(n)).toBe(true);
    const ops = grammar.repository.operators!.patterns!.map((p) => p.match);
    expect(ops).toContain("~");
    expect(ops).toContain("->");
  });
});
