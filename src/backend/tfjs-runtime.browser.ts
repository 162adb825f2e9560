// TensorFlow.js at run time in browser bundles (swapped in for ./tfjs-runtime.ts by the
// "browser" field of package.json): tfjs-core's ES modules with the chained ops, the gradients
// and the cpu backend, and not the rest of @tensorflow/tfjs (layers, converter, data, webgl),
// which Latent does not use. Under Node these deep imports would load a second copy of
// tfjs-core beside the CommonJS bundle, so Node keeps ./tfjs-runtime.ts.
import "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-core/dist/register_all_gradients.js";
import "@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops.js";
import "@tensorflow/tfjs-backend-cpu";
