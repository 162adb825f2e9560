// The REPL's commands take the CLI's flags (src/commands/): every flag of a CLI command is a flag
// of its `:` command with the same help and default, except the ones the session owns. The flags
// the REPL gained this way are checked against closed forms.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Command, type Option } from "commander";
import { afterAll, describe, expect, it } from "vitest";
import { buildProgram } from "../../src/cli/main.ts";
import { StopSignals } from "../../src/cli/stop-signals.ts";
import { COMMANDS } from "../../src/repl/commands.ts";
import { inProcessRepl as repl } from "./in-process.ts";
import { threeClusters } from "./spawn.ts";

const tmp = mkdtempSync(join(tmpdir(), "latent-repl-shared-"));

/** CLI flags a `:` command does not take (any command's, or `:cmd --flag`), and why. */
const SESSION_OWNS: Record<string, string> = {
  "--data": "the session's data (:data)",
  "--size": "the sizes of :data",
  "--params": "the session's params (:save writes them; JavaScript's setParams sets them)",
  "--model": "the current model (:model)",
  "--json": "results print as lines at the prompt (:check and :graph keep --json)",
  "--state": "fit state files are for resuming a stopped `latent fit` process",
  "--resume": "likewise; a later :fit continues from the session's params",
  "--plot": ":plot FILE, after a fit",
  ":fit --out": ":save FILE writes the params",
  ":loo --compare": "compare two fits with the API in JavaScript: compareLoo(model.loo(data), other.loo(data))",
  ":loo --params2": "likewise",
  ":loo --draws2": "likewise",
  ":loo --guide2": "likewise",
  ":loo --model2": "likewise",
};
/** Flags both have whose help says something else in the REPL. */
const OWN_HELP = new Set([":sample --size", ":sample --latents", ":sample --out", ":elbo --guide", ":graph --json"]);
/** Flags in SESSION_OWNS that these commands keep. */
const KEEPS = new Set([":check --json", ":graph --json"]);
const SHARED = ["check", "graph", "sample", "fit", "evidence", "elbo", "posterior", "mcmc", "predict", "loo"];

function cliOptions(name: string): readonly Option[] {
  const ctx = { io: { out: () => undefined, err: () => undefined, color: false }, setExit: () => undefined, stop: new StopSignals({ note: () => undefined, fail: () => undefined }), json: false };
  return buildProgram(ctx).commands.find((c: Command) => c.name() === name)!.options;
}

function replOptions(name: string): readonly Option[] {
  const c = new Command(`:${name}`);
  COMMANDS.find((x) => x.name === name)!.define?.(c);
  return c.options;
}

describe("the REPL takes the CLI's flags", () => {
  for (const name of SHARED) {
    it(`:${name} has every flag of \`latent ${name}\` the session does not own, with the same help and default`, () => {
      const repl = new Map(replOptions(name).map((o) => [o.long!, o]));
      for (const o of cliOptions(name)) {
        const flag = o.long!;
        if ((flag in SESSION_OWNS || `:${name} ${flag}` in SESSION_OWNS) && !KEEPS.has(`:${name} ${flag}`)) continue;
        const mine = repl.get(flag);
        expect(mine, `:${name} lacks ${flag}`).toBeDefined();
        if (OWN_HELP.has(`:${name} ${flag}`)) continue;
        expect(mine!.description, `:${name} ${flag}`).toBe(o.description);
        expect(mine!.defaultValue, `:${name} ${flag}`).toEqual(o.defaultValue);
        expect(mine!.argChoices, `:${name} ${flag}`).toEqual(o.argChoices);
      }
    });
  }
});


const opened: { close: () => void }[] = [];
afterAll(() => opened.forEach((r) => r.close()));

const value = (text: string, label: string): number => Number(new RegExp(`${label.replace(/[()]/g, "\\$&")} = (-?[\\d.e-]+)`).exec(text)![1]);
const stderrOf = (text: string, label: string): number => Number(new RegExp(`${label.replace(/[()]/g, "\\$&")} = -?[\\d.e-]+ ± ([\\d.e-]+)`).exec(text)![1]);

