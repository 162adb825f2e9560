// `latent mcmc` on worker threads draws exactly what the single-threaded run draws: each chain's
// streams are split from the seed the same way whichever thread runs it. Checked on a model with
// a held param, a continuous vector and a finite latent summed out and drawn afterwards, with
// three chains over two workers (one worker runs two chains in lockstep), in process and through
// the real binary (the bundle's worker entry).
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { workerCount } from "../../src/cli/mcmc-workers.ts";
import { latent, run } from "../helpers/cli.ts";

const dir = mkdtempSync(join(tmpdir(), "latent-mcmc-par-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const MODEL = join(dir, "mix.lvm");
writeFileSync(MODEL, "model Mix {\n  data x: real[N]\n  param w: simplex[2]\n  latent mu: real[2]\n  latent z: cat[2][N]\n  mu ~ Normal(0, 5)\n  for n in N {\n    z[n] ~ Categorical(w)\n    x[n] ~ Normal(mu[z[n]], 1)\n  }\n}\n");
const data = join(dir, "x.json");
writeFileSync(data, JSON.stringify({ x: [-2.1, -1.7, -2.5, 1.9, 2.2, 2.8, -1.9, 2.4] }));
const args = ["mcmc", MODEL, "--data", data, "--chains", "3", "--warmup", "150", "--draws", "100", "--seed", "9", "--json"];

interface Json {
  ok: boolean;
  draws: Record<string, { draws: unknown[][] }>;
  summary: unknown[];
  heldParams: string[];
  gradients: number;
}

describe.skipIf(availableParallelism() < 2)("latent mcmc on worker threads", () => {
  it("uses several workers here", () => {
    expect(workerCount(3)).toBeGreaterThan(1);
  });

  it("gives the sequential run's draws and summary bit for bit", async () => {
    const par = await run(...args);
    const seq = await run(...args, "--sequential");
    expect(par.code, par.err).toBe(0);
    expect(seq.code, seq.err).toBe(0);
    const [a, b] = [JSON.parse(par.out) as Json, JSON.parse(seq.out) as Json];
    expect(Object.keys(a.draws)).toEqual(["mu", "z"]);
    expect(a.heldParams).toEqual(["w"]);
    expect(a.draws).toEqual(b.draws);
    expect(a.summary).toEqual(b.summary);
    expect(a.gradients).toBe(b.gradients);
    // The chains differ from each other (their streams are distinct).
    const mu = a.draws["mu"]!.draws;
    expect(mu[0]).not.toEqual(mu[1]);
    expect(mu[1]).not.toEqual(mu[2]);
  }, 180_000);

  it("through the real binary as well", () => {
    const par = latent(args, { timeout: 180_000 });
    const seq = latent([...args, "--sequential"], { timeout: 180_000 });
    expect(par.code, par.err).toBe(0);
    expect(seq.code, seq.err).toBe(0);
    expect((JSON.parse(par.out) as Json).draws).toEqual((JSON.parse(seq.out) as Json).draws);
  }, 360_000);
});
