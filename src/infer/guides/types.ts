// The variational family q(z; φ) as the ELBO sees it: draw S particles of every latent it covers
// and report log q for them, split like the model's factors (per data point / global), with the
// part that needs score-function gradients (non-reparameterizable draws) kept apart.
import type { tf } from "../../backend/tf.ts";
import type { ModelRuntime, TensorData } from "../../backend/model-runtime.ts";
import type { Rng } from "../../backend/random.ts";

export interface SplitLogDensity {
  /** [S | 1, N] per data point (N = 1 without a data plate). */
  local: tf.Tensor;
  /** [S | 1, 1]. */
  global: tf.Tensor;
}

/** One q site, for analytic KL against the model's site of the same latent. */
export interface QSite {
  latent: string;
  dist: string;
  /** Aligned distribution args in the runtime layout. */
  args: Record<string, tf.Tensor>;
  reparameterized: boolean;
  /** Whether the site is per data point. */
  local: boolean;
  /** log q of the drawn value, split like SplitLogDensity. */
  logq: SplitLogDensity;
  /** Whether the value is drawn on the latent's own support (analytic KL applies), not through a bijection. */
  direct: boolean;
  /** Site layout (see SiteFactor.layout); analytic KL needs the model's site to share it. */
  layout: string;
}

export interface GuideDraw {
  /** Latent values in the declared layout with a leading particle axis: [S, …shape]. */
  latents: Record<string, tf.Tensor>;
  sites: QSite[];
}

export interface Guide {
  name: string;
  /** Owner key of its params in the ParamStore. */
  owner: string;
  /** Latents it draws (a missing-data variable counts as a latent). */
  covers: string[];
  /** Creates params (idempotent). */
  init(rt: ModelRuntime, data: TensorData): void;
  /** `stopDraws`: draws carry no pathwise gradient (score-function estimation only). */
  /** `sample`: real draws even where the ELBO would use an exact expectation (for pictures, imputations). */
  /**
   * `pathOnly`: log q of reparameterized draws depends on φ only through the draw (the score
   * term ∇φ log q, zero in expectation, is left out): the ELBO gradient of Roeder et al. (2017),
   * whose noise vanishes as q approaches the posterior. Not for IWAE (biased there).
   */
  draw(rt: ModelRuntime, data: TensorData, S: number, rng: Rng, rows?: Int32Array, opts?: { stopDraws?: boolean; sample?: boolean; pathOnly?: boolean }): GuideDraw;
  /** Mean and standard deviation of q per latent (constrained space; approximate under a bijection). */
  moments?(rt: ModelRuntime, data: TensorData): Record<string, { mean: tf.Tensor; std: tf.Tensor }>;
}
