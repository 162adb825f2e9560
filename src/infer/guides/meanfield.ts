// Generated guides. `meanfield`: every latent independent, of the family its support has in
// stdlib/meanfield-families.ts — a Normal on the unconstrained space for continuous latents
// (pushed through the support's bijection, with its log-Jacobian), Bernoulli for binary,
// Categorical for cat and Poisson for count latents, one φ per element (so local latents get
// per-data-point φ). `delta`: point masses at φ (MAP), log q = 0.
import type { LatentNode } from "../../ir/graph.ts";
import { evalSize, isDiscrete } from "../../ir/types.ts";
import { tf } from "../../backend/tf.ts";
import { bijectorFor } from "../../backend/bijectors.ts";
import { ParamStore } from "../../backend/params.ts";
import type { ModelRuntime } from "../../backend/model-runtime.ts";
import { RuntimeError } from "../../backend/runtime-error.ts";
import { DIST_IMPLS } from "../../backend/distributions/index.ts";
import { normalLogPdf, stopGradient } from "../../backend/fused.ts";
import { xlog1py, xlogy } from "../../backend/special.ts";
import { sampleSites } from "../../ir/query.ts";
import { MEANFIELD_FAMILIES, type MeanfieldFamily } from "../../../stdlib/meanfield-families.ts";
import type { Guide, GuideDraw, QSite } from "./types.ts";
import { hostDiscreteDraw, hostDrawable } from "../../backend/host-discrete-draw.ts";
import { zeroTerm } from "./zero-term.ts";
import { pushforwardMoments } from "./pushforward-moments.ts";

const INIT_SCALE = 0.1;

function latentShape(rt: ModelRuntime, node: LatentNode): number[] {
  return node.type.shape.map((s) => evalSize(s, rt.sizes) ?? 1);
}

/** Sums elementwise log q [S, …shape] to [S, N] (local) or [S, 1] (global). */
function split(t: tf.Tensor, local: boolean): { local: tf.Tensor; global: tf.Tensor } {
  const keep = local ? 2 : 1;
  const axes = [];
  for (let a = keep; a < t.rank; a++) axes.push(a);
  const r = axes.length ? tf.sum(t, axes) : t;
  const out = local ? r : r.reshape([t.shape[0]!, 1]);
  return local ? { local: out, global: zeroTerm() } : { local: zeroTerm(), global: out };
}

/**
 * Creates a guide param unless one of the same shape exists. Per-data-point φ belongs to the
 * data it was fitted on: a different number of rows starts it afresh.
 */
function ensure(rt: ModelRuntime, owner: string, name: string, support: "real" | "positive" | "unit" | "simplex", shape: number[], init: () => tf.Tensor): void {
  const e = rt.store.entries.get(ParamStore.key(owner, name));
  if (e && e.shape.length === shape.length && e.shape.every((v, i) => v === shape[i])) return;
  const t = init();
  rt.store.add(owner, name, support, shape, t);
  t.dispose();
}

/** A param's value for this minibatch: per-data-point params are gathered to the batch rows. */
function rowsOf(rt: ModelRuntime, key: string, local: boolean, rows: Int32Array | undefined): tf.Tensor {
  const v = rt.store.constrained(key);
  return local && rows ? tf.gather(v, tf.tensor1d(rows, "int32")) : v;
}

/**
 * The latent's family (stdlib/meanfield-families.ts), or G110 naming why it has none: no family
 * for its support, or a Poisson q for a count whose Binomial prior bounds it (q would put mass
 * where the model has none, and the ELBO would be −∞).
 */
function familyOf(node: LatentNode, prior: string | undefined): MeanfieldFamily {
  const family = MEANFIELD_FAMILIES[node.type.support];
  if ("none" in family) throw new RuntimeError("G110", `the meanfield guide has no family for \`${node.name}\` (${node.type.support}): ${family.none}`, `write a guide for \`${node.name}\``);
  if (family.kind === "Poisson" && prior === "Binomial")
    throw new RuntimeError(
      "G110",
      `the meanfield guide has no family for \`${node.name}\`: its prior is a Binomial, bounded by total_count, and the meanfield family for counts (Poisson) is not`,
      `write a guide for \`${node.name}\`, e.g. a Binomial with the same total_count`,
    );
  return family;
}

