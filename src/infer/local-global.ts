// The one place the model's log-density factors split into local terms (axis 2 runs over the
// data points) and global ones (counted once), and the one place a minibatch's local terms get
// their N/B scale. Estimators factor over the data plate through these.
import { tf } from "../backend/tf.ts";
import type { SiteFactor } from "../backend/evaluate.ts";
import type { ModelRuntime } from "../backend/model-runtime.ts";

/**
 * The factors' terms summed in factor order, local and global apart (undefined when there are
 * none of a kind). `term` says what each factor contributes: its log-density as is, or reduced.
 */
export function splitFactors(factors: readonly SiteFactor[], term: (f: SiteFactor) => tf.Tensor = (f) => f.logp): { local?: tf.Tensor; global?: tf.Tensor } {
  const sum = (fs: readonly SiteFactor[]) => (fs.length ? fs.map(term).reduce((a, b) => tf.add(a, b)) : undefined);
  const local = sum(factors.filter((f) => f.local));
  const global = sum(factors.filter((f) => !f.local));
  return { ...(local ? { local } : {}), ...(global ? { global } : {}) };
}

/**
 * N/B: the factor that scales a minibatch of B rows' local terms to the full data of N rows (1
 * for the full data). Global terms are not scaled.
 */
export function plateScale(totalRows: number, batchRows: number | undefined): number {
  return batchRows === undefined ? 1 : totalRows / batchRows;
}

/** Whether every latent is per data point: then data points are independent given θ. */
export function allLatentsLocal(rt: ModelRuntime): boolean {
  return rt.latents().every((n) => n.kind === "latent" && n.local);
}

/** Whether every latent is finite (enumerable): exact inference by enumeration applies. */
export function allLatentsFinite(rt: ModelRuntime): boolean {
  return rt.latents().every((n) => n.kind === "latent" && n.enumerable);
}
