// Log-densities of the covered stdlib distributions at one element, and their partial
// derivatives w.r.t. each argument, as code over the arguments' already-computed values.
// Same formulas as src/backend/distributions (e.g. Bernoulli's 0·log 0 = 0).
import { digammaHost, logGamma } from "../backend/log-gamma.ts";

export interface DensityCode {
  /** Lines both passes need (shared intermediates). */
  shared: string[];
  /** Lines computing the log-density into the local named by `out` (forward pass only). */
  lines: string[];
  /** ∂logp/∂arg as an expression, per argument name. */
  partial: Record<string, string>;
  /** ∂logp/∂value as an expression, for continuous distributions (a latent's prior site differentiates its value). */
  dvalue?: string;
}

/** Distributions whose value is continuous: their sites can score a latent on the unconstrained space. */
export const CONTINUOUS_DISTS = ["Normal", "Exponential", "HalfCauchy", "Cauchy", "HalfNormal", "Beta", "Gamma", "StudentT", "LogNormal", "Laplace"] as const;

const HALF_LOG_2PI = JSON.stringify(0.5 * Math.log(2 * Math.PI));

/** f(a + b), folded when both are constants. */
const sum = (a: string, b: string, f: (code: string) => string) => {
  const x = constOf(a), y = constOf(b);
  return f(x !== undefined && y !== undefined ? `(${JSON.stringify(x + y)})` : `(${a} + ${b})`);
};
/** f((ν + plus) / 2), folded when ν is a constant. */
const half = (nu: string, plus: number, f: (code: string) => string) => {
  const v = constOf(nu);
  return f(v !== undefined ? `(${JSON.stringify(0.5 * (v + plus))})` : `(0.5 * (${nu} + ${plus}))`);
};

