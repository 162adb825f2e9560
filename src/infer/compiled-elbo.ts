// The meanfield ELBO step of a model with one per-point finite latent, run on the host by
// generated code: q's draws (the guide's own stream, so the same seeds give the same draws), the
// generated log joint and its pathwise θ-gradient, and the score-function φ-gradient
// (f − b − 1) ∇ log q with the decaying-average baseline, as Float32 gradients for the fit
// loop's host Adam. The same estimator as elbo.ts' host surrogate, with no tfjs kernels.
import type { FlatData, ModelRuntime } from "../backend/model-runtime.ts";
import type { tf } from "../backend/tf.ts";
import type { Rng } from "../backend/random.ts";
import { ParamStore } from "../backend/params.ts";
import { compileJoint, type CompiledJoint } from "../compile/program.ts";
import type { Guide } from "./guides/types.ts";
import { plateScale } from "./local-global.ts";
import { addStickLogqGrad, drawStick, hostDrawable, type StickDraws } from "../backend/host-discrete-draw.ts";

export interface HostElboStep {
  joint: CompiledJoint;
  /**
   * ELBO estimate and gradients of `vars` on the minibatch `rows` (undefined: all), or undefined when this step needs the tfjs path (an unknown variable).
   * `values`: the current values of `vars` when the fit loop keeps them on the host (the variables may lag them).
   */
  step(rows: Int32Array | undefined, rng: Rng, vars: readonly tf.Variable[], baselines: Map<string, number>, values?: readonly Float32Array[]): { value: number; grads: Float32Array[] } | undefined;
}

/** The compiled step for `guide` (the generated meanfield) on `rt`'s model, or why not. */
export function compiledMeanfieldElbo(rt: ModelRuntime, guide: Guide, flat: FlatData, particles: number): HostElboStep | { reason: string } {
  if (guide.owner !== "meanfield") return { reason: `guide \`${guide.name}\` is not the generated meanfield guide` };
  const joint = compileJoint(rt.graph, rt.sizes);
  if ("reason" in joint) return joint;
  const latent = joint.plan.latent!;
  if (guide.covers.length !== 1 || guide.covers[0] !== latent.name) return { reason: "the guide covers more than the per-point latent" };
  const qKey = ParamStore.key(guide.owner, `${latent.name}.probs`);
  const latentSite = joint.plan.sites.find((s) => s.kind === "latent")!;
  const dist = latentSite.stmt.dist.dist === "Bernoulli" ? "Bernoulli" : "Categorical";
  const full: Float64Array[] = [];
  for (const d of joint.plan.data) {
    const v = flat.values[d.name];
    if (!v || v.mask) return { reason: `data \`${d.name}\` is absent or has missing entries` };
    full.push(Float64Array.from(v.data));
  }
  const N = joint.plan.rows, S = particles, dp = rt.graph.dataPlate!;
  // Per batch size: its generated joint and buffers (minibatches have one size: whole batches only).
  const bySize = new Map<number, { joint: CompiledJoint; data: Float64Array[]; lp: Float64Array; coef: Float64Array }>();
  const forSize = (B: number) => {
    let c = bySize.get(B);
    if (c) return c;
    const j = B === N ? joint : compileJoint(rt.graph, { ...rt.sizes, [dp]: B });
    if ("reason" in j) return undefined;
    c = { joint: j, data: B === N ? full : j.plan.data.map((d) => new Float64Array(B * d.rowWidth)), lp: new Float64Array(S * B), coef: new Float64Array(S * B) };
    bySize.set(B, c);
    return c;
  };
  const grads = joint.plan.params.map((p) => new Float64Array(p.usize));
  const slotOf = new Map(joint.plan.params.map((p, i) => [p.name, i]));
  // The store keys of the loop's variables, looked up once per list of variables.
  let seen: { vars: readonly tf.Variable[]; keys: (string | undefined)[]; at: Map<string, number> } | undefined;
  const u = joint.plan.params.map((p) => new Float64Array(p.usize)); // θ in float64, refilled each step
  let gqBuffer: Float32Array | undefined; // q's gradient, refilled each step (the loop reads it before the next)
  let last: StickDraws | undefined; // the previous step's draws, whose arrays the next step reuses
  return {
    joint,
    step(rows, rng, vars, baselines, values) {
      const q = rt.store.entries.get(qKey);
      const B = rows ? rows.length : N;
      const c = forSize(B);
      if (!c || !hostDrawable(q, dist)) return undefined;
      if (seen?.vars !== vars) {
        const keyOf = new Map([...rt.store.entries].map(([k, e]) => [e.variable, k]));
        const keys = vars.map((v) => keyOf.get(v));
        seen = { vars, keys, at: new Map(keys.map((k, i) => [k!, i])) };
      }
      const at = seen.at;
      // A variable's current values: the loop's host copy when it keeps one, else the variable's.
      const valueOf = (key: string, v: tf.Variable) => {
        const i = values ? at.get(key) : undefined;
        return i !== undefined ? values![i]! : v.dataSync();
      };
      const keys = seen.keys;
      if (keys.some((k) => k === undefined || (k !== qKey && !slotOf.has(k)))) return undefined;
      if (rows)
        joint.plan.data.forEach((d, i) => {
          const w = d.rowWidth, from = full[i]!, to = c.data[i]!;
          for (let b = 0; b < B; b++) to.set(from.subarray(rows[b]! * w, rows[b]! * w + w), b * w);
        });
      joint.plan.params.forEach((p, i) => u[i]!.set(valueOf(p.name, rt.store.entries.get(p.name)!.variable)));
      const dr = (last = drawStick(valueOf(qKey, q.variable), q.shape, dist, S, rng, rows, last));
      const scale = plateScale(N, rows?.length), { lp, coef } = c;
      c.joint.run(u, c.data, dr.zs, S, scale / S, lp, grads);
      // f = log p − log q per particle and point; the ELBO is its mean over particles, summed over points.
      let total = 0;
      for (let i = 0; i < S * B; i++) total += lp[i] = lp[i]! - dr.lqs[i]!;
      const b = baselines.get(latent.name) ?? 0;
      for (let i = 0; i < S * B; i++) coef[i] = (scale * (lp[i]! - b - 1)) / S;
      baselines.set(latent.name, baselines.has(latent.name) ? 0.9 * b + 0.1 * (total / (S * B)) : total / (S * B));
      const gq = gqBuffer?.length === q.variable.size ? gqBuffer.fill(0) : (gqBuffer = new Float32Array(q.variable.size));
      addStickLogqGrad(dr, coef, gq);
      return { value: (scale * total) / S, grads: keys.map((k) => (k === qKey ? gq : Float32Array.from(grads[slotOf.get(k!)!]!))) };
    },
  };
}
