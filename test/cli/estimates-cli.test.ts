// The estimate commands through the real binary: which proposal goes with which evidence
// method, `elbo --iwae K` / `--no-analytic-kl`, and `logjoint`. Numbers are checked against the
// normal–normal closed forms of examples/vi-gaussian (m ~ N(0, 1), x_n ~ N(m, 1)).
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = new URL("../..", import.meta.url).pathname;
const VI = "examples/vi-gaussian/model.lvm";

function latent(...args: string[]) {
  const r = spawnSync(process.execPath, ["bin/latent.mjs", ...args], { cwd: ROOT, encoding: "utf8", env: { ...process.env, NO_COLOR: "1", LATENT_DEBUG: "" } });
  return { code: r.status, out: r.stdout, err: r.stderr, all: r.stdout + r.stderr };
}
const lastJson = (out: string) => JSON.parse(out.trim().split("\n").pop()!);

const tmp = mkdtempSync(join(tmpdir(), "latent-estimates-"));
const x = [0.3, -1.2, 2.0, 0.7, 1.1, 1.6];
const dataFile = join(tmp, "x.json");
writeFileSync(dataFile, JSON.stringify({ x }));

describe("evidence: which proposals go with which method", () => {
  it("--method importance --proposal uniform on a real latent names the valid proposals, not the naive estimator", () => {
    const r = latent("evidence", VI, "--data", dataFile, "--method", "importance", "--proposal", "uniform");
    expect(r.code).toBe(1);
    expect(r.err).toContain("error[E010]: the uniform proposal draws every latent uniformly from a finite set, but `m` is real");
    expect(r.err).toContain("hint: valid proposals for --method importance on this model: `prior`, `meanfield` or `Q`");
    expect(r.all).not.toMatch(/naive/);
  });

  it("--method naive with a guide as proposal is refused with the importance command to use", () => {
    const r = latent("evidence", VI, "--data", dataFile, "--method", "naive", "--proposal", "Q");
    expect(r.code).toBe(1);
    expect(r.err).toContain("error[E011]");
    expect(r.err).toContain("use --method importance --proposal Q, or --method naive with `prior`");
  });
});

// ---------------------------------------------------------------------------------------------
// elbo --iwae K and --no-analytic-kl, for the file's guide Q = Normal(a, s).

const [a, s] = [0.9, 0.6];
const paramsFile = join(tmp, "q.json");
writeFileSync(paramsFile, JSON.stringify({ "Q.q_loc": a, "Q.q_scale": s }));
const logN = (v: number, mu: number, sd: number) => -0.5 * ((v - mu) / sd) ** 2 - Math.log(sd) - 0.5 * Math.log(2 * Math.PI);
/** log p(x, m) − log q(m) in float64. */
const logWeight = (m: number) => logN(m, 0, 1) + x.reduce((t, v) => t + logN(v, m, 1), 0) - logN(m, a, s);
/** log p(x) for m ~ N(0, 1), x_n ~ N(m, 1): x ~ N(0, I + 11ᵀ). */
const logEvidence = (() => {
  const N = x.length, sx = x.reduce((t, v) => t + v, 0), ss = x.reduce((t, v) => t + v * v, 0);
  return -0.5 * (N * Math.log(2 * Math.PI) + Math.log(1 + N) + ss - (sx * sx) / (1 + N));
})();
/** The ELBO in closed form: E_q[log p(m)] + Σ_n E_q[log p(x_n | m)] + H(q). */
const elboClosed = -0.5 * Math.log(2 * Math.PI) - 0.5 * (a * a + s * s) + x.reduce((t, v) => t - 0.5 * Math.log(2 * Math.PI) - 0.5 * ((v - a) ** 2 + s * s), 0) + 0.5 * Math.log(2 * Math.PI * Math.E * s * s);

/** E[log (1/K) Σ_k w_k] by R independent K-sample values in float64, with its standard error. */
function iwaeMonteCarlo(K: number, R: number) {
  let u = 12345;
  const uniform = () => ((u = (u * 1103515245 + 12345) % 2147483648) + 0.5) / 2147483648;
  const vals: number[] = [];
  for (let r = 0; r < R; r++) {
    const lw = Array.from({ length: K }, () => logWeight(a + s * Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform())));
    const m = Math.max(...lw);
    vals.push(m + Math.log(lw.reduce((t, l) => t + Math.exp(l - m), 0) / K));
  }
  const mean = vals.reduce((t, v) => t + v, 0) / R;
  const sd = Math.sqrt(vals.reduce((t, v) => t + (v - mean) ** 2, 0) / (R - 1));
  return { mean, se: sd / Math.sqrt(R) };
}

