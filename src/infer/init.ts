// Data-driven starting points for maximum-likelihood fits. Mixture-like params — a real table
// [K, …row] whose rows look like data rows — start at K distinct data points chosen by the seed
// (as k-means' initialization does), their scales at the data's spread; everything else at its
// default initializer drawn from the seed. Restarts differ only by the seed.
import type { ParamNode } from "../ir/graph.ts";
import { tf } from "../backend/tf.ts";
import type { FlatData, ModelRuntime } from "../backend/model-runtime.ts";
import { ParamStore } from "../backend/params.ts";
import type { Rng } from "../backend/random.ts";

const sameShape = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((x, i) => x === b[i]);

export function dataInitialize(rt: ModelRuntime, flat: FlatData, rng: Rng): void {
  const rows = Object.values(flat.values).filter((v) => v.shape.length >= 1);
  for (const node of rt.graph.nodes) {
    if (node.kind !== "param" || (node as ParamNode).init) continue; // the program's own start stands
    const entry = rt.store.entries.get(ParamStore.key("model", node.name));
    if (!entry) continue;
    const shape = entry.shape;
    const source = rows.find((v) => shape.length >= 1 && sameShape(v.shape.slice(1), shape.slice(1)) && v.shape[0]! >= shape[0]! && !v.mask);
    const init = tf.tidy(() => {
      if (!source) return ParamStore.defaultInit(entry.support, shape, rng);
      const rowSize = shape.slice(1).reduce((a, b) => a * b, 1);
      const n = source.shape[0]!;
      if (entry.support === "real") {
        const picked = new Set<number>();
        while (picked.size < shape[0]!) picked.add(Math.floor(rng.uniform() * n));
        const out = new Float32Array(shape[0]! * rowSize);
        [...picked].forEach((r, i) => out.set(source.data.subarray(r * rowSize, (r + 1) * rowSize), i * rowSize));
        return tf.tensor(out, shape);
      }
      if (entry.support === "positive") {
        const x = tf.tensor(source.data, source.shape);
        const sd = tf.sqrt(tf.add(tf.moments(x, 0).variance, 1e-6));
        return tf.broadcastTo(sd, shape);
      }
      return ParamStore.defaultInit(entry.support, shape, rng);
    });
    tf.tidy(() => entry.variable.assign(entry.bijector.inverse(init)));
    init.dispose();
  }
}
