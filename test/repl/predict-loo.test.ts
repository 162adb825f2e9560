// `:predict` and `:loo` in the REPL on the session's model, data and params: with q the exact
// posterior of m ~ N(0, 1), x_i ~ N(m, 1), x = (1, 2, 3) — p(m | x) = N(3/2, 1/4) — a replicated
// point is N(3/2, 1/4 + 1), and PSIS-LOO matches exact leave-one-out: p(x_i | x_−i) = N(Σ_{j≠i} x_j / 3, 1/3 + 1).
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { normalLogPdf } from "../helpers/compile.ts";
import { inProcessRepl as repl } from "./in-process.ts";

const tmp = mkdtempSync(join(tmpdir(), "latent-repl-predict-"));
const opened: { close: () => void }[] = [];
afterAll(() => opened.forEach((r) => r.close()));
const model = ["model G {", "  data x: real[N]", "  latent m: real", "  m ~ Normal(0, 1)", "  x ~ Normal(m, 1)", "}"];
const x = [1, 2, 3];
const exact = x.map((xi) => normalLogPdf(xi, (6 - xi) / 3, Math.sqrt(1 / 3 + 1))).reduce((a, b) => a + b, 0);
/**
 * Monte Carlo s.e. of log mean_s(1 / p(x_i | m_s)) for S draws of m ~ N(3/2, 1/4), in closed form:
 * 1/p = √(2π) e^{(x−m)²/2}, and E[e^{a(x−m)²}] = (1 − 2as²)^{−1/2} e^{a(x−μ)²/(1 − 2as²)}.
 */
const pointSe = (xi: number, S: number) => {
  const e = (a: number) => (1 - 2 * a * 0.25) ** -0.5 * Math.exp((a * (xi - 1.5) ** 2) / (1 - 2 * a * 0.25));
  return Math.sqrt((e(1) - e(0.5) ** 2) / S) / e(0.5);
};

describe(":predict and :loo", () => {
  it("replicate the session's data from q, write the draws, and give LOO near exact", async () => {
    const r = repl();
    opened.push(r);
    const data = join(tmp, "x.json");
    writeFileSync(data, JSON.stringify({ x }));
    await r.run(...model, `:data ${data}`, "model.setParams({ 'meanfield.m.loc': 1.5, 'meanfield.m.scale': 0.5 }, { N: 3 })");
    const out = join(tmp, "rep.json");
    const p = await r.run(`:predict --guide meanfield --samples 4000 --seed 2 --out ${out}`);
    expect(p.err).toBe("");
    expect(p.out).toContain("posterior predictive: data replicated at 4000 draws of q `meanfield`");
    const mean = Number(/x\[0\]  obs 1\.000  mean (-?[\d.]+)/.exec(p.out)![1]);
    expect(Math.abs(mean - 1.5)).toBeLessThan(4 * Math.sqrt(1.25 / 4000) + 1e-3);
    expect((JSON.parse(readFileSync(out, "utf8")).x as number[][]).length).toBe(4000);
    const l = await r.run(":loo --guide meanfield --samples 4000");
    expect(l.out).toMatch(/PSIS-LOO of G over 3 data points at 4000 draws of q `meanfield`/);
    const elpd = Number(/elpd_loo (-?[\d.]+)/.exec(l.out)![1]);
    // Within 4 Monte Carlo standard errors (the sum over points: they share the draws), plus the printed rounding.
    expect(Math.abs(elpd - exact)).toBeLessThan(4 * x.reduce((a, xi) => a + pointSe(xi, 4000), 0) + 0.005);
  });

  it("a bad draws file is a diagnostic", async () => {
    const r = repl();
    opened.push(r);
    const data = join(tmp, "x2.json");
    writeFileSync(data, JSON.stringify({ x }));
    const none = join(tmp, "none.json");
    writeFileSync(none, JSON.stringify({ draws: { q: { shape: [], draws: [[1]] } } }));
    await r.run(...model, `:data ${data}`, "model.setParams({ 'meanfield.m.loc': 1.5, 'meanfield.m.scale': 0.5 }, { N: 3 })");
    const bad = await r.run(`:predict --draws ${none}`);
    expect(bad.err).toMatch(/R071.*`q`, which model `G` does not declare/);
  });

  it(":predict --new FILE predicts at those covariates (regression, q the exact posterior)", async () => {
    const r = repl();
    opened.push(r);
    const data = join(tmp, "uy.json");
    writeFileSync(data, JSON.stringify({ u: [-1, 0, 1], y: [2, 1, 0] }));
    const inputs = join(tmp, "new.json");
    writeFileSync(inputs, JSON.stringify({ u: [2, 4] }));
    const reg = ["model R {", "  data u: real[N]", "  data y: real[N]", "  latent a: real", "  latent b: real", "  a ~ Normal(0, 1)", "  b ~ Normal(0, 1)", "  y ~ Normal(a + b * u, 1)", "}"];
    await r.run(...reg, `:data ${data}`, "model.setParams({ 'meanfield.a.loc': 0.75, 'meanfield.a.scale': 0.5, 'meanfield.b.loc': -2 / 3, 'meanfield.b.scale': Math.sqrt(1 / 3) }, { N: 3 })");
    const p = await r.run(`:predict --new ${inputs} --samples 4000 --seed 1`);
    expect(p.err).toBe("");
    expect(p.out).toContain("predictions for the inputs given, at 4000 draws of q `meanfield`");
    // y* at u = 4: N(0.75 − 4·2/3, 1 + 1/4 + 16/3).
    const m4 = Number(/y\[1\]  mean (-?[\d.]+)/.exec(p.out)![1]);
    expect(Math.abs(m4 - (0.75 - 8 / 3))).toBeLessThan(4 * Math.sqrt((1 + 0.25 + 16 / 3) / 4000) + 1e-3);
  });

  it("after `:mcmc` on the session's model and data, :predict and :loo use its draws until a :fit", async () => {
    const r = repl();
    opened.push(r);
    const data = join(tmp, "x3.json");
    writeFileSync(data, JSON.stringify({ x }));
    await r.run(...model, `:data ${data}`);
    const s = r.session;
    await r.run(":mcmc --chains 2 --warmup 200 --draws 500 --seed 1");
    const mcmc = s.lastMcmc!.draws as Awaited<ReturnType<NonNullable<typeof s.model>["mcmc"]>>;
    expect(mcmc.chains.map((c) => c.draws.length)).toEqual([500, 500]);
    const p = await r.run(":predict --seed 1");
    expect(p.out).toContain("posterior predictive: data replicated at 1000 MCMC draws");
    const l = await r.run(":loo");
    expect(l.out).toContain("PSIS-LOO of G over 3 data points at 1000 MCMC draws");
    // Within 4 Monte Carlo s.e. at the run's bulk ESS of m (its draws are autocorrelated), plus the printed rounding.
    const ess = mcmc.summary.find((row) => row.variable === "m")!.essBulk;
    expect(Math.abs(Number(/elpd_loo (-?[\d.]+)/.exec(l.out)![1]) - exact)).toBeLessThan(4 * x.reduce((a, xi) => a + pointSe(xi, ess), 0) + 0.005);
    // A named guide draws from q instead; a :fit clears the MCMC draws.
    expect((await r.run(":loo --guide meanfield")).out).toContain("draws of q `meanfield`");
    await r.run(":fit --steps 50 --tol 0");
    expect(s.lastMcmc).toBeUndefined();
    expect((await r.run(":predict")).out).toContain("draws of q `meanfield`");
  });
});
