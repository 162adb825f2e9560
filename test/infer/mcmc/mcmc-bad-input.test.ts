// What a user gets from CompiledModel.mcmc on input it cannot run, or on a run that went badly:
// a LatentError with a coded diagnostic, or a warning in the result — never a raw exception.
import { describe, expect, it } from "vitest";
import { LatentError, type Diagnostic } from "../../../src/diagnostics/diagnostic.ts";
import { compileModel } from "./helpers.ts";

async function diagnosticsOf(p: Promise<unknown>): Promise<Diagnostic[]> {
  try {
    await p;
  } catch (e) {
    if (e instanceof LatentError) return e.diagnostics;
    throw e;
  }
  throw new Error("expected a LatentError");
}

const x = [0.3, 2.1, 1.7, -0.4];

describe("mcmc: bad input and bad runs", () => {
  it("chains 0, draws 0, negative warm-up, target acceptance 1: E031 naming each", async () => {
    const m = await compileModel("models/normal-normal.lvm");
    const ds = await diagnosticsOf(m.mcmc({ x }, { chains: 0, draws: 0, warmup: -1, targetAccept: 1 }));
    expect(ds.map((d) => d.code)).toEqual(["E031", "E031", "E031", "E031"]);
    expect(ds.map((d) => d.message.split(" ")[1])).toEqual(["chains", "warmup", "draws", "targetAccept"]);
    expect(ds[0]!.message).toContain("got 0");
  });

  it("a count latent: E030 saying why NUTS cannot move it", async () => {
    const m = await compileModel("models/bad.lvm", "CountLatent");
    const [d] = await diagnosticsOf(m.mcmc({ x }, { chains: 1, warmup: 10, draws: 10 }));
    expect(d!.code).toBe("E030");
    expect(d!.message).toContain("`k`");
    expect(d!.message).toContain("infinitely many values");
    expect(d!.span?.start.line).toBe(4);
  });

  it("finite latents that cannot be summed out together (a global and a local one): E003 with an MCMC hint", async () => {
    const m = await compileModel("models/bad.lvm", "MixedFinite");
    const [d] = await diagnosticsOf(m.mcmc({ x }, { chains: 1, warmup: 10, draws: 10 }));
    expect(d!.code).toBe("E003");
    expect(d!.message).toMatch(/^MCMC sums the finite latents out exactly, and cannot here: cannot enumerate local latents \(z\) together with global ones \(g\)/);
    expect(d!.hint).toContain("all local");
  });

  it("only finite latents: E032 (their posterior is exact)", async () => {
    const m = await compileModel("models/bad.lvm", "OnlyFinite");
    const [d] = await diagnosticsOf(m.mcmc({ x }, { chains: 1, warmup: 10, draws: 10 }));
    expect(d!.code).toBe("E032");
  });

  it("no finite log density at initialization: retries, then E034 names the site; a given init value works", async () => {
    const m = await compileModel("models/bad.lvm", "UniformEdge");
    // x ~ Uniform(0, theta) needs theta > 50: log theta > 3.9, outside uniform(−2, 2).
    const data = { x: [3, 50, 12] };
    const [d] = await diagnosticsOf(m.mcmc(data, { chains: 1, warmup: 10, draws: 10 }));
    expect(d!.code).toBe("E034");
    expect(d!.message).toContain("100 tries");
    expect(d!.message).toContain("`x ~ Uniform(…)`");
    const r = await m.mcmc(data, { chains: 1, warmup: 50, draws: 20, init: { theta: 60 } });
    expect(r.variables[0]!.draws[0]!.every((v) => v[0]! > 50)).toBe(true);
  });

  it("bad init values: E033 (not a continuous latent, wrong shape, outside the support)", async () => {
    const m = await compileModel("models/mixture2.lvm");
    const ds = await diagnosticsOf(m.mcmc({ x }, { chains: 1, init: { z: [0, 1, 0, 1], mu0: [1, 2], s: -1, nope: 1 } }));
    expect(ds.map((d) => d.code)).toEqual(["E033", "E033", "E033", "E033"]);
    expect(ds.map((d) => d.message)).toEqual([
      expect.stringContaining("`z`: it is a finite latent"),
      expect.stringContaining("`mu0`: expected shape []"),
      expect.stringContaining("`s` is outside its support"),
      expect.stringContaining("`nope`: it is not a latent"),
    ]);
  });

  it("a posterior the data do not pin down (a scale with a prior of scale 1e30 and no data): E040", async () => {
    const m = await compileModel("models/bad.lvm", "Vague");
    const r = await m.mcmc({ y: x }, { chains: 2, warmup: 150, draws: 50, seed: 1, maxTreeDepth: 6 });
    const d = r.diagnostics.find((x) => x.code === "E040");
    expect(d?.message).toContain("`s`");
    expect(d?.message).not.toContain("`b`");
    // The scale's draws are beyond e^60 (it drifts to where the 1e-30 rate bites, e^69).
    expect(Math.max(...r.variables.find((v) => v.name === "s")!.draws.flat().map((d) => d[0]!))).toBeGreaterThan(Math.exp(60));
  });

  it("shouldStop mid-run: the draws so far are kept, E041 says so", async () => {
    const m = await compileModel("models/normal-normal.lvm");
    let calls = 0;
    const last = [0, 0];
    const r = await m.mcmc({ x }, { chains: 2, warmup: 20, draws: 100, seed: 3, shouldStop: () => ++calls >= 100, onProgress: (p) => (last[p.chain] = p.iteration) });
    expect(r.stopped).toBe(true);
    expect(calls).toBe(100);
    expect(last[0]! + last[1]!).toBe(100);
    // Each chain keeps its draws after warm-up, cut to the shorter chain's.
    const kept = Math.min(last[0]!, last[1]!) - 20;
    expect(kept).toBeGreaterThan(0);
    expect(r.variables[0]!.draws.map((c) => c.length)).toEqual([kept, kept]);
    expect(r.chains.map((c) => c.stats.length)).toEqual([kept, kept]);
    expect(r.summary).toHaveLength(1);
    expect(r.diagnostics.map((d) => d.code)).toContain("E041");
  });

  it("a stop requested from a timer (as a SIGINT handler would) is heard: the run yields to the event loop", async () => {
    const m = await compileModel("models/normal-normal.lvm");
    let stop = false;
    setTimeout(() => (stop = true), 300);
    const r = await m.mcmc({ x }, { chains: 2, warmup: 10, draws: 1_000_000, seed: 4, shouldStop: () => stop });
    expect(r.stopped).toBe(true);
    expect(r.variables[0]!.draws[0]!.length).toBeGreaterThan(0);
    expect(r.variables[0]!.draws[0]!.length).toBeLessThan(1_000_000);
  });
});
