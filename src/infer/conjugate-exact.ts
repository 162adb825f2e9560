// Exact log p(x; θ) for conjugate models — Beta–Bernoulli/Binomial, Gamma–Poisson (or
// –Exponential, or a Normal's precision), Dirichlet–Categorical, Normal–Normal with known scale —
// without a table of pairs: like the linear-Gaussian closed form, the model is recognized by the
// shape of its own log p(x, z). Each latent element's support fixes an exponential family with
// sufficient statistics T (unit: log z, log(1 − z); positive: log z, z; simplex: log z_k;
// real: z, z²). When log p(x, z) = C + Σ_e η_e · T(z_e) for all z, the posterior is that family
// with natural parameters η_e, and
//     log p(x) = C + Σ_e log ∫ exp(η_e · T(z)) dz   (log B(a, b), log Γ(α) − α log β, …).
// C and η come from a least-squares fit of log p(x, z) at probe values of z, and the fit is
// trusted only when it reproduces every probe to float32 accuracy (twice as many probes as
// unknowns). A first round of probes locates the posterior; the second is spread around it, where
// the numbers are best conditioned. With every latent local, each data point is its own fit.
import { type Diagnostic, error } from "../diagnostics/diagnostic.ts";
import type { LatentNode } from "../ir/graph.ts";
import { evalSize } from "../ir/types.ts";
import { tf } from "../backend/tf.ts";
import { scoped } from "../backend/scoped.ts";
import type { ModelRuntime, TensorData } from "../backend/model-runtime.ts";
import { leastSquares } from "./least-squares.ts";
import { ELEMENT_BUDGET } from "./row-blocks.ts";
import { type Centre, type ConjugateSupport, FAMILY, STATS, defaultCentre, design, features, posterior, probeValue } from "./conjugate-families.ts";

export interface ConjugateEvidence {
  total: number;
  pointwise?: number[];
  /** Which closed form: the posterior family of each latent, e.g. "conjugate Beta (p)". */
  closedForm: string;
}

/** Probes per unknown, and the most unknowns one fit may have. */
const MAX_FEATURES = 96;
/** A probe's residual must be below this fraction of the magnitude of the terms it sums (float32 sums). */
const RELATIVE_TOLERANCE = 2e-5;

/** One latent's elements: `count` scalars (or simplex rows of `width`), each with `stats` features. */
interface Block {
  node: LatentNode;
  support: ConjugateSupport;
  shape: number[];
  width: number;
  count: number;
  stats: number;
  /** Elements per data point (local latents). */
  perRow: number;
}

