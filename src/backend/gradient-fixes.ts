// Gradients tfjs computes slowly. Tile's stock gradient adds one slice per repetition (thousands
// of kernels when tf.where or broadcastTo tiles a [1, …, K] tensor across particles × data);
// here it is one reshape and one sum.
import * as tf from "@tensorflow/tfjs";

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

export function applyGradientFixes(): void {
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
