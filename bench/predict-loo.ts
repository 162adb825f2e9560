// Posterior predictive draws and the pointwise log-likelihood of LOO are one run of the model per
// block of draws (the draws on the particle axis). Reference, in the same process: the same
// quantities with one run per draw (a JS loop of tensor calls), which is what vectorizing avoids.
// Regression y[n] ~ N(a + b u[n], 0.5), N = 1000 points, S = 1000 draws of (a, b); interleaved
// runs, medians. `npx tsx bench/predict-loo.ts`.
import { compile } from "../src/api/index.ts";
import { tf } from "../src/backend/tf.ts";
import { scoped } from "../src/backend/scoped.ts";
import { Rng } from "../src/backend/random.ts";
import { median } from "./common.ts";

const SRC = `model Reg {
  data u: real[N]
  data y: real[N]
  latent a: real
  latent b: real
  a ~ Normal(0, 2)
  b ~ Normal(0, 2)
  for n in N {
    y[n] ~ Normal(a + b * u[n], 0.5)
  }
}`;

export async function benchPredictLoo(opts: { n?: number; s?: number; repeats?: number; log?: (s: string) => void } = {}) {
  const N = opts.n ?? 1000;
  const S = opts.s ?? 1000;
  const log = opts.log ?? console.log;
  const m = await compile(SRC, { seed: 1 });
  const rng = new Rng(1);
  const u = Array.from({ length: N }, (_, i) => i / N - 0.5);
  const y = u.map((v) => 1 - 0.8 * v + 0.5 * (rng.uniform() - 0.5));
  const draws = { variables: ["a", "b"].map((name) => ({ name, shape: [] as number[], draws: [Array.from({ length: S }, () => Float64Array.of(rng.uniform()))] })) };
  const rt = m.runtime;
  const t = { values: { u: tf.tensor1d(u), y: tf.tensor1d(y) }, masks: {}, sizes: { N } };
  rt.bind({ N });
  const perDraw = (what: "predict" | "loo") => {
    const r = new Rng(2);
    for (let s = 0; s < S; s++)
      scoped(() => {
        const latents = { a: tf.tensor1d([draws.variables[0]!.draws[0]![s]![0]!]), b: tf.tensor1d([draws.variables[1]!.draws[0]![s]![0]!]) };
        if (what === "predict") rt.run({ data: { ...t, values: { u: t.values.u } }, latents, particles: 1, rng: r.split() }).env.values.get("y")!.t.dataSync();
        else rt.run({ data: t, latents, particles: 1 }).factors.filter((f) => f.observed)[0]!.logp.dataSync();
      });
  };
  const time = (f: () => void) => {
    const t0 = performance.now();
    f();
    return performance.now() - t0;
  };
  const ms = { predict: [] as number[], predictRef: [] as number[], loo: [] as number[], looRef: [] as number[] };
  const { pointwiseLogLik } = await import("../src/infer/loo-model.ts");
  for (let k = 0; k < (opts.repeats ?? 5); k++) {
    ms.predict.push(time(() => m.predict({ u }, { draws, seed: 1 })));
    ms.predictRef.push(time(() => perDraw("predict")));
    ms.loo.push(time(() => pointwiseLogLik(rt, { kind: "mcmc", result: draws }, t)));
    ms.looRef.push(time(() => perDraw("loo")));
  }
  const out = { predictMs: median(ms.predict), predictRefMs: median(ms.predictRef), looMs: median(ms.loo), looRefMs: median(ms.looRef) };
  log(`predict, N=${N}, S=${S}: ${out.predictMs.toFixed(0)} ms; one run per draw ${out.predictRefMs.toFixed(0)} ms (${(out.predictRefMs / out.predictMs).toFixed(1)}× faster)`);
  log(`LOO log-likelihood [S, N]: ${out.looMs.toFixed(0)} ms; one run per draw ${out.looRefMs.toFixed(0)} ms (${(out.looRefMs / out.looMs).toFixed(1)}× faster)`);
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) await benchPredictLoo();
