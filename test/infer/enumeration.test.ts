// Joint enumeration of global binary latents against a brute-force float64 sum in the test.
import { describe, expect, it } from "vitest";
import { LatentError } from "../../src/diagnostics/diagnostic.ts";
import { exactLogMarginal } from "../../src/infer/exact.ts";
import { enumDigits, type EnumPlan } from "../../src/infer/enumerate.ts";
import { toTensorData } from "../../src/backend/model-runtime.ts";
import { tf } from "../../src/backend/tf.ts";
import { lse, lvm, normalLogPdf } from "../helpers/compile.ts";

const L = 8;
const source = `
model Switches {
  const L = ${L}
  data x: real[N, L]
  latent z: binary[L]
  z ~ Bernoulli(0.3)
  x ~ Normal(2 * z - 1, 1)
}`;
const x = [
  [1.2, -0.8, 0.9, -1.1, 0.3, 1.5, -0.2, -0.9],
  [0.7, -1.3, 1.1, -0.6, -0.4, 0.8, 0.1, -1.2],
];

function bruteForce(): number {
  const terms: number[] = [];
  for (let m = 0; m < 2 ** L; m++) {
    let t = 0;
    for (let l = 0; l < L; l++) {
      const z = (m >> l) & 1;
      t += Math.log(z ? 0.3 : 0.7);
      for (const row of x) t += normalLogPdf(row[l]!, 2 * z - 1, 1);
    }
    terms.push(t);
  }
  return lse(terms);
}

describe("joint enumeration of global latents", () => {
  it("equals the brute-force sum over 2^L assignments", async () => {
    const m = await lvm(source);
    expect(m.logMarginal({ x }).logMarginal).toBeCloseTo(bruteForce(), 3);
  });

  it("gives the same value when the enumeration axis is cut into chunks", async () => {
    const m = await lvm(source);
    const flat = m.bind({ x });
    const data = toTensorData(flat);
    m.runtime.bind(flat.sizes);
    const whole = tf.tidy(() => exactLogMarginal(m.runtime, { data }).total.dataSync()[0]!);
    const chunked = tf.tidy(() => exactLogMarginal(m.runtime, { data, chunkBudget: 64 }).total.dataSync()[0]!); // 128 chunks of 2 (16 data entries + 8 values + 1 prior a slot)
    expect(chunked).toBeCloseTo(whole, 4);
    const posterior = (m.posterior({ x }).z as { probs: number[][] }).probs;
    // Marginal posterior of each switch from the brute-force sum.
    const norm = bruteForce();
    for (let l = 0; l < L; l++) {
      const on: number[] = [];
      for (let mm = 0; mm < 2 ** L; mm++) {
        if (!((mm >> l) & 1)) continue;
        let t = 0;
        for (let j = 0; j < L; j++) {
          const z = (mm >> j) & 1;
          t += Math.log(z ? 0.3 : 0.7);
          for (const row of x) t += normalLogPdf(row[j]!, 2 * z - 1, 1);
        }
        on.push(t);
      }
      expect(posterior[l]![1]).toBeCloseTo(Math.exp(lse(on) - norm), 4);
    }
    expect(whole).toBeCloseTo(norm, 3);
    data.values.x!.dispose();
  });

  it("refuses beyond the enumeration limit with a diagnostic that names the latent", async () => {
    const m = await lvm(source);
    try {
      m.logMarginal({ x }, { enumLimit: 16 });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(LatentError);
      const d = (e as LatentError).diagnostics[0]!;
      expect(d.code).toBe("E001");
      expect(d.message).toContain("`z` (2^8)");
      expect(d.hint).toContain("importance");
    }
  });

  it("takes its limit from LATENT_ENUM_LIMIT (the CLI's way to raise it), and names it in the hint", async () => {
    const m = await lvm(source);
    const before = process.env.LATENT_ENUM_LIMIT;
    try {
      process.env.LATENT_ENUM_LIMIT = "16";
      const e = (() => {
        try {
          m.logMarginal({ x });
        } catch (err) {
          return err as LatentError;
        }
      })();
      expect(e?.diagnostics[0]?.code).toBe("E001");
      expect(e?.diagnostics[0]?.message).toContain("the limit is 2^4");
      expect(e?.diagnostics[0]?.hint).toContain("LATENT_ENUM_LIMIT");
      process.env.LATENT_ENUM_LIMIT = "256";
      expect(Number.isFinite(m.logMarginal({ x }).logMarginal)).toBe(true);
    } finally {
      if (before === undefined) delete process.env.LATENT_ENUM_LIMIT;
      else process.env.LATENT_ENUM_LIMIT = before;
    }
  });

  it("names the latents that put it over the limit, largest first, to be drawn instead", async () => {
    const m = await lvm(`model Two {\n  data x: real[N]\n  latent small: binary\n  latent big: binary[24]\n  small ~ Bernoulli(0.5)\n  big ~ Bernoulli(0.5)\n  x ~ Normal(small + big[0], 1)\n}`);
    try {
      m.logMarginal({ x: [0.5, 1] }); // 2^25 joint values; the default limit is 2^22
      expect.unreachable();
    } catch (e) {
      const d = (e as LatentError).diagnostics[0]!;
      expect(d.code).toBe("E001");
      expect(d.message).toContain("2^25.0 joint values of `big` (2^24) × `small` (2^1)");
      // Without `big` the rest (2^1) fits: it alone is named.
      expect(d.hint).toMatch(/^draw `big` instead of summing it out: use --method importance/);
    }
  });

  it("enumDigits (runs and periods) equals a slot-by-slot decode of the slot index", () => {
    const site = (name: string, card: number, elems: number) => ({ name, card, shape: [elems], elems, local: false });
    const plan: EnumPlan = { sites: [site("a", 3, 2), site("b", 2, 1), site("c", 5, 3)], size: 9 * 2 * 125, local: false };
    for (const [start, count] of [[0, plan.size], [7, 100], [1000, 1250], [17, 1], [2249, 1]] as const) {
      const got = enumDigits(plan, start, count);
      let stride = 1;
      plan.sites.forEach((s, j) => {
        const want: number[] = [];
        for (let m = 0; m < count; m++) {
          let q = Math.floor((start + m) / stride);
          for (let e = 0; e < s.elems; e++, q = Math.floor(q / s.card)) want.push(q % s.card);
        }
        expect(Array.from(got[j]!)).toEqual(want);
        expect(Array.from(enumDigits(plan, start, count, j)[j]!)).toEqual(want);
        stride *= s.card ** s.elems;
      });
    }
  });

  it("says why exact is impossible for a continuous latent outside the linear-Gaussian family", async () => {
    const m = await lvm(`model M { data x: real[N]\n latent s: real\n s ~ Normal(0, 1)\n x ~ Normal(0, exp(s)) }`);
    expect(() => m.logMarginal({ x: [1, 2] })).toThrow(/E005|not quadratic/);
  });
});
