// The kernel switch for MCMC's density: the compiled density and the tfjs one (src/infer/mcmc/
// model-density.ts) are the same function — same layout, value and gradient at random points to
// float32 tolerance — on each covered model, the MCMC tests' own model files included; the
// switch picks compiled by default and tfjs when asked; an uncovered model falls back with a reason.
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { initBackend } from "../../src/backend/tf.ts";
import { Rng } from "../../src/backend/random.ts";
import { clearKernelFallbacks, kernelFallbacks, setKernelMode } from "../../src/backend/kernels.ts";
import { toTensorData, type FlatData } from "../../src/backend/model-runtime.ts";
import { modelDensity } from "../../src/infer/mcmc/model-density.ts";
import { densityFor } from "../../src/infer/mcmc/run-model.ts";
import { compiledMcmcDensity } from "../../src/infer/compiled-density.ts";
import { lvm } from "../helpers/compile.ts";
import { MCMC_MODELS } from "./mcmc-models.ts";

beforeAll(async () => {
  await initBackend("wasm");
});
afterEach(() => setKernelMode(undefined));

const modelFile = (name: string) => readFileSync(new URL(`../infer/mcmc/models/${name}`, import.meta.url), "utf8");
const fixture = (name: string) => JSON.parse(readFileSync(new URL(`../infer/mcmc/fixtures/${name}.json`, import.meta.url), "utf8")) as { data: Record<string, number | number[]> };
const col = (xs: readonly number[]) => ({ shape: [xs.length], data: Float32Array.from(xs) });

const eight = fixture("eight_schools-eight_schools_noncentered").data;
const kid = fixture("kidiq-kidscore_momiq").data;
const XM = Array.from({ length: 50 }, (_, n) => (n % 3 === 0 ? 2 : -2) + Math.sin(n * 1.9));

/** The MCMC tests' model files (vectorized sites, `beta[0]`, arithmetic on z) with their data, and this folder's models. */
const cases: { name: string; source: string; model?: string; data: FlatData }[] = [
  { name: "eight-schools-noncentered.lvm", source: modelFile("eight-schools-noncentered.lvm"), data: { sizes: { J: 8 }, values: { y: col(eight["y"] as number[]), sigma: col(eight["sigma"] as number[]) } } },
  { name: "kidiq.lvm", source: modelFile("kidiq.lvm"), data: { sizes: { N: 434 }, values: { kid_score: col(kid["kid_score"] as number[]), mom_iq: col(kid["mom_iq"] as number[]) } } },
  { name: "mixture2.lvm", source: modelFile("mixture2.lvm"), data: { sizes: { N: XM.length }, values: { x: col(XM) } } },
  { name: "normal-normal.lvm", source: modelFile("normal-normal.lvm"), data: { sizes: { N: 5 }, values: { x: col([0.3, 1.2, -0.4, 2, 0.9]) } } },
  ...MCMC_MODELS.map((m) => ({ name: m.name, source: m.source, data: m.data })),
];

async function both(c: (typeof cases)[number]) {
  const m = await lvm(c.source, 0, c.model);
  const rt = m.runtime;
  rt.bind(c.data.sizes);
  const t = toTensorData(c.data);
  setKernelMode("compiled");
  const compiled = compiledMcmcDensity(rt, t);
  return { rt, t, tfjs: modelDensity(rt, t), compiled };
}

describe("compiled and tfjs MCMC densities agree", () => {
  for (const c of cases)
    it(`${c.name}: same layout; value and gradient at random points within float32 tolerance`, async () => {
      const { tfjs, compiled } = await both(c);
      expect(compiled, String(kernelFallbacks().at(-1)?.reason)).toBeDefined();
      expect(compiled!.layout).toEqual(tfjs.layout);
      expect([compiled!.dim, compiled!.finite, compiled!.heldParams]).toEqual([tfjs.dim, tfjs.finite, tfjs.heldParams]);
      const rng = new Rng(21);
      for (let i = 0; i < 5; i++) {
        // Float32-representable points: the tfjs density reads q in float32.
        const q = Float64Array.from({ length: tfjs.dim }, () => Math.fround(4 * rng.uniform() - 2));
        const g = new Float64Array(tfjs.dim), r = new Float64Array(tfjs.dim);
        const v = compiled!.logDensity(q, g), ref = tfjs.logDensity(q, r);
        expect(Math.abs(v - ref)).toBeLessThan(1e-5 * Math.max(1, Math.abs(ref)));
        const scale = Math.max(1, ...Array.from(r, Math.abs));
        g.forEach((x, j) => expect(Math.abs(x - r[j]!), `coordinate ${j}`).toBeLessThan(1e-5 * scale));
        expect(compiled!.constrain(q)).toEqual(Object.fromEntries(Object.entries(tfjs.constrain(q)).map(([k, a]) => [k, expect.toSatisfy((b: Float64Array) => b.every((x, j) => Math.abs(x - a[j]!) <= 1e-15 * Math.max(1, Math.abs(x))))])));
      }
    });
});

describe("the MCMC density switch", () => {
  const c = cases[0]!;

  it("runs the compiled density unless LATENT_KERNELS=tfjs (or setKernelMode) asks for tfjs", async () => {
    const { rt, t, tfjs } = await both(c);
    const q = Float64Array.from({ length: tfjs.dim }, (_, i) => Math.fround(Math.sin(i)));
    const g = new Float64Array(tfjs.dim);
    setKernelMode("compiled");
    const compiledValue = compiledMcmcDensity(rt, t)!.logDensity(q, g);
    expect(densityFor(rt, t, {}).logDensity(q, g)).toBe(compiledValue);
    setKernelMode("tfjs");
    expect(compiledMcmcDensity(rt, t)).toBeUndefined();
    expect(densityFor(rt, t, {}).logDensity(q, g)).toBe(tfjs.logDensity(q, g));
    // The float64 value differs from the float32 one: the two branches are told apart.
    expect(compiledValue).not.toBe(tfjs.logDensity(q, g));
    setKernelMode(undefined);
    const env = process.env["LATENT_KERNELS"]?.trim().toLowerCase();
    if (env !== "tfjs" && env !== "compiled") expect(densityFor(rt, t, {}).logDensity(q, g)).toBe(compiledValue);
  });

  it("falls back to the tfjs density with a reason where the compiler does not cover the model", async () => {
    const m = await lvm(modelFile("bad.lvm"), 0, "UniformEdge");
    const data: FlatData = { sizes: { N: 3 }, values: { x: col([0.5, 1.5, 0.7]) } };
    m.runtime.bind(data.sizes);
    const t = toTensorData(data);
    setKernelMode("compiled");
    clearKernelFallbacks();
    const d = densityFor(m.runtime, t, {});
    expect(kernelFallbacks().at(-1)).toEqual({ what: "MCMC density", reason: "distribution Uniform for data is not compiled yet" });
    const q = Float64Array.from([Math.fround(0.9)]);
    expect(d.logDensity(q, new Float64Array(1))).toBe(modelDensity(m.runtime, t).logDensity(q, new Float64Array(1)));
  });
});
