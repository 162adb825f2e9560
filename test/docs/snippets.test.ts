// The comparison the docs tests rely on: text exact, numbers within one unit of the last printed digit.
import { describe, expect, it } from "vitest";
import { compareOutput, tsSnippets } from "./snippets.ts";

describe("compareOutput", () => {
  it("accepts equal text and numbers within one unit of the last printed digit", () => {
    expect(compareOutput("a -10.9812 b 3\n", "a -10.9813 b 3")).toEqual([]);
    expect(compareOutput("ESS  132\n\n", "ESS 133")).toEqual([]);
  });
  it("rejects numbers further away, changed text and missing lines", () => {
    expect(compareOutput("x -10.9800", "x -10.9813")).toHaveLength(1);
    expect(compareOutput("y 1.0", "x 1.0")).toHaveLength(1);
    expect(compareOutput("x 1", "x 1\nx 2")).toHaveLength(1);
  });
});

describe("tsSnippets", () => {
  it("pairs a ts block with the text block right after it, not with a later one", () => {
    const md = ["```ts", "a()", "```", "", "```text", "1", "```", "prose", "```ts", "b()", "```", "words", "```text", "2", "```"].join("\n");
    const s = tsSnippets(md);
    expect(s.map((x) => [x.code.body, x.output?.body])).toEqual([
      ["a()", "1"],
      ["b()", undefined],
    ]);
  });
});
