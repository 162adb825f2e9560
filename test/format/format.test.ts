// The formatter: idempotent, meaning-preserving (same IR and diagnostics as the original), comment-
// preserving, and the canonical layout itself (spacing, indentation, blank lines, long calls).
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { loadModelSource } from "../../src/api/frontend.ts";
import { formatSource, LINE_WIDTH } from "../../src/format/format.ts";
import { dumpGraph } from "../../src/ir/dump.ts";
import { main } from "../../src/cli/main.ts";
import { mutatedExampleArb } from "../fuzz/programs.ts";

const corpus = (dir: string) =>
  readdirSync(new URL(`../../${dir}`, import.meta.url), { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".lvm"))
    .map((f) => ({ name: `${dir}/${f}`, source: readFileSync(new URL(`../../${dir}/${f}`, import.meta.url), "utf8") }));

/** What the file means: its IR dumps and its diagnostics' codes and messages (no positions). */
const meaning = (source: string) => {
  const r = loadModelSource(source, "same.lvm", { readFile: () => undefined });
  return { graphs: r.graphs.map(dumpGraph), diagnostics: r.diagnostics.map((d) => `${d.code} ${d.message}`) };
};

const comments = (s: string) => (s.match(/\/\/[^\n]*|\/\*[\s\S]*?\*\//g) ?? []).map((c) => c.trim());

function expectWellFormatted(source: string, label: string): void {
  const once = formatSource(source);
  if (!once.ok) return;
  const twice = formatSource(once.text);
  expect(twice.ok && twice.text, `${label}: idempotent`).toBe(once.text);
  expect(meaning(once.text), `${label}: same IR and diagnostics`).toEqual(meaning(source));
  expect(comments(once.text), `${label}: comments kept`).toEqual(comments(source));
}

describe("latent fmt", () => {
  it("formats every example and every test/bad program that parses idempotently, to the same IR", () => {
    const files = [...corpus("examples"), ...corpus("test/bad")];
    let formatted = 0;
    for (const { name, source } of files) {
      if (formatSource(source).ok) formatted++;
      expectWellFormatted(source, name);
    }
    expect(formatted).toBeGreaterThan(45);
  });

  it("mutated examples that parse format idempotently to the same meaning (200 seeded cases)", () => {
    fc.assert(fc.property(mutatedExampleArb, (src) => expectWellFormatted(src, "mutated")), { seed: 4, numRuns: 200 });
  });

  it("writes the canonical layout", () => {
    const messy = `model   M{const K=3;data x :real[ N,D ]
param mu:real[K,D]   // centres
latent z:cat[K][N]


for n in N{z[n]~Categorical(softmax(-mu[:,0])) ; x[n]~Normal(mu[z[n]],1)}}
guide G for M{ param p :simplex[K][N]
  for n in N { z[ n ] ~ Categorical( p[n] ) } }`;
    const r = formatSource(messy);
    expect(r.ok && r.text).toBe(`model M {
  const K = 3
  data x: real[N, D]
  param mu: real[K, D]  // centres
  latent z: cat[K][N]

  for n in N {
    z[n] ~ Categorical(softmax(-mu[:, 0]))
    x[n] ~ Normal(mu[z[n]], 1)
  }
}

guide G for M {
  param p: simplex[K][N]
  for n in N {
    z[n] ~ Categorical(p[n])
  }
}
`);
  });

  it("breaks a statement longer than the line width into one argument per line", () => {
    const long = `model M {\n  data x: real[N]\n  param a_rather_long_name: real\n  param another_long_name: positive\n  x ~ Normal(a_rather_long_name + a_rather_long_name * 2 - a_rather_long_name, another_long_name * another_long_name)\n}\n`;
    const r = formatSource(long);
    expect(r.ok).toBe(true);
    const text = r.ok ? r.text : "";
    expect(text).toContain("  x ~ Normal(\n    a_rather_long_name + a_rather_long_name * 2 - a_rather_long_name,\n    another_long_name * another_long_name\n  )\n");
    for (const line of text.split("\n")) expect(line.length).toBeLessThanOrEqual(LINE_WIDTH);
    expectWellFormatted(long, "long");
  });

  it("refuses a file that does not parse, with its diagnostics", () => {
    const r = formatSource("model M {\n  x ~ \n}\n", "bad.lvm");
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.diagnostics[0]!.code).toMatch(/^P/);
  });

  it("CLI: --check exits 1 on an unformatted file, formats in place, then --check exits 0; a broken file is left alone", async () => {
    const dir = mkdtempSync(join(tmpdir(), "latent-fmt-"));
    const good = join(dir, "m.lvm");
    const bad = join(dir, "bad.lvm");
    writeFileSync(good, "model M{data x:real[N]\nx~Normal(0,1)}");
    writeFileSync(bad, "model M { x ~ }");
    const run = async (...argv: string[]) => {
      let out = "";
      let err = "";
      const status = await main(["fmt", ...argv], { out: (t) => void (out += t), err: (t) => void (err += t), color: false });
      return { status, out, err };
    };
    expect((await run(good, "--check")).status).toBe(1);
    expect(readFileSync(good, "utf8")).toBe("model M{data x:real[N]\nx~Normal(0,1)}");
    const w = await run(good);
    expect(w.status).toBe(0);
    expect(w.out).toContain("formatted");
    expect(readFileSync(good, "utf8")).toBe("model M {\n  data x: real[N]\n  x ~ Normal(0, 1)\n}\n");
    expect((await run(good, "--check")).status).toBe(0);
    const b = await run(bad);
    expect(b.status).toBe(1);
    expect(b.err).toMatch(/error\[P\d{3}\]/);
    expect(readFileSync(bad, "utf8")).toBe("model M { x ~ }");
  });
});
