// The diagnostics catalogue against the code that emits the codes and the docs that name them:
// every code written in src/ is listed, every listed code is emitted (or marked reserved), the
// generated table in docs/diagnostics.md is current, every code the docs mention exists, and the
// golden outputs of test/bad/ print each code with a severity the catalogue allows.
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { CATALOGUE, STAGES, isCode, type CatalogueEntry, type Code } from "../../src/diagnostics/catalogue.ts";
import { error, warning } from "../../src/diagnostics/diagnostic.ts";
import { RuntimeError } from "../../src/backend/runtime-error.ts";
import { D } from "../../src/data/codes.ts";
import { BEGIN, DOC, END, generated } from "../../scripts/gen-diagnostics-table.ts";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const read = (rel: string) => readFileSync(join(ROOT, rel), "utf8");
const filesUnder = (dir: string, ext: string): string[] =>
  readdirSync(join(ROOT, dir), { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(ext))
    .map((f) => join(dir, f));
const entries = Object.entries(CATALOGUE) as [Code, CatalogueEntry][];

// A code in source is a quoted prefix letter and three digits ("N001", 'C002', `R030`).
const CODE_LITERAL = /["'`]([LPNTSUGIDERC]\d{3})["'`]/g;
const sources = filesUnder("src", ".ts").filter((f) => f !== join("src", "diagnostics", "catalogue.ts"));
const used = new Map<string, string>(); // code → first file using it
for (const f of sources) for (const m of read(f).matchAll(CODE_LITERAL)) if (!used.has(m[1]!)) used.set(m[1]!, f);

describe("the catalogue and src/", () => {
  it("sees the codes of every stage (the scan works)", () => {
    for (const prefix of Object.keys(STAGES)) expect([...used.keys()].some((c) => c.startsWith(prefix)), prefix).toBe(true);
  });

  it("lists every code written in src/", () => {
    expect([...used].filter(([c]) => !isCode(c)).map(([c, f]) => `${c} in ${f}`)).toEqual([]);
  });

  it("has no code that src/ never emits, unless marked reserved", () => {
    expect(entries.filter(([c, e]) => !e.reserved && !used.has(c)).map(([c]) => c)).toEqual([]);
    expect(entries.filter(([c, e]) => e.reserved && used.has(c)).map(([c]) => `${c} is reserved but used in ${used.get(c)}`)).toEqual([]);
  });

  it("marks a code `either` only when src/ reports it both as an error and as a warning", () => {
    // tsc keeps error-only codes out of `warning(…)` and warning-only codes out of `error(…)`;
    // this keeps `either` from being a loophole. Data codes are also written by name (`D.badSize`).
    const byName = new Map(Object.entries(D));
    const calls = (fn: string) => {
      const out = new Set<string>();
      for (const f of sources)
        for (const m of read(f).matchAll(new RegExp(`\\b${fn}\\(\\s*(?:"([A-Z]\\d{3})"|D\\.(\\w+))`, "g"))) out.add(m[1] ?? byName.get(m[2]!) ?? "?");
      return out;
    };
    const [errors, warnings] = [calls("error"), calls("warning")];
    const either = entries.filter(([, e]) => e.severity === "either").map(([c]) => c);
    expect(either.length).toBeGreaterThan(0);
    expect(either.filter((c) => !errors.has(c) || !warnings.has(c))).toEqual([]);
  });

  it("gives each code a prefix of a known stage, three digits and a one-line meaning", () => {
    for (const [c, e] of entries) {
      expect(c, c).toMatch(new RegExp(`^[${Object.keys(STAGES).join("")}]\\d{3}$`));
      expect(e.summary.length, c).toBeGreaterThan(5);
      expect(e.summary, c).not.toMatch(/\n/);
    }
  });

  it("types codes: unknown codes and codes of the other severity do not compile (checked by tsc)", () => {
    // @ts-expect-error X123 is not in the catalogue
    expect(error("X123", "m").code).toBe("X123");
    // @ts-expect-error N090 is only ever a warning
    expect(error("N090", "m").severity).toBe("error");
    // @ts-expect-error N001 is only ever an error
    expect(warning("N001", "m").severity).toBe("warning");
    // @ts-expect-error RuntimeError takes error codes only
    expect(new RuntimeError("R033", "m").code).toBe("R033");
    // Codes of either severity are accepted by both.
    expect([error("I005", "m").severity, warning("I005", "m").severity]).toEqual(["error", "warning"]);
  });
});

describe(DOC, () => {
  it("carries the current generated table (run `npx tsx scripts/gen-diagnostics-table.ts --write`)", () => {
    const doc = read(DOC);
    const a = doc.indexOf(BEGIN);
    const b = doc.indexOf(END);
    expect(a).toBeGreaterThan(0);
    expect(doc.slice(a + BEGIN.length, b).trim()).toBe(generated().trim());
  });

  it("has one table row per catalogue code", () => {
    const rows = [...read(DOC).matchAll(/^\| ([A-Z]\d{3}) \|/gm)].map((m) => m[1]);
    expect(rows.sort()).toEqual(Object.keys(CATALOGUE).sort());
  });
});

describe("codes named in the docs and golden outputs", () => {
  it("exist in the catalogue", () => {
    const docs = ["README.md", ...filesUnder("docs", ".md"), ...filesUnder("examples", ".md")];
    const unknown: string[] = [];
    for (const f of docs) for (const m of read(f).matchAll(/\b([LPNTSUGIDERC]\d{3})\b/g)) if (!isCode(m[1]!)) unknown.push(`${m[1]} in ${f}`);
    expect(unknown).toEqual([]);
  });

  it("print each code in test/bad/ with a severity the catalogue allows", () => {
    const seen: string[] = [];
    const wrong: string[] = [];
    for (const f of filesUnder(join("test", "bad"), ".expected.txt")) {
      for (const m of read(f).matchAll(/^(error|warning)\[([A-Z]\d{3})\]/gm)) {
        const [, severity, code] = m;
        seen.push(code!);
        const allowed = isCode(code!) ? CATALOGUE[code].severity : undefined;
        if (allowed !== severity && allowed !== "either") wrong.push(`${code} printed as ${severity} in ${relative("test/bad", f)}; catalogue: ${allowed ?? "absent"}`);
      }
    }
    expect(seen.length).toBeGreaterThan(50);
    expect(wrong).toEqual([]);
  });
});
