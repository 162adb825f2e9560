// Gradients tfjs computes slowly. Tile's stock gradient adds one slice per repetition (thousands
// of kernels when tf.where or broadcastTo tiles a [1, …, K] tensor across particles × data);
// here it is one reshape and one sum.
import * as tf from "@tensorflow/tfjs-core";

let applied = false;

const tileGrad: tf.GradConfig = {
  kernelName: "Tile",
  inputsToSave: ["x"],
  gradFunc: (dy, saved, attrs) => {
    const [x] = saved as [tf.Tensor];
    const { reps } = attrs as unknown as { reps: number[] };
    return {
      x: () => {
        // dy has shape [r0·s0, r1·s1, …]; axis i splits into (r_i, s_i) with the repetition outer.
        const split: number[] = [];
        const sumAxes: number[] = [];
        x.shape.forEach((s, i) => {
          sumAxes.push(split.length);
          split.push(reps[i]!, s);
        });
        return tf.sum(tf.reshape(dy as tf.Tensor, split), sumAxes).reshape(x.shape);
      },
    };
  },
};

/**
 * WASM's Identity copies the tensor's memory; autodiff clones every input and output it saves for
 * the backward pass (a third of a VI step's kernels). Share the buffer instead, by reference
 * count, as the cpu backend does: tensors are immutable and Variable.assign swaps buffers.
 */
let identityPatched = false;
function patchWasmIdentity(): void {
  const k = tf.getKernel("Identity", "wasm");
  if (identityPatched || !k) return;
  identityPatched = true;
  tf.unregisterKernel("Identity", "wasm");
  tf.registerKernel({
    ...k,
    kernelFunc: (args) => {
      const x = (args.inputs as Record<string, tf.TensorInfo>)["x"]!;
      if (x.dtype === "string") return (k.kernelFunc as (a: typeof args) => tf.TensorInfo)(args);
      (args.backend as unknown as { incRef(id: object): void }).incRef(x.dataId);
      return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
    },
  });
}

/**
 * Autodiff saves each tensor a gradient needs by running an Identity kernel and recording it on
 * the tape (and later a Cast for its gradient): a third of a VI step's kernels. A saved tensor is
 * only read by first-order gradient functions (Latent never nests tf.grad), so a second reference
 * to the same buffer, counted like a reshape's, is enough.
 */
let clonePatched = false;
function patchEngineClone(): void {
  const engine = tf.engine() as unknown as {
    backend: { incRef?(id: object): void };
    backendName: string;
    clone(x: tf.Tensor): tf.Tensor;
    makeTensorFromTensorInfo(info: tf.TensorInfo): tf.Tensor;
  };
  if (clonePatched || !["wasm", "cpu"].includes(engine.backendName)) return;
  clonePatched = true;
  const stock = engine.clone.bind(engine);
  engine.clone = (x: tf.Tensor): tf.Tensor => {
    const backend = engine.backend;
    if (x.dtype === "string" || !backend.incRef) return stock(x);
    backend.incRef(x.dataId);
    return engine.makeTensorFromTensorInfo({ dataId: x.dataId, shape: x.shape, dtype: x.dtype });
  };
}

export function applyGradientFixes(): void {
  patchWasmIdentity();
  patchEngineClone();
  if (applied) return;
  applied = true;
  const warn = console.warn;
  console.warn = () => {}; // tfjs announces every overridden gradient
  try {
    tf.registerGradient(tileGrad);
  } finally {
    console.warn = warn;
  }
}
