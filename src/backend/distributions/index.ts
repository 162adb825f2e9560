// One implementation per entry of stdlib/signatures.ts DISTRIBUTIONS (kept one-to-one by
// test/stdlib/table.test.ts).
import type { DistImpl } from "./types.ts";
import { Normal } from "./normal.ts";
import { LogNormal } from "./lognormal.ts";
import { Exponential } from "./exponential.ts";
import { Gamma } from "./gamma.ts";
import { Beta } from "./beta.ts";
import { Uniform } from "./uniform.ts";
import { Bernoulli } from "./bernoulli.ts";
import { Categorical } from "./categorical.ts";
import { Poisson } from "./poisson.ts";
import { Binomial } from "./binomial.ts";
import { Dirichlet } from "./dirichlet.ts";
import { MvNormal } from "./mvnormal.ts";
import { StudentT } from "./studentt.ts";
import { Laplace } from "./laplace.ts";
import { Cauchy } from "./cauchy.ts";
import { HalfCauchy } from "./halfcauchy.ts";
import { HalfNormal } from "./halfnormal.ts";

export type { DistImpl } from "./types.ts";

export const DIST_IMPLS: Record<string, DistImpl> = Object.fromEntries(
  [Normal, LogNormal, Exponential, Gamma, Beta, Uniform, Bernoulli, Categorical, Poisson, Binomial, Dirichlet, MvNormal, StudentT, Laplace, Cauchy, HalfCauchy, HalfNormal].map((d) => [d.name, d]),
);

/** The parameter names each implementation reads (checked against the table in test/stdlib/table.test.ts). */
export const DIST_PARAMS: Record<string, readonly string[]> = {
  Normal: ["loc", "scale"],
  LogNormal: ["loc", "scale"],
  Exponential: ["rate"],
  Gamma: ["concentration", "rate"],
  Beta: ["alpha", "beta"],
  Uniform: ["low", "high"],
  Bernoulli: ["probs", "logits"],
  Categorical: ["probs", "logits"],
  Poisson: ["rate"],
  Binomial: ["total_count", "probs", "logits"],
  Dirichlet: ["concentration"],
  MvNormal: ["loc", "scale_diag", "cov"],
  StudentT: ["df", "loc", "scale"],
  Laplace: ["loc", "scale"],
  Cauchy: ["loc", "scale"],
  HalfCauchy: ["scale"],
  HalfNormal: ["scale"],
};
