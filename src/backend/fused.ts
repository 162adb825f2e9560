// Fused ops with hand-written gradients, and the dispatch to their host kernels (host-*.ts) on
// the WASM and cpu backends. Autodiff through tfjs' composite ops costs many small kernels
// (~5 µs of engine overhead each on WASM); these keep the hot paths to a few.
import { tf } from "./tf.ts";
import { broadcastShapes } from "./shapes.ts";
import { hasBroadcast, hostKernelsEnabled, sizeOf } from "./host-kernel.ts";
import { hostNormalLogPdf } from "./host-normal.ts";
import { hostLogSumExp } from "./host-logsumexp.ts";

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

/**
 * make()'s value with a zero gradient, its ops kept off the gradient tape: tfjs records no ops
 * run inside a custom gradient's forward pass, so backprop neither visits nor differentiates
 * them (a stopGradient after the fact leaves them on the tape, to be walked with zeros).
 * For samplers whose draws are not reparameterized (rejection loops of many small ops).
 */
export function offTape(make: () => tf.Tensor, anchor: tf.Tensor): tf.Tensor {
  return tf.customGrad((a) => ({ value: make(), gradFunc: () => tf.zerosLike(a as tf.Tensor) }))(anchor);
}
