// grammar/lvm.ebnf is for readers; this keeps its rule names in step with the parser's rules.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { serializedGrammar } from "../../grammar/parser.ts";

describe("grammar/lvm.ebnf", () => {
  it("defines exactly the parser's rules", () => {
    const ebnf = readFileSync(new URL("../../grammar/lvm.ebnf", import.meta.url), "utf8");
    const defined = [...ebnf.matchAll(/^([a-z][A-Za-z]*)\s*=/gm)].map((m) => m[1]!);
    // Lower-case helper productions of the token section are not parser rules.
    const tokenHelpers = ["letter_", "digits", "keyword"];
    const rules = serializedGrammar().map((r) => (r as unknown as { name: string }).name);
    expect(defined.filter((n) => !tokenHelpers.includes(n)).sort()).toEqual([...rules].sort());
  });
});
