// Sizes from user input (a const, --size, data, --particles) are checked against an element
// limit before anything is allocated. Before: `const K = 1e10` in a param's shape and
// `fit --particles 1e9` ended in "Invalid typed array length" / "memory access out of bounds"
// internal errors (exit 2) after using ~8 GB; `--size D=2147483648` hung the fuzz worker.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ELEMENT_LIMIT_ENV, elementLimit } from "../../src/backend/element-limit.ts";
import { run } from "../helpers/cli.ts";

const tmp = mkdtempSync(join(tmpdir(), "latent-element-limit-"));
const file = (name: string, text: string) => (writeFileSync(join(tmp, name), text), join(tmp, name));
const data = file("d.json", JSON.stringify({ x: [0.3, -0.2, 1.1, 0.8, 0.5] }));
const withConst = (k: string) => file(`k${k}.lvm`, `model M {\n  const K = ${k}\n  data x: real[N]\n  param mu: real[K]\n  x ~ Normal(mu[0], 1)\n}\n`);
const twoAxes = file("two.lvm", "model M {\n  data x: real[N]\n  param w: real[A, B]\n  x ~ Normal(w[0, 0], 1)\n}\n");

afterEach(() => {
  delete process.env[ELEMENT_LIMIT_ENV];
});

/** Exit 1 with R005 naming the variable, the element count and the limit; no internal error. */
function expectRefused(r: { code: number; err: string }, variable: string, elements: number, limit: number) {
  expect(r.code, r.err).toBe(1);
  expect(r.err).toContain("R005");
  expect(r.err).toContain(`\`${variable}\``);
  expect(r.err).toContain(elements.toLocaleString("en-US"));
  expect(r.err).toContain(limit.toLocaleString("en-US"));
  expect(r.err).not.toContain("internal error");
}

describe("the element limit", () => {
  it("defaults to 2^26 and reads LATENT_MAX_ELEMENTS (ignoring values that are not positive integers)", () => {
    expect(elementLimit()).toBe(2 ** 26);
    process.env[ELEMENT_LIMIT_ENV] = "1000";
    expect(elementLimit()).toBe(1000);
    for (const bad of ["0", "-5", "1e3", "abc", ""]) {
      process.env[ELEMENT_LIMIT_ENV] = bad;
      expect(elementLimit()).toBe(2 ** 26);
    }
  });

  it("const K = 1e10 in a param's shape is refused before the fit (was an internal error)", async () => {
    expectRefused(await run("fit", withConst("1e10"), "--data", data, "--steps", "2"), "mu", 1e10, 2 ** 26);
  });

  it("--size A=2147483647 (the largest size --size takes) in sample is refused, naming the size", async () => {
    const r = await run("sample", twoAxes, "--size", "N=2", "--size", "A=2147483647", "--size", "B=1");
    expectRefused(r, "w", 2147483647, 2 ** 26);
    expect(r.err).toContain("A = 2147483647");
  });

  it("counts the product of the axes: A × B = 12 × 10 is over a limit of 100, 10 × 10 is not", async () => {
    process.env[ELEMENT_LIMIT_ENV] = "100";
    expectRefused(await run("sample", twoAxes, "--size", "N=2", "--size", "A=12", "--size", "B=10"), "w", 120, 100);
    const ok = await run("sample", twoAxes, "--size", "N=2", "--size", "A=10", "--size", "B=10");
    expect(ok.code, ok.err).toBe(0);
  });

  it("fit --particles 1e9 is refused: particles × the data's 5 elements (was 8 GB, then an internal error)", async () => {
    const r = await run("fit", "examples/vi-gaussian/model.lvm", "--data", data, "--guide", "Q", "--steps", "2", "--particles", "1000000000");
    expectRefused(r, "x", 5e9, 2 ** 26);
  });

  it("particles within the limit run: 200 × 5 = 1,000 elements under a limit of 1,000", async () => {
    process.env[ELEMENT_LIMIT_ENV] = "1000";
    const ok = await run("fit", "examples/vi-gaussian/model.lvm", "--data", data, "--guide", "Q", "--steps", "2", "--particles", "200");
    expect(ok.code, ok.err).toBe(0);
    expectRefused(await run("fit", "examples/vi-gaussian/model.lvm", "--data", data, "--guide", "Q", "--steps", "2", "--particles", "201"), "x", 1005, 1000);
  });

  it("elbo --samples 1e9 is refused: one value kept per sample (was 93 s and 8 GB)", async () => {
    const r = await run("elbo", "examples/vi-gaussian/model.lvm", "--data", data, "--guide", "Q", "--samples", "1000000000");
    expect(r.code, r.err).toBe(1);
    expect(r.err).toContain("R005");
    expect(r.err).toContain("1,000,000,000 samples would keep 1,000,000,000 ELBO values");
  });

  it("evidence keeps samples × data points log-weights: 20,000,000 × 4 points is over 2^26 (the hint's bound: 2^26 / 4)", async () => {
    const gmmData = file("g.json", JSON.stringify({ x: [[0.1, 0.2], [1.5, 1.1], [-0.3, 0.4], [2.2, 2.0]] }));
    const r = await run("evidence", "examples/gaussian-mixture/model.lvm", "--data", gmmData, "--method", "naive", "--samples", "20000000");
    expect(r.code, r.err).toBe(1);
    expect(r.err).toContain("20,000,000 samples would keep 80,000,000 log-weights");
    expect(r.err).toContain(`at most ${(2 ** 26 / 4).toLocaleString("en-US")} here`);
  });
});
