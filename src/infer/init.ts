// Data-driven starting points for maximum-likelihood fits, chosen by how the likelihood uses each
// param (param-roles.ts). Component params of a categorical latent start at the statistics of K
// k-means clusters of the data they explain — one clustering per latent, so components differ
// (identical components are a stationary point the fit cannot leave). A scale of observed data
// starts at its sd; regression coefficients and everything else at the default initializer drawn
// from the seed. Restarts differ only by the seed.
import type { LatentNode, ParamNode } from "../ir/graph.ts";
import { tf } from "../backend/tf.ts";
import type { FlatData, ModelRuntime } from "../backend/model-runtime.ts";
import { ParamStore } from "../backend/params.ts";
import type { Rng } from "../backend/random.ts";
import { paramRoles, type ParamRole } from "./param-roles.ts";
import { clusterStats, type ClusterStats } from "./cluster-stats.ts";

type Component = Extract<ParamRole, { role: "component" }>;

export function dataInitialize(rt: ModelRuntime, flat: FlatData, rng: Rng): void {
  const roles = paramRoles(rt.graph);
  const observed = (name: string) => {
    const v = flat.values[name];
    return v && !v.mask && v.shape.length >= 1 ? v : undefined;
  };
  // One clustering per latent, over all the observed data its component params explain.
  const clusters = new Map<string, ClusterStats | undefined>();
  const statsFor = (c: Component, k: number) => {
    if (!clusters.has(c.latent)) {
      const latent = rt.graph.nodes.find((n) => n.name === c.latent) as LatentNode | undefined;
      const data = [...new Set([...roles.values()].filter((r): r is Component => r.role === "component" && r.latent === c.latent).map((r) => r.data))];
      const values = data.map((d) => [d, observed(d)] as const).filter((e): e is [string, NonNullable<ReturnType<typeof observed>>] => !!e[1]);
      clusters.set(c.latent, latent?.local ? clusterStats(values, k, rng) : undefined);
    }
    return clusters.get(c.latent);
  };
  for (const node of rt.graph.nodes) {
    if (node.kind !== "param" || (node as ParamNode).init) continue; // the program's own start stands
    const entry = rt.store.entries.get(ParamStore.key("model", node.name));
    if (!entry) continue;
    const role = roles.get(node.name);
    const init = tf.tidy(() => {
      if (role?.role === "component") {
        const value = statsFor(role, entry.shape[0]!)?.value(role.data, role.arg, entry.support, entry.shape);
        if (value) return tf.tensor(value, entry.shape);
      }
      if (role?.role === "scale" && entry.support === "positive") {
        const v = observed(role.data);
        if (v) {
          // Per-element sd when the param has the data row's shape, else the mean sd of the row.
          const sd = tf.sqrt(tf.add(tf.moments(tf.tensor(v.data, v.shape), 0).variance, 1e-6));
          return sd.shape.join() === entry.shape.join() ? sd : tf.fill(entry.shape, tf.mean(sd).dataSync()[0]!);
        }
      }
      // Coefficients: small draws around 0, so exp(x·β) and the like start near 1.
      if (role?.role === "coefficient" && entry.support === "real") return tf.mul(ParamStore.defaultInit(entry.support, entry.shape, rng), 0.1);
      return ParamStore.defaultInit(entry.support, entry.shape, rng);
    });
    tf.tidy(() => entry.variable.assign(entry.bijector.inverse(init)));
    init.dispose();
  }
}
