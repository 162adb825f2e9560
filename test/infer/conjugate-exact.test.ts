// `method: "exact"` for the standard conjugate pairs, each against its closed-form evidence
// computed here in float64 (log Γ by Stirling's series, independent of the library's Lanczos):
// Beta–Bernoulli, Beta–Binomial, Gamma–Poisson, Dirichlet–Categorical, Normal–Normal with a
// known scale, a Gamma prior on a Normal's precision, and per-group (local) Beta–Binomial. The
// result names the closed form. Non-conjugate models are refused with E005.
import { describe, expect, it } from "vitest";
import { LatentError } from "../../src/diagnostics/diagnostic.ts";
import { Rng } from "../../src/backend/random.ts";
import { lvm, normalLogPdf } from "../helpers/compile.ts";
import { logBetaFn, logChoose, logGammaStirling } from "../helpers/special.ts";

const rng = new Rng(2024);
const uniform = () => rng.uniform();
const bernoullis = (n: number, p: number) => Array.from({ length: n }, () => (uniform() < p ? 1 : 0));
const poissons = (n: number, rate: number) =>
  Array.from({ length: n }, () => {
    let k = 0, t = Math.exp(-rate), acc = t;
    const u = uniform();
    while (u > acc) {
      k++;
      t *= rate / k;
      acc += t;
    }
    return k;
  });
const normals = (n: number, mu: number, sd: number) => Array.from({ length: n }, () => mu + sd * Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform()));
const sum = (a: number[]) => a.reduce((s, v) => s + v, 0);

/**
 * float32 evaluation of N terms of size ~|t| leaves ~1e-7·Σ|t|; the fitted constant inherits it.
 * Allow 2e-6 of the sum of the closed form's magnitudes (and 2e-5 absolute).
 */
const within = (got: number, want: number, magnitude: number) => expect(Math.abs(got - want)).toBeLessThan(2e-6 * magnitude + 2e-5);

async function exact(source: string, data: Record<string, unknown>, sizes: Record<string, number>) {
    const m = await lvm(source, 1);
  m.setParams({}, sizes);
  return m.logMarginal(data, { method: "exact" });
}

