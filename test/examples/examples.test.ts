// Every example checks without any diagnostic and lowers to at least one graph.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { loadModelSource } from "../../src/api/frontend.ts";
import { parseProgram } from "../../src/syntax/parse.ts";
import { checkProgram } from "../../src/types/check.ts";

const ROOT = new URL("../..", import.meta.url).pathname;
const examples = readdirSync(ROOT + "examples").filter((e) => existsSync(`${ROOT}examples/${e}/model.lvm`)).sort();

describe("examples", () => {
  it("has the seven checker examples", () => {
    for (const e of ["gaussian-mixture", "deep-latent-gaussian", "vae-mnist", "mnist-missing", "vi-gaussian", "naive-vs-importance", "factor-analysis"]) {
      expect(examples).toContain(e);
      expect(existsSync(`${ROOT}examples/${e}/README.md`)).toBe(true);
    }
  });

  for (const ex of examples) {
    it(`${ex} checks clean and lowers`, () => {
      const file = `examples/${ex}/model.lvm`;
      const r = loadModelSource(readFileSync(ROOT + file, "utf8"), file);
      expect(r.diagnostics).toEqual([]);
      expect(r.graphs.length).toBeGreaterThan(0);
    });
  }

  it("checks the largest example quickly (printed, not asserted)", () => {
    const sized = examples.map((e) => ({ e, src: readFileSync(`${ROOT}examples/${e}/model.lvm`, "utf8") })).sort((a, b) => b.src.length - a.src.length);
    const { e, src } = sized[0]!;
    const { program } = parseProgram(src, e);
    checkProgram(program); // warm up
    const runs = 20;
    const t0 = performance.now();
    for (let i = 0; i < runs; i++) checkProgram(program);
    const ms = (performance.now() - t0) / runs;
    console.log(`checking ${e} (${src.length} chars) takes ${ms.toFixed(3)} ms`);
  });
});

it("carries the DESIGN.md programs verbatim (when DESIGN.md is at hand)", () => {
  const design = ["/work/shared/DESIGN.md", `${ROOT}DESIGN.md`].find((p) => existsSync(p));
  if (!design) return;
  const blocks = [...readFileSync(design, "utf8").matchAll(/```\n([\s\S]*?)```/g)].map((m) => m[1]!).filter((b) => /^(\/\/.*\n)*(model|guide) /m.test(b) && !b.includes("..."));
  const all = examples.map((e) => readFileSync(`${ROOT}examples/${e}/model.lvm`, "utf8")).join("\n");
  expect(blocks.length).toBeGreaterThanOrEqual(3);
  for (const b of blocks) expect(all).toContain(b.trim());
});
