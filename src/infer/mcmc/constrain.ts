// The bijections of backend/bijectors.ts on the host in float64, for one latent's block of an
// unconstrained draw: forward (draws → constrained values) and inverse (given initial values →
// the unconstrained space).
import type { Support } from "../../ir/types.ts";
import { stickOffset } from "../../backend/host-simplex.ts";

/** Host (float64) forward maps of the bijectors, for constrained draws. */
export function constrainBlock(support: Support, shape: number[], u: Float64Array): Float64Array {
  switch (support) {
    case "positive":
      return u.map(Math.exp);
    case "unit":
      return u.map((v) => 1 / (1 + Math.exp(-v)));
    case "simplex": {
      const K = shape[shape.length - 1]!;
      const rows = u.length / (K - 1);
      const x = new Float64Array(rows * K);
      for (let r = 0; r < rows; r++) {
        let rem = 1;
        for (let i = 0; i < K - 1; i++) {
          const z = 1 / (1 + Math.exp(-(u[r * (K - 1) + i]! - stickOffset(K, i))));
          x[r * K + i] = rem * z;
          rem *= 1 - z;
        }
        x[r * K + K - 1] = rem;
      }
      return x;
    }
    default:
      return Float64Array.from(u);
  }
}

/** Host inverse maps (constrained → unconstrained), for given initial values. */
export function unconstrainBlock(support: Support, shape: number[], x: Float64Array): Float64Array {
  switch (support) {
    case "positive":
      return x.map(Math.log);
    case "unit":
      return x.map((v) => Math.log(v) - Math.log1p(-v));
    case "simplex": {
      const K = shape[shape.length - 1]!;
      const rows = x.length / K;
      const u = new Float64Array(rows * (K - 1));
      for (let r = 0; r < rows; r++) {
        let rem = 1;
        for (let i = 0; i < K - 1; i++) {
          const z = x[r * K + i]! / rem;
          u[r * (K - 1) + i] = Math.log(z) - Math.log1p(-z) + stickOffset(K, i);
          rem -= x[r * K + i]!;
        }
      }
      return u;
    }
    default:
      return Float64Array.from(x);
  }
}
