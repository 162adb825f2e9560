// Shared by run.ts and the tests: ELBO training of a model with a written guide through the
// machinery `CompiledModel.fit` uses (elboObjective + the optimize loop), and helpers to read the
// decoder's pixel probabilities and to estimate log p(x) digit-chunk by digit-chunk.
//
// Why not `fit` itself: `fit` ends by evaluating the ELBO on the full training data with 100
// particles, whose chunking bounds particles × rows but not the 784 pixels per row — 100 × 9,000
// × 784 floats overflow WASM memory. Training here is the same loop without that final pass.
import { tf } from "../../src/backend/tf.ts";
import type { CompiledModel } from "../../src/api/compiled-model.ts";
import type { FlatData } from "../../src/backend/model-runtime.ts";
import { Rng } from "../../src/backend/random.ts";
import { toTensorData, disposeTensorData } from "../../src/backend/model-runtime.ts";
import { elboObjective } from "../../src/infer/elbo-objective.ts";
import { optimize, type LoopResult, type StepInfo } from "../../src/infer/fit-loop.ts";

export interface TrainOptions {
  guide: string;
  steps: number;
  lr: number;
  batchSize?: number;
  seed: number;
  particles?: number;
  onStep?: (info: StepInfo) => void;
}

/** Maximizes the ELBO over θ (model) and φ (the guide) together with Adam; minibatches scale by N / B. */
export async function trainElbo(model: CompiledModel, flat: FlatData, o: TrainOptions): Promise<LoopResult> {
  const rt = model.runtime;
  const dp = model.graph.dataPlate;
  const rows = dp ? flat.sizes[dp]! : 1;
  rt.bind(flat.sizes);
  const guide = model.guide(o.guide);
  const plateVars = new Set(
    model.graph.nodes.filter((n) => n.kind === "data" && n.type.shape[0]?.kind === "sym" && n.type.shape[0].name === dp).map((n) => n.name),
  );
  const full = toTensorData(flat);
  try {
    const objective = elboObjective(rt, guide, flat, full, plateVars, rows, { kind: "elbo", particles: o.particles ?? 1 });
    return await optimize(rt.store, objective, {
      steps: o.steps,
      lr: o.lr,
      seed: o.seed,
      rows,
      owners: (owner) => owner === "model" || owner === guide.owner,
      ...(o.batchSize ? { batchSize: o.batchSize } : {}),
      ...(o.onStep ? { onStep: o.onStep } : {}),
    });
  } finally {
    disposeTensorData(full);
  }
}

/** Rows [start, start + count) of a one-variable FlatData (a view of the typed array, no copy). */
export function sliceRows(flat: FlatData, start: number, count: number, variable = "x"): FlatData {
  const v = flat.values[variable]!;
  const row = v.shape.slice(1).reduce((a, b) => a * b, 1);
  const n = Math.max(0, Math.min(count, v.shape[0]! - start));
  return {
    sizes: { ...flat.sizes, N: n },
    values: { [variable]: { shape: [n, ...v.shape.slice(1)], data: v.data.subarray(start * row, (start + n) * row) } },
  };
}

/**
 * Mean of p(x | z) for given latents z ([n, P] row-major): the model is run with z fixed and
 * the observed site's distribution read back (sigmoid of the logits for a Bernoulli decoder,
 * the loc for a Normal). `variable` is the data variable, `latent` the latent's name.
 */
export function decoderMean(model: CompiledModel, z: Float32Array, n: number, o: { latent: string; variable: string; width: number }): Float32Array {
  const P = z.length / n;
  return tf.tidy(() => {
    const data = { values: { [o.variable]: tf.zeros([n, o.width]) }, masks: {}, sizes: { N: n } };
    const { factors } = model.runtime.run({ data, latents: { [o.latent]: tf.tensor(z, [1, n, P]) } });
    const site = factors.find((f) => f.observed && f.target === o.variable);
    if (!site) throw new Error(`no observed site for ${o.variable}`);
    const a = site.args;
    const mean = a["logits"] ? tf.sigmoid(a["logits"]) : a["probs"] ?? a["loc"] ?? a["mu"] ?? Object.values(a)[0]!;
    return tf.broadcastTo(mean, [1, 1, n, o.width]).reshape([n * o.width]).dataSync() as Float32Array;
  });
}

export interface ChunkedEvidence {
  /** Σ over data points of log p(x_n), its standard error, the average per point. */
  logMarginal: number;
  stderr: number;
  perPoint: number;
  perPointStderr: number;
  /** Smallest ESS over all points, the median of the chunks' median ESS, worst k̂ reported. */
  essMin: number;
  essMedian: number;
  khat: number;
  points: number;
  samples: number;
  seconds: number;
  /** Chunks whose estimate carried a warning (k̂ > 0.5 or a tiny ESS). */
  warnedChunks: number;
}

/**
 * Importance-sampling estimate of log p(x) with a guide as proposal, `chunk` data points at a
 * time (the log-weights of K samples × chunk points × D pixels must fit in memory). With only
 * local latents the estimate factorizes over points, so chunk estimates add.
 */
export function chunkedEvidence(model: CompiledModel, flat: FlatData, o: { proposal: string; samples: number; seed: number; chunk?: number; onChunk?: (done: number, total: number) => void }): ChunkedEvidence {
  const t0 = performance.now();
  const n = flat.values["x"]!.shape[0]!;
  const chunk = o.chunk ?? 10;
  const rng = new Rng(o.seed);
  let total = 0;
  let variance = 0;
  let essMin = Infinity;
  let khat = -Infinity;
  const medians: number[] = [];
  let warnedChunks = 0;
  for (let start = 0; start < n; start += chunk) {
    const part = sliceRows(flat, start, chunk);
    const r = model.logMarginal(part, { method: "importance", proposal: o.proposal, samples: o.samples, seed: rng.next() });
    total += r.logMarginal;
    variance += r.stderr ** 2;
    essMin = Math.min(essMin, r.ess);
    if (Number.isFinite(r.khat)) khat = Math.max(khat, r.khat);
    medians.push(r.essMedian);
    if (r.warnings.length) warnedChunks++;
    o.onChunk?.(Math.min(start + chunk, n), n);
  }
  medians.sort((a, b) => a - b);
  const stderr = Math.sqrt(variance);
  return {
    logMarginal: total,
    stderr,
    perPoint: total / n,
    perPointStderr: stderr / n,
    essMin,
    essMedian: medians[Math.floor(medians.length / 2)] ?? NaN,
    khat,
    points: n,
    samples: o.samples,
    seconds: (performance.now() - t0) / 1000,
    warnedChunks,
  };
}
