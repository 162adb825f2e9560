// Adam with tfjs' AdamOptimizer math (β1 0.9, β2 0.999, ε = the float32 backend epsilon 1e-7,
// bias correction by 1 − βᵗ at the t-th update), run where it is cheapest. tfjs' optimizer
// runs ~16 kernels per variable per step, each ~5–8 µs of engine overhead on WASM: for small
// variables (a GMM's θ and φ) the same update over typed arrays on the host costs a read of
// the gradient and one upload of the new value. Large variables (network weights) keep a
// 13-kernel tensor update, where the arithmetic, not the overhead, is the cost.
import { tf } from "./tf.ts";

export const ADAM = { beta1: 0.9, beta2: 0.999, epsilon: 1e-7 } as const;

/** Variables up to this many elements are updated on the host. */
export const HOST_ADAM_MAX = 1 << 14;

type Moment = Float32Array | tf.Variable;

export class HostAdam {
  /** Updates applied so far. */
  iterations = 0;
  private readonly m: Moment[];
  private readonly v: Moment[];
  /** What the last update changed, to take it back (a step that led to a non-finite objective). */
  private last: { iterations: number; inPlace: boolean; saved: { i: number; x: Float32Array | tf.Tensor; m: Float32Array | tf.Tensor; v: Float32Array | tf.Tensor; into?: Float32Array }[] } | undefined;

  /** `applyInPlace`'s copies of what it changes (for `undo`), allocated once: no per-step garbage. */
  private undoCopies: { x: Float32Array; m: Float32Array; v: Float32Array }[] | undefined;

  constructor(readonly vars: tf.Variable[]) {
    const make = (x: tf.Variable): Moment => (x.size <= HOST_ADAM_MAX ? new Float32Array(x.size) : tf.variable(tf.zeros(x.shape), false));
    this.m = vars.map(make);
    this.v = vars.map(make);
  }

  /** Whether variable i is updated on the host (then its gradient is read there). */
  onHost(i: number): boolean {
    return this.m[i] instanceof Float32Array;
  }

  /** Whether every variable is updated on the host (then `applyInPlace` can be used). */
  allOnHost(): boolean {
    return this.m.every((m) => m instanceof Float32Array);
  }

  /** Whether the last update (the one `undo` takes back) was `applyInPlace`'s: undoing it restores those arrays, not the variables. */
  get lastInPlace(): boolean {
    return !!this.last?.inPlace;
  }

  /** The moments of variable i as flat arrays (for saving a fit's state). */
  moments(i: number): { m: number[]; v: number[] } {
    const read = (x: Moment) => Array.from(x instanceof Float32Array ? x : x.dataSync());
    return { m: read(this.m[i]!), v: read(this.v[i]!) };
  }

  /** Restores the moments of variable i. */
  setMoments(i: number, m: ArrayLike<number>, v: ArrayLike<number>): void {
    const set = (x: Moment, a: ArrayLike<number>) => {
      if (x instanceof Float32Array) x.set(a);
      else tf.tidy(() => x.assign(tf.tensor(Float32Array.from(a), x.shape)));
    };
    set(this.m[i]!, m);
    set(this.v[i]!, v);
  }

  /**
   * One update: `grads[i]` is the gradient of `vars[i]`, host values for host variables and a
   * tensor otherwise (undefined: no gradient; that variable and its moments stay), at step
   * size `lr`. `ascend`: the gradients are of an objective to maximize (the moments stay those
   * of the loss, its negation, as tfjs' minimizing optimizer keeps them).
   */
  apply(grads: (Float32Array | tf.Tensor | undefined)[], lr: number, ascend = false): void {
    const { beta1: b1, beta2: b2, epsilon: eps } = ADAM;
    const t = this.iterations + 1;
    const c1 = 1 - Math.pow(b1, t);
    const c2 = 1 - Math.pow(b2, t);
    const sign = ascend ? -1 : 1;
    this.forgetLast();
    const saved: NonNullable<HostAdam["last"]>["saved"] = [];
    this.vars.forEach((variable, i) => {
      const g = grads[i];
      if (!g) return;
      const m = this.m[i]!;
      const v = this.v[i]!;
      // Host variables: copies of a few numbers; others: device copies (no sync).
      if (m instanceof Float32Array && v instanceof Float32Array) {
        const gs = g instanceof Float32Array ? g : (g.dataSync() as Float32Array);
        const x = variable.dataSync() as Float32Array; // on the cpu backend: its own buffer, so written to a fresh array
        saved.push({ i, x, m: m.slice(), v: v.slice() });
        const out = new Float32Array(x.length);
        hostUpdate(x, out, gs, m, v, sign, lr / c1, 1 / Math.sqrt(c2), eps);
        tf.tidy(() => variable.assign(tf.tensor(out, variable.shape, "float32")));
        return;
      }
      saved.push({ i, x: tf.keep(variable.clone()), m: tf.keep((m as tf.Variable).clone()), v: tf.keep((v as tf.Variable).clone()) });
      tf.tidy(() => {
        const gt = g instanceof Float32Array ? tf.tensor(g, variable.shape) : g;
        const mv = m as tf.Variable;
        const vv = v as tf.Variable;
        const newM = tf.add(tf.mul(mv, b1), tf.mul(gt, sign * (1 - b1)));
        const newV = tf.add(tf.mul(vv, b2), tf.mul(tf.square(gt), 1 - b2));
        mv.assign(newM);
        vv.assign(newV);
        // x − lr · (m / c1) / (√(v / c2) + ε)
        const step = tf.div(newM, tf.add(tf.mul(tf.sqrt(newV), 1 / Math.sqrt(c2)), eps));
        variable.assign(tf.sub(variable, tf.mul(step, lr / c1)));
      });
    });
    this.last = { iterations: this.iterations, inPlace: false, saved };
    this.iterations = t;
  }