/** `skipEnumerable`: leave finite latents to exact enumeration in the model (no q for them). */
export function meanfieldGuide(rt: ModelRuntime, opts: { skipEnumerable?: boolean } = {}): Guide {
  const owner = "meanfield";
  const nodes = (rt.latents() as LatentNode[]).filter((n) => !(opts.skipEnumerable && n.enumerable));
  // `missing` data: one Bernoulli (binary) or Normal (real) per entry; only missing entries count.
  const missing = rt.graph.nodes.filter((n) => n.kind === "data" && n.missing);
  // A binary missing entry that nothing else reads, under a Bernoulli likelihood, is summed out
  // exactly instead of sampled: log Bernoulli(x | ·) is linear in x, so plugging in x = φ gives
  // E_q[log p(x | ·)], and −E_q[log q] is the entropy in closed form (a pathwise, noise-free gradient).
  const siteDist = new Map(sampleSites(rt.graph.body).map((s) => [s.stmt.target, s.stmt.dist.dist]));
  const expectable = (name: string) => siteDist.get(name) === "Bernoulli" && !rt.graph.nodes.some((n) => n.parents.includes(name));
  return {
    name: owner,
    owner,
    covers: [...nodes.map((n) => n.name), ...missing.map((n) => n.name)],
    init(rt) {
      for (const node of missing) {
        const shape = node.type.shape.map((s) => evalSize(s, rt.sizes) ?? 1);
        if (node.type.support === "binary") ensure(rt, owner, `${node.name}.missing`, "unit", shape, () => tf.fill(shape, 0.5));
        else if (node.type.support === "real") {
          ensure(rt, owner, `${node.name}.missing`, "real", shape, () => tf.zeros(shape));
          ensure(rt, owner, `${node.name}.missing_scale`, "positive", shape, () => tf.ones(shape));
        } else throw new RuntimeError("G112", `the meanfield guide cannot impute \`${node.name}\` (${node.type.support})`, "write a guide for its missing entries");
      }
      for (const node of nodes) {
        const shape = latentShape(rt, node);
        const family = familyOf(node, siteDist.get(node.name));
        if (family.kind === "Bernoulli") ensure(rt, owner, `${node.name}.probs`, "unit", shape, () => tf.fill(shape, 0.5));
        else if (family.kind === "Categorical") {
          const k = evalSize(node.type.card!, rt.sizes)!;
          ensure(rt, owner, `${node.name}.probs`, "simplex", [...shape, k], () => tf.fill([...shape, k], 1 / k));
        } else if (family.kind === "Poisson") ensure(rt, owner, `${node.name}.rate`, "positive", shape, () => tf.ones(shape));
        else {
          const u = bijectorFor(node.type.support).unconstrainedShape(shape);
          ensure(rt, owner, `${node.name}.loc`, "real", u, () => tf.zeros(u));
          ensure(rt, owner, `${node.name}.scale`, "positive", u, () => tf.fill(u, INIT_SCALE));
        }
      }
    },
    draw(rt, data, S, rng, rows, opts): GuideDraw {
      const latents: Record<string, tf.Tensor> = {};
      const sites: QSite[] = [];
      for (const node of missing) {
        const mask = data.masks[node.name];
        if (!mask) continue; // complete data: nothing to impute
        const first = rowsOf(rt, ParamStore.key(owner, `${node.name}.missing`), true, rows);
        const missingEntries = tf.sub(1, mask);
        let value: tf.Tensor;
        let lq: tf.Tensor;
        let dist: string;
        if (node.type.support === "binary" && expectable(node.name) && !opts?.sample) {
          dist = "Bernoulli";
          value = tf.broadcastTo(first, [S, ...first.shape]);
          lq = tf.broadcastTo(tf.add(xlogy(first, first), xlog1py(tf.sub(1, first), tf.neg(first))), [S, ...first.shape]);
        } else if (node.type.support === "binary") {
          dist = "Bernoulli";
          const args = { probs: first };
          value = DIST_IMPLS.Bernoulli!.sample(args, [S, ...first.shape], rng);
          lq = DIST_IMPLS.Bernoulli!.logProb(args, value);
        } else {
          dist = "Normal";
          const scale = rowsOf(rt, ParamStore.key(owner, `${node.name}.missing_scale`), true, rows);
          const eps = tf.randomNormal([S, ...first.shape], 0, 1, "float32", rng.next());
          value = tf.add(first, tf.mul(scale, opts?.stopDraws ? stopGradient(eps) : eps));
          lq = opts?.pathOnly && !opts.stopDraws ? normalLogPdf(value, stopGradient(first), stopGradient(scale)) : normalLogPdf(value, first, scale);
        }
        latents[node.name] = value;
        const summed = node.type.support === "binary" && expectable(node.name) && !opts?.sample;
        sites.push({ latent: node.name, dist, args: {}, reparameterized: dist === "Normal" || summed, local: true, logq: split(tf.mul(lq, missingEntries), true), direct: false, layout: "" });
      }
      for (const node of nodes) {
        const s = node.type.support;
        const family = familyOf(node, siteDist.get(node.name)).kind;
        const key = (p: string) => ParamStore.key(owner, `${node.name}.${p}`);
        if (family === "Bernoulli" || family === "Categorical") {
          const dist = family;
          const entry = rt.store.entries.get(key("probs"));
          if (hostDrawable(entry, dist)) {
            const { z, lq } = hostDiscreteDraw(entry, dist, S, rng, node.local ? rows : undefined);
            latents[node.name] = z;
            // q's args only for a closed-form KL (rarely): built when asked for.
            let probsArg: tf.Tensor | undefined;
            const args = {
              get probs(): tf.Tensor {
                if (!probsArg) {
                  const probs = rowsOf(rt, key("probs"), node.local, rows);
                  probsArg = probs.reshape([1, 1, ...probs.shape]);
                }
                return probsArg;
              },
            };
            sites.push({ latent: node.name, dist, args, reparameterized: false, local: node.local, logq: split(lq, node.local), direct: true, layout: "[[],[]]" });
            continue;
          }
          const probs = rowsOf(rt, key("probs"), node.local, rows);
          const batch = dist === "Bernoulli" ? probs.shape : probs.shape.slice(0, -1);
          const args = { probs: probs.reshape([1, 1, ...probs.shape]) };
          const z = DIST_IMPLS[dist]!.sample(args, [S, 1, ...batch], rng);
          const lq = DIST_IMPLS[dist]!.logProb(args, z).reshape([S, ...batch]);
          latents[node.name] = z.reshape([S, ...batch]);
          sites.push({ latent: node.name, dist, args, reparameterized: false, local: node.local, logq: split(lq, node.local), direct: true, layout: "[[],[]]" });
          continue;
        }
        if (family === "Poisson") {
          // Poisson(rate) per element: score-function gradients (no pathwise one for counts).
          const rate = rowsOf(rt, key("rate"), node.local, rows);
          const args = { rate: rate.reshape([1, 1, ...rate.shape]) };
          const z = DIST_IMPLS.Poisson!.sample(args, [S, 1, ...rate.shape], rng);
          const lq = DIST_IMPLS.Poisson!.logProb(args, z).reshape([S, ...rate.shape]);
          latents[node.name] = z.reshape([S, ...rate.shape]);
          sites.push({ latent: node.name, dist: "Poisson", args, reparameterized: false, local: node.local, logq: split(lq, node.local), direct: true, layout: "[[],[]]" });
          continue;
        }
        const bij = bijectorFor(s);
        const loc = rowsOf(rt, key("loc"), node.local, rows);
        const scale = rowsOf(rt, key("scale"), node.local, rows);
        const eps = tf.randomNormal([S, ...loc.shape], 0, 1, "float32", rng.next());
        const drawn = tf.add(loc, tf.mul(scale, eps));
        const u = opts?.stopDraws ? stopGradient(drawn) : drawn;
        const x = bij.forward(u);
        // Path-only: q's own params enter log q through the draw alone (see Guide.draw).
        const path = opts?.pathOnly && !opts.stopDraws;
        let lq = path ? normalLogPdf(u, stopGradient(loc), stopGradient(scale)) : normalLogPdf(u, loc, scale);
        if (s === "simplex") lq = tf.sum(lq, -1);
        if (s !== "real") lq = tf.sub(lq, bij.logAbsDetJacobian(u));
        latents[node.name] = x;
        const args = { loc: loc.reshape([1, 1, ...loc.shape]), scale: scale.reshape([1, 1, ...scale.shape]) };
        sites.push({ latent: node.name, dist: "Normal", args, reparameterized: true, local: node.local, logq: split(lq, node.local), direct: s === "real", layout: "[[],[]]" });
      }
      return { latents, sites };
    },
    moments(rt) {
      const out: Record<string, { mean: tf.Tensor; std: tf.Tensor }> = {};
      for (const node of missing) {
        const p = rt.store.has(ParamStore.key(owner, `${node.name}.missing`)) ? rt.store.constrained(ParamStore.key(owner, `${node.name}.missing`)) : undefined;
        if (!p) continue;
        out[node.name] =
          node.type.support === "binary"
            ? { mean: p, std: tf.sqrt(tf.mul(p, tf.sub(1, p))) }
            : { mean: p, std: rt.store.constrained(ParamStore.key(owner, `${node.name}.missing_scale`)) };
      }
      for (const node of nodes) {
        const key = (p: string) => ParamStore.key(owner, `${node.name}.${p}`);
        const family = familyOf(node, siteDist.get(node.name)).kind;
        if (family === "Bernoulli" || family === "Categorical") {
          // Per category for a Categorical: the one-hot indicator's mean and std.
          const p = rt.store.constrained(key("probs"));
          out[node.name] = { mean: p, std: tf.sqrt(tf.mul(p, tf.sub(1, p))) };
        } else if (family === "Poisson") {
          const rate = rt.store.constrained(key("rate"));
          out[node.name] = { mean: rate, std: tf.sqrt(rate) };
        } else {
          out[node.name] = pushforwardMoments(node.type.support, rt.store.constrained(key("loc")), rt.store.constrained(key("scale")));
        }
      }
      return out;
    },
  };
}

