// The typed graph IR: what the checker lowers a model (and its guides) to, and what the
// backend compiles. Plain data, serializable, stable text dump in dump.ts.
// Nothing here imports syntax/ or TensorFlow.js.
import type { Span } from "../diagnostics/span.ts";
import type { Size, TensorType } from "./types.ts";

export type NodeKind = "data" | "latent" | "param" | "let" | "net";

interface NodeBase {
  name: string;
  type: TensorType;
  /** Names of the nodes this node's value or distribution reads. */
  parents: string[];
  /** Plates (index variable names, outermost first) the node's site sits in. */
  plates: string[];
  span?: Span;
}

export interface DataNode extends NodeBase {
  kind: "data";
  /** Entries given as null are latent and imputed. */
  missing: boolean;
}

export interface LatentNode extends NodeBase {
  kind: "latent";
  /** A finite discrete latent (binary, cat) that can be summed out exactly. */
  enumerable: boolean;
  /** Whether the axis 0 of the value is the data plate (a per-data-point, local latent). */
  local: boolean;
}

export interface ParamNode extends NodeBase {
  kind: "param";
  /** Initial value in the constrained space when the program gives one. */
  init?: IRExpr;
}

export interface LetNode extends NodeBase {
  kind: "let";
  value: IRExpr;
}

export type Activation = "identity" | "relu" | "tanh" | "sigmoid" | "softplus" | "exp";

export interface NetNode extends NodeBase {
  kind: "net";
  layer: "dense" | "mlp";
  /** Layer widths from input to output (`D -> 64 -> 2 * P` gives [D, 64, 2*P]). */
  sizes: Size[];
  /** Activation of the hidden layers (mlp) or of the single layer (dense). */
  activation: Activation;
  /** Activation of the output layer (mlp: identity unless `output = …` is given; dense: = activation). */
  outputActivation: Activation;
}

export type IRNode = DataNode | LatentNode | ParamNode | LetNode | NetNode;

// ---- expressions -------------------------------------------------------------------------

/** Every expression carries its per-iteration type (shape inside its plates). */
export type IRExpr =
  | { op: "const"; value: number | number[] | number[][]; type: TensorType }
  | { op: "ref"; name: string; type: TensorType }
  /** The integer value of a plate index variable used as a value (e.g. `w * n`). */
  | { op: "plateVar"; plate: string; type: TensorType }
  /** A stdlib function or an operator lowered to its stdlib name (`add`, `mul`, `exp`, `lt`, …). */
  | { op: "call"; fn: string; args: IRExpr[]; named?: Record<string, IRExpr>; type: TensorType }
  | { op: "net"; net: string; input: IRExpr; type: TensorType }
  | { op: "index"; target: IRExpr; indices: IRIndex[]; type: TensorType };

export type IRIndex =
  /** Index by the enclosing plate's variable: vectorizes the axis into the plate. */
  | { kind: "plate"; plate: string }
  /** Index by a computed integer tensor (e.g. `mu[z[n]]`): a gather. */
  | { kind: "tensor"; index: IRExpr }
  /** A constant position (`h[0]`). */
  | { kind: "at"; value: Size }
  /** `a:b`, `:b`, `a:`, `:`. */
  | { kind: "slice"; start?: Size; end?: Size };

// ---- statements --------------------------------------------------------------------------

export interface DistApp {
  /** Stdlib distribution name (`Normal`, `Bernoulli`, …). */
  dist: string;
  /** Arguments resolved to parameter names by the checker (positional and named alike). */
  args: Record<string, IRExpr>;
  span?: Span;
}

export type IRStmt =
  | { kind: "let"; name: string; span?: Span }
  /** `target[indices] ~ dist`: the site's value is node `target` (indexed by plate vars or whole). */
  | { kind: "sample"; target: string; indices: IRIndex[]; dist: DistApp; span?: Span }
  | { kind: "plate"; index: string; size: Size; body: IRStmt[]; span?: Span };

export interface GuideGraph {
  name: string;
  /** The model whose latents it covers. */
  model: string;
  /** The guide's own params, nets and lets (φ). */
  nodes: IRNode[];
  body: IRStmt[];
  span?: Span;
}

export interface ModelGraph {
  name: string;
  file: string;
  /** Values of `const` declarations. */
  consts: Record<string, number>;
  /** Size symbols that must be bound from data shapes or `--size` (e.g. N, D). */
  sizeSymbols: string[];
  /** The size symbol that counts data points (axis 0 of the data), if any. */
  dataPlate?: string;
  nodes: IRNode[];
  body: IRStmt[];
  guides: GuideGraph[];
  span?: Span;
}
