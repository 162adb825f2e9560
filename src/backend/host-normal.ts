// The Normal log-density as one host pass forward and one backward (see host-kernel.ts): the
// operands broadcast through index maps, and trailing axes the caller would sum (a vector
// event, e.g. x[n] ~ Normal(mu[z[n]], sigma[z[n]]) with x[n] in R^D) are summed in the same pass.
import { tf } from "./tf.ts";
import { broadcastMap, hostKernel, scratchF64, sizeOf } from "./host-kernel.ts";

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
function forward(outer: number, inner: number, X: Float32Array, L: Float32Array, S: Float32Array, V: Float32Array, mx: Int32Array, ml: Int32Array, ms: Int32Array): void {
  const { inv, logS } = scaleTerms(S);
  let i = 0;
  for (let o = 0; o < outer; o++) {
    let acc = 0;
    for (let j = 0; j < inner; j++, i++) {
      const s = ms[i]!;
      const z = (X[mx[i]!]! - L[ml[i]!]!) * inv[s]!;
      acc -= 0.5 * z * z + logS[s]!;
    }
    V[o] = acc;
  }
}

function backward(outer: number, inner: number, DY: Float32Array, X: Float32Array, L: Float32Array, S: Float32Array, GX: Float32Array, GL: Float32Array, GS: Float32Array, mx: Int32Array, ml: Int32Array, ms: Int32Array): void {
  // Reductions accumulate in float64: one μ may collect 10⁵ terms.
  const inv = scratchF64(S.length, 0);
  for (let j = 0; j < S.length; j++) inv[j] = 1 / S[j]!;
  const gl = scratchF64(GL.length, 1), gs = scratchF64(GS.length, 2);
  let i = 0;
  for (let o = 0; o < outer; o++) {
    const d = DY[o]!;
    for (let j = 0; j < inner; j++, i++) {
      const a = mx[i]!, b = ml[i]!, c = ms[i]!;
      const w = inv[c]!;
      const z = (X[a]! - L[b]!) * w;
      const dz = d * z * w; // ∂/∂loc = z/σ
      GX[a] -= dz; // x is usually data: its gradient is rarely read, float32 is enough
      gl[b] += dz;
      gs[c] += d * (z * z - 1) * w;
    }
  }
  for (let j = 0; j < GL.length; j++) GL[j] = gl[j]!;
  for (let j = 0; j < GS.length; j++) GS[j] = gs[j]!;
}

/** log N(x; loc, scale) over the broadcast shape `out`, with axes from `sumFrom` on summed. */
export function hostNormalLogPdf(x: tf.Tensor, loc: tf.Tensor, scale: tf.Tensor, out: number[], sumFrom: number): tf.Tensor {
  const kept = out.slice(0, sumFrom);
  const outer = sizeOf(kept), inner = sizeOf(out.slice(sumFrom));
  const [mx, ml, ms] = [x.shape, loc.shape, scale.shape].map((s) => broadcastMap(out, s)) as [Int32Array, Int32Array, Int32Array];
  const f = tf.customGrad((xt, lt, st, save) => {
    const ins = [xt, lt, st] as tf.Tensor[];
    const [value] = hostKernel(ins, [kept], ([X, L, S], [V]) => forward(outer, inner, X!, L!, S!, V!, mx, ml, ms));
    (save as tf.GradSaveFunc)(ins);
    return {
      value: value!,
      gradFunc: (dy, saved) => {
        const [xs, ls, ss] = saved as [tf.Tensor, tf.Tensor, tf.Tensor];
        return hostKernel([dy as tf.Tensor, xs, ls, ss], [xs.shape, ls.shape, ss.shape], ([DY, X, L, S], [GX, GL, GS]) =>
          backward(outer, inner, DY!, X!, L!, S!, GX!, GL!, GS!, mx, ml, ms),
        );
      },
    };
  });
  return f(x, loc, scale);
}
