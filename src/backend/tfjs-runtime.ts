// TensorFlow.js at run time, under Node (and Deno): the @tensorflow/tfjs package, whose Node build
// is one CommonJS bundle adding to tfjs-core the chained ops (t.reshape(…)), the gradients and the
// cpu backend. Browser bundles get ./tfjs-runtime.browser.ts instead (package.json "browser").
import "@tensorflow/tfjs";