export function deltaGuide(rt: ModelRuntime): Guide {
  const owner = "delta";
  const nodes = rt.latents() as LatentNode[];
  return {
    name: owner,
    owner,
    covers: nodes.map((n) => n.name),
    init(rt) {
      for (const node of nodes) {
        if (isDiscrete(node.type.support)) throw new RuntimeError("G111", `the delta (MAP) guide cannot place a point mass on discrete latent \`${node.name}\``, "use enumeration (objective exact) or meanfield");
        const shape = latentShape(rt, node);
        const support = node.type.support as "real" | "positive" | "unit" | "simplex";
        ensure(rt, owner, node.name, support, shape, () => tf.tidy(() => bijectorFor(support).forward(tf.zeros(bijectorFor(support).unconstrainedShape(shape)))));
      }
    },
    draw(rt, _data, S, _rng, rows): GuideDraw {
      const latents: Record<string, tf.Tensor> = {};
      for (const node of nodes) {
        const v = rowsOf(rt, ParamStore.key(owner, node.name), node.local, rows);
        latents[node.name] = tf.broadcastTo(v.reshape([1, ...v.shape]), [S, ...v.shape]);
      }
      return { latents, sites: [] };
    },
    moments(rt) {
      return Object.fromEntries(nodes.map((n) => {
        const v = rt.store.constrained(ParamStore.key(owner, n.name));
        return [n.name, { mean: v, std: tf.zerosLike(v) }];
      }));
    },
  };
}