describe("elbo --iwae K", () => {
  it("agrees with a float64 Monte Carlo of the K = 20 bound, and ELBO ≤ IWAE ≤ log p(x)", () => {
    const r = latent("elbo", VI, "--data", dataFile, "--params", paramsFile, "--iwae", "20", "--samples", "20000", "--seed", "4", "--json");
    expect(r.code, r.err).toBe(0);
    const e = lastJson(r.out);
    expect(e.iwaeK).toBe(20);
    expect(e.iwaeStderr).toBeGreaterThan(0);
    const mc = iwaeMonteCarlo(20, 40_000);
    expect(Math.abs(e.iwae - mc.mean)).toBeLessThan(4 * Math.hypot(e.iwaeStderr, mc.se));
    // The bounds are ordered: the IWAE bound tightens the ELBO and stays below log p(x).
    expect(e.iwae).toBeGreaterThan(elboClosed);
    expect(e.iwae).toBeLessThan(logEvidence + 4 * e.iwaeStderr);
    const text = latent("elbo", VI, "--data", dataFile, "--params", paramsFile, "--iwae", "20");
    expect(text.out).toMatch(/^IWAE \(K = 20\) = -\d+\.\d{4} ± \d+\.\d{4}$/m);
  });

  it("--iwae 0 is a usage error", () => {
    const r = latent("elbo", VI, "--data", dataFile, "--iwae", "0");
    expect(r.code).toBe(1);
    expect(r.err).toContain("expected an integer from 1 to");
  });
});

describe("elbo --no-analytic-kl", () => {
  it("samples the KL term instead of using its closed form: both agree with the closed-form ELBO", () => {
    const withKl = lastJson(latent("elbo", VI, "--data", dataFile, "--params", paramsFile, "--samples", "4000", "--json").out);
    const sampled = latent("elbo", VI, "--data", dataFile, "--params", paramsFile, "--samples", "4000", "--no-analytic-kl", "--json");
    expect(sampled.code, sampled.err).toBe(0);
    const without = lastJson(sampled.out);
    expect(Math.abs(withKl.elbo - elboClosed)).toBeLessThan(4 * withKl.stderr);
    expect(Math.abs(without.elbo - elboClosed)).toBeLessThan(4 * without.stderr);
  });

  it("where the likelihood ignores the latent, the closed-form KL leaves no Monte Carlo error and sampling it does", () => {
    // ELBO = Σ log N(x_n; 0, 1) − KL(N(l, sc) ‖ N(0, 1)) exactly.
    const apart = join(tmp, "apart.lvm");
    writeFileSync(apart, "model Apart {\n  data x: real[N]\n  latent m: real\n  m ~ Normal(0, 1)\n  x ~ Normal(0, 1)\n}\n");
    const q = join(tmp, "apart-q.json");
    const [l, sc] = [0.8, 0.5];
    writeFileSync(q, JSON.stringify({ "meanfield.m.loc": l, "meanfield.m.scale": sc }));
    const exact = x.reduce((t, v) => t + logN(v, 0, 1), 0) - (0.5 * (sc * sc + l * l - 1) - Math.log(sc));
    const run = (...extra: string[]) => {
      const r = latent("elbo", apart, "--data", dataFile, "--params", q, "--guide", "meanfield", "--samples", "2000", "--json", ...extra);
      expect(r.code, r.err).toBe(0);
      return lastJson(r.out);
    };
    const analytic = run();
    const sampledKl = run("--no-analytic-kl");
    expect(analytic.stderr).toBeLessThan(1e-5);
    expect(Math.abs(analytic.elbo - exact)).toBeLessThan(1e-4);
    expect(sampledKl.stderr).toBeGreaterThan(0.005);
    expect(Math.abs(sampledKl.elbo - exact)).toBeLessThan(4 * sampledKl.stderr);
  });
});

// ---------------------------------------------------------------------------------------------
// latent logjoint

const GMM = "examples/gaussian-mixture/model.lvm";

