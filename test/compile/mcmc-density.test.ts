// The compiled MCMC log density against (1) each reference model's density written by hand in
// float64 (value and gradient to 1e-9 relative), (2) central finite differences of itself, and
// (3) the tfjs interpreter's density (log p with the finite latents summed out plus the
// bijectors' log-Jacobians, gradient by tf.grad; float32 tolerance). Uncovered models give a
// reason; model names never reach the generated source.
import { beforeAll, describe, expect, it } from "vitest";
import { initBackend, tf } from "../../src/backend/tf.ts";
import { Rng } from "../../src/backend/random.ts";
import { bijectorFor } from "../../src/backend/bijectors.ts";
import { toTensorData, type TensorData } from "../../src/backend/model-runtime.ts";
import type { ModelRuntime } from "../../src/backend/model-runtime.ts";
import { exactLogMarginal } from "../../src/infer/exact.ts";
import { compiledModelDensity, type CompiledModelDensity } from "../../src/compile/model-density.ts";
import { compileDensity, type CompiledDensity } from "../../src/compile/density-program.ts";
import { modelDensity } from "../../src/infer/mcmc/model-density.ts";
import { lvm } from "../helpers/compile.ts";
import { renamed } from "./graphs.ts";
import { MCMC_MODELS, eightSchools, type McmcModel } from "./mcmc-models.ts";

beforeAll(async () => {
  await initBackend("wasm");
});

interface Bound {
  rt: ModelRuntime;
  t: TensorData;
  density: CompiledModelDensity;
  held: Record<string, number>;
}

async function bind(source: string, data: McmcModel["data"], held: Record<string, number> = {}): Promise<Bound> {
  const m = await lvm(source, 0);
  const rt = m.runtime;
  rt.bind(data.sizes);
  const actual: Record<string, number> = {};
  for (const [name, v] of Object.entries(held)) {
    const e = rt.store.entries.get(name)!;
    e.variable.assign(tf.tidy(() => e.bijector.inverse(tf.scalar(v))));
    actual[name] = tf.tidy(() => rt.store.constrained(name).dataSync()[0]!);
  }
  const t = toTensorData(data);
  const density = compiledModelDensity(rt, t);
  if ("reason" in density) throw new Error(density.reason);
  return { rt, t, density, held: actual };
}

/** Points drawn as Stan draws initial values: uniform(−2, 2) on the unconstrained space. */
const points = (dim: number, seed: number, count: number) => {
  const rng = new Rng(seed);
  return Array.from({ length: count }, () => Float64Array.from({ length: dim }, () => 4 * rng.uniform() - 2));
};

const maxAbs = (a: ArrayLike<number>) => Math.max(1, ...Array.from(a, Math.abs));

/** The tfjs interpreter's density at q: exact log p(x, latents) (finite ones summed out) + log-Jacobians, and its gradient. */
function tfDensity(b: Bound, q: Float64Array): { value: number; grad: Float64Array } {
  const { layout } = b.density;
  const grad = new Float64Array(q.length);
  const value = tf.tidy(() => {
    const us = layout.map((l) => tf.tensor(Float32Array.from(q.subarray(l.offset, l.offset + l.usize)), l.shape));
    const f = (...u: tf.Tensor[]) => {
      const latents: Record<string, tf.Tensor> = {};
      let jac: tf.Tensor = tf.scalar(0);
      layout.forEach((l, i) => {
        const bij = bijectorFor(l.support);
        latents[l.name] = tf.expandDims(bij.forward(u[i]!), 0);
        jac = tf.add(jac, tf.sum(bij.logAbsDetJacobian(u[i]!)));
      });
      return tf.add(tf.sum(exactLogMarginal(b.rt, { data: b.t, latents, particles: 1 }).total), jac) as tf.Scalar;
    };
    const { value, grads } = tf.valueAndGrads(f)(us);
    layout.forEach((l, i) => grad.set(grads[i]!.dataSync(), l.offset));
    return value.dataSync()[0]!;
  });
  return { value, grad };
}

function finiteDifferences(f: (q: Float64Array, g: Float64Array) => number, q: Float64Array): Float64Array {
  const out = new Float64Array(q.length), scratch = new Float64Array(q.length);
  for (let i = 0; i < q.length; i++) {
    const h = 1e-5 * Math.max(1, Math.abs(q[i]!));
    const up = Float64Array.from(q), down = Float64Array.from(q);
    up[i] += h;
    down[i] -= h;
    out[i] = (f(up, scratch) - f(down, scratch)) / (2 * h);
  }
  return out;
}

