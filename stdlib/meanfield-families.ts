// The generated `meanfield` guide's family for a latent, by the latent's declared support: the
// one table that guide builds from (src/infer/guides/meanfield.ts) and docs/language.md shows
// (scripts/gen-language-ref.ts). The family depends on the support, not on the prior: a Beta
// prior on a `unit` latent gets a logit-Normal, like any other `unit` latent.
import type { Support } from "../src/ir/types.ts";

export interface MeanfieldFamily {
  /**
   * How the guide is built: a Normal on the unconstrained space pushed through the support's
   * bijection (`pushed`), or a distribution on the support itself (its params per element).
   */
  kind: "pushed" | "Bernoulli" | "Categorical" | "Poisson";
  /** The family's name in docs and diagnostics. */
  name: string;
  /** Its params per element, as the params file names them (`meanfield.<latent>.<param>`). */
  params: string;
  doc: string;
}

export const MEANFIELD_FAMILIES: Readonly<Record<Support, MeanfieldFamily | { none: string }>> = {
  real: { kind: "pushed", name: "Normal", params: "loc, scale", doc: "Normal(loc, scale)" },
  positive: { kind: "pushed", name: "LogNormal", params: "loc, scale", doc: "exp of a Normal(loc, scale)" },
  unit: { kind: "pushed", name: "logit-Normal", params: "loc, scale", doc: "sigmoid of a Normal(loc, scale)" },
  simplex: { kind: "pushed", name: "stick-breaking Normal", params: "loc, scale (K − 1 each)", doc: "independent Normals on K − 1 coordinates through Stan's stick-breaking map" },
  binary: { kind: "Bernoulli", name: "Bernoulli", params: "probs", doc: "Bernoulli(probs)" },
  cat: { kind: "Categorical", name: "Categorical", params: "probs (K)", doc: "Categorical(probs)" },
  count: { kind: "Poisson", name: "Poisson", params: "rate", doc: "Poisson(rate); not for a latent with a Binomial prior, whose support is bounded (write a guide)" },
  integer: { none: "no family covers all integers; write a guide" },
};