  /**
   * The same update (all variables on the host) applied to `xs`, the variables' current values
   * kept on the host by the caller, in place: the variables themselves are not written (no
   * read and upload per step; the caller writes them when something else needs them).
   */
  applyInPlace(grads: readonly Float32Array[], xs: readonly Float32Array[], lr: number, ascend = false): void {
    const { beta1: b1, beta2: b2, epsilon: eps } = ADAM;
    const t = this.iterations + 1;
    const lrc1 = lr / (1 - Math.pow(b1, t));
    const rc2 = 1 / Math.sqrt(1 - Math.pow(b2, t));
    const sign = ascend ? -1 : 1;
    this.forgetLast();
    const saved: NonNullable<HostAdam["last"]>["saved"] = [];
    const copies = (this.undoCopies ??= xs.map((x) => ({ x: new Float32Array(x.length), m: new Float32Array(x.length), v: new Float32Array(x.length) })));
    for (let i = 0; i < xs.length; i++) {
      const m = this.m[i] as Float32Array, v = this.v[i] as Float32Array, x = xs[i]!, c = copies[i]!;
      c.x.set(x);
      c.m.set(m);
      c.v.set(v);
      saved.push({ i, x: c.x, m: c.m, v: c.v, into: x });
      hostUpdate(x, x, grads[i]!, m, v, sign, lrc1, rc2, eps);
    }
    this.last = { iterations: this.iterations, inPlace: true, saved };
    this.iterations = t;
  }

  /** Takes the last update back: the variables, the moments and the step count as they were before it. Returns whether there was one. */
  undo(): boolean {
    const last = this.last;
    if (!last) return false;
    for (const { i, x, m, v, into } of last.saved) {
      const variable = this.vars[i]!;
      if (into) into.set(x as Float32Array);
      else tf.tidy(() => variable.assign(x instanceof Float32Array ? tf.tensor(x, variable.shape, "float32") : x));
      this.setMoments(i, m instanceof Float32Array ? m : (m.dataSync() as Float32Array), v instanceof Float32Array ? v : (v.dataSync() as Float32Array));
    }
    this.iterations = last.iterations;
    this.forgetLast();
    return true;
  }

  private forgetLast(): void {
    for (const s of this.last?.saved ?? []) for (const t of [s.x, s.m, s.v]) if (!(t instanceof Float32Array)) t.dispose();
    this.last = undefined;
  }

  dispose(): void {
    this.forgetLast();
    for (const x of [...this.m, ...this.v]) if (!(x instanceof Float32Array)) x.dispose();
  }
}

/** Adam's update of one host variable: `out` (may be `x` itself) gets the new values of `x`; the moments are updated in place. */
function hostUpdate(x: Float32Array, out: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array, sign: number, lrc1: number, rc2: number, eps: number): void {
  const { beta1: b1, beta2: b2 } = ADAM;
  for (let j = 0; j < x.length; j++) {
    const gj = sign * g[j]!;
    const mj = b1 * m[j]! + (1 - b1) * gj;
    const vj = b2 * v[j]! + (1 - b2) * gj * gj;
    m[j] = mj;
    v[j] = vj;
    out[j] = x[j]! - (lrc1 * mj) / (Math.sqrt(vj) * rc2 + eps);
  }
}
