// docs/language.md against the grammar and the stdlib table: the generated tables are current,
// every stdlib name and parameter and every keyword is documented, every ```lvm block checks.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { ACTIVATIONS, DISTRIBUTIONS, FUNCTIONS, LAYERS } from "../../stdlib/signatures.ts";
import { KEYWORDS } from "../../grammar/tokens.ts";
import { SUPPORTS } from "../../src/ir/types.ts";
import { loadModelSource } from "../../src/api/frontend.ts";
import { renderDiagnostics } from "../../src/diagnostics/render.ts";
import { BEGIN, END, generated } from "../../scripts/gen-language-ref.ts";
import { fencedBlocks } from "./snippets.ts";

const read = (rel: string) => readFileSync(fileURLToPath(new URL(`../../${rel}`, import.meta.url)), "utf8");
const doc = read("docs/language.md");
const ebnf = read("grammar/lvm.ebnf");
const section = doc.slice(doc.indexOf(BEGIN) + BEGIN.length, doc.indexOf(END)).trim();
/** The hand-written part: what a reader sees outside the generated tables. */
const prose = doc.slice(0, doc.indexOf(BEGIN));

describe("docs/language.md", () => {
  it("carries the current generated tables (run `npx tsx scripts/gen-language-ref.ts --write`)", () => {
    expect(doc.includes(BEGIN) && doc.includes(END)).toBe(true);
    expect(section).toBe(generated().trim());
  });

  it("names every distribution with its parameter names", () => {
    for (const d of DISTRIBUTIONS) {
      const row = section.split("\n").find((l) => l.startsWith(`| \`${d.name}\` |`));
      expect(row, d.name).toBeDefined();
      for (const p of d.params) expect(row, `${d.name}.${p.name}`).toContain(`\`${p.name}`);
    }
  });

  it("names every function, layer and activation", () => {
    for (const f of FUNCTIONS) expect(section, f.name).toContain(`| \`${f.name}\` |`);
    for (const l of LAYERS) {
      expect(section, l.name).toContain(`| \`${l.name}\` |`);
      expect(prose, `${l.name} is explained in the text`).toContain(`${l.name}(`);
    }
    for (const a of ACTIVATIONS) expect(section, a).toContain(`\`${a}\``);
  });

  it("documents every keyword of the lexer in the text, and the EBNF uses no other", () => {
    for (const k of KEYWORDS) expect(prose, k).toMatch(new RegExp(`\`[^\`]*\\b${k}\\b[^\`]*\``));
    const quotedWords = new Set([...ebnf.matchAll(/"([a-z]+)"/g)].map((m) => m[1]!).filter((w) => w.length > 1)); // single letters are character ranges
    expect([...quotedWords].sort()).toEqual([...KEYWORDS].sort());
  });

  it("documents every support usable in a declaration", () => {
    for (const s of SUPPORTS.filter((x) => x !== "integer")) expect(prose, s).toContain(`| \`${s}`);
  });

  it("documents every operator of the grammar", () => {
    for (const op of ["||", "&&", "==", "!=", "<", "<=", ">", ">=", "+", "-", "*", "/", "^", "!", "~", "->", ":"]) {
      const escaped = op.replace(/\|/g, "\\|");
      expect(prose.includes(`\`a ${escaped} b\``) || prose.includes(`\`${escaped}`) || prose.includes(escaped), op).toBe(true);
    }
  });

  const programs = fencedBlocks(doc).filter((b) => b.lang === "lvm");
  it("has complete example programs", () => expect(programs.length).toBeGreaterThanOrEqual(5));
  for (const b of programs) {
    it(`the program at line ${b.line} parses and checks without errors`, () => {
      const file = `docs/language.md:${b.line}`;
      const r = loadModelSource(b.body, file);
      expect(renderDiagnostics(r.diagnostics, new Map([[file, b.body]]))).toBe("");
      expect(r.graphs.length).toBeGreaterThan(0);
    });
  }
});
