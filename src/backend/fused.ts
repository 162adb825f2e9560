// Fused kernels with hand-written gradients. Autodiff through tfjs' composite ops costs many
// small kernels (each ~20 µs of overhead on WASM); these keep the hot paths to a few.
import { tf } from "./tf.ts";
import { broadcastShapes } from "./shapes.ts";
import { expNonPositive } from "./fast-exp.ts";
import { hasBroadcast, hostKernel, hostKernelsEnabled, scratchF64, sizeOf } from "./host-kernel.ts";
import { hostNormalLogPdf } from "./host-normal.ts";

/** Sums `g` down to `shape` (undoing broadcasting) for gradients of broadcast operands. */
export function unbroadcast(g: tf.Tensor, shape: readonly number[]): tf.Tensor {
  const lead = g.rank - shape.length;
  const axes: number[] = [];
  for (let i = 0; i < g.rank; i++) if (i < lead || (shape[i - lead] === 1 && g.shape[i] !== 1)) axes.push(i);
  const s = axes.length ? tf.sum(g, axes, true) : g;
  return s.reshape(shape as number[]);
}

/** log Σ exp(x) over one axis, stable; its gradient is softmax(x)·dy (no Equal/Max backward). */
export function logSumExp(x: tf.Tensor, axis: number): tf.Tensor {
  const ax = axis < 0 ? x.rank + axis : axis;
  if (hostKernelsEnabled() && x.dtype === "float32") return hostLogSumExp(x, ax);
  const f = tf.customGrad((xt, save) => {
    const t = xt as tf.Tensor;
    const m = tf.max(t, ax, true);
    const y = tf.add(tf.log(tf.sum(tf.exp(tf.sub(t, m)), ax, true)), m);
    (save as tf.GradSaveFunc)([t, y]);
    return {
      value: y.squeeze([ax]),
      gradFunc: (dy, saved) => {
        const [ts, ys] = saved as [tf.Tensor, tf.Tensor];
        return tf.mul(tf.exp(tf.sub(ts, ys)), tf.expandDims(dy, ax));
      },
    };
  });
  return f(x);
}

/**
 * logSumExp as one host pass: x viewed as [outer, K, inner], reduced over K. The forward pass
 * keeps softmax(x) so the gradient (softmax · dy) needs no second exp.
 */
function hostLogSumExp(x: tf.Tensor, ax: number): tf.Tensor {
  const K = x.shape[ax]!;
  const inner = sizeOf(x.shape.slice(ax + 1));
  const outer = sizeOf(x.shape.slice(0, ax));
  const outShape = x.shape.filter((_, i) => i !== ax);
  const f = tf.customGrad((xt, save) => {
    const [y, p] = hostKernel([xt as tf.Tensor], [outShape, x.shape], ([X], [Y, P]) => lseForward(outer, K, inner, X!, Y!, P!));
    (save as tf.GradSaveFunc)([p!]);
    return {
      value: y!,
      gradFunc: (dy, saved) => hostKernel([dy as tf.Tensor, (saved as tf.Tensor[])[0]!], [x.shape], ([DY, P], [G]) => lseBackward(outer, K, inner, DY!, P!, G!))[0]!,
    };
  });
  return f(x);
}

/** Row by row over K (contiguous inner runs): max, exp and sum, then log and normalize. */
function lseForward(outer: number, K: number, inner: number, X: Float32Array, Y: Float32Array, P: Float32Array): void {
  const m = scratchF64(inner, 0), s = scratchF64(inner, 1);
  for (let o = 0; o < outer; o++) {
    const base = o * K * inner;
    m.fill(-Infinity, 0, inner);
    s.fill(0, 0, inner);
    for (let k = 0; k < K; k++) {
      const row = base + k * inner;
      for (let i = 0; i < inner; i++) if (X[row + i]! > m[i]!) m[i] = X[row + i]!;
    }
    for (let k = 0; k < K; k++) {
      const row = base + k * inner;
      for (let i = 0; i < inner; i++) {
        const mi = m[i]!;
        const e = mi === -Infinity ? 0 : expNonPositive(X[row + i]! - mi); // all terms −∞: p stays 0
        P[row + i] = e;
        s[i] += e;
      }
    }
    for (let i = 0; i < inner; i++) {
      Y[o * inner + i] = m[i]! + Math.log(s[i]!);
      s[i] = s[i]! > 0 ? 1 / s[i]! : 0;
    }
    for (let k = 0; k < K; k++) {
      const row = base + k * inner;
      for (let i = 0; i < inner; i++) P[row + i]! *= s[i]!;
    }
  }
}

function lseBackward(outer: number, K: number, inner: number, DY: Float32Array, P: Float32Array, G: Float32Array): void {
  for (let o = 0; o < outer; o++)
    for (let k = 0; k < K; k++) {
      const row = (o * K + k) * inner;
      for (let i = 0; i < inner; i++) G[row + i] = DY[o * inner + i]! * P[row + i]!;
    }
}

const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

/** Below this many elements a host pass beats a chain of WASM kernels even without broadcasting. */
const HOST_SMALL = 1 << 14;

/**
 * log N(x; loc, scale) elementwise (broadcast), with analytic gradients for all three. With
 * `sumFrom`, axes from that one on may come back summed (the host kernel sums them in the same
 * pass; callers sum whatever axes remain).
 */
export function normalLogPdf(x: tf.Tensor, loc: tf.Tensor, scale: tf.Tensor, sumFrom?: number): tf.Tensor {
  if (hostKernelsEnabled() && x.dtype === "float32" && loc.dtype === "float32" && scale.dtype === "float32") {
    const out = broadcastShapes(x.shape, loc.shape, scale.shape);
    if (sizeOf(out) <= HOST_SMALL || hasBroadcast(out, [x.shape, loc.shape, scale.shape])) return hostNormalLogPdf(x, loc, scale, out, sumFrom ?? out.length);
  }
  const f = tf.customGrad((xt, lt, st, save) => {
    const [xv, lv, sv] = [xt as tf.Tensor, lt as tf.Tensor, st as tf.Tensor];
    const inv = tf.reciprocal(sv);
    const z = tf.mul(tf.sub(xv, lv), inv);
    const value = tf.sub(tf.neg(tf.add(tf.mul(tf.square(z), 0.5), tf.log(sv))), HALF_LOG_2PI);
    (save as tf.GradSaveFunc)([z, inv]);
    return {
      value,
      gradFunc: (dy, saved) => {
        const [zs, invs] = saved as [tf.Tensor, tf.Tensor];
        const dz = tf.mul(tf.mul(dy, zs), invs); // ∂/∂loc = z/σ
        return [
          unbroadcast(tf.neg(dz), xv.shape),
          unbroadcast(dz, lv.shape),
          unbroadcast(tf.mul(tf.mul(dy, tf.sub(tf.square(zs), 1)), invs), sv.shape),
        ];
      },
    };
  });
  return f(x, loc, scale);
}

/** The value of x with a zero gradient (tfjs has no stop_gradient). */
export const stopGradient = (x: tf.Tensor): tf.Tensor =>
  tf.customGrad((t) => ({ value: tf.clone(t as tf.Tensor), gradFunc: (dy: tf.Tensor) => tf.zerosLike(dy) }))(x);
