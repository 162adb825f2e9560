// Per-draw prior importance weights by generated code: at the same seed the interpreter's draws,
// so the log-weights equal its own (float32 tolerance); the estimate agrees with the closed form
// log Z = Σ_n log N(x_n; mu, √(tau² + sigma²)) in both kernel modes; uncovered models fall back
// with a reason; model names never reach the source.
import { afterEach, describe, expect, it } from "vitest";
import { tf } from "../../src/backend/tf.ts";
import { Rng } from "../../src/backend/random.ts";
import { clearKernelFallbacks, kernelFallbacks, setKernelMode } from "../../src/backend/kernels.ts";
import { toTensorData } from "../../src/backend/model-runtime.ts";
import { drawLogWeights } from "../../src/infer/evidence/proposals.ts";
import { compiledPriorLogWeights } from "../../src/infer/evidence/compiled-prior.ts";
import { compilePriorWeights, type CompiledPriorWeights } from "../../src/compile/program.ts";
import { lvm, normalLogPdf } from "../helpers/compile.ts";
import { renamed } from "./graphs.ts";

const MEANS = `model NormalMeans {
  data x: real[N]
  param mu: real
  param tau: positive
  param sigma: positive
  latent z: real[N]
  for n in N {
    z[n] ~ Normal(mu, tau)
    x[n] ~ Normal(2 * z[n] - mu, sigma)
  }
}`;
const N = 20;
const x = Array.from({ length: N }, (_, n) => ((n * 7) % 11) / 2 - 1.5);
const P = { mu: 0.7, tau: 0.8, sigma: 1.3 };

afterEach(() => setKernelMode(undefined));

async function model() {
  const m = await lvm(MEANS, 0);
  m.setParams({}, { N });
  expect(m.setParams(P)).toEqual([]);
  return m;
}

describe("compiled per-draw prior weights", () => {
  it("equal the interpreter's log-weights at the same seed", async () => {
    const m = await model();
    const data = toTensorData({ sizes: { N }, values: { x: { shape: [N], data: Float32Array.from(x) } } });
    const S = 40;
    const ref = tf.tidy(() => drawLogWeights(m.runtime, data, { kind: "prior" }, S, new Rng(5)).local.dataSync());
    const got = compiledPriorLogWeights(m.runtime, data, S, new Rng(5), N);
    if ("reason" in got) throw new Error(got.reason);
    expect(got).toHaveLength(ref.length);
    got.forEach((v, i) => expect(Math.abs(v - ref[i]!)).toBeLessThan(1e-4 * Math.max(1, Math.abs(ref[i]!))));
  });

  it("the estimate matches the closed form and is the same in both kernel modes", async () => {
    // x_n = 2 z_n − mu + noise: x_n ~ N(mu, √(4 tau² + sigma²)).
    const sd = Math.sqrt(4 * P.tau ** 2 + P.sigma ** 2);
    const exact = x.reduce((a, v) => a + normalLogPdf(v, P.mu, sd), 0);
    const est: { logMarginal: number; stderr: number }[] = [];
    for (const mode of ["tfjs", "compiled"] as const) {
      setKernelMode(mode);
      const m = await model();
      clearKernelFallbacks();
      est.push(m.logMarginal({ x }, { method: "importance", proposal: "prior", samples: 4000, seed: 2 }) as { logMarginal: number; stderr: number });
      expect(kernelFallbacks()).toEqual([]); // the compiled mode really ran generated code
    }
    const [a, b] = est as [{ logMarginal: number; stderr: number }, { logMarginal: number; stderr: number }];
    expect(Math.abs(b.logMarginal - a.logMarginal)).toBeLessThan(1e-3);
    expect(Math.abs(b.logMarginal - exact)).toBeLessThan(4 * b.stderr);
  });

  it("a model it does not cover falls back to the interpreter with a reason", async () => {
    setKernelMode("compiled");
    const m = await lvm(MEANS.replace("z[n] ~ Normal(mu, tau)", "z[n] ~ Cauchy(mu, tau)"), 0);
    m.setParams({}, { N });
    m.setParams(P);
    clearKernelFallbacks();
    const r = m.logMarginal({ x }, { method: "importance", proposal: "prior", samples: 200, seed: 1 });
    expect(Number.isFinite(r.logMarginal)).toBe(true);
    expect(kernelFallbacks()).toContainEqual({ what: "importance", reason: "distribution Cauchy is not compiled yet" });
  });

  it("hostile-looking names become slot identifiers; the source contains none of them", async () => {
    const m = await model();
    const names = { x: 'x"]);globalThis.pwned=1;//', mu: "constructor", tau: "$(rm -rf ~)", sigma: "σ\u2028`${1}`", z: "__proto__" };
    const plain = compilePriorWeights(m.runtime.graph, { N }) as CompiledPriorWeights;
    const hostile = compilePriorWeights(renamed(m.runtime.graph, names), { N }) as CompiledPriorWeights;
    expect("source" in hostile).toBe(true);
    for (const n of Object.values(names)) expect(hostile.source).not.toContain(n);
    expect(hostile.source).toBe(plain.source);
  });
});
