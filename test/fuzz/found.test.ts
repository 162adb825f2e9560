// Crashes the program fuzz found in code this suite does not own, each pinned as an `it.fails`
// with its input: remove `.fails` when the fix lands (the test then passes as written).
// `npm run fuzz` lists them by signature; the case numbers below are for seed 20261123.
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { initBackend } from "../../src/backend/tf.ts";
import { lvm, normalLogPdf } from "../helpers/compile.ts";
import { LatentError } from "../../src/diagnostics/diagnostic.ts";
import { runProgram, runProgramAndFit } from "./run-case.ts";

beforeAll(async () => {
  await initBackend("wasm");
});

const GMM = readFileSync("examples/gaussian-mixture/model.lvm", "utf8");
const FA = readFileSync("examples/factor-analysis/model.lvm", "utf8");

describe("found by the program fuzz", () => {
  // Fuzz cases 1381, 3531, 5278, 7847: the Gaussian mixture with `const K = 1`. Checks, lowers
  // and compiles; then every evaluation (sample, fit, logJoint, logMarginal) throws a raw
  // TensorFlow.js Error "Error in oneHot: depth must be >=2, but it is 1" from
  // src/backend/distributions/categorical.ts:30 (logProb: tf.oneHot(value, k) with k = 1).
  // A one-component mixture is one Gaussian: log p(x) = Σ log N(x_nd; mu_d, sigma_d).
  it("a one-component mixture (K = 1) has the log-likelihood of a single Gaussian", async () => {
    const m = await lvm(GMM.replace("const K = 3", "const K = 1"));
    const x = [[1, 2], [3, -4], [0.5, 0]];
    m.setParams({}, { D: 2 });
    expect(m.setParams({ weights: [1], mu: [[0.5, -1]], sigma: [[2, 3]] })).toEqual([]);
    const expected = x.reduce((s, r) => s + normalLogPdf(r[0]!, 0.5, 2) + normalLogPdf(r[1]!, -1, 3), 0);
    expect(m.logMarginal({ x }, { method: "exact" }).logMarginal).toBeCloseTo(expected, 3);
  });

  it("the fuzz pipeline does not crash on K = 1 (sample with N = D = 2)", () => {
    expect(runProgram(GMM.replace("const K = 3", "const K = 1")).kind).not.toBe("crash");
  });

  // Fuzz cases 2063, 4843, 8565: a `param` with a discrete support (cat, count, binary) passes
  // the checker and lowering, and the first bind throws Error "internal: no bijector for
  // discrete support 'cat'" from src/backend/bijectors.ts:110 (bijectorFor, via
  // ParamStore.add ← ModelRuntime.initParam ← ModelRuntime.bind ← CompiledModel.sample).
  // It should be a checker diagnostic (params are continuous; a discrete unknown is a latent).
  it.each([
    ["cat", "model M {\n  const K = 4\n  param z: cat[K][4]\n}\n"],
    ["count", "model M {\n  param x: positive = 1\n}\nguide G for M {\n  param mu: count[2] = 100\n}\n"],
    ["binary", "model M {\n  data x: real[N]\n  param b: binary\n  x ~ Normal(b, 1)\n}\n"],
  ])("a %s param is refused by the checker, not by the backend", (_, src) => {
    const o = runProgram(src);
    expect(o.kind).toBe("diagnostics");
  });

  // Fuzz cases 6261, 7016: factor analysis with `const K = 0` (a zero-width latent). Checks and
  // compiles; sampling throws TensorFlow.js Error "Cannot infer the missing size in [-1,0] when
  // there are 0 elements" (a reshape with -1 over an empty tensor in matmul,
  // src/backend/functions.ts:56, evaluating `matmul(z, transpose(W))` with z: [.., N, 0]; via
  // evaluate.ts evalExpr ← distArgs ← scoreSite ← ModelRuntime.run ← CompiledModel.sample). Either the checker refuses zero sizes or the backend handles them;
  // here we only ask for no crash.
  it("a zero-size const axis (K = 0) ends in diagnostics or a result", () => {
    expect(runProgram(FA.replace("const K = 2", "const K = 0")).kind).not.toBe("crash");
  });

  // Found with fit steps in the loop (scripts/fuzz.ts; e.g. the naive-vs-importance example with
  // its `Prior` guide deleted, or any model without params): `fit` on a model with nothing to
  // learn throws TensorFlow.js's raw Error "variableGrads() expects at least one of the input
  // variables to be trainable, but none of the 0 variables is trainable" from
  // src/infer/fit-loop.ts:98 (optimize ← CompiledModel.fit). Expected: a diagnostic ("nothing to
  // fit") or a result with 0 steps.
  it("fit on a model without params ends in a diagnostic or a result", async () => {
    const m = await lvm(`model S {\n  data x: real[N]\n  latent z: binary\n  z ~ Bernoulli(0.3)\n  x ~ Normal(z, 1)\n}\n`);
    let thrown: unknown;
    try {
      await m.fit({ x: [1, 2] }, { steps: 2 });
    } catch (e) {
      thrown = e;
    }
    expect(thrown === undefined || thrown instanceof LatentError).toBe(true);
  });

  it("the fuzz pipeline with fit steps does not crash on a model without params", async () => {
    const o = await runProgramAndFit(`model S {\n  data x: real[N]\n  latent z: binary\n  z ~ Bernoulli(0.3)\n  x ~ Normal(z, 1)\n}\n`);
    expect(o.kind).not.toBe("crash");
  });

  // Same family (fuzz cases 2930, 5597): params exist but no density reads them
  // (`model M { const K = 2  param mu: unit[2 * K] }`): `fit` throws TensorFlow.js's raw Error
  // "Cannot find a connection between any variable and the result of the loss function" from
  // src/infer/fit-loop.ts:98 (tf.variableGrads). The checker warns nothing either.
  it("fit on a model whose params no density reads ends in a diagnostic or a result", async () => {
    const o = await runProgramAndFit(`model M {\n  const K = 2\n  param mu: unit[2 * K]\n}\n`);
    expect(o.kind).not.toBe("crash");
  });
});
