// Finds where a non-finite log-density comes from: the first site (in program order) whose
// factor is not finite, named by variable and distribution, with the params it read.
import { type Diagnostic, error } from "../diagnostics/diagnostic.ts";
import { tf } from "../backend/tf.ts";
import { scoped } from "../backend/scoped.ts";
import type { ModelRuntime, RunOptions } from "../backend/model-runtime.ts";
import { enumValues, planEnumeration } from "./enumerate.ts";

export function firstNonFiniteSite(rt: ModelRuntime, opts: RunOptions): Diagnostic | undefined {
  for (const [key, e] of rt.store.entries) {
    const ok = scoped(() => tf.all(tf.isFinite(rt.store.constrained(key))).dataSync()[0] === 1);
    if (!ok) return error("R031", `param \`${key}\` became non-finite`, undefined, "lower the learning rate (--lr) or check the model's scales");
  }
  return scoped(() => {
    const given = new Set(Object.keys(opts.latents ?? {}));
    const { plan } = planEnumeration(rt, given);
    let factors;
    try {
      ({ factors } = rt.run(plan && plan.size <= 4096 ? { ...opts, enumerated: enumValues(plan, 0, plan.size) } : opts));
    } catch {
      return undefined;
    }
    for (const f of factors) {
      const finite = tf.all(tf.isFinite(tf.logSumExp(f.logp, 1))).dataSync()[0] === 1;
      if (!finite) {
        const node = rt.graph.nodes.find((n) => n.name === f.target);
        return error("R032", `the log-density of \`${f.target}\` under ${f.dist} is not finite`, node?.span, "a parameter reached the edge of its support (σ → 0, a probability of 0 or 1); lower the learning rate");
      }
    }
    return undefined;
  });
}
