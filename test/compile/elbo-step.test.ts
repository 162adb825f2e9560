// The compiled meanfield ELBO step against the tfjs estimator it replaces: at the same seed the
// same draws, so its value and every gradient must equal tf.variableGrads of elbo.ts' surrogate
// (float32 tolerance); a short fit follows the same trace in both kernel modes; what it does not
// cover falls back to tfjs with a reason.
import { afterEach, describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { tf } from "../../src/backend/tf.ts";
import { Rng } from "../../src/backend/random.ts";
import { clearKernelFallbacks, kernelFallbacks, setKernelMode } from "../../src/backend/kernels.ts";
import { toTensorData, type FlatData } from "../../src/backend/model-runtime.ts";
import { meanfieldGuide } from "../../src/infer/guides/meanfield.ts";
import { elboTerms } from "../../src/infer/elbo.ts";
import { compiledMeanfieldElbo } from "../../src/infer/compiled-elbo.ts";
import { batchTensors } from "../../src/infer/batches.ts";
import { compileJoint, type CompiledJoint } from "../../src/compile/program.ts";
import { gmmGraph } from "../helpers/gmm-graph.ts";
import { lvm } from "../helpers/compile.ts";
import { renamed } from "./graphs.ts";

const src = readFileSync(new URL("../../examples/gaussian-mixture/model.lvm", import.meta.url), "utf8");
const N = 25;
const x = Array.from({ length: N }, (_, n) => [((n * 37) % 11) / 3 + (n % 3) * 3 - 3, ((n * 17) % 7) / 2 - (n % 3)]);
const flat: FlatData = { sizes: { N, D: 2 }, values: { x: { shape: [N, 2], data: Float32Array.from(x.flat()) } } };

afterEach(() => setKernelMode(undefined));

describe("compiled meanfield ELBO step", () => {
  it("equals the tfjs surrogate's value and gradients at the same draws (3 particles, with a baseline, on a minibatch)", async () => {
    const m = await lvm(src, 0);
    const rt = m.runtime;
    rt.bind(flat.sizes);
    const data = toTensorData(flat);
    const guide = meanfieldGuide(rt);
    guide.init(rt, data);
    // Move every param off its start so no gradient is trivially zero.
    const init = new Rng(9);
    for (const e of rt.store.entries.values()) e.variable.assign(tf.tensor(Float32Array.from({ length: e.variable.size }, () => init.uniform() - 0.5), e.variable.shape));
    const step = compiledMeanfieldElbo(rt, guide, flat, 3);
    if ("reason" in step) throw new Error(step.reason);
    const vars = rt.store.variables();
    // Full data without and with a baseline, then a minibatch (local terms scaled by N/B).
    const batch = Int32Array.from([3, 17, 0, 24, 9, 11, 5]);
    for (const [b, rows] of [[undefined, undefined], [-80, undefined], [-80, batch]] as const) {
      const tfBase = new Map<string, number>(b === undefined ? [] : [["z", b]]);
      const hostBase = new Map(tfBase);
      const batchData = rows ? batchTensors(flat, rows, "N", new Set(["x"])) : data;
      const ref = tf.tidy(() => {
        const { value, grads } = tf.variableGrads(() => elboTerms(rt, guide, batchData, { particles: 3, rng: new Rng(4), totalRows: N, baselines: tfBase, ...(rows ? { rows } : {}) }).surrogate, vars);
        return { value: value.dataSync()[0]!, grads: vars.map((v) => Array.from(grads[v.name]!.dataSync())) };
      });
      const got = step.step(rows, new Rng(4), vars, hostBase)!;
      expect(Math.abs(got.value - ref.value)).toBeLessThan(1e-5 * Math.abs(ref.value));
      got.grads.forEach((g, i) => {
        const r = ref.grads[i]!;
        const scale = Math.max(1, ...r.map(Math.abs));
        g.forEach((v, j) => expect(Math.abs(v - r[j]!)).toBeLessThan(1e-4 * scale));
      });
      expect(hostBase.get("z")!).toBeCloseTo(tfBase.get("z")!, 2);
    }
  });

  it("a fit follows the same trace with LATENT_KERNELS=tfjs and =compiled", async () => {
    const traces: number[][] = [];
    for (const mode of ["tfjs", "compiled"] as const) {
      setKernelMode(mode);
      const m = await lvm(src, 0);
      const r = await m.fit({ x }, { objective: "elbo", guide: "meanfield", particles: 2, steps: 25, seed: 3, lr: 0.05 });
      traces.push(r.trace);
    }
    const [a, b] = traces as [number[], number[]];
    expect(b).toHaveLength(a.length);
    a.forEach((v, i) => expect(Math.abs(b[i]! - v)).toBeLessThan(1e-3 * Math.abs(v)));
  });

  it("falls back to tfjs with a reason where it does not apply (IWAE, enumerated ELBO)", async () => {
    setKernelMode("compiled");
    const m = await lvm(src, 0);
    clearKernelFallbacks();
    const r = await m.fit({ x }, { objective: "elbo", guide: "meanfield", enumerate: true, steps: 3, seed: 1 });
    expect(r.trace.every(Number.isFinite)).toBe(true);
    expect(kernelFallbacks().map((f) => f.reason)).toContain("the enumerated ELBO is not compiled yet");
  });

  it("hostile-looking names become slot identifiers in the generated log joint", () => {
    const names = { x: 'x"]);globalThis.pwned=1;//', weights: "constructor", mu: "$(rm -rf ~)", sigma: "σ\u2028`${1}`", z: "__proto__" };
    const plain = compileJoint(gmmGraph(3), { N, D: 2, K: 3 }) as CompiledJoint;
    const hostile = compileJoint(renamed(gmmGraph(3), names), { N, D: 2, K: 3 }) as CompiledJoint;
    expect("source" in hostile).toBe(true);
    for (const n of Object.values(names)) expect(hostile.source).not.toContain(n);
    expect(hostile.source).toBe(plain.source);
  });
});
