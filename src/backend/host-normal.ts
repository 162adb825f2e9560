// The Normal log-density as one host pass forward and one backward (see host-kernel.ts): the
// operands broadcast through a loop nest (loop-nest.ts), and trailing axes the caller would sum
// (a vector event, e.g. x[n] ~ Normal(mu[z[n]], sigma[z[n]]) with x[n] in R^D) are summed in
// the same pass.
import { tf } from "./tf.ts";
import { hostKernel, scratchF64 } from "./host-kernel.ts";
import { loopNest, outerBases, type LoopNest } from "./loop-nest.ts";

const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

/** 1/σ and log σ + ½ log 2π per scale element (few when σ is broadcast). */
function scaleTerms(S: Float32Array): { inv: Float64Array; logS: Float64Array } {
  const inv = scratchF64(S.length, 0), logS = scratchF64(S.length, 1);
  for (let j = 0; j < S.length; j++) {
    inv[j] = 1 / S[j]!;
    logS[j] = Math.log(S[j]!) + HALF_LOG_2PI;
  }
  return { inv, logS };
}

// Loops are top-level functions over parameters so V8 optimizes each once for every call site.
// Operands in nest order: x, loc, scale, then the output (forward) or dy (backward).
function forward(nest: LoopNest, X: Float32Array, L: Float32Array, S: Float32Array, V: Float32Array): void {
  const { inv, logS } = scaleTerms(S);
  const bases = outerBases(nest);
  const [ix, il, is, iv] = nest.innerStride as [number, number, number, number];
  const n = nest.inner;
  for (let c = 0; c < nest.count; c++) {
    let bx = bases[c * 4]!, bl = bases[c * 4 + 1]!, bs = bases[c * 4 + 2]!, bv = bases[c * 4 + 3]!;
    if (iv === 0) {
      let acc = 0; // the inner axis is summed: accumulate in a register
      for (let j = 0; j < n; j++, bx += ix, bl += il, bs += is) {
        const z = (X[bx]! - L[bl]!) * inv[bs]!;
        acc -= 0.5 * z * z + logS[bs]!;
      }
      V[bv]! += acc;
    } else {
      for (let j = 0; j < n; j++, bx += ix, bl += il, bs += is, bv += iv) {
        const z = (X[bx]! - L[bl]!) * inv[bs]!;
        V[bv]! -= 0.5 * z * z + logS[bs]!;
      }
    }
  }
}

function backward(nest: LoopNest, DY: Float32Array, X: Float32Array, L: Float32Array, S: Float32Array, GX: Float32Array, GL: Float32Array, GS: Float32Array): void {
  // Reductions accumulate in float64: one μ may collect 10⁵ terms.
  const inv = scratchF64(S.length, 0);
  for (let j = 0; j < S.length; j++) inv[j] = 1 / S[j]!;
  const gl = scratchF64(GL.length, 1), gs = scratchF64(GS.length, 2);
  const bases = outerBases(nest);
  const [ix, il, is, id] = nest.innerStride as [number, number, number, number];
  const n = nest.inner;
  for (let c = 0; c < nest.count; c++) {
    let bx = bases[c * 4]!, bl = bases[c * 4 + 1]!, bs = bases[c * 4 + 2]!, bd = bases[c * 4 + 3]!;
    if (il === 0 && is === 0) {
      // loc and scale are constants of the inner loop: their gradients accumulate in registers
      const l = L[bl]!, w = inv[bs]!;
      let aL = 0, aS = 0;
      for (let j = 0; j < n; j++, bx += ix, bd += id) {
        const d = DY[bd]!;
        const z = (X[bx]! - l) * w;
        const dz = d * z * w; // ∂/∂loc = z/σ
        GX[bx]! -= dz;
        aL += dz;
        aS += d * (z * z - 1) * w;
      }
      gl[bl] += aL;
      gs[bs] += aS;
    } else {
      for (let j = 0; j < n; j++, bx += ix, bl += il, bs += is, bd += id) {
        const d = DY[bd]!, w = inv[bs]!;
        const z = (X[bx]! - L[bl]!) * w;
        const dz = d * z * w;
        GX[bx]! -= dz;
        gl[bl] += dz;
        gs[bs] += d * (z * z - 1) * w;
      }
    }
  }
  for (let j = 0; j < GL.length; j++) GL[j] = gl[j]!;
  for (let j = 0; j < GS.length; j++) GS[j] = gs[j]!;
}

/** log N(x; loc, scale) over the broadcast shape `out`, with axes from `sumFrom` on summed. */
export function hostNormalLogPdf(x: tf.Tensor, loc: tf.Tensor, scale: tf.Tensor, out: number[], sumFrom: number): tf.Tensor {
  const kept = out.slice(0, sumFrom);
  const nest = loopNest(out, [x.shape, loc.shape, scale.shape, out.map((d, a) => (a < sumFrom ? d : 1))]);
  const f = tf.customGrad((xt, lt, st, save) => {
    const ins = [xt, lt, st] as tf.Tensor[];
    const [value] = hostKernel(ins, [kept], ([X, L, S], [V]) => forward(nest, X!, L!, S!, V!));
    (save as tf.GradSaveFunc)(ins);
    return {
      value: value!,
      gradFunc: (dy, saved) => {
        const [xs, ls, ss] = saved as [tf.Tensor, tf.Tensor, tf.Tensor];
        return hostKernel([dy as tf.Tensor, xs, ls, ss], [xs.shape, ls.shape, ss.shape], ([DY, X, L, S], [GX, GL, GS]) => backward(nest, DY!, X!, L!, S!, GX!, GL!, GS!));
      },
    };
  });
  return f(x, loc, scale);
}
