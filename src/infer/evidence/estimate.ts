// Monte Carlo estimates of log p(x; θ) with the diagnostics that say how far to trust them.
// When every latent is local the plate factorizes: each data point's factor is estimated from
// its own column of weights and the logs are summed, so N points are N small integrals rather
// than one N-dimensional one. Otherwise one joint estimate is made.
import { checkSamplesKept } from "../../backend/element-limit.ts";
import { tf } from "../../backend/tf.ts";
import type { ModelRuntime, TensorData } from "../../backend/model-runtime.ts";
import { Rng } from "../../backend/random.ts";
import { drawLogWeights, type Proposal } from "./proposals.ts";
import { enumeratedPriorWeights } from "./enumerated-prior.ts";
import { combine, summarizeLogWeights, type WeightSummary } from "./weights.ts";
import { trustWarnings, worstColumnsKhat } from "./trust.ts";
import { allLatentsLocal } from "../local-global.ts";
import { chunkPlan, forEachBlock, particleChunks, type Block, type RowBlocks } from "../row-blocks.ts";
import { compiledPriorLogWeights } from "./compiled-prior.ts";
import { kernelMode, noteFallback } from "../../backend/kernels.ts";

export interface McEvidence {
  logMarginal: number;
  stderr: number;
  /** Effective sample size: the minimum and median over data points (equal for a joint estimate). */
  ess: number;
  essMedian: number;
  /** Pareto k̂ of the weights: the worst over the data points with the smallest ESS. */
  khat: number;
  samples: number;
  /** Whether the estimate factorized over data points. */
  factorized: boolean;
  warnings: string[];
  logWeights?: number[][];
}

export interface McOptions {
  proposal: Proposal;
  samples: number;
  seed: number;
  keepLogWeights?: boolean;
  /** Particles per chunk; bounded so S × N tensors stay small. */
  chunk?: number;
  /** Prior proposals for finite local latents look weights up in the enumerated table (default; see enumerated-prior.ts); false evaluates the model per draw. */
  tableLookup?: boolean;
}

/** A log-weight buffer reused across estimates of the same size (estimates are synchronous and copy what they return). */
let reusable = new Float32Array(0);
function weightBuffer(n: number): Float32Array {
  if (reusable.length !== n) reusable = new Float32Array(n);
  return reusable;
}

export function estimateEvidence(rt: ModelRuntime, data: TensorData, opts: McOptions & { blocks?: RowBlocks }): McEvidence {
  const allLocal = allLatentsLocal(rt);
  // Row blocks only when points are independent (every latent local); a particle without them touches every row.
  const rowsOf = rt.graph.dataPlate ? (data.sizes[rt.graph.dataPlate] ?? 1) : 1;
  const p = chunkPlan(rt, data, opts.samples, opts.blocks, rowsOf, opts.chunk);
  const rows = p.rows;
  // Every log-weight [S, N] is kept (ESS and k̂ per point need them all).
  checkSamplesKept(opts.samples, rows, "log-weights (one per sample and data point)");
  // Log-weights [S, N] (local) plus global terms; assembled chunk by chunk over particles (and row blocks).
  const parts: { local: Float32Array; global: Float32Array; S: number; N: number; globalVaries: boolean; summary?: WeightSummary }[] = [];
  for (const { S, rng: r } of particleChunks(opts.samples, p.chunk, new Rng(opts.seed))) {
    const cols: Float32Array[] = [];
    let summary: WeightSummary | undefined;
    let global = new Float32Array(S);
    let globalVaries = false;
    const draw = (b: Block) => {
      // One chunk and one block: the weights go to a reused buffer (nothing returned keeps it).
      const whole = S === opts.samples && b.count === rows;
      const host = opts.proposal.kind === "prior" && opts.tableLookup !== false ? enumeratedPriorWeights(rt, b.data, S, r, b.rows, whole ? weightBuffer(S * rows) : undefined) : undefined;
      if (host) return { local: host.local, n: host.N, global: new Float32Array(S).fill(host.global), varies: false, summary: host.summary };
      // Prior draws of a continuous latent, weighed by generated code when the kernel switch asks for it.
      if (opts.proposal.kind === "prior" && kernelMode() === "compiled") {
        const lw = compiledPriorLogWeights(rt, b.data, S, r, b.count, whole ? weightBuffer(S * rows) : undefined);
        if (!("reason" in lw)) return { local: lw, n: b.count, global: new Float32Array(S), varies: false };
        noteFallback("importance", lw.reason);
      }
      const w = drawLogWeights(rt, b.data, opts.proposal, S, r, b.rows);
      return { local: w.local.dataSync() as Float32Array, n: w.local.shape[1], global: tf.broadcastTo(w.global, [S, 1]).dataSync() as Float32Array, varies: w.global.shape[0] > 1 };
    };
    forEachBlock(p, data, draw, (part, { start, count }) => {
      summary = part.summary;
      cols.push(part.local);
      if (start === 0) global = part.global as Float32Array<ArrayBuffer>;
      globalVaries ||= part.varies;
      return !(cols.length === 1 && part.n !== count && p.blocks); // no per-point terms: one block is all
    });
    // Stitch row blocks side by side: [S, n1] | [S, n2] | … → [S, N].
    const widths = cols.map((c) => c.length / S);
    const N = widths.reduce((a, b) => a + b, 0);
    let local = cols[0]!;
    if (cols.length > 1) {
      local = new Float32Array(S * N);
      for (let s = 0; s < S; s++) {
        let off = 0;
        cols.forEach((c, i) => {
          local.set(c.subarray(s * widths[i]!, (s + 1) * widths[i]!), s * N + off);
          off += widths[i]!;
        });
      }
    }
    parts.push({ local, global, S, N, globalVaries, ...(summary && cols.length === 1 ? { summary } : {}) });
  }
  const N = parts[0]!.N;
  const S = opts.samples;
  // Factorize over data points only when every latent is local; a global latent couples them
  // even when (prior proposal) no global term varies with the particles.
  const globalVaries = !allLocal || parts.some((p) => p.globalVaries);
  let local = parts[0]!.local;
  let global = parts[0]!.global;
  if (parts.length > 1) {
    local = new Float32Array(S * N);
    global = new Float32Array(S);
    let off = 0;
    for (const p of parts) {
      local.set(p.local, off * N);
      global.set(p.global, off);
      off += p.S;
    }
  }
  // A joint estimate when global terms vary with the particles (a global latent is involved).
  let logW: Float32Array;
  let cols: number;
  let constant = 0;
  if (globalVaries) {
    logW = new Float32Array(S);
    for (let s = 0; s < S; s++) {
      let t = global[s]!;
      for (let n = 0; n < N; n++) t += local[s * N + n]!;
      logW[s] = t;
    }
    cols = 1;
  } else {
    logW = local;
    cols = N;
    constant = global[0]!;
  }
  // One part drawn by table lookups comes with its summary (from each value's count per point).
  const given = parts.length === 1 && !globalVaries ? parts[0]!.summary : undefined;
  const summary = given ?? summarizeLogWeights(logW, S, cols);
  const c = combine(summary);
  const khat = worstColumnsKhat(logW, S, cols, summary.ess);
  const warnings = trustWarnings(khat, c.essMin, S);
  return {
    logMarginal: c.logMarginal + constant,
    stderr: c.stderr,
    ess: c.essMin,
    essMedian: c.essMedian,
    khat,
    samples: S,
    factorized: !globalVaries,
    warnings,
    ...(opts.keepLogWeights ? { logWeights: Array.from({ length: S }, (_, s) => Array.from(logW.subarray(s * cols, (s + 1) * cols))) } : {}),
  };
}