describe("exact evidence for conjugate pairs", () => {
  it("the test's log Γ is right (Γ(10) = 9!, Γ(1/2) = √π)", () => {
    expect(logGammaStirling(10)).toBeCloseTo(Math.log(362880), 12);
    expect(logGammaStirling(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 12);
  });

  it("Beta–Bernoulli: log B(a + s, b + f) − log B(a, b)", async () => {
    const x = bernoullis(200, 0.3);
    const s = sum(x), f = x.length - s;
    const r = await exact(`model M {
  data x: binary[N]
  latent p: unit
  p ~ Beta(2, 3)
  x ~ Bernoulli(p)
}`, { x }, { N: x.length });
    const want = logBetaFn(2 + s, 3 + f) - logBetaFn(2, 3);
    expect(r.closedForm).toBe("conjugate Beta (p)");
    expect(r.stderr).toBe(0);
    within(r.logMarginal, want, Math.abs(want));
  });

  it("Beta–Binomial: Σ log C(n, x) + log B(a + Σx, b + Σ(n − x)) − log B(a, b)", async () => {
    const n = 12;
    const x = Array.from({ length: 80 }, () => sum(bernoullis(n, 0.65)));
    const s = sum(x), f = n * x.length - s;
    const src = `model M {
  data x: count[N]
  latent p: unit
  p ~ Beta(0.5, 0.5)
  for i in N {
    x[i] ~ Binomial(12, p)
  }
}`;
    const r = await exact(src, { x }, { N: x.length });
    const choose = sum(x.map((k) => logChoose(n, k)));
    const want = choose + logBetaFn(0.5 + s, 0.5 + f) - logBetaFn(0.5, 0.5);
    expect(r.closedForm).toBe("conjugate Beta (p)");
    within(r.logMarginal, want, Math.abs(want) + Math.abs(choose));
  });

  it("Gamma–Poisson: −Σ log x! + α log β − log Γ(α) + log Γ(α + Σx) − (α + Σx) log(β + N)", async () => {
    const x = poissons(500, 6.5);
    const S = sum(x), N = x.length;
    const [a, b] = [3, 0.5];
    const r = await exact(`model M {
  data x: count[N]
  latent rate: positive
  rate ~ Gamma(3, 0.5)
  x ~ Poisson(rate)
}`, { x }, { N });
    const facts = sum(x.map((k) => logGammaStirling(k + 1)));
    const want = -facts + a * Math.log(b) - logGammaStirling(a) + logGammaStirling(a + S) - (a + S) * Math.log(b + N);
    expect(r.closedForm).toBe("conjugate Gamma (rate)");
    within(r.logMarginal, want, Math.abs(want) + 2 * facts);
  });

  it("Dirichlet–Categorical: log Γ(Σα) − log Γ(Σα + N) + Σ_k [log Γ(α_k + c_k) − log Γ(α_k)]", async () => {
    const alpha = [1, 2, 0.5, 3];
    const probs = [0.1, 0.4, 0.2, 0.3];
    const y = Array.from({ length: 150 }, () => {
      let u = uniform(), k = 0;
      while (k < 3 && u >= probs[k]!) u -= probs[k++]!;
      return k;
    });
    const counts = [0, 1, 2, 3].map((k) => y.filter((v) => v === k).length);
    const src = `model M {
  const K = 4
  data y: cat[K][N]
  latent p: simplex[K]
  p ~ Dirichlet([1, 2, 0.5, 3])
  for n in N {
    y[n] ~ Categorical(p)
  }
}`;
    const r = await exact(src, { y }, { N: y.length });
    const A = sum(alpha);
    const want = logGammaStirling(A) - logGammaStirling(A + y.length) + sum(alpha.map((ak, k) => logGammaStirling(ak + counts[k]!) - logGammaStirling(ak)));
    expect(r.closedForm).toBe("conjugate Dirichlet (p)");
    within(r.logMarginal, want, Math.abs(want));
  });

  it("Normal–Normal with known scale: Σ_n log N(x_n; predictive mean, predictive sd) (linear-Gaussian closed form)", async () => {
    const [mu0, tau0, sigma] = [1, 2, 0.5];
    const x = normals(60, 2.2, sigma);
    const r = await exact(`model M {
  data x: real[N]
  latent m: real
  m ~ Normal(1, 2)
  x ~ Normal(m, 0.5)
}`, { x }, { N: x.length });
    // Sequential predictive: after n points the posterior of m is N(μ_n, τ_n²).
    let prec = 1 / tau0 ** 2, mean = mu0, want = 0;
    for (const v of x) {
      want += normalLogPdf(v, mean, Math.sqrt(1 / prec + sigma ** 2));
      const p2 = prec + 1 / sigma ** 2;
      mean = (prec * mean + v / sigma ** 2) / p2;
      prec = p2;
    }
    expect(r.closedForm).toBe("linear-Gaussian");
    within(r.logMarginal, want, Math.abs(want));
  });

  it("two independent Normal means (two latents: the conjugate path's Normal family)", async () => {
    const x = normals(30, -1, 1), y = normals(30, 3, 1);
    const src = `model M {
  data x: real[N]
  data y: real[N]
  latent a: real
  latent b: real
  a ~ Normal(0, 1)
  b ~ Normal(0, 3)
  x ~ Normal(a, 1)
  y ~ Normal(b, 1)
}`;
    const r = await exact(src, { x, y }, { N: 30 });
    // Each block: x ~ N(0, I + τ² 11ᵀ), log det = log(1 + N τ²), quad = Σx² − τ² (Σx)² / (1 + N τ²).
    const block = (v: number[], tau: number) => {
      const N = v.length, s = sum(v), q = sum(v.map((t) => t * t)) - (tau * tau * s * s) / (1 + N * tau * tau);
      return -0.5 * (N * Math.log(2 * Math.PI) + Math.log(1 + N * tau * tau) + q);
    };
    const want = block(x, 1) + block(y, 3);
    expect(r.closedForm).toBe("conjugate Normal (a), Normal (b)");
    within(r.logMarginal, want, Math.abs(want));
  });

  it("a Gamma prior on a Normal's precision (known mean): Gamma conjugate", async () => {
    const x = normals(40, 0, 1.7);
    const src = `model M {
  data x: real[N]
  latent tau: positive
  tau ~ Gamma(2, 1)
  x ~ Normal(0, 1 / sqrt(tau))
}`;
    const r = await exact(src, { x }, { N: x.length });
    const [a, b, N, ss] = [2, 1, x.length, sum(x.map((v) => v * v))];
    const want = -0.5 * N * Math.log(2 * Math.PI) + a * Math.log(b) - logGammaStirling(a) + logGammaStirling(a + N / 2) - (a + N / 2) * Math.log(b + ss / 2);
    expect(r.closedForm).toBe("conjugate Gamma (tau)");
    within(r.logMarginal, want, Math.abs(want) + ss);
  });

  it("per-group Beta–Binomial (a local latent): one closed form per data point, with pointwise values", async () => {
    const n = 20;
    const x = [3, 15, 9, 0, 20, 11, 7];
    const src = `model M {
  data x: count[G]
  latent p: unit[G]
  for g in G {
    p[g] ~ Beta(1.5, 2.5)
    x[g] ~ Binomial(20, p[g])
  }
}`;
    const r = await exact(src, { x }, { G: x.length });
    const per = x.map((k) => logChoose(n, k) + logBetaFn(1.5 + k, 2.5 + n - k) - logBetaFn(1.5, 2.5));
    expect(r.closedForm).toBe("conjugate Beta (p)");
    expect(r.pointwise).toHaveLength(x.length);
    r.pointwise!.forEach((v, i) => within(v, per[i]!, Math.abs(per[i]!) + 10));
    within(r.logMarginal, sum(per), sum(per.map(Math.abs)) + 70);
  });
});

describe("models that are not conjugate are refused", () => {
  const refused = async (source: string, data: Record<string, unknown>, sizes: Record<string, number>, pattern: RegExp) => {
    const m = await lvm(source, 1);
    m.setParams({}, sizes);
    let caught: unknown;
    try {
      m.logMarginal(data, { method: "exact" });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(LatentError);
    const d = (caught as LatentError).diagnostics[0]!;
    expect(d.code).toBe("E005");
    expect(d.message).toMatch(pattern);
    expect(d.hint).toContain("--method importance");
  };

  it("a logit-Normal prior with a Bernoulli likelihood", async () => {
    await refused(`model M {
  data x: binary[N]
  latent u: real
  u ~ Normal(0, 1.5)
  x ~ Bernoulli(logits = u)
}`, { x: [1, 0, 1, 1] }, { N: 4 }, /not quadratic/);
  });

  it("a Gamma prior on a Poisson rate through exp (log-link)", async () => {
    await refused(`model M {
  data x: count[N]
  latent r: positive
  r ~ Gamma(2, 1)
  x ~ Poisson(exp(r))
}`, { x: [1, 4, 2, 0, 3] }, { N: 5 }, /not of the conjugate form in `r` \(Gamma: linear in log z and z\)/);
  });

  it("a Beta prior with a Normal likelihood whose mean is p", async () => {
    await refused(`model M {
  data x: real[N]
  latent p: unit
  p ~ Beta(2, 2)
  x ~ Normal(p, 0.3)
}`, { x: [0.2, 0.5, 0.9] }, { N: 3 }, /not of the conjugate form in `p` \(Beta/);
  });
});
