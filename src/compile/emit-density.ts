// Log-densities of the covered stdlib distributions at one element, and their partial
// derivatives w.r.t. each argument, as code over the arguments' already-computed values.
// Same formulas as src/backend/distributions (e.g. Bernoulli's 0·log 0 = 0).

export interface DensityCode {
  /** Lines both passes need (shared intermediates). */
  shared: string[];
  /** Lines computing the log-density into the local named by `out` (forward pass only). */
  lines: string[];
  /** ∂logp/∂arg as an expression, per argument name. */
  partial: Record<string, string>;
}

const HALF_LOG_2PI = JSON.stringify(0.5 * Math.log(2 * Math.PI));

/**
 * `x` is the value's code; `a` maps argument names to the locals holding their values, `logOf`
 * and `recipOf` to cheaper code for their logs and reciprocals where there is some; `t` makes
 * fresh names.
 */
export function emitDensity(dist: string, x: string, a: Record<string, string>, logOf: Record<string, string | undefined>, recipOf: Record<string, string | undefined>, out: string, t: (p: string) => string): DensityCode {
  const log = (name: string) => logOf[name] ?? `Math.log(${a[name]})`;
  const over = (name: string) => recipOf[name] ?? `(1 / ${a[name]})`;
  switch (dist) {
    case "Normal": {
      const z = t("z"), r = t("r");
      return {
        shared: [`const ${r} = ${over("scale")};`, `const ${z} = (${x} - ${a.loc}) * ${r};`],
        lines: [`const ${out} = -0.5 * ${z} * ${z} - ${log("scale")} - ${HALF_LOG_2PI};`],
        partial: { loc: `${z} * ${r}`, scale: `(${z} * ${z} - 1) * ${r}` },
      };
    }
    case "Bernoulli":
      return {
        shared: [],
        lines: [`const ${out} = ${x} === 1 ? ${log("probs")} : ${x} === 0 ? Math.log1p(-${a.probs}) : -Infinity;`],
        partial: { probs: `(${x} === 1 ? 1 / ${a.probs} : -1 / (1 - ${a.probs}))` },
      };
    case "Categorical":
      // The probs expression is emitted at element index k, so a.probs is probs[k].
      return { shared: [], lines: [`const ${out} = ${log("probs")};`], partial: { probs: over("probs") } };
    case "Poisson":
      return {
        shared: [],
        lines: [`const ${out} = ${x} * ${log("rate")} - ${a.rate} - logGamma(${x} + 1);`],
        partial: { rate: `${x} / ${a.rate} - 1` },
      };
    case "Exponential":
      return {
        shared: [],
        lines: [`const ${out} = ${x} >= 0 ? ${log("rate")} - ${a.rate} * ${x} : -Infinity;`],
        partial: { rate: `1 / ${a.rate} - ${x}` },
      };
    default:
      throw new Error(`internal: distribution ${dist} reached the emitter`);
  }
}
