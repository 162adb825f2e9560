// The one table of what a .lvm file can call by name. The checker reads it; the backend
// registers one implementation per entry (test/stdlib/table.test.ts keeps them one-to-one).
import type { Support } from "../src/ir/types.ts";

/** What a distribution parameter must satisfy. `posdef`: symmetric positive-definite matrix. */
export type Constraint = Support | "posdef";

export interface DistParamSig {
  name: string;
  constraint: Constraint;
  /** Rank of the parameter's event part: 0 scalar, 1 vector (probs, loc of MvNormal), 2 matrix (cov). */
  eventRank: number;
  /** Default value when omitted; a parameter without one is required (unless in a `oneOf` group). */
  default?: number;
}

export interface DistributionSig {
  name: string;
  params: DistParamSig[];
  /** Groups of alternative parameterizations: exactly one of each group is given (probs | logits). */
  oneOf?: string[][];
  /** Support of a draw. For `cat` the number of categories is the last axis of `probs`/`logits`. */
  support: Support;
  /** Rank of one draw's event: 0 for scalar distributions, 1 for Dirichlet and MvNormal. */
  eventRank: number;
  /** Has a reparameterized sampler (pathwise gradient). */
  reparameterized: boolean;
  doc: string;
}

const p = (name: string, constraint: Constraint, eventRank = 0, def?: number): DistParamSig =>
  def === undefined ? { name, constraint, eventRank } : { name, constraint, eventRank, default: def };

export const DISTRIBUTIONS: readonly DistributionSig[] = [
  { name: "Normal", params: [p("loc", "real"), p("scale", "positive")], support: "real", eventRank: 0, reparameterized: true, doc: "Gaussian with mean `loc` and standard deviation `scale`." },
  { name: "LogNormal", params: [p("loc", "real"), p("scale", "positive")], support: "positive", eventRank: 0, reparameterized: true, doc: "exp of a Normal(loc, scale)." },
  { name: "Exponential", params: [p("rate", "positive")], support: "positive", eventRank: 0, reparameterized: true, doc: "Exponential with rate λ (mean 1/λ)." },
  { name: "Gamma", params: [p("concentration", "positive"), p("rate", "positive")], support: "positive", eventRank: 0, reparameterized: false, doc: "Gamma with shape α and rate β (mean α/β)." },
  { name: "Beta", params: [p("alpha", "positive"), p("beta", "positive")], support: "unit", eventRank: 0, reparameterized: false, doc: "Beta(α, β) on (0, 1)." },
  { name: "Uniform", params: [p("low", "real", 0, 0), p("high", "real", 0, 1)], support: "real", eventRank: 0, reparameterized: true, doc: "Uniform on (low, high); defaults to (0, 1)." },
  { name: "Bernoulli", params: [p("probs", "unit"), p("logits", "real")], oneOf: [["probs", "logits"]], support: "binary", eventRank: 0, reparameterized: false, doc: "A coin: P(1) = probs = sigmoid(logits)." },
  { name: "Categorical", params: [p("probs", "simplex", 1), p("logits", "real", 1)], oneOf: [["probs", "logits"]], support: "cat", eventRank: 0, reparameterized: false, doc: "One of K categories 0…K-1, with probabilities `probs` (last axis) or softmax(`logits`)." },
  { name: "Poisson", params: [p("rate", "positive")], support: "count", eventRank: 0, reparameterized: false, doc: "Counts with mean `rate`." },
  { name: "Binomial", params: [p("total_count", "count"), p("probs", "unit"), p("logits", "real")], oneOf: [["probs", "logits"]], support: "count", eventRank: 0, reparameterized: false, doc: "Successes in `total_count` trials with success probability `probs` (or sigmoid(`logits`))." },
  { name: "Dirichlet", params: [p("concentration", "positive", 1)], support: "simplex", eventRank: 1, reparameterized: false, doc: "Distribution over the simplex with concentration vector α (last axis)." },
  { name: "MvNormal", params: [p("loc", "real", 1), p("scale_diag", "positive", 1), p("cov", "posdef", 2)], oneOf: [["scale_diag", "cov"]], support: "real", eventRank: 1, reparameterized: true, doc: "Multivariate Gaussian over the last axis, with diagonal scale `scale_diag` or full covariance `cov`." },
  { name: "StudentT", params: [p("df", "positive"), p("loc", "real", 0, 0), p("scale", "positive", 0, 1)], support: "real", eventRank: 0, reparameterized: false, doc: "Student's t with `df` degrees of freedom, location and scale." },
  { name: "Laplace", params: [p("loc", "real"), p("scale", "positive")], support: "real", eventRank: 0, reparameterized: true, doc: "Double exponential with location and scale." },
  { name: "Cauchy", params: [p("loc", "real"), p("scale", "positive")], support: "real", eventRank: 0, reparameterized: true, doc: "Cauchy (Student's t with one degree of freedom) with location and scale; no mean." },
  { name: "HalfCauchy", params: [p("scale", "positive")], support: "positive", eventRank: 0, reparameterized: true, doc: "|Cauchy(0, scale)|: a weakly informative prior for scales (Gelman 2006)." },
  { name: "HalfNormal", params: [p("scale", "positive")], support: "positive", eventRank: 0, reparameterized: true, doc: "|Normal(0, scale)|." },
];

