// Adam on the host: tfjs' `tf.train.adam` runs ~16 kernels per variable per step (each ~5–8 µs
// of engine overhead on WASM); the same update over typed arrays costs a read of the gradient
// and one upload of the new value. Same math as tfjs' AdamOptimizer (β1 0.9, β2 0.999,
// ε = the float32 backend epsilon 1e-7, bias correction by 1 − βᵗ at the t-th update), in
// float64 arithmetic stored as float32.
import { tf } from "../backend/tf.ts";

export const ADAM = { beta1: 0.9, beta2: 0.999, epsilon: 1e-7 } as const;

export class HostAdam {
  /** Updates applied so far. */
  iterations = 0;
  readonly m: Float32Array[];
  readonly v: Float32Array[];

  constructor(readonly vars: tf.Variable[]) {
    this.m = vars.map((x) => new Float32Array(x.size));
    this.v = vars.map((x) => new Float32Array(x.size));
  }

  /**
   * One update with the gradients `grads[i]` of `vars[i]` (undefined: no gradient, that
   * variable and its moments stay) at step size `lr`. `ascend`: the gradients are of an
   * objective to maximize (the moments stay those of the loss, its negation).
   */
  apply(grads: (ArrayLike<number> | undefined)[], lr: number, ascend = false): void {
    const { beta1: b1, beta2: b2, epsilon: eps } = ADAM;
    const t = this.iterations + 1;
    const c1 = 1 - Math.pow(b1, t);
    const c2 = 1 - Math.pow(b2, t);
    const sign = ascend ? -1 : 1;
    this.vars.forEach((variable, i) => {
      const g = grads[i];
      if (!g) return;
      const m = this.m[i]!;
      const v = this.v[i]!;
      const x = variable.dataSync(); // on the cpu backend: its own buffer, so written to a fresh array
      const out = new Float32Array(x.length);
      for (let j = 0; j < x.length; j++) {
        const gj = sign * g[j]!;
        const mj = (m[j] = b1 * m[j]! + (1 - b1) * gj);
        const vj = (v[j] = b2 * v[j]! + (1 - b2) * gj * gj);
        out[j] = x[j]! - (lr * (mj / c1)) / (Math.sqrt(vj / c2) + eps);
      }
      tf.tidy(() => variable.assign(tf.tensor(out, variable.shape, "float32")));
    });
    this.iterations = t;
  }
}
