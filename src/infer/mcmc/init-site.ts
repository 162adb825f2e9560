// When no initial point has a finite log density, which site is to blame: the model is run at
// the last point tried (finite latents enumerated on the E axis) and each `~` statement's
// log-density is checked; a site is not finite when it is NaN anywhere, or −∞ for every value
// of the finite latents. The log-Jacobians are checked too.
import { error, type Diagnostic } from "../../diagnostics/diagnostic.ts";
import { tf } from "../../backend/tf.ts";
import { scoped } from "../../backend/scoped.ts";
import type { ModelRuntime, TensorData } from "../../backend/model-runtime.ts";
import { runStatements, type SiteFactor } from "../../backend/evaluate.ts";
import { enumValues, planEnumeration } from "../enumerate.ts";
import { latentsAt } from "./model-density.ts";
import type { ModelDensity } from "./types.ts";

const ENUM_PROBE = 1024;

function factorsAt(rt: ModelRuntime, t: TensorData, density: ModelDensity, q: Float64Array): { factors: SiteFactor[]; jacobian: number } {
  const { latents, logJacobian } = latentsAt(density.layout, tf.tensor2d(Float32Array.from(q), [1, q.length]));
  const env = rt.env("model", { data: t, latents, particles: 1 });
  if (density.finite.length) {
    const { plan } = planEnumeration(rt, new Set(density.layout.map((e) => e.name)));
    if (plan) for (const [k, v] of enumValues(plan, 0, Math.min(plan.size, ENUM_PROBE))) env.values.set(k, v);
  }
  runStatements(rt.graph.body, env);
  return { factors: env.factors, jacobian: logJacobian.dataSync()[0]! };
}

/** E034: names the sites whose log-density is not finite at `q` (the last initial point tried). */
export function initFailure(rt: ModelRuntime, t: TensorData, density: ModelDensity, q: Float64Array, attempts: number): Diagnostic {
  const blamed = scoped(() => {
    try {
      const { factors, jacobian } = factorsAt(rt, t, density, q);
      const out: string[] = [];
      for (const f of factors) {
        const v = f.logp.dataSync();
        const anyNaN = v.some(Number.isNaN);
        // Over the E axis (axis 1) some value of the finite latents must be finite.
        const [, E, N] = f.logp.shape as [number, number, number];
        let dead = false;
        for (let n = 0; n < N && !dead; n++) {
          let ok = false;
          for (let e = 0; e < E && !ok; e++) ok = Number.isFinite(v[e * N + n]!) || v[e * N + n] === Infinity;
          dead = !ok;
        }
        if (anyNaN || dead) out.push(`\`${f.target} ~ ${f.dist}(…)\` (${anyNaN ? "NaN" : "−∞"})`);
      }
      if (!Number.isFinite(jacobian)) out.push("the log-Jacobian of the bijections");
      return out;
    } catch {
      return [];
    }
  });
  const which = blamed.length ? `the log-density of ${blamed.join(", ")} is not finite` : "the log-density's gradient is not finite";
  return error(
    "E034",
    `no initial point with a finite log density and gradient after ${attempts} tries (uniform(−2, 2) on the unconstrained space): at the last one, ${which}`,
    undefined,
    "check the data against the distribution's support (e.g. a negative value under a positive distribution), or give initial values (init)",
  );
}
