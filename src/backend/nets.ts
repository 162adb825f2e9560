// Neural-network conditionals: `net` declarations become dense layers whose weights are params
// in the store (θ in a model, φ in a guide), Glorot-initialized from the seed.
import type { Activation, NetNode } from "../ir/graph.ts";
import { weightKey } from "../ir/query.ts";
import { evalSize } from "../ir/types.ts";
import { tf } from "./tf.ts";
import { ParamStore, type Owner } from "./params.ts";
import type { Rng } from "./random.ts";
import type { NetApply } from "./evaluate.ts";
import { RuntimeError } from "./runtime-error.ts";

const ACT: Record<Activation, (x: tf.Tensor) => tf.Tensor> = {
  identity: (x) => x,
  relu: tf.relu,
  tanh: tf.tanh,
  sigmoid: tf.sigmoid,
  softplus: tf.softplus,
  exp: tf.exp,
};

export { weightKey };

/** Creates the net's weights in `store` (if absent) and returns its batched apply function. */
export function buildNet(node: NetNode, owner: Owner, store: ParamStore, bindings: Record<string, number>, rng: Rng): NetApply {
  const sizes = node.sizes.map((s) => {
    const v = evalSize(s, bindings);
    if (v === undefined) throw new RuntimeError("R020", `a layer size of net \`${node.name}\` is not bound`, undefined, node.span);
    return v;
  });
  const layers = sizes.length - 1;
  for (let i = 0; i < layers; i++) {
    const [fanIn, fanOut] = [sizes[i]!, sizes[i + 1]!];
    const wKey = ParamStore.key(owner, weightKey(node.name, i, "W"));
    if (!store.has(wKey)) {
      const limit = Math.sqrt(6 / (fanIn + fanOut));
      const w = tf.randomUniform([fanIn, fanOut], -limit, limit, "float32", rng.next());
      store.add(owner, weightKey(node.name, i, "W"), "real", [fanIn, fanOut], w);
      w.dispose();
      const b = tf.zeros([fanOut]);
      store.add(owner, weightKey(node.name, i, "b"), "real", [fanOut], b);
      b.dispose();
    }
  }
  const keys = Array.from({ length: layers }, (_, i) => [ParamStore.key(owner, weightKey(node.name, i, "W")), ParamStore.key(owner, weightKey(node.name, i, "b"))] as const);
  return (input) => {
    let x = input;
    keys.forEach(([w, b], i) => {
      const act = ACT[i === layers - 1 ? node.outputActivation : node.activation];
      x = act(tf.add(tf.matMul(x, store.entries.get(w)!.variable), store.entries.get(b)!.variable));
    });
    return x;
  };
}