describe("compiled MCMC density on the reference models", () => {
  for (const model of MCMC_MODELS) {
    it(`${model.name}: value and gradient equal the hand-written float64 density (1e-9 relative)`, async () => {
      const b = await bind(model.source, model.data, model.held);
      for (const q of points(b.density.dim, 11, 6)) {
        const g = new Float64Array(q.length), ref = new Float64Array(q.length);
        const v = b.density.logDensity(q, g);
        const r = model.logDensity(q, ref, b.held);
        expect(Math.abs(v - r)).toBeLessThan(1e-9 * Math.max(1, Math.abs(r)));
        const scale = maxAbs(ref);
        g.forEach((x, i) => expect(Math.abs(x - ref[i]!)).toBeLessThan(1e-9 * scale));
      }
    });

    it(`${model.name}: gradient equals central finite differences; value and gradient equal the tfjs density (float32)`, async () => {
      const b = await bind(model.source, model.data, model.held);
      for (const q of points(b.density.dim, 5, 3)) {
        const g = new Float64Array(q.length);
        const v = b.density.logDensity(q, g);
        const fd = finiteDifferences(b.density.logDensity, q);
        const scale = maxAbs(g);
        fd.forEach((x, i) => expect(Math.abs(x - g[i]!)).toBeLessThan(1e-6 * scale));
        const ref = tfDensity(b, q);
        expect(Math.abs(v - ref.value)).toBeLessThan(1e-5 * Math.max(1, Math.abs(v)));
        g.forEach((x, i) => expect(Math.abs(x - ref.grad[i]!)).toBeLessThan(1e-5 * scale));
      }
    });
  }

  it("the layout lists the continuous latents in declaration order, constrain maps q through their bijectors", async () => {
    const b = await bind(eightSchools.source, eightSchools.data);
    expect(b.density.layout.map((l) => [l.name, l.offset, l.usize, l.support])).toEqual([
      ["mu", 0, 1, "real"],
      ["tau", 1, 1, "positive"],
      ["theta_trans", 2, 8, "real"],
    ]);
    const q = Float64Array.from({ length: 10 }, (_, i) => i / 10 - 0.3);
    const c = b.density.constrain(q);
    expect(c["tau"]![0]).toBeCloseTo(Math.exp(-0.2), 14);
    expect(Array.from(c["theta_trans"]!)).toEqual(Array.from(q.subarray(2)));
    expect(b.density.finite).toEqual([]);
  });
});

// Every covered distribution as a latent's prior (value partial) and as a likelihood whose
// arguments are latents (argument partials), checked against finite differences and tfjs.
const DISTS = `model Dists {
  data a: real[N]
  data b: positive[N]
  data c: unit[N]
  data d: real[N]
  data h: positive[N]
  data e: positive[N]
  data x: binary[N]
  data k: count[N]
  data ln: positive[N]
  data lp: real[N]
  latent m: real
  latent s: positive
  latent nu: positive
  latent al: positive
  latent be: positive
  latent p: unit
  latent t: real
  latent g: positive
  latent l: real
  m ~ Cauchy(0, 2)
  s ~ HalfNormal(2)
  nu ~ Gamma(2, 0.5)
  al ~ Exponential(1)
  be ~ HalfCauchy(1)
  p ~ Beta(2, 2)
  t ~ StudentT(3, 1, 2)
  g ~ LogNormal(0.5, 0.8)
  l ~ Laplace(1, 2)
  for n in N {
    a[n] ~ StudentT(nu, m + t, s)
    b[n] ~ Gamma(al, be)
    c[n] ~ Beta(al, be)
    d[n] ~ Cauchy(m, s)
    h[n] ~ HalfCauchy(s)
    e[n] ~ HalfNormal(be)
    x[n] ~ Bernoulli(p)
    k[n] ~ Poisson(al * be)
    ln[n] ~ LogNormal(l, g)
    lp[n] ~ Laplace(m, g)
  }
}`;

describe("compiled MCMC density: every covered distribution", () => {
  const N = 9;
  const v = (f: (n: number) => number) => ({ shape: [N], data: Float32Array.from({ length: N }, (_, n) => f(n)) });
  const data = {
    sizes: { N },
    values: {
      a: v((n) => Math.sin(n) * 3), b: v((n) => 0.3 + n / 4), c: v((n) => 0.1 + n / 11), d: v((n) => n - 4),
      h: v((n) => 0.2 + n / 3), e: v((n) => 0.5 + (n % 4)), x: v((n) => n % 2), k: v((n) => n % 5),
      ln: v((n) => 0.4 + n / 2), lp: v((n) => 1.7 * Math.cos(n)),
    },
  };

  it("gradient equals central finite differences; value and gradient equal the tfjs density", async () => {
    const b = await bind(DISTS, data);
    expect(b.density.dim).toBe(9);
    for (const q of points(9, 3, 4)) {
      const g = new Float64Array(9);
      const val = b.density.logDensity(q, g);
      const fd = finiteDifferences(b.density.logDensity, q);
      const scale = maxAbs(g);
      fd.forEach((x, i) => expect(Math.abs(x - g[i]!), `coordinate ${i}`).toBeLessThan(1e-6 * scale));
      const ref = tfDensity(b, q);
      expect(Math.abs(val - ref.value)).toBeLessThan(1e-5 * Math.max(1, Math.abs(val)));
      g.forEach((x, i) => expect(Math.abs(x - ref.grad[i]!), `coordinate ${i}`).toBeLessThan(1e-5 * scale));
    }
  });
});