describe("the flags the REPL gained", () => {
  // m ~ N(0, 1), x_i ~ N(m, 1), x = (1, 2, 3): p(m | x) = N(6/4, 1/4) and
  // log p(x) = −(3/2) log 2π − ½ log 4 − ½ (14 − 36/4).
  const logPx = -1.5 * Math.log(2 * Math.PI) - 0.5 * Math.log(4) - 0.5 * (14 - 36 / 4);
  const normalModel = ["model G {", "  data x: real[N]", "  latent m: real", "  m ~ Normal(0, 1)", "  x ~ Normal(m, 1)", "}"];
  const guideQ = ["guide Q for G {", "  param q_loc: real", "  param q_scale: positive", "  m ~ Normal(q_loc, q_scale)", "}"];

  it(":elbo --no-analytic-kl --iwae K: with q the exact posterior, every draw's log p(x, m) − log q(m) is log p(x)", async () => {
    const r = repl();
    opened.push(r);
    const data = join(tmp, "x123.json");
    writeFileSync(data, JSON.stringify({ x: [1, 2, 3] }));
    await r.run(...normalModel, `:data ${data}`, ...guideQ, "model.setParams({ 'Q.q_loc': 1.5, 'Q.q_scale': 0.5 }, { N: 3 })");
    const e = await r.run(":elbo --guide Q --samples 64 --iwae 8 --no-analytic-kl --seed 3");
    expect(e.err).toBe("");
    expect(e.out).toContain("[guide Q, 64 samples, no analytic KL;");
    expect(value(e.out, "ELBO")).toBeCloseTo(logPx, 4);
    expect(value(e.out, "IWAE (K = 8)")).toBeCloseTo(logPx, 4);
    // float32 round-off only: the sampled KL term has no Monte Carlo error at the posterior.
    expect(stderrOf(e.out, "ELBO")).toBeLessThan(1e-5);
    expect(stderrOf(e.out, "IWAE (K = 8)")).toBeLessThan(1e-5);
    // With the closed-form KL (the default) the likelihood term still varies with m.
    const analytic = await r.run(":elbo --guide Q --samples 64 --seed 3");
    expect(stderrOf(analytic.out, "ELBO")).toBeGreaterThan(0.01);
    expect(Math.abs(value(analytic.out, "ELBO") - logPx)).toBeLessThan(4 * stderrOf(analytic.out, "ELBO"));
  });

  it(":posterior --samples S: q's moments from S draws, with their Monte Carlo standard errors", async () => {
    const r = repl();
    opened.push(r);
    const data = join(tmp, "x123b.json");
    writeFileSync(data, JSON.stringify({ x: [1, 2, 3] }));
    await r.run(...normalModel, `:data ${data}`, ...guideQ, "model.setParams({ 'Q.q_loc': 1.5, 'Q.q_scale': 0.5 }, { N: 3 })");
    const p = await r.run(":posterior --guide Q --samples 500");
    expect(p.err).toBe("");
    const m = /m {2}mean (-?[\d.]+) {2}std ([\d.]+)\n {2}\(from 500 draws of q: Monte Carlo standard error ≤ ([\d.]+) for the means, ≤ ([\d.]+) for the stds\)/.exec(p.out)!;
    expect(m, p.out).not.toBeNull();
    const [mean, std, mcseMean, mcseStd] = m.slice(1).map(Number) as [number, number, number, number];
    // q = N(1.5, 0.5²): the standard errors are σ/√S and about σ/√(2S).
    expect(mcseMean).toBeCloseTo(0.5 / Math.sqrt(500), 2);
    expect(Math.abs(mean - 1.5)).toBeLessThan(4 * mcseMean);
    expect(Math.abs(std - 0.5)).toBeLessThan(4 * mcseStd + 0.001);
  });

  it(":elbo --enumerate and :evidence --enumerate: with every latent finite, both are the exact log p(x)", async () => {
    const r = repl();
    opened.push(r);
    const data = join(tmp, "three.json");
    writeFileSync(data, JSON.stringify({ x: threeClusters().x }));
    await r.run(":load examples/gaussian-mixture/model.lvm", `:data ${data}`, ":fit --steps 30");
    const exact = value((await r.run(":evidence")).out, "log p(x)");
    const elbo = await r.run(":elbo --guide meanfield --enumerate --samples 10");
    expect(elbo.err).toBe("");
    expect(value(elbo.out, "ELBO")).toBeCloseTo(exact, 2);
    const is = await r.run(":evidence --method importance --proposal meanfield --enumerate --samples 10");
    expect(is.err).toBe("");
    expect(value(is.out, "log p(x)")).toBeCloseTo(exact, 2);
    // Without --enumerate the meanfield guide gives z a q, and the bound is far below.
    expect(value((await r.run(":elbo --guide meanfield --samples 100")).out, "ELBO")).toBeLessThan(exact - 10);
    // The flag reaches the estimator: under the prior it is refused.
    expect((await r.run(":evidence --method importance --proposal prior --enumerate")).err).toContain("error[E011]");
  });

  it(":check --all shows every diagnostic, :check --json prints one JSON object", async () => {
    const r = repl();
    opened.push(r);
    const file = join(tmp, "edited.lvm");
    writeFileSync(file, readFileSync("examples/gaussian-mixture/model.lvm", "utf8"));
    await r.run(`:load ${file}`);
    writeFileSync(file, "model M {\n" + "  @\n".repeat(60) + "}\n");
    expect((await r.run(":check")).out.match(/^error\[/gm)).toHaveLength(50);
    expect((await r.run(":check --all")).out.match(/^error\[/gm)).toHaveLength(60);
    const json = (await r.run(":check --json")).out.trim().split("\n");
    expect(json).toHaveLength(1);
    const parsed = JSON.parse(json[0]!) as { ok: boolean; diagnostics: unknown[] };
    expect(parsed.ok).toBe(false);
    expect(parsed.diagnostics).toHaveLength(60);
  });

  it(":check binds the data with the sizes :data was given, as `latent check --data --size` does", async () => {
    const r = repl();
    opened.push(r);
    const file = join(tmp, "sized.lvm");
    const data = join(tmp, "x4.json");
    writeFileSync(file, "model S {\n  data x: real[N]\n  param w: simplex[K]\n  param mu: real[K]\n  latent z: cat[K][N]\n  for n in N {\n    z[n] ~ Categorical(w)\n    x[n] ~ Normal(mu[z[n]], 1)\n  }\n}\n");
    writeFileSync(data, JSON.stringify({ x: [0.1, 2.2, -0.3, 1.9] }));
    const bound = await r.run(`:load ${file}`, `:data ${data} --size K=2`);
    expect(bound.err).toBe("");
    const c = await r.run(":check");
    expect(c.err).toBe("");
    expect(c.out).toContain(`data ${data}: K = 2, N = 4)`);
  });
});
