// The ELBO gap log p(x) − ELBO ≈ KL(q ‖ p(z | x)), reported only when the evidence estimate
// behind it can be trusted: a Monte Carlo log p̂(x) with heavy-tailed weights (Pareto k̂ > 0.7) or
// a handful of effective samples is biased low by an unknown amount, and the "gap" it gives can
// be anything, negative included.

export interface GapEvidence {
  logMarginal: number;
  stderr: number;
  method: string;
  ess: number;
  khat: number;
  samples: number;
}

/** Fewer effective samples than this (for any data point) and the estimate is not used. */
const MIN_ESS = 10;

export function elboGap(ev: GapEvidence, elbo: { elbo: number; stderr: number }): { gap?: number; gapStderr?: number; warnings: string[] } {
  const warnings: string[] = [];
  if (ev.method !== "exact") {
    const why: string[] = [];
    // Heavy-tailed weights p/q (q lighter-tailed than the posterior somewhere): more draws converge too slowly to help.
    if (ev.khat > 0.7) why.push(`Pareto k̂ = ${ev.khat.toFixed(2)} > 0.7: the weights p/q are heavy-tailed, q is narrower than the posterior somewhere`);
    if (!(ev.ess >= Math.min(MIN_ESS, ev.samples / 10))) why.push(`effective sample size ${ev.ess.toFixed(1)} of ${ev.samples}: a few draws dominate`);
    if (why.length) {
      warnings.push(`no gap: the log p(x) estimate with the guide as proposal cannot be trusted (${why.join("; ")})`);
      return { warnings };
    }
  }
  const gap = ev.logMarginal - elbo.elbo;
  const gapStderr = Math.hypot(ev.stderr, elbo.stderr);
  if (gap < -3 * gapStderr) warnings.push(`the gap is negative beyond 3 standard errors: one of the two estimates is off (more samples would show which)`);
  return { gap, gapStderr, warnings };
}
