// Monte Carlo values of the two variational bounds of a guide, with their standard errors, sized
// to memory (particles in chunks, and the data plate in row blocks when every latent is local):
//   ELBO     E_q[log p(x, z) − log q(z)]: the mean of S full-data values, stderr sd/√S.
//   IWAE_K   E[log (1/K) Σ_k p(x, z_k)/q(z_k)]: R independent K-sample values, stderr sd/√R.
// Evaluation needs no gradient, so IWAE takes any guide (discrete draws included).
import { checkSamplesKept } from "../backend/element-limit.ts";
import { tf } from "../backend/tf.ts";
import type { ModelRuntime, TensorData } from "../backend/model-runtime.ts";
import { Rng } from "../backend/random.ts";
import type { Guide } from "./guides/types.ts";
import { chunkPlan, forEachBlock, particleChunks, type RowBlocks } from "./row-blocks.ts";
import { elboTerms } from "./elbo.ts";
import { allLatentsLocal } from "./local-global.ts";

export interface BoundEstimate {
  value: number;
  stderr: number;
}

interface Common {
  seed: number;
  /** Row blocks of the data plate (used only when every latent is local). */
  blocks?: RowBlocks;
  enumerate?: boolean;
}

function meanAndStderr(values: ArrayLike<number>): BoundEstimate {
  const n = values.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += values[i]! / n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (values[i]! - mean) ** 2;
  return { value: mean, stderr: Math.sqrt(ss / Math.max(n - 1, 1)) / Math.sqrt(n) };
}

/** The chunk × block plan; without row blocks a particle touches every data value. */
/** The ELBO terms' rows: a block's, its local terms not scaled (they are summed over blocks). */
const where = (b: { rows?: Int32Array; totalRows: number }) => (b.rows ? { rows: b.rows, totalRows: b.totalRows } : { totalRows: b.totalRows });

const plan = (rt: ModelRuntime, data: TensorData, particles: number, blocks: RowBlocks | undefined) =>
  chunkPlan(rt, data, particles, blocks, Math.max(1, ...Object.values(data.values).map((t) => t.size)));

/** The ELBO: S full-data values (each summed over row blocks), their mean and its standard error. */
export function estimateElbo(rt: ModelRuntime, guide: Guide, data: TensorData, opts: Common & { samples: number; analyticKL?: boolean }): BoundEstimate {
  const p = plan(rt, data, opts.samples, opts.blocks);
  checkSamplesKept(opts.samples, 1, "ELBO values");
  const values = new Float64Array(opts.samples);
  for (const { done, S, rng } of particleChunks(opts.samples, p.chunk, new Rng(opts.seed))) {
    forEachBlock(p, data, (b) => {
      const terms = elboTerms(rt, guide, b.data, { particles: S, rng, ...where(b), ...(opts.enumerate ? { enumerate: true } : {}), ...(opts.analyticKL === false ? { analyticKL: false } : {}) });
      // Without blocks, the whole estimate; else a block's points, plus (once, with the first
      // block) the terms that are not per point.
      const local = b.rows ? tf.sum(terms.local, 1) : undefined;
      const per = (local ? (b.start === 0 ? tf.add(local, terms.global.reshape([S])) : local) : terms.perParticle).dataSync();
      for (let i = 0; i < S; i++) values[done + i] += per[i]!;
    });
  }
  return meanAndStderr(values);
}

/**
 * The IWAE bound with K samples, from `repeats` independent values. With every latent local it
 * factorizes: Σ_n log (1/K) Σ_k w_kn (one K-sample bound per point) plus the terms that are not
 * per point; otherwise log (1/K) Σ_k W_k over whole-data weights. Repeats are drawn together
 * (K particles each) as far as memory allows; a K too large for one chunk is drawn in pieces.
 */
export function estimateIwae(rt: ModelRuntime, guide: Guide, data: TensorData, opts: Common & { k: number; repeats: number }): BoundEstimate {
  const K = opts.k;
  const R = opts.repeats;
  const p = plan(rt, data, K * R, opts.blocks);
  const { rows, chunk } = p;
  const allLocal = allLatentsLocal(rt);
  const rng = new Rng(opts.seed);
  const values = new Float64Array(R);
  const perBatch = K <= chunk ? Math.floor(chunk / K) : 1; // repeats drawn together
  for (let r0 = 0; r0 < R; r0 += perBatch) {
    const reps = Math.min(perBatch, R - r0);
    const batchRng = rng.split();
    // Per repeat: running log Σ_k of the weights per point (factorized), and of the whole-data weights.
    const acc = new Float64Array(reps * rows).fill(-Infinity);
    const accWhole = new Float64Array(reps).fill(-Infinity);
    const global = new Float64Array(reps);
    let globalVaries = false;
    const particles = reps * K;
    const piece = reps > 1 ? particles : Math.min(chunk, K);
    for (let done = 0; done < particles; done += piece) {
      const S = Math.min(piece, particles - done);
      const groups = reps > 1 ? reps : 1; // whole repeats in this piece, or a part of the one repeat
      const r = batchRng.split();
      const whole = new Float64Array(S);
      forEachBlock(p, data, ({ start, count, ...b }) => {
        const terms = elboTerms(rt, guide, b.data, { particles: S, rng: r, analyticKL: false, ...where(b), ...(opts.enumerate ? { enumerate: true } : {}) });
        if (!allLocal) {
          const per = terms.perParticle.dataSync();
          for (let i = 0; i < S; i++) whole[i] += per[i]!;
          return;
        }
        const local = terms.local as tf.Tensor2D;
        const lse = tf.logSumExp(local.reshape([groups, S / groups, count]), 1).dataSync(); // [groups, count]
        for (let j = 0; j < groups; j++)
          for (let n = 0; n < count; n++) acc[j * rows + start + n] = logAdd(acc[j * rows + start + n]!, lse[j * count + n]!);
        const perPoint = tf.sum(local, 1).dataSync();
        const g = start === 0 ? terms.global.dataSync() : undefined;
        for (let i = 0; i < S; i++) {
          whole[i] += perPoint[i]! + (g ? g[i]! : 0);
          if (!g) continue;
          // The terms that are not per point must not depend on the (local) draws to factorize.
          const j = Math.floor(i / (S / groups));
          if (done === 0 && i % (S / groups) === 0) global[j] = g[i]!;
          else globalVaries ||= g[i] !== global[j];
        }
      });
      for (let i = 0; i < S; i++) {
        const j = Math.floor(i / (S / groups));
        accWhole[j] = logAdd(accWhole[j]!, whole[i]!);
      }
    }
    for (let j = 0; j < reps; j++) {
      let total = global[j]!;
      for (let n = 0; n < rows; n++) total += acc[j * rows + n]! - Math.log(K);
      values[r0 + j] = allLocal && !globalVaries ? total : accWhole[j]! - Math.log(K);
    }
  }
  return meanAndStderr(values);
}

const logAdd = (a: number, b: number): number => {
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  const m = Math.max(a, b);
  return m + Math.log(Math.exp(a - m) + Math.exp(b - m));
};
