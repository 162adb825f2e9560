// Log-densities of the covered stdlib distributions at one element, and their partial
// derivatives w.r.t. each argument, as code over the arguments' already-computed values.
// Same formulas as src/backend/distributions (e.g. Bernoulli's 0·log 0 = 0).

export interface DensityCode {
  /** Lines computing the log-density into the local named by `out`. */
  lines: string[];
  /** ∂logp/∂arg as an expression, per argument name. */
  partial: Record<string, string>;
}

const HALF_LOG_2PI = JSON.stringify(0.5 * Math.log(2 * Math.PI));

/** `x` is the value's code; `a` maps argument names to the locals holding their values; `t` makes fresh names. */
export function emitDensity(dist: string, x: string, a: Record<string, string>, out: string, t: (p: string) => string): DensityCode {
  switch (dist) {
    case "Normal": {
      const z = t("z");
      return {
        lines: [`const ${z} = (${x} - ${a.loc}) / ${a.scale};`, `const ${out} = -0.5 * ${z} * ${z} - Math.log(${a.scale}) - ${HALF_LOG_2PI};`],
        partial: { loc: `${z} / ${a.scale}`, scale: `(${z} * ${z} - 1) / ${a.scale}` },
      };
    }
    case "Bernoulli":
      return {
        lines: [`const ${out} = ${x} === 1 ? Math.log(${a.probs}) : ${x} === 0 ? Math.log1p(-${a.probs}) : -Infinity;`],
        partial: { probs: `(${x} === 1 ? 1 / ${a.probs} : -1 / (1 - ${a.probs}))` },
      };
    case "Categorical":
      // The probs expression is emitted at element index k, so a.probs is probs[k].
      return { lines: [`const ${out} = Math.log(${a.probs});`], partial: { probs: `1 / ${a.probs}` } };
    case "Poisson":
      return {
        lines: [`const ${out} = ${x} * Math.log(${a.rate}) - ${a.rate} - logGamma(${x} + 1);`],
        partial: { rate: `${x} / ${a.rate} - 1` },
      };
    case "Exponential":
      return {
        lines: [`const ${out} = ${x} >= 0 ? Math.log(${a.rate}) - ${a.rate} * ${x} : -Infinity;`],
        partial: { rate: `1 / ${a.rate} - ${x}` },
      };
    default:
      throw new Error(`internal: distribution ${dist} reached the emitter`);
  }
}
