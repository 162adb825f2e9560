// The contract between the backend's distribution implementations and the inference code.
import type { tf } from "../tf.ts";
import type { Rng } from "../random.ts";

export interface DistImpl {
  /** Equals the DISTRIBUTIONS entry name in stdlib/signatures.ts. */
  name: string;
  /**
   * Log density (or mass) of `value`. `args` holds every parameter that was given (defaults
   * already filled by the caller; for oneOf groups only the chosen one). Args and value broadcast
   * against each other (numpy rules); param tensors have their event axes last (eventRank from
   * the table). Returns the elementwise log-density with the distribution's event axes (eventRank
   * of the draw) reduced: shape = broadcast batch shape. `sumFrom` says the caller will sum every
   * axis from that one on: an implementation may return them summed already (fused into its pass).
   */
  logProb(args: Record<string, tf.Tensor>, value: tf.Tensor, sumFrom?: number): tf.Tensor;
  /** Draws with batch shape `batchShape` (args broadcast to it; event axes appended). Differentiable w.r.t. args when the table says reparameterized. */
  sample(args: Record<string, tf.Tensor>, batchShape: number[], rng: Rng): tf.Tensor;
  /** 1 where `value` lies in the support (for the given args, e.g. Binomial's total_count), else 0; elementwise over batch (event axes reduced with all). */
  inSupport(args: Record<string, tf.Tensor>, value: tf.Tensor): tf.Tensor;
  mean(args: Record<string, tf.Tensor>): tf.Tensor;
}