/** Call inside a scope (scoped/tidy). Returns a diagnostic when the model is not conjugate. */
export function conjugateEvidence(rt: ModelRuntime, data: TensorData): ConjugateEvidence | Diagnostic {
  const latents = rt.latents() as LatentNode[];
  const why = (reason: string, node = latents[0]) => error("E005", `no closed form: ${reason}`, node?.span, "use --method importance (or naive) to estimate log p(x)");
  const blocks: Block[] = [];
  for (const node of latents) {
    const s = node.type.support;
    if (s !== "real" && s !== "unit" && s !== "positive" && s !== "simplex") return why(`latent \`${node.name}\` is ${s}; a conjugate closed form needs continuous latents (finite ones are summed out by enumeration, but not together with continuous ones)`, node);
    const shape = node.type.shape.map((d) => evalSize(d, rt.sizes) ?? 1);
    const width = s === "simplex" ? shape[shape.length - 1]! : 1;
    const size = shape.reduce((a, b) => a * b, 1);
    const count = size / width;
    blocks.push({ node, support: s, shape, width, count, stats: s === "simplex" ? width : 2, perRow: node.local ? count / shape[0]! : count });
  }
  if (!blocks.length) return why("the model has no latent variables");
  const dp = rt.graph.dataPlate;
  const local = blocks.every((b) => b.node.local);
  const rows = local ? (dp ? (data.sizes[dp] ?? 1) : 1) : 1;
  const groupElems = blocks.map((b) => (local ? b.perRow : b.count));
  const F = blocks.reduce((a, b, i) => a + groupElems[i]! * b.stats, 0);
  if (F > MAX_FEATURES) return why(`the conjugate check fits ${F} statistics at once; the limit is ${MAX_FEATURES}`);
  const P = 2 * (F + 1) + 4;
  const named = blocks.map((b) => `${FAMILY[b.support]} (${b.node.name})`).join(", ");

  // Element centres, per block and element (all elements of all rows).
  let centres = blocks.map((b) => Array.from({ length: b.count }, () => defaultCentre(b.support, b.width)));
  let result: ConjugateEvidence | Diagnostic | undefined;
  for (let round = 0; round < 2; round++) {
    // Probe values and their features: X [rows][P, 1 + F]. Coordinate j numbers an element's component within its row.
    const X = Array.from({ length: rows }, () => new Float64Array(P * (F + 1)));
    const values = blocks.map((b) => new Float32Array(P * b.count * b.width));
    const v = new Float64Array(Math.max(...blocks.map((b) => b.width)));
    for (let p = 0; p < P; p++) {
      for (let r = 0; r < rows; r++) X[r]![p * (F + 1)] = 1;
      let j = 0; // coordinate within the row's design
      let f = 1; // feature column
      blocks.forEach((b, bi) => {
        const per = groupElems[bi]!;
        for (let e = 0; e < b.count; e++) {
          const r = local ? Math.floor(e / per) : 0;
          const within = local ? e % per : e;
          const c = centres[bi]![e]!;
          const jj = j + within * b.width;
          const val = v.subarray(0, b.width);
          probeValue(b.support, c, (k) => design(p, jj + k), val);
          values[bi]!.set(val, (p * b.count + e) * b.width);
          features(b.support, c, val, X[r]!, p * (F + 1) + f + within * b.stats);
        }
        j += per * b.width;
        f += per * b.stats;
      });
    }
    // log p(x, z) at the probes: per row [P, rows] (local) and the rest [P], with the magnitude of the terms summed.
    const { y, mag, rest, restSpread } = evaluate(rt, data, blocks, values, P, local, rows);
    if (local && restSpread > RELATIVE_TOLERANCE * (Math.abs(rest) + 1)) return why(`a term outside the data plate changes with the latents`);
    const next = blocks.map((b) => new Array<Centre>(b.count));
    const pointwise = new Array<number>(rows);
    for (let r = 0; r < rows; r++) {
      const yr = Float64Array.from({ length: P }, (_, p) => y[p * rows + r]!);
      const fit = leastSquares(X[r]!, P, F + 1, yr);
      for (let p = 0; p < P; p++) {
        const allowed = RELATIVE_TOLERANCE * (mag[p * rows + r]! + 1);
        if (!(Math.abs(fit.residual[p]!) <= allowed)) {
          const which = blocks.map((b) => `\`${b.node.name}\` (${FAMILY[b.support]}: linear in ${STATS[b.support]})`).join(", ");
          return why(`log p(x, z) is not of the conjugate form in ${which}: a probe is off by ${Math.abs(fit.residual[p]!).toPrecision(3)} nats`);
        }
      }
      let total = fit.beta[0]!;
      let f = 1;
      for (let bi = 0; bi < blocks.length; bi++) {
        const b = blocks[bi]!;
        const per = groupElems[bi]!;
        for (let w = 0; w < per; w++) {
          const e = local ? r * per + w : w;
          const post = posterior(b.support, centres[bi]![e]!, fit.beta.subarray(f + w * b.stats, f + (w + 1) * b.stats));
          if (typeof post === "string") return why(`latent \`${b.node.name}\`: ${post}`, b.node);
          total += post.logZ;
          next[bi]![e] = post.centre;
        }
        f += per * b.stats;
      }
      pointwise[r] = total;
    }
    centres = next;
    const sum = pointwise.reduce((a, b) => a + b, 0);
    result = local ? { total: sum + rest, pointwise, closedForm: `conjugate ${named}` } : { total: sum, closedForm: `conjugate ${named}` };
  }
  return result!;
}

/**
 * log p(x, z) at P probes, in particle chunks: `y` [P, rows] (per data point when local, else the
 * total in one column) and `mag` the summed magnitudes of its terms; when local, the terms that
 * are not per data point (`rest`) must not vary with the probes: their value and spread.
 */
function evaluate(rt: ModelRuntime, data: TensorData, blocks: Block[], values: Float32Array[], P: number, local: boolean, rows: number) {
  const dataSize = Math.max(1, ...Object.values(data.values).map((t) => t.size));
  const chunk = Math.max(1, Math.floor(ELEMENT_BUDGET / dataSize));
  const y = new Float64Array(P * rows), mag = new Float64Array(P * rows), rest = new Float64Array(P);
  for (let start = 0; start < P; start += chunk) {
    const S = Math.min(chunk, P - start);
    scoped(() => {
      const latents = Object.fromEntries(blocks.map((b, i) => [b.node.name, tf.tensor(values[i]!.subarray(start * b.count * b.width, (start + S) * b.count * b.width), [S, ...b.shape])]));
      const { factors } = rt.run({ data, latents, particles: S });
      for (const f of factors) {
        const t = tf.sum(f.logp, 1); // [S | 1, N | 1]
        const d = t.dataSync();
        const [a, n] = [t.shape[0]!, t.shape[1]!];
        for (let s = 0; s < S; s++)
          for (let i = 0; i < n; i++) {
            const val = d[(a === 1 ? 0 : s) * n + i]!;
            const p = start + s;
            if (local && !f.local) rest[p] += val;
            else {
              const col = local ? i : 0; // a local factor has one column per data point
              y[p * rows + col] += val;
              mag[p * rows + col] += Math.abs(val);
            }
          }
      }
    });
  }
  let lo = Infinity, hi = -Infinity;
  for (const v of rest) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  return { y, mag, rest: rest[0]!, restSpread: hi - lo };
}