/** How a function's result shape follows from its arguments' shapes. */
export type ShapeRule =
  | "elementwise" // broadcast all arguments (numpy rules)
  | "reduce" // sum/mean/logsumexp: optional `axis` (default: all axes → scalar)
  | "softmax" // same shape, normalized over the last axis
  | "matmul" // [..., a, b] × [..., b, c] → [..., a, c]; vector operands as in numpy
  | "dot" // inner product over the last axis
  | "transpose" // reverses the last two axes
  | "concat"; // joins along `axis` (default last)

export interface FunctionSig {
  name: string;
  /** Minimum and maximum number of positional tensor arguments. */
  arity: [number, number];
  shape: ShapeRule;
  /** Support of the result: fixed, or "same" as the (first) argument. */
  result: Support | "same";
  /** Constraint on every argument (e.g. log needs positive). */
  argConstraint?: Support;
  doc: string;
}

const f = (name: string, arity: [number, number], shape: ShapeRule, result: FunctionSig["result"], doc: string, argConstraint?: Support): FunctionSig =>
  argConstraint ? { name, arity, shape, result, doc, argConstraint } : { name, arity, shape, result, doc };

export const FUNCTIONS: readonly FunctionSig[] = [
  f("exp", [1, 1], "elementwise", "positive", "e^x"),
  f("log", [1, 1], "elementwise", "real", "natural logarithm", "positive"),
  f("log1p", [1, 1], "elementwise", "real", "log(1 + x), accurate near 0"),
  f("sqrt", [1, 1], "elementwise", "positive", "square root", "positive"),
  f("pow", [2, 2], "elementwise", "real", "x^y"),
  f("abs", [1, 1], "elementwise", "positive", "|x|"),
  f("square", [1, 1], "elementwise", "positive", "x²"),
  f("sigmoid", [1, 1], "elementwise", "unit", "1 / (1 + e^-x)"),
  f("logit", [1, 1], "elementwise", "real", "log(p / (1 - p))", "unit"),
  f("softplus", [1, 1], "elementwise", "positive", "log(1 + e^x)"),
  f("tanh", [1, 1], "elementwise", "real", "hyperbolic tangent"),
  f("relu", [1, 1], "elementwise", "real", "max(x, 0)"),
  f("min", [2, 2], "elementwise", "same", "elementwise minimum"),
  f("max", [2, 2], "elementwise", "same", "elementwise maximum"),
  f("softmax", [1, 1], "softmax", "simplex", "normalizes the last axis to a simplex"),
  f("log_softmax", [1, 1], "softmax", "real", "log of softmax over the last axis"),
  f("logsumexp", [1, 1], "reduce", "real", "log Σ e^x, stable; over `axis` or all axes"),
  f("sum", [1, 1], "reduce", "same", "sum over `axis` or all axes"),
  f("mean", [1, 1], "reduce", "real", "mean over `axis` or all axes"),
  f("matmul", [2, 2], "matmul", "real", "matrix product"),
  f("dot", [2, 2], "dot", "real", "inner product over the last axis"),
  f("transpose", [1, 1], "transpose", "same", "swaps the last two axes"),
  f("concat", [2, 8], "concat", "same", "joins tensors along `axis` (default last)"),
];

/** Arithmetic and comparison operators lower to these stdlib names (all elementwise). */
export const OPERATORS: Readonly<Record<string, string>> = {
  "+": "add", "-": "sub", "*": "mul", "/": "div", "^": "pow",
  "==": "eq", "!=": "ne", "<": "lt", "<=": "le", ">": "gt", ">=": "ge",
  "&&": "and", "||": "or", "neg": "neg", "!": "not",
};

export interface LayerSig {
  name: "dense" | "mlp";
  /** Minimum number of sizes in the arrow (`P -> D`: 2). */
  minSizes: number;
  maxSizes: number;
  doc: string;
}

export const LAYERS: readonly LayerSig[] = [
  { name: "dense", minSizes: 2, maxSizes: 2, doc: "`dense(IN -> OUT, act)`: act(W x + b)." },
  { name: "mlp", minSizes: 2, maxSizes: 16, doc: "`mlp(IN -> H1 -> … -> OUT, act, output = act2)`: hidden layers use act, the output layer act2 (identity by default)." },
];

export const ACTIVATIONS = ["identity", "relu", "tanh", "sigmoid", "softplus", "exp"] as const;

export const distributionByName = new Map(DISTRIBUTIONS.map((d) => [d.name, d]));
export const functionByName = new Map(FUNCTIONS.map((d) => [d.name, d]));
export const layerByName = new Map(LAYERS.map((d) => [d.name, d]));
