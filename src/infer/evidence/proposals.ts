// Proposals for Monte Carlo evidence estimates. Each draws S particles of every latent and
// returns log p(x, z) − log q(z) split into per-data-point terms [S, N] and the rest [S | 1].
//   uniform — the lecture's naive estimator: z uniform on its finite set Z, log q = −log |Z|
//   prior   — z from p(z): the weight is the likelihood p(x | z)
//   guide   — z from a guide q(z | x) written in the file (or fitted); with `enumerate`, the
//             guide draws the continuous latents and the finite ones are summed out exactly,
//             w = log Σ_{z_fin} p(x, z_fin, z) − log q(z): the proposal an enumerated ELBO's guide defines
import { tf } from "../../backend/tf.ts";
import type { ModelRuntime, TensorData } from "../../backend/model-runtime.ts";
import type { SiteFactor } from "../../backend/evaluate.ts";
import type { Rng } from "../../backend/random.ts";
import { RuntimeError } from "../../backend/runtime-error.ts";
import { evalSize } from "../../ir/types.ts";
import type { Guide } from "../guides/types.ts";
import { enumeratedLogJoint } from "../exact.ts";
import { splitFactors } from "../local-global.ts";

export type Proposal = { kind: "uniform" } | { kind: "prior" } | { kind: "guide"; guide: Guide; enumerate?: boolean };

export interface LogWeights {
  /** Per-data-point terms [S, N] (N = 1 without a data plate). */
  local: tf.Tensor2D;
  /** Terms that are not per data point: [S, 1] or [1, 1] when they do not depend on the particles. */
  global: tf.Tensor2D;
}

/**
 * Why `proposal` cannot serve `method`, naming what can: the naive estimator draws uniformly on a
 * finite Z or from the prior; importance sampling takes the prior, a guide, or (all latents
 * finite) the uniform proposal. `guides` names the guides that exist, for the hint.
 */
export function proposalError(rt: ModelRuntime, method: "naive" | "importance", proposal: Proposal, guides: readonly string[]): RuntimeError | undefined {
  const valid = (list: string[]) => list.map((p) => `\`${p}\``).join(", ").replace(/, ([^,]*)$/, " or $1");
  const infinite = rt.latents().find((n) => n.kind !== "latent" || !n.enumerable);
  const options = [...(infinite ? [] : ["uniform"]), "prior", ...(method === "importance" ? guides : [])];
  if (proposal.kind === "uniform" && infinite)
    return new RuntimeError(
      "E010",
      `the uniform proposal draws every latent uniformly from a finite set, but \`${infinite.name}\` is ${infinite.type.support}`,
      `valid proposals for --method ${method} on this model: ${valid(options)}`,
    );
  if (proposal.kind === "guide" && method === "naive")
    return new RuntimeError(
      "E011",
      `the naive estimator proposes uniformly or from the prior, not from guide \`${proposal.guide.name}\``,
      `use --method importance --proposal ${proposal.guide.name}, or --method naive with ${valid(options)}`,
    );
  return undefined;
}

function split(factors: readonly SiteFactor[], S: number): LogWeights {
  const s = splitFactors(factors, (f) => tf.sum(f.logp, 1));
  // Broadcast the local terms over particles even when no local site depends on them.
  const local = tf.add(s.local ?? tf.zeros([1, 1]), tf.zeros([S, 1]));
  return { local: local as tf.Tensor2D, global: (s.global ?? tf.zeros([1, 1])) as tf.Tensor2D };
}

function negate(w: LogWeights): LogWeights {
  return { local: tf.neg(w.local) as tf.Tensor2D, global: tf.neg(w.global) as tf.Tensor2D };
}

function add(a: LogWeights, b: LogWeights): LogWeights {
  const local = tf.add(a.local, b.local) as tf.Tensor2D;
  return { local, global: tf.add(a.global, b.global) as tf.Tensor2D };
}

/**
 * Uniform draws of every latent on its finite support, and −log |Z| split like the weights. A
 * local latent is drawn for the rows of the block (`rows`), as the guides and the prior are.
 */
function uniformDraw(rt: ModelRuntime, S: number, rng: Rng, rows: Int32Array | undefined): { latents: Record<string, tf.Tensor>; logq: LogWeights } {
  const sizes = rt.sizes;
  const latents: Record<string, tf.Tensor> = {};
  let localLogZ = 0;
  let globalLogZ = 0;
  for (const node of rt.latents()) {
    if (node.kind !== "latent" || !node.enumerable)
      throw new RuntimeError("E010", `the uniform proposal draws every latent uniformly from a finite set, but \`${node.name}\` is ${node.type.support}`, "use the prior or a guide as proposal");
    const shape = node.type.shape.map((s) => evalSize(s, sizes) ?? 1);
    if (node.local && rows) shape[0] = rows.length;
    const card = node.type.support === "binary" ? 2 : evalSize(node.type.card!, sizes)!;
    latents[node.name] = tf.floor(tf.mul(tf.randomUniform([S, ...shape], 0, 1, "float32", rng.next()), card * (1 - 1e-7)));
    const elems = (node.local ? shape.slice(1) : shape).reduce((a, b) => a * b, 1);
    if (node.local) localLogZ += elems * Math.log(card);
    else globalLogZ += elems * Math.log(card);
  }
  return { latents, logq: { local: tf.fill([1, 1], -localLogZ) as tf.Tensor2D, global: tf.fill([1, 1], -globalLogZ) as tf.Tensor2D } };
}

/** log p(x, z) − log q(z) for S particles drawn from the proposal. Call inside tf.tidy. */
export function drawLogWeights(rt: ModelRuntime, data: TensorData, proposal: Proposal, S: number, rng: Rng, rows?: Int32Array): LogWeights {
  const r = rows ? { rows } : {};
  switch (proposal.kind) {
    case "uniform": {
      const { latents, logq } = uniformDraw(rt, S, rng, rows);
      const { factors } = rt.run({ data, latents, particles: S, ...r });
      return add(split(factors, S), negate(logq));
    }
    case "prior": {
      // One run: latents are drawn from their priors, so only the observed sites remain in the weight.
      const { factors } = rt.run({ data, particles: S, rng, skipDrawnScores: true, ...r });
      return split(factors.filter((f) => f.observed), S);
    }
    case "guide": {
      // Real draws everywhere (no expectation in place of a missing entry's draw): the weights need them.
      const q = proposal.guide.draw(rt, data, S, rng, rows, { sample: true });
      const latents: Record<string, tf.Tensor> = {};
      const imputed: Record<string, tf.Tensor> = {};
      for (const [k, v] of Object.entries(q.latents)) (k in data.values ? imputed : latents)[k] = v;
      const logq: LogWeights = {
        local: q.sites.map((x) => x.logq.local).reduce((a, b) => tf.add(a, b), tf.zeros([1, 1])) as tf.Tensor2D,
        global: q.sites.map((x) => x.logq.global).reduce((a, b) => tf.add(a, b), tf.zeros([1, 1])) as tf.Tensor2D,
      };
      if (proposal.enumerate) {
        const e = enumeratedLogJoint(rt, { data, latents, imputed, particles: S, ...r });
        const logp: LogWeights = { local: tf.add(e.local ?? tf.zeros([1, 1]), tf.zeros([S, 1])) as tf.Tensor2D, global: e.global as tf.Tensor2D };
        return add(logp, negate(logq));
      }
      const { factors } = rt.run({ data, latents, imputed, particles: S, ...r });
      return add(split(factors, S), negate(logq));
    }
  }
}
