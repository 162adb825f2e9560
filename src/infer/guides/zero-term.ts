// Known-zero log-density parts (a q site that is all local has no global part, and vice versa):
// marked so that the ELBO skips them instead of adding zeros (each add costs kernels both ways).
import { tf } from "../../backend/tf.ts";

const zeros = new WeakSet<tf.Tensor>();

/** A [1, 1] zero log-density part. */
export function zeroTerm(): tf.Tensor {
  const t = tf.zeros([1, 1]);
  zeros.add(t);
  return t;
}

export const isZeroTerm = (t: tf.Tensor): boolean => zeros.has(t);