describe("compiled MCMC density: a simplex latent", () => {
  // Mixture weights with a Dirichlet prior, read by the summed-out assignment (Categorical's
  // gradient into the simplex, the stick-breaking log-Jacobian).
  const source = `model DirichletMixture {
  data x: real[N]
  latent w: simplex[3]
  latent mu: real[3]
  latent z: cat[3][N]
  w ~ Dirichlet([1.5, 1, 3])
  for k in 3 { mu[k] ~ Normal(0, 5) }
  for n in N {
    z[n] ~ Categorical(w)
    x[n] ~ Normal(mu[z[n]], 1)
  }
}`;
  const x = Array.from({ length: 30 }, (_, n) => (n % 3) * 3 - 3 + Math.sin(n));
  const data = { sizes: { N: 30 }, values: { x: { shape: [30], data: Float32Array.from(x) } } };

  it("gradient equals central finite differences; value, gradient and constrained values equal the tfjs density's", async () => {
    const b = await bind(source, data);
    const ref = modelDensity(b.rt, b.t);
    expect(b.density.layout).toEqual(ref.layout);
    expect(b.density.dim).toBe(5);
    for (const q of points(5, 8, 4).map((p) => p.map(Math.fround))) {
      const g = new Float64Array(5), r = new Float64Array(5);
      const v = b.density.logDensity(q, g);
      const fd = finiteDifferences(b.density.logDensity, q);
      const scale = maxAbs(g);
      fd.forEach((d, i) => expect(Math.abs(d - g[i]!), `coordinate ${i}`).toBeLessThan(1e-6 * scale));
      const rv = ref.logDensity(q, r);
      expect(Math.abs(v - rv)).toBeLessThan(1e-5 * Math.max(1, Math.abs(v)));
      g.forEach((d, i) => expect(Math.abs(d - r[i]!), `coordinate ${i}`).toBeLessThan(1e-5 * scale));
      const w = b.density.constrain(q)["w"]!, rw = ref.constrain(q)["w"]!;
      w.forEach((d, i) => expect(d).toBeCloseTo(rw[i]!, 14));
    }
    // A second call at the same point gives the same gradient (no state kept between calls).
    const q = points(5, 9, 1)[0]!, g1 = new Float64Array(5), g2 = new Float64Array(5);
    b.density.logDensity(q, g1);
    b.density.logDensity(q, g2);
    expect(Array.from(g2)).toEqual(Array.from(g1));
  });
});

describe("compiled MCMC density: what it does not cover", () => {
  const reason = async (source: string, sizes: Record<string, number>) => {
    const m = await lvm(source, 0);
    m.runtime.bind(sizes);
    const c = compileDensity(m.runtime.graph, m.runtime.sizes);
    return "reason" in c ? c.reason : "";
  };

  it("gives a reason for each uncovered construct", async () => {
    expect(await reason(`model A { data x: real[N]
      param c: positive[3]
      latent w: simplex[3]
      w ~ Dirichlet(c)
      for n in N { x[n] ~ Normal(0, 1) } }`, { N: 3 })).toMatch(/simplex latent `w` needs a Dirichlet prior with constant concentrations/);
    expect(await reason(`model A { data x: real[N]
      latent m: real
      m ~ Uniform(0, 1)
      for n in N { x[n] ~ Normal(m, 1) } }`, { N: 3 })).toMatch(/Uniform prior/);
    expect(await reason(`model A { data x: real[N]
      latent m: real
      m ~ Normal(0, 1)
      for n in N { x[n] ~ Normal(sqrt(exp(m)), 1) } }`, { N: 3 })).toMatch(/function sqrt/);
    expect(await reason(`model A { data x: real[N]
      latent b: binary
      b ~ Bernoulli(0.5)
      for n in N { x[n] ~ Normal(b, 1) } }`, { N: 3 })).toMatch(/finite latent `b` is not one value per data point/);
    expect(await reason(`model A { data x: real[N]
      latent z: binary[N]
      latent c: cat[3][N]
      for n in N { z[n] ~ Bernoulli(0.5)
        c[n] ~ Categorical([0.2, 0.3, 0.5])
        x[n] ~ Normal(z[n], 1) } }`, { N: 3 })).toMatch(/more than one finite latent/);
  });

  it("hostile-looking names become slot identifiers; the source contains none of them", async () => {
    const m = await lvm(eightSchools.source, 0);
    m.runtime.bind(eightSchools.data.sizes);
    const names = { mu: "m\"); process.exit(1); (\"", tau: "constructor", theta_trans: "__proto__", y: "`${x}`", sigma: "*/ alert(1) /*" };
    const plain = compileDensity(m.runtime.graph, m.runtime.sizes) as CompiledDensity;
    const hostile = compileDensity(renamed(m.runtime.graph, names), m.runtime.sizes) as CompiledDensity;
    expect("reason" in hostile).toBe(false);
    for (const n of Object.values(names)) expect(hostile.source).not.toContain(n);
    expect(hostile.source).toBe(plain.source);
  });
});
