// Files with thousands of errors (issue 12: a 5 MB file with many errors took 33 s and 1.5 GB,
// or ended in I999 "Maximum call stack size exceeded"). Diagnostics are capped at
// MAX_DIAGNOSTICS per file and per check; the rest are counted in one I005 note, the summary
// counts them all, and the outcome (error or not) never changes. Speed and memory on 5 MB
// inputs: bench/frontend-large.ts.
import { describe, expect, it } from "vitest";
import { loadModelSource } from "../../src/api/frontend.ts";
import { MAX_DIAGNOSTICS } from "../../src/diagnostics/collect.ts";
import { hasErrors, type Diagnostic } from "../../src/diagnostics/diagnostic.ts";
import { renderDiagnostics, summary } from "../../src/diagnostics/render.ts";
import { parseProgram } from "../../src/syntax/parse.ts";

const load = (src: string, files: Record<string, string> = {}) =>
  loadModelSource(src, "/m/main.lvm", { readFile: (abs) => files[abs] });
const codes = (ds: Diagnostic[]) => [...new Set(ds.map((d) => d.code))].sort();
const note = (ds: Diagnostic[]) => ds.find((d) => d.code === "I005");

describe("diagnostics are capped, the rest counted", () => {
  it("is 1,000", () => expect(MAX_DIAGNOSTICS).toBe(1000));

  it("5,000 unknown names: 1,000 listed, then a note counting 4,000 more; the summary counts 5,000", () => {
    const lines = Array.from({ length: 5000 }, (_, i) => `  let a${i} = b${i}`);
    const r = load(`model M {\n  data x: real[N]\n${lines.join("\n")}\n  x ~ Normal(0, 1)\n}\n`);
    expect(r.diagnostics).toHaveLength(MAX_DIAGNOSTICS + 1);
    expect(codes(r.diagnostics)).toEqual(["I005", "N001"]);
    const n = note(r.diagnostics)!;
    expect(n.severity).toBe("error");
    expect(n.omitted).toEqual({ error: 4000, warning: 0, info: 0 });
    expect(n.message).toBe("4,000 more errors in `/m/main.lvm` and its imports not listed: Latent lists the first 1,000 diagnostics");
    // The first 1,000 in source order: b0 … b999.
    expect(r.diagnostics.filter((d) => d.code === "N001").map((d) => d.message)).toEqual(Array.from({ length: 1000 }, (_, i) => `unknown name \`b${i}\``));
    expect(summary(r.diagnostics)).toBe("5000 errors");
    expect(renderDiagnostics(r.diagnostics, new Map(), { limit: 3 })).toMatch(/… 998 more diagnostics not shown\n\n5000 errors$/);
  });

  it("5,000 bad characters: 1,000 L001 and the count of the rest", () => {
    const r = parseProgram(Array(5000).fill("@").join(" "), "bad.lvm");
    expect(r.diagnostics).toHaveLength(MAX_DIAGNOSTICS + 1);
    expect(codes(r.diagnostics)).toEqual(["I005", "L001"]);
    expect(note(r.diagnostics)!.omitted!.error).toBe(4000);
  });

  it("syntax errors: parsing stops once 1,000 are listed (P007 says where), never an internal error", () => {
    const src = Array.from({ length: 3000 }, (_, i) => `model M${i} { let = = )`).join("\n");
    const r = parseProgram(src, "bad.lvm");
    expect(r.diagnostics.length).toBeLessThanOrEqual(MAX_DIAGNOSTICS + 2);
    const stop = r.diagnostics.find((d) => d.code === "P007")!;
    expect(stop.message).toMatch(/^too many syntax errors: stopped reading `bad\.lvm` at line (\d+)$/);
    const line = Number(/line (\d+)/.exec(stop.message)![1]);
    // Each line has two errors: the parser stops about half-way through 1,000 listed errors.
    expect(line).toBeGreaterThan(400);
    expect(line).toBeLessThan(600);
    expect(codes(r.diagnostics).filter((c) => c.endsWith("999"))).toEqual([]);
  });

  it("only warnings: capped too, and the result stays ok", () => {
    const lines = Array.from({ length: 2000 }, (_, i) => `  let a${i} = 1`);
    const r = load(`model M {\n  data x: real[N]\n${lines.join("\n")}\n  x ~ Normal(0, 1)\n}\n`);
    expect(hasErrors(r.diagnostics)).toBe(false);
    expect(r.graphs).toHaveLength(1);
    const n = note(r.diagnostics)!;
    expect(n.severity).toBe("warning");
    expect(n.omitted).toEqual({ error: 0, warning: 1000, info: 0 });
    expect(summary(r.diagnostics)).toBe("2000 warnings");
  });

  it("errors after 1,000 warnings still fail the check (the note is an error then)", () => {
    const lines = Array.from({ length: 1500 }, (_, i) => `  let a${i} = 1`);
    const r = load(`model M {\n  data x: real[N]\n${lines.join("\n")}\n  x ~ Normal(0, 1)\n}\nguide G for Nope {\n}\n`);
    expect(r.diagnostics.filter((d) => d.code === "G001")).toEqual([]);
    expect(hasErrors(r.diagnostics)).toBe(true);
    expect(note(r.diagnostics)!.omitted).toEqual({ error: 1, warning: 500, info: 0 });
  });

  it("notes of imported files merge into one count", () => {
    const bad = Array(600).fill("@").join(" ");
    const files = { "/m/a.lvm": bad, "/m/b.lvm": bad, "/m/c.lvm": bad };
    const r = load(`import "a.lvm"\nimport "b.lvm"\nimport "c.lvm"\nmodel M {\n  data x: real[N]\n  x ~ Normal(0, 1)\n}\n`, files);
    expect(r.diagnostics.filter((d) => d.code === "L001")).toHaveLength(MAX_DIAGNOSTICS);
    expect(r.diagnostics.filter((d) => d.code === "I005")).toHaveLength(1);
    expect(note(r.diagnostics)!.omitted!.error).toBe(800);
    expect(summary(r.diagnostics)).toBe("1800 errors");
  });

  it("did-you-mean hints are computed for listed diagnostics only, within a budget", () => {
    // 3,000 declarations, 3,000 near-misses: every listed error still gets its hint.
    const decls = Array.from({ length: 3000 }, (_, i) => `  let value${i} = 1`);
    const uses = Array.from({ length: 3000 }, (_, i) => `  let use${i} = valeu${i}`);
    const r = load(`model M {\n  data x: real[N]\n${decls.join("\n")}\n${uses.join("\n")}\n  x ~ Normal(0, 1)\n}\n`);
    const listed = r.diagnostics.filter((d) => d.code === "N001");
    expect(listed).toHaveLength(MAX_DIAGNOSTICS);
    expect(listed[0]!.hint).toBe("did you mean `value0`?");
    expect(listed.filter((d) => d.hint).length).toBeGreaterThan(100);
  });
});
