// Exact enumeration of many global binary latents holds one chunk's tensors at a time: the peak
// bytes TensorFlow.js allocates (tf.profile, not RSS) follow the chunk budget, not the number of
// joint values. Before chunks were tidied one by one, every chunk's tensors lived until the end
// (2^22 values of 22 latents took 1.8 GB whatever the budget). Values against the closed form:
// b_i ~ Bernoulli(1/2), x_n ~ Normal(Σ b_i, 1), so Σ b_i ~ Binomial(k, 1/2).
import { describe, expect, it } from "vitest";
import { LatentError } from "../../src/diagnostics/diagnostic.ts";
import { exactLogMarginal } from "../../src/infer/exact.ts";
import { toTensorData } from "../../src/backend/model-runtime.ts";
import { tf } from "../../src/backend/tf.ts";
import { lse, lvm, normalLogPdf } from "../helpers/compile.ts";

const x = [0.3, -0.2, 1.1, 0.8, 0.5];

const source = (k: number) => {
  const decls = Array.from({ length: k }, (_, i) => `  latent b${i}: binary\n  b${i} ~ Bernoulli(0.5)`).join("\n");
  return `model Many {\n  data x: real[N]\n${decls}\n  x ~ Normal(${Array.from({ length: k }, (_, i) => `b${i}`).join(" + ")}, 1)\n}\n`;
};

function closedForm(k: number): number {
  const logChoose = (n: number, r: number) => {
    let s = 0;
    for (let i = 1; i <= r; i++) s += Math.log(n - r + i) - Math.log(i);
    return s;
  };
  const terms = Array.from({ length: k + 1 }, (_, s) => logChoose(k, s) - k * Math.log(2) + x.reduce((a, v) => a + normalLogPdf(v, s, 1), 0));
  return lse(terms);
}

async function run(k: number, chunkBudget: number): Promise<{ value: number; peakBytes: number }> {
  const m = await lvm(source(k));
  const flat = m.bind({ x });
  const data = toTensorData(flat);
  m.runtime.bind(flat.sizes);
  let value = NaN;
  const info = await tf.profile(() => {
    value = tf.tidy(() => exactLogMarginal(m.runtime, { data, chunkBudget }).total.dataSync()[0]!);
  });
  data.values.x!.dispose();
  return { value, peakBytes: info.peakBytes };
}

describe("enumeration memory follows the chunk budget", () => {
  it("16 times the joint values at the same budget: same value as the closed form, about the same peak", async () => {
    const budget = 1 << 11;
    const small = await run(8, budget); // 256 values: 3 chunks of 97 (21 elements a slot)
    const large = await run(12, budget); // 4,096 values: 59 chunks of 70 (29 elements a slot)
    expect(small.value).toBeCloseTo(closedForm(8), 3);
    expect(large.value).toBeCloseTo(closedForm(12), 3);
    // Holding every chunk would make the large peak ~16 × 12/8 times the small one.
    expect(large.peakBytes).toBeLessThan(2 * small.peakBytes);
    // And one chunk is a small multiple of the budget's float32s (2.3× here): sizing chunks by
    // the 5 data entries alone, without the 12 sites' values and priors, gave 6× more.
    expect(large.peakBytes).toBeLessThan(4 * 4 * budget);
  });

  it("a larger budget raises the peak (chunks are what is held), and the value does not move", async () => {
    const tight = await run(12, 1 << 11);
    const loose = await run(12, 1 << 16); // one chunk
    expect(loose.value).toBeCloseTo(tight.value, 4);
    expect(loose.peakBytes).toBeGreaterThan(4 * tight.peakBytes);
  });
});

describe("a fit by exact enumeration is held to the element limit whole", () => {
  // The gradient tape keeps every chunk until the backward pass, so chunks do not bound a fit.
  const withParam = (k: number) => source(k).replace("data x: real[N]", "data x: real[N]\n  param mu: real").replace("x ~ Normal(", "x ~ Normal(mu + ");

  it("22 global binary latents over 5 points: refused before any chunk runs, naming the latents to draw", async () => {
    const m = await lvm(withParam(22));
    const err = (await m.fit({ x }, { steps: 2 }).catch((e: unknown) => e)) as LatentError;
    expect(err).toBeInstanceOf(LatentError);
    const d = err.diagnostics[0]!;
    expect(d.code).toBe("E006");
    // 2^22 joint values × (5 data entries + 22 × (1 value + 1 log prior)) = 205,520,896 > 2^26.
    expect(d.message).toContain("205,520,896 elements, over the limit of 67,108,864");
    // Without two of them: 2^20 × 49 = 51,380,224 fits.
    expect(d.hint).toMatch(/^draw `b\d+`, `b\d+` from a guide instead/);
  });

  it("only a differentiated enumeration is held to it: under a lowered limit, log p(x) still evaluates", async () => {
    const plain = await lvm(source(12));
    const m = await lvm(withParam(12));
    process.env.LATENT_MAX_ELEMENTS = "100000"; // 2^12 × (5 + 24) = 118,784 elements
    try {
      expect(plain.logMarginal({ x }).logMarginal).toBeCloseTo(closedForm(12), 3);
      const err = (await m.fit({ x }, { steps: 2 }).catch((e: unknown) => e)) as LatentError;
      expect(err.diagnostics?.[0]?.code).toBe("E006");
      expect(err.diagnostics[0]!.message).toContain("118,784 elements, over the limit of 100,000");
    } finally {
      delete process.env.LATENT_MAX_ELEMENTS;
    }
  });

  it("the gradient through 59 tidied chunks equals the closed form's", async () => {
    const m = await lvm(withParam(12));
    m.setParams({ mu: 0.7 });
    const flat = m.bind({ x });
    const data = toTensorData(flat);
    m.runtime.bind(flat.sizes);
    const { value, grads } = tf.variableGrads(() => exactLogMarginal(m.runtime, { data, chunkBudget: 1 << 11 }).total);
    const grad = Object.values(grads).map((g) => g.dataSync()[0]!);
    // d/dmu log Σ_s C(12, s) 2^−12 Π_n N(x_n; mu + s, 1) = E[Σ_n (x_n − mu − s) | x].
    const terms = Array.from({ length: 13 }, (_, s) => {
      let c = 0;
      for (let i = 1; i <= s; i++) c += Math.log(12 - s + i) - Math.log(i);
      return c - 12 * Math.log(2) + x.reduce((a, v) => a + normalLogPdf(v, 0.7 + s, 1), 0);
    });
    const z = lse(terms);
    const want = terms.reduce((a, t, s) => a + Math.exp(t - z) * x.reduce((b, v) => b + v - 0.7 - s, 0), 0);
    expect(value.dataSync()[0]!).toBeCloseTo(z, 3);
    expect(grad).toHaveLength(1);
    expect(grad[0]!).toBeCloseTo(want, 3);
    tf.dispose([value, ...Object.values(grads), data.values.x!]);
  });

  it("12 of them fit (the limit leaves ordinary enumerations alone)", async () => {
    const m = await lvm(withParam(12));
    const fit = await m.fit({ x }, { steps: 2 });
    expect(fit.objective).toBe("exact");
    expect(fit.stopped).toBe("done");
    expect(Number.isFinite(fit.final)).toBe(true);
  });
});