/** The number a constant's code stands for (emit-expr writes constants as `(JSON)`), else undefined. */
function constOf(code: string): number | undefined {
  const m = /^\((-?[0-9.eE+-]+)\)$/.exec(code);
  return m ? Number(m[1]) : undefined;
}
/** Code for f(code), computed now when the argument is a constant (not once per data point). */
const folded = (f: (v: number) => number, name: string) => (code: string): string => {
  const v = constOf(code);
  return v !== undefined && Number.isFinite(f(v)) ? `(${JSON.stringify(f(v))})` : `${name}(${code})`;
};
const lgamma = folded(logGamma, "logGamma");
const psi = folded(digammaHost, "digamma");
const log1m = (code: string): string => {
  const v = constOf(code);
  return v !== undefined && v < 1 ? `(${JSON.stringify(Math.log1p(-v))})` : `Math.log1p(-${code})`;
};
const LOG_PI = JSON.stringify(Math.log(Math.PI));
const LOG_2_OVER_PI = JSON.stringify(Math.log(2 / Math.PI));
const HALF_LOG_2_OVER_PI = JSON.stringify(0.5 * Math.log(2 / Math.PI));

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
        dvalue: `-${z} * ${r}`,
      };
    }
    case "Bernoulli":
      return {
        shared: [],
        lines: [`const ${out} = ${x} === 1 ? ${log("probs")} : ${x} === 0 ? ${log1m(a.probs!)} : -Infinity;`],
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
        dvalue: `-${a.rate}`,
      };
    case "LogNormal": {
      // Normal(loc, scale) at log x, minus log x, on x > 0.
      const lx = t("lx"), r = t("r"), z = t("z");
      return {
        shared: [`const ${lx} = Math.log(${x});`, `const ${r} = ${over("scale")};`, `const ${z} = (${lx} - ${a.loc}) * ${r};`],
        lines: [`const ${out} = ${x} > 0 ? -0.5 * ${z} * ${z} - ${log("scale")} - ${HALF_LOG_2PI} - ${lx} : -Infinity;`],
        partial: { loc: `${z} * ${r}`, scale: `(${z} * ${z} - 1) * ${r}` },
        dvalue: `-(1 + ${z} * ${r}) / ${x}`,
      };
    }
    case "Laplace": {
      // −|x − μ|/b − log 2b; the derivative of |·| at 0 taken as 0, as tfjs' abs.
      const d = t("d"), r = t("r"), sg = t("sg");
      return {
        shared: [`const ${d} = ${x} - ${a.loc};`, `const ${r} = ${over("scale")};`, `const ${sg} = Math.sign(${d});`],
        lines: [`const ${out} = -Math.abs(${d}) * ${r} - ${log("scale")} - ${JSON.stringify(Math.log(2))};`],
        partial: { loc: `${sg} * ${r}`, scale: `(Math.abs(${d}) * ${r} - 1) * ${r}` },
        dvalue: `-${sg} * ${r}`,
      };
    }
    case "HalfCauchy": {
      // log 2 − log π − log σ − log1p(z²), z = x/σ, on x ≥ 0.
      const r = t("r"), z = t("z"), q = t("q");
      return {
        shared: [`const ${r} = ${over("scale")};`, `const ${z} = ${x} * ${r};`, `const ${q} = 1 + ${z} * ${z};`],
        lines: [`const ${out} = ${x} >= 0 ? ${LOG_2_OVER_PI} - ${log("scale")} - Math.log1p(${z} * ${z}) : -Infinity;`],
        partial: { scale: `(${z} * ${z} - 1) * ${r} / ${q}` },
        dvalue: `-2 * ${z} * ${r} / ${q}`,
      };
    }
    case "Cauchy": {
      // −log π − log σ − log1p(z²), z = (x − μ)/σ.
      const r = t("r"), z = t("z"), q = t("q");
      return {
        shared: [`const ${r} = ${over("scale")};`, `const ${z} = (${x} - ${a.loc}) * ${r};`, `const ${q} = 1 + ${z} * ${z};`],
        lines: [`const ${out} = -${LOG_PI} - ${log("scale")} - Math.log1p(${z} * ${z});`],
        partial: { loc: `2 * ${z} * ${r} / ${q}`, scale: `(${z} * ${z} - 1) * ${r} / ${q}` },
        dvalue: `-2 * ${z} * ${r} / ${q}`,
      };
    }
    case "HalfNormal": {
      // ½ log(2/π) − log σ − z²/2, z = x/σ, on x ≥ 0.
      const r = t("r"), z = t("z");
      return {
        shared: [`const ${r} = ${over("scale")};`, `const ${z} = ${x} * ${r};`],
        lines: [`const ${out} = ${x} >= 0 ? ${HALF_LOG_2_OVER_PI} - ${log("scale")} - 0.5 * ${z} * ${z} : -Infinity;`],
        partial: { scale: `(${z} * ${z} - 1) * ${r}` },
        dvalue: `-${z} * ${r}`,
      };
    }
    case "Beta": {
      // (α−1) log x + (β−1) log(1−x) − log B(α, β) on [0, 1], with 0 · log 0 = 0 as in the tfjs density.
      const am = t("am"), bm = t("bm");
      return {
        shared: [`const ${am} = ${a.alpha} - 1, ${bm} = ${a.beta} - 1;`],
        lines: [
          `const ${out} = ${x} >= 0 && ${x} <= 1 ? (${am} === 0 ? 0 : ${am} * Math.log(${x})) + (${bm} === 0 ? 0 : ${bm} * Math.log1p(-${x})) - ${lgamma(a.alpha!)} - ${lgamma(a.beta!)} + ${sum(a.alpha!, a.beta!, lgamma)} : -Infinity;`,
        ],
        partial: {
          alpha: `Math.log(${x}) - ${psi(a.alpha!)} + ${sum(a.alpha!, a.beta!, psi)}`,
          beta: `Math.log1p(-${x}) - ${psi(a.beta!)} + ${sum(a.alpha!, a.beta!, psi)}`,
        },
        dvalue: `(${am} === 0 ? 0 : ${am} / ${x}) - (${bm} === 0 ? 0 : ${bm} / (1 - ${x}))`,
      };
    }
    case "Gamma": {
      // α log β + (α−1) log x − β x − log Γ(α) on x ≥ 0.
      const am = t("am");
      return {
        shared: [`const ${am} = ${a.concentration} - 1;`],
        lines: [`const ${out} = ${x} >= 0 ? ${a.concentration} * ${log("rate")} + (${am} === 0 ? 0 : ${am} * Math.log(${x})) - ${a.rate} * ${x} - ${lgamma(a.concentration!)} : -Infinity;`],
        partial: { concentration: `${log("rate")} + Math.log(${x}) - ${psi(a.concentration!)}`, rate: `${a.concentration} / ${a.rate} - ${x}` },
        dvalue: `(${am} === 0 ? 0 : ${am} / ${x}) - ${a.rate}`,
      };
    }
    case "StudentT": {
      // log Γ((ν+1)/2) − log Γ(ν/2) − ½ log(νπ) − log σ − (ν+1)/2 · log1p(z²/ν), z = (x − μ)/σ.
      const r = t("r"), z = t("z"), c = t("c");
      const nu = a.df;
      return {
        shared: [`const ${r} = ${over("scale")};`, `const ${z} = (${x} - ${a.loc}) * ${r};`, `const ${c} = (${nu} + 1) / (${nu} + ${z} * ${z});`],
        lines: [`const ${out} = ${half(nu!, 1, lgamma)} - ${half(nu!, 0, lgamma)} - 0.5 * (${log("df")} + ${LOG_PI}) - ${log("scale")} - 0.5 * (${nu} + 1) * Math.log1p(${z} * ${z} / ${nu});`],
        partial: {
          df: `0.5 * (${half(nu!, 1, psi)} - ${half(nu!, 0, psi)} - 1 / ${nu} - Math.log1p(${z} * ${z} / ${nu}) + ${c} * ${z} * ${z} / ${nu})`,
          loc: `${c} * ${z} * ${r}`,
          scale: `(${c} * ${z} * ${z} - 1) * ${r}`,
        },
        dvalue: `-${c} * ${z} * ${r}`,
      };
    }
    default:
      throw new Error(`internal: distribution ${dist} reached the emitter`);
  }
}
