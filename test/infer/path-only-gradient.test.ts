// The path-only ELBO gradient of the meanfield guide (Roeder et al. 2017) on the normal–normal
// model, sampled KL (analyticKL false), against closed forms. With z = loc + s·ε:
//   full:      ∂/∂loc = Σx − (N+1)·z                     (log q's total derivative in loc is 0)
//   path-only: ∂/∂loc = Σx − (N+1)·z + ε/s               (log q's params held; only z moves it)
// Both have mean Σx − (N+1)·loc, the exact gradient. At the exact posterior (loc = Σx/(N+1),
// s = 1/√(N+1)) the path-only one is 0 for every draw, while the full one has sd (N+1)·s = √(N+1) per
// draw: the noise that kept default fits 3–8% off in sd.
import { describe, expect, it } from "vitest";
import { tf } from "../../src/backend/tf.ts";
import { loadModel } from "../../src/api/index.ts";
import { toTensorData } from "../../src/backend/model-runtime.ts";
import { Rng } from "../../src/backend/random.ts";
import { elboTerms } from "../../src/infer/elbo.ts";

const x = [1.5, 2.1, 0.7, 1.9, 2.5, 1.2, 1.8, 2.2];
const N = x.length;
const sum = x.reduce((a, b) => a + b, 0);

async function locGradients(loc: number, scale: number, pathOnly: boolean, draws: number): Promise<number[]> {
  const m = await loadModel("examples/vi-gaussian/model.lvm", { seed: 1, backend: "wasm" });
  const flat = m.bind({ x });
  const guide = m.guide("meanfield");
  expect(m.setParams({ "meanfield.m.loc": loc, "meanfield.m.scale": scale }, { N })).toEqual([]);
  const data = toTensorData(flat);
  const locVar = m.runtime.store.entries.get("meanfield.m.loc")!.variable;
  const out: number[] = [];
  for (let seed = 1; seed <= draws; seed++) {
    out.push(
      tf.tidy(() => {
        const { grads } = tf.variableGrads(() => elboTerms(m.runtime, guide, data, { particles: 1, rng: new Rng(seed), totalRows: N, analyticKL: false, ...(pathOnly ? { pathOnly: true } : {}) }).surrogate, [locVar]);
        return grads[locVar.name]!.dataSync()[0]!;
      }),
    );
  }
  data.values.x!.dispose();
  return out;
}

const meanSd = (a: number[]) => {
  const mean = a.reduce((s, v) => s + v, 0) / a.length;
  return { mean, sd: Math.sqrt(a.reduce((s, v) => s + (v - mean) ** 2, 0) / (a.length - 1)) };
};

describe("path-only ELBO gradient (meanfield)", () => {
  it("off the optimum: the same mean as the full gradient, the exact Σx − (N+1)·loc, within 4 standard errors", async () => {
    const [loc, scale, S] = [0.5, 0.8, 400];
    const exact = sum - (N + 1) * loc;
    for (const pathOnly of [false, true]) {
      const g = meanSd(await locGradients(loc, scale, pathOnly, S));
      // Per-draw sd: full (N+1)·s = 7.2; path-only |(N+1)·s − 1/s|·1 = 5.95.
      const sd = pathOnly ? Math.abs((N + 1) * scale - 1 / scale) : (N + 1) * scale;
      expect(g.sd).toBeGreaterThan(0.8 * sd);
      expect(g.sd).toBeLessThan(1.2 * sd);
      expect(Math.abs(g.mean - exact), `pathOnly ${pathOnly}`).toBeLessThan((4 * sd) / Math.sqrt(S));
    }
  }, 60_000);

  it("at the exact posterior: the path-only gradient is 0 for every draw; the full one has sd √(N+1) = 3", async () => {
    const loc = sum / (N + 1), scale = 1 / Math.sqrt(N + 1);
    const path = await locGradients(loc, scale, true, 100);
    const full = meanSd(await locGradients(loc, scale, false, 100));
    // float32: z, ε/s and Σx − (N+1)z each carry ~1e-6 relative rounding of numbers ~10.
    expect(Math.max(...path.map(Math.abs))).toBeLessThan(1e-4);
    expect(full.sd).toBeGreaterThan(0.8 * 3);
    expect(full.sd).toBeLessThan(1.2 * 3);
  }, 60_000);
});
