// Closed-form KL(q ‖ p), elementwise, for the pairs where it exists. Used in place of the
// sampled log q − log p of a site, which lowers the ELBO's variance.
import { tf } from "../backend/tf.ts";

type Args = Record<string, tf.Tensor>;

/** log-probabilities of a Bernoulli/Categorical from probs or logits (log-space, stable). */
function bernoulliLogs(a: Args): [tf.Tensor, tf.Tensor] {
  if (a.logits) return [tf.neg(tf.softplus(tf.neg(a.logits))), tf.neg(tf.softplus(a.logits))];
  const p = a.probs!;
  return [tf.log(p), tf.log1p(tf.neg(p))];
}

function categoricalLogs(a: Args): tf.Tensor {
  return a.logits ? tf.logSoftmax(a.logits, -1) : tf.log(a.probs!);
}

/** KL(q ‖ p) elementwise for (q, p) distribution names, or undefined when there is no closed form. */
export function analyticKL(qDist: string, q: Args, pDist: string, p: Args): tf.Tensor | undefined {
  if (qDist !== pDist) return undefined;
  switch (qDist) {
    case "Normal": {
      const ratio = tf.div(q.scale!, p.scale!);
      const diff = tf.div(tf.sub(q.loc!, p.loc!), p.scale!);
      return tf.mul(0.5, tf.sub(tf.add(tf.square(ratio), tf.square(diff)), tf.add(1, tf.mul(2, tf.log(ratio)))));
    }
    case "Bernoulli": {
      const [lq1, lq0] = bernoulliLogs(q);
      const [lp1, lp0] = bernoulliLogs(p);
      return tf.add(tf.mul(tf.exp(lq1), tf.sub(lq1, lp1)), tf.mul(tf.exp(lq0), tf.sub(lq0, lp0)));
    }
    case "Categorical": {
      const lq = categoricalLogs(q);
      return tf.sum(tf.mul(tf.exp(lq), tf.sub(lq, categoricalLogs(p))), -1);
    }
    case "Poisson": {
      // λq log(λq / λp) − λq + λp
      const [a, b] = [q.rate!, p.rate!];
      return tf.add(tf.sub(tf.mul(a, tf.sub(tf.log(a), tf.log(b))), a), b);
    }
    default:
      return undefined;
  }
}
