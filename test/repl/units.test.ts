// Pure helpers of the REPL: block recognition, word splitting, number formatting.
import { describe, expect, it } from "vitest";
import { splitWords } from "../../src/repl/args.ts";
import { blockComplete, blockHeader, braceDepth, startsBlock } from "../../src/repl/blocks.ts";
import { num, preview } from "../../src/repl/format.ts";
import { sparkline } from "../../src/commands/sparkline.ts";

describe("REPL helpers", () => {
  it("recognizes model and guide blocks but not JavaScript about the model", () => {
    expect(startsBlock("model GMM {")).toBe(true);
    expect(startsBlock("  guide Q for GMM {")).toBe(true);
    expect(startsBlock("model.params()")).toBe(false);
    expect(startsBlock("models = 3")).toBe(false);
    expect(blockHeader("guide Q for GMM {")).toEqual({ kind: "guide", name: "Q", model: "GMM" });
  });

  it("counts braces outside comments and strings", () => {
    expect(braceDepth("model M { // {\n x /* } */")).toEqual({ depth: 1, opened: true });
    expect(blockComplete("model M {\n  import \"}\"\n}")).toBe(true);
    expect(blockComplete("model M")).toBe(false);
    expect(blockComplete("model M {\n  for n in N {\n  }")).toBe(false);
  });

  it("splits words with quotes", () => {
    expect(splitWords(`load "my file.lvm" --model  M ''`)).toEqual(["load", "my file.lvm", "--model", "M", ""]);
  });

  it("prints numbers concisely", () => {
    expect(num(-207.76331234)).toBe("-207.763");
    expect(num(30)).toBe("30");
    expect(num(0.000012345)).toBe("1.2345e-5");
    expect(preview([[1, 2.5], [3, 4]])).toBe("[[1, 2.5], [3, 4]]");
    expect(preview(Array.from({ length: 20 }, (_, i) => i), 3)).toBe("[0 1 2 … (20 values)]");
  });

  it("draws a sparkline of a trace: lowest bucket ▁, highest █", () => {
    expect(sparkline([1, 2, 3, 4, 5, 6, 7, 8])).toBe("▁▂▃▄▅▆▇█");
    expect(sparkline([0, 0, 10, 10], 2)).toBe("▁█");
    expect(sparkline([3, 3, 3])).toBe("▁▁▁");
    expect(sparkline([])).toBe("");
  });
});