describe("logjoint", () => {
  it("prints log p(x, m) of the normal–normal model at the given m, with its parts, in text and JSON", () => {
    const z = join(tmp, "m.json");
    writeFileSync(z, JSON.stringify({ m: 0.7 }));
    const prior = logN(0.7, 0, 1);
    const lik = x.reduce((t, v) => t + logN(v, 0.7, 1), 0);
    const r = latent("logjoint", VI, "--data", dataFile, "--latents", z, "--json");
    expect(r.code, r.err).toBe(0);
    const j = lastJson(r.out);
    expect(j.logJoint).toBeCloseTo(prior + lik, 4);
    expect(j.sites.m).toBeCloseTo(prior, 5);
    expect(j.sites.x).toBeCloseTo(lik, 4);
    // m is global: its prior is the part that is not per data point; each point has its likelihood.
    expect(j.global).toBeCloseTo(prior, 5);
    j.local.forEach((v: number, n: number) => expect(v).toBeCloseTo(logN(x[n]!, 0.7, 1), 5));
    const t = latent("logjoint", VI, "--data", dataFile, "--latents", z);
    expect(t.out).toContain(`log p(x, z) = ${(prior + lik).toFixed(4)}`);
    expect(t.out).toMatch(/^ {2}m +-1\.1639 {2}\(latent\)$/m);
  });

  it("the Gaussian mixture at given z and params: Σ_n log w_z + log N(x_n; μ_z, σ_z)", () => {
    const data = join(tmp, "gmm4.json");
    const params = join(tmp, "gmm4-params.json");
    const z = join(tmp, "gmm4-z.json");
    const xs = [[0.1, -0.3], [3.8, 4.4], [-2.5, 3.1], [0.6, 0.2]];
    const p = { weights: [0.5, 0.3, 0.2], mu: [[0, 0], [4, 4], [-3, 3]], sigma: [[1, 1], [0.7, 1.2], [1.5, 0.8]] };
    const zs = [0, 1, 2, 1];
    writeFileSync(data, JSON.stringify({ x: xs }));
    writeFileSync(params, JSON.stringify(p));
    writeFileSync(z, JSON.stringify({ z: zs }));
    const r = latent("logjoint", GMM, "--data", data, "--params", params, "--latents", z, "--json");
    expect(r.code, r.err).toBe(0);
    const j = lastJson(r.out);
    const prior = zs.reduce((t, k) => t + Math.log(p.weights[k]!), 0);
    const lik = xs.reduce((t, xn, n) => t + xn.reduce((u, v, d) => u + logN(v, p.mu[zs[n]!]![d]!, p.sigma[zs[n]!]![d]!), 0), 0);
    expect(j.sites.z).toBeCloseTo(prior, 4);
    expect(j.sites.x).toBeCloseTo(lik, 3);
    expect(j.logJoint).toBeCloseTo(prior + lik, 3);
    expect(j.local).toHaveLength(4);
    expect(j.global).toBe(0);
  });

  it("missing, unknown, misshapen and out-of-support latents are located diagnostics (exit 1, no stack)", () => {
    const data = join(tmp, "gmm3.json");
    writeFileSync(data, JSON.stringify({ x: [[0, 0], [1, 1], [2, 2]] }));
    const run = (value: unknown) => {
      const f = join(tmp, `bad-${Math.random().toString(36).slice(2)}.json`);
      writeFileSync(f, JSON.stringify(value));
      const r = latent("logjoint", GMM, "--data", data, "--latents", f);
      expect(r.code).toBe(1);
      expect(r.all).not.toMatch(/\n\s+at .+:\d+:\d+\)?\n/);
      expect(r.err).toContain(`latents file: ${f}`);
      return r.err;
    };
    const names = run({ zz: [0, 1, 2], x: [[0, 0]] });
    expect(names).toContain("error[D034]: no value for latent `z`: expected cat[K][N], shape [3]");
    expect(names).toContain("error[D020]: `zz` is not a latent of model GaussianMixture\n  = hint: did you mean `z`?");
    expect(names).toContain("error[D020]: `zz` is not a latent of model GaussianMixture");
    expect(names).toContain("error[D020]: `x` is data of model GaussianMixture, not a latent");
    expect(run({ z: [0, 1] })).toContain("error[D035]: latent `z` has shape [2]; expected cat[K][N], shape [3]");
    const entries = run({ z: [0, 3, "one"] });
    expect(entries).toContain("error[D008]: `z[1]` is 3, but `z` must be a category in 0..2");
    expect(entries).toContain("error[D005]: `z[2]` is a string (\"one\"), expected a number");
    expect(run([0, 1, 2])).toContain("error[D014]: latent values must be a JSON object");
  });
});

// ---------------------------------------------------------------------------------------------
// elbo --enumerate --gap: the warning when the evidence estimate cannot be trusted.

