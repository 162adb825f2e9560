// The explicit parameter store: every learnable value (model θ, guide φ, net weights) lives here
// as an unconstrained tf.Variable, initialized from a seed; constrained values are derived.
import type { Support } from "../ir/types.ts";
import { tf } from "./tf.ts";
import { bijectorFor, type Bijector } from "./bijectors.ts";
import { Rng } from "./random.ts";
import { RuntimeError } from "./runtime-error.ts";
import { counted } from "../diagnostics/count.ts";

export type Owner = "model" | string; // "model" or a guide's name

export interface ParamEntry {
  name: string;
  owner: Owner;
  support: Support;
  /** Constrained shape. */
  shape: number[];
  bijector: Bijector;
  variable: tf.Variable;
}

export type Nested = number | Nested[];

let nextId = 0; // tfjs variable names must be unique per process

function toNested(t: tf.Tensor): Nested {
  return t.arraySync() as Nested;
}

function flatten(x: unknown, out: number[] = []): number[] {
  if (Array.isArray(x)) for (const y of x) flatten(y, out);
  else out.push(Number(x));
  return out;
}

export class ParamStore {
  readonly entries = new Map<string, ParamEntry>();
  /** Loaded values whose params do not exist yet (sizes unbound, or a generated guide not yet made): applied when they are created. */
  private readonly pending = new Map<string, unknown>();
  /** Keys of every value loaded (from a file or the API), created yet or not. */
  private readonly loadedKeys = new Set<string>();

  /** Key of a param: model params by name, guide params as `Guide.name`. */
  static key(owner: Owner, name: string): string {
    return owner === "model" ? name : `${owner}.${name}`;
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  /** The keys of the values loaded so far (not those only initialized or trained). */
  loaded(): ReadonlySet<string> {
    return this.loadedKeys;
  }

  /** Adds a param initialized at a constrained value `init` (a tensor of the constrained shape). */
  add(owner: Owner, name: string, support: Support, shape: number[], init: tf.Tensor): ParamEntry {
    const key = ParamStore.key(owner, name);
    const bijector = bijectorFor(support);
    const u = tf.tidy(() => bijector.inverse(init));
    const entry: ParamEntry = { name, owner, support, shape, bijector, variable: tf.variable(u, true, `${key}#${nextId++}`) };
    u.dispose();
    this.entries.get(key)?.variable.dispose();
    this.entries.set(key, entry);
    if (this.pending.has(key)) {
      // A value loaded before its param existed (a generated guide's, or sizes unbound then).
      const value = this.pending.get(key);
      this.pending.delete(key);
      const problem = this.assign(entry, key, value);
      if (problem) throw new RuntimeError("D033", `${problem}, as created here`, "the params were saved for other sizes or another guide; give matching params or leave this one out");
    }
    return entry;
  }

  /** The default initial value of a param of this support and shape. */
  static defaultInit(support: Support, shape: number[], rng: Rng): tf.Tensor {
    return tf.tidy(() => {
      switch (support) {
        case "positive":
          return tf.ones(shape);
        case "unit":
          return tf.fill(shape, 0.5);
        case "simplex":
          return tf.div(tf.ones(shape), shape[shape.length - 1] ?? 1);
        default:
          return tf.randomNormal(shape, 0, 1, "float32", rng.next());
      }
    });
  }

  /** Constrained value (differentiable w.r.t. the variable). Call inside tf.tidy. */
  constrained(key: string): tf.Tensor {
    const e = this.entries.get(key);
    if (!e) throw new Error(`no param ${key}`);
    return e.bijector.forward(e.variable);
  }

  variables(owner?: (o: Owner) => boolean): tf.Variable[] {
    return [...this.entries.values()].filter((e) => !owner || owner(e.owner)).map((e) => e.variable);
  }

  /** Constrained values as nested arrays, by key (of the owners chosen, default all). */
  toJSON(owner?: (o: Owner) => boolean): Record<string, Nested> {
    const out: Record<string, Nested> = {};
    for (const [key, e] of this.entries) if (!owner || owner(e.owner)) out[key] = tf.tidy(() => toNested(e.bijector.forward(e.variable)));
    return out;
  }

  /**
   * Loads constrained values by key: nested arrays (as `toJSON` writes them), or flat float32
   * arrays already checked against the model (src/data/params.ts). Returns problems (wrong
   * sizes, values outside the support) instead of throwing; keys of params not created yet are
   * kept and applied on creation, where a misfit is an error.
   */
  load(values: Record<string, unknown> | ReadonlyMap<string, { data: Float32Array }>): string[] {
    const problems: string[] = [];
    const entries: [string, unknown][] = values instanceof Map ? [...values].map(([k, v]) => [k, v.data]) : Object.entries(values);
    for (const [key, raw] of entries) {
      this.loadedKeys.add(key);
      const e = this.entries.get(key);
      if (!e) {
        this.pending.set(key, raw);
        continue;
      }
      const problem = this.assign(e, key, raw);
      if (problem) problems.push(problem);
    }
    return problems;
  }

  private assign(e: ParamEntry, key: string, raw: unknown): string | undefined {
    const flat = raw instanceof Float32Array ? raw : flatten(raw);
    const n = e.shape.reduce((a, b) => a * b, 1);
    if (flat.length !== n) return `param \`${key}\` has ${counted(flat.length, "value")}; expected ${n} (shape [${e.shape.join(", ")}])`;
    const u = tf.tidy(() => e.bijector.inverse(tf.tensor(flat, e.shape)));
    const finite = u.size === 0 || tf.tidy(() => tf.all(tf.isFinite(u)).dataSync()[0] === 1);
    if (!finite) {
      u.dispose();
      return `param \`${key}\` has values outside its support (${e.support})`;
    }
    e.variable.assign(u);
    u.dispose();
    return undefined;
  }

  /** Copies of the unconstrained values (to keep the best parameters of a fit). */
  snapshot(): Map<string, Float32Array> {
    const out = new Map<string, Float32Array>();
    for (const [key, e] of this.entries) out.set(key, e.variable.dataSync().slice() as Float32Array);
    return out;
  }

  restore(snap: Map<string, Float32Array>): void {
    for (const [key, data] of snap) {
      const e = this.entries.get(key);
      if (e) tf.tidy(() => e.variable.assign(tf.tensor(data, e.variable.shape)));
    }
  }

  dispose(): void {
    for (const e of this.entries.values()) e.variable.dispose();
    this.entries.clear();
  }
}

export type { Bijector };
