// The meanfield family for `count` latents: Poisson(rate) per element (stdlib/meanfield-families.ts).
// Its ELBO against the closed form summed over k in float64; a fit reaches the family's optimum
// (found here by a grid search over the rate); a Binomial prior is refused with G110 saying why.
import { describe, expect, it } from "vitest";
import { LatentError } from "../../src/diagnostics/diagnostic.ts";
import { lvm, normalLogPdf } from "../helpers/compile.ts";
import { logGammaStirling } from "../helpers/special.ts";

const SRC = `model CountLatent {
  data y: real[N]
  latent k: count
  k ~ Poisson(4)
  y ~ Normal(k, 1)
}`;
const y = [2.1, 3.4, 2.6, 1.8, 3.0];
const logPoisson = (k: number, rate: number) => k * Math.log(rate) - rate - logGammaStirling(k + 1);
/** E_q[log p(k) + Σ_n log N(y_n; k, 1) − log q(k)] for q = Poisson(r), summed over k < 80 (the rest is < 1e-40 of the mass). */
function elboClosed(r: number): number {
  let total = 0;
  for (let k = 0; k < 80; k++) {
    const lq = logPoisson(k, r);
    total += Math.exp(lq) * (logPoisson(k, 4) + y.reduce((a, v) => a + normalLogPdf(v, k, 1), 0) - lq);
  }
  return total;
}

describe("meanfield guide for a count latent", () => {
  it("is Poisson(rate): its ELBO agrees with the closed form within 4 standard errors, and its moments are rate and √rate", async () => {
    const m = await lvm(SRC, 1);
    m.setParams({}, { N: y.length });
    m.guide("meanfield");
    expect(m.setParams({ "meanfield.k.rate": 2.5 })).toEqual([]);
    const e = m.elbo({ y }, { guide: "meanfield", samples: 20000, seed: 1 });
    expect(Math.abs(e.elbo - elboClosed(2.5))).toBeLessThan(4 * e.stderr);
    const post = m.posterior({ y }, { guide: "meanfield" })["k"] as { mean: number; std: number };
    expect(post.mean).toBeCloseTo(2.5, 5);
    expect(post.std).toBeCloseTo(Math.sqrt(2.5), 5);
  });

  it("a fit (score-function gradients) reaches the family's optimum: its closed-form ELBO within 0.005 nats of the best rate's", async () => {
    let best = -Infinity;
    for (let r = 0.5; r <= 6; r += 0.001) best = Math.max(best, elboClosed(r));
    const m = await lvm(SRC, 1);
    const fit = await m.fit({ y }, { objective: "elbo", guide: "meanfield", particles: 16, seed: 2 });
    expect(fit.stopped).toBe("done");
    const r = m.params()["meanfield.k.rate"] as number;
    expect(elboClosed(r)).toBeGreaterThan(best - 0.005);
  });

  it("a count latent with a Binomial prior has no meanfield family (G110 says why)", async () => {
    const m = await lvm(`model B {
  data y: real[N]
  latent k: count
  k ~ Binomial(10, 0.3)
  y ~ Normal(k, 1)
}`, 1);
    let caught: unknown;
    try {
      m.elbo({ y }, { guide: "meanfield" });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(LatentError);
    const d = (caught as LatentError).diagnostics[0]!;
    expect(d.code).toBe("G110");
    expect(d.message).toContain("its prior is a Binomial, bounded by total_count");
    expect(d.hint).toContain("e.g. a Binomial with the same total_count");
  });
});