describe("elbo --enumerate --gap through the CLI", () => {
  const src = join(tmp, "mixture.lvm");
  writeFileSync(
    src,
    "model M {\n  const K = 2\n  data x: real[N]\n  latent shift: real\n  latent z: cat[K][N]\n  param w: simplex[K]\n  shift ~ Normal(0, 3)\n  for n in N {\n    z[n] ~ Categorical(w)\n    x[n] ~ Normal(shift + 4 * z[n], 1)\n  }\n}\n",
  );
  const data = join(tmp, "mixture.json");
  writeFileSync(data, JSON.stringify({ x: [1.1, 0.8, 5.2, 4.9, 1.3, 5.1, 0.7, 4.8, 1.6, 5.5, 0.9, 4.6] }));

  it("evidence --method importance --enumerate: q for the shift, z summed out; agrees with quadrature over the shift", () => {
    const near = join(tmp, "near-ev.json");
    writeFileSync(near, JSON.stringify({ w: [0.5, 0.5], "meanfield.shift.loc": 1.07, "meanfield.shift.scale": 0.28 }));
    const xs = [1.1, 0.8, 5.2, 4.9, 1.3, 5.1, 0.7, 4.8, 1.6, 5.5, 0.9, 4.6];
    const lse2 = (p: number, q: number) => Math.max(p, q) + Math.log1p(Math.exp(-Math.abs(p - q)));
    const joint = (sh: number) => logN(sh, 0, 3) + xs.reduce((t, v) => t + lse2(Math.log(0.5) + logN(v, sh, 1), Math.log(0.5) + logN(v, sh + 4, 1)), 0);
    let m = -Infinity;
    const grid: number[] = [];
    for (let sh = -15; sh <= 15; sh += 1e-3) grid.push(joint(sh));
    for (const g of grid) m = Math.max(m, g);
    const exact = m + Math.log(grid.reduce((t, g) => t + Math.exp(g - m), 0) * 1e-3);
    const r = latent("evidence", src, "--data", data, "--params", near, "--method", "importance", "--enumerate", "--samples", "4000", "--json");
    expect(r.code, r.err).toBe(0);
    const e = lastJson(r.out);
    expect(e.proposal).toBe("meanfield");
    expect(Math.abs(e.logMarginal - exact)).toBeLessThan(4 * e.stderr + 2e-6 * Math.abs(exact));
    const prior = latent("evidence", src, "--data", data, "--method", "importance", "--proposal", "prior", "--enumerate");
    expect(prior.code).toBe(1);
    expect(prior.err).toContain("error[E011]: `enumerate` sums the finite latents out under a guide's proposal, not under the prior");
  });

  it("a guide near the posterior gives the evidence with its ESS and a gap; a far one a warning and no gap", () => {
    const near = join(tmp, "near.json");
    writeFileSync(near, JSON.stringify({ w: [0.5, 0.5], "meanfield.shift.loc": 1.07, "meanfield.shift.scale": 0.28 }));
    const ok = latent("elbo", src, "--data", data, "--params", near, "--guide", "meanfield", "--enumerate", "--gap");
    expect(ok.code, ok.err).toBe(0);
    expect(ok.out).toMatch(/^log p\(x\) = -\d+\.\d{4} ± \d\.\d{4} \(importance, ESS \d+\.\d, k̂ -?\d\.\d\d\)$/m);
    const gap = Number(/gap log p\(x\) − ELBO = (-?\d+\.\d+) ± (\d+\.\d+)/.exec(ok.out)![1]);
    const se = Number(/gap log p\(x\) − ELBO = -?\d+\.\d+ ± (\d+\.\d+)/.exec(ok.out)![1]);
    expect(gap).toBeGreaterThan(-3 * se);
    expect(ok.err).toBe("");

    const far = join(tmp, "far.json");
    writeFileSync(far, JSON.stringify({ w: [0.5, 0.5], "meanfield.shift.loc": -2, "meanfield.shift.scale": 0.05 }));
    const bad = latent("elbo", src, "--data", data, "--params", far, "--guide", "meanfield", "--enumerate", "--gap", "--samples", "200");
    expect(bad.code, bad.err).toBe(0);
    expect(bad.out).not.toContain("gap log p(x)");
    expect(bad.err).toMatch(/^warning: no gap: the log p\(x\) estimate with the guide as proposal cannot be trusted \(Pareto k̂ = \d+\.\d\d > 0\.7/m);
  });
});
