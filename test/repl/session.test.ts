// The REPL's dispatcher in-process (no child process): reload keeping or resetting params,
// inline model and guide blocks checked against closed forms, MNIST data, completion.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { completeLine } from "../../src/repl/complete.ts";
import { inProcessRepl as repl } from "./in-process.ts";
import { threeClusters } from "./spawn.ts";

const tmp = mkdtempSync(join(tmpdir(), "latent-repl-session-"));
const GMM_SOURCE = readFileSync("examples/gaussian-mixture/model.lvm", "utf8");


/** Same keys and values up to float32 round-off (params pass through their bijectors). */
function expectClose(a: Record<string, unknown>, b: Record<string, unknown>): void {
  expect(Object.keys(a).sort()).toEqual(Object.keys(b).sort());
  const flat = (v: unknown): number[] => (Array.isArray(v) ? v.flatMap(flat) : [Number(v)]);
  for (const k of Object.keys(a)) flat(a[k]).forEach((x, i) => expect(x).toBeCloseTo(flat(b[k])[i]!, 4));
}

const opened: { close: () => void }[] = [];
afterAll(() => opened.forEach((r) => r.close()));

describe("REPL session", () => {
  it(":reload keeps fitted params when names and shapes match, resets them otherwise, and survives a broken file", async () => {
    const r = repl();
    opened.push(r);
    const file = join(tmp, "gmm.lvm");
    const data = join(tmp, "three.json");
    writeFileSync(file, GMM_SOURCE);
    writeFileSync(data, JSON.stringify({ x: threeClusters().x }));
    await r.run(`:load ${file}`, `:data ${data}`, ":fit --steps 20");
    const fitted = r.session.model!.params();
    // A comment changes nothing the params depend on.
    writeFileSync(file, "// edited\n" + GMM_SOURCE);
    const kept = await r.run(":reload");
    expect(kept.out).toContain("kept 3 fitted params");
    expectClose(r.session.model!.params(), fitted);
    expect(r.session.trained).toBe(true);
    // A broken file: located diagnostics, and the previous model stays current.
    writeFileSync(file, GMM_SOURCE.replace("x[n] ~ Normal(mu[z[n]], sigma[z[n]])", "x[n] ~ Normal(mu[z[n]], sigm[z[n]])"));
    const broken = await r.run(":reload");
    expect(broken.err).toMatch(new RegExp(`--> ${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:\\d+:\\d+`));
    expect(broken.out).toContain("reload failed; the previous model stays current");
    expectClose(r.session.model!.params(), fitted);
    // Renaming a param: the params no longer match.
    writeFileSync(file, GMM_SOURCE.replace(/sigma/g, "scale"));
    const renamed = await r.run(":reload");
    expect(renamed.out).toContain("params reset");
    expect(Object.keys(r.session.model!.params()).sort()).toEqual(["mu", "scale", "weights"]);
    expect(r.session.trained).toBe(false);
  });

  it(":reload after renaming a guide keeps the model's fitted params (the old guide's are left behind)", async () => {
    const r = repl();
    opened.push(r);
    const file = join(tmp, "gmm-guide.lvm");
    const data = join(tmp, "three-guide.json");
    const guide = (name: string) => `\nguide ${name} for GaussianMixture {\n  param q: simplex[K][N]\n  for n in N {\n    z[n] ~ Categorical(q[n])\n  }\n}\n`;
    writeFileSync(file, GMM_SOURCE + guide("Q"));
    writeFileSync(data, JSON.stringify({ x: threeClusters().x }));
    await r.run(`:load ${file}`, `:data ${data}`, ":fit --objective elbo --guide Q --steps 5");
    const fitted = r.session.model!.params();
    expect(Object.keys(fitted).sort()).toEqual(["Q.q", "mu", "sigma", "weights"]);
    writeFileSync(file, GMM_SOURCE + guide("R"));
    const reloaded = await r.run(":reload");
    expect(reloaded.err).toBe("");
    expect(reloaded.out).toContain("kept 3 fitted params");
    const now = r.session.model!.params();
    expectClose({ mu: now.mu, sigma: now.sigma, weights: now.weights }, { mu: fitted.mu, sigma: fitted.sigma, weights: fitted.weights });
  });

  it("inline model and guide blocks: exact evidence and the fitted guide match the closed forms", async () => {
    const r = repl();
    opened.push(r);
    const data = join(tmp, "x123.json");
    writeFileSync(data, JSON.stringify({ x: [1, 2, 3] }));
    const defined = await r.run("model G {", "  data x: real[N]", "  latent m: real", "  m ~ Normal(0, 1)", "  x ~ Normal(m, 1)", "}", `:data ${data}`);
    expect(defined.err).toBe("");
    expect(defined.out).toContain("ok: model G");
    // x ~ N(0, I + 11ᵀ): log p = −(N/2) log 2π − ½ log(1 + N) − ½ (xᵀx − (Σx)² / (N + 1)).
    const exact = -1.5 * Math.log(2 * Math.PI) - 0.5 * Math.log(4) - 0.5 * (14 - 36 / 4);
    const ev = await r.run(":evidence");
    expect(Number(ev.out.match(/log p\(x\) = (-?[\d.]+)/)![1])).toBeCloseTo(exact, 3);
    // A guide typed afterwards joins the model; its fit recovers p(m | x) = N(6/4, 1/4).
    const guide = await r.run("guide Q for G {", "  param q_loc: real", "  param q_scale: positive", "  m ~ Normal(q_loc, q_scale)", "}");
    expect(guide.out).toContain("ok: model G, guide Q");
    await r.run(":fit --guide Q --steps 600 --particles 4 --lr 0.05 --seed 1");
    const p = r.session.model!.params() as Record<string, number>;
    // A stochastic-gradient fit: within Monte Carlo noise of the optimum.
    expect(Math.abs(p["Q.q_loc"]! - 1.5)).toBeLessThan(0.1);
    expect(Math.abs(p["Q.q_scale"]! - 0.5)).toBeLessThan(0.1);
    // JavaScript sees the current model and data.
    const js = await r.run("data.sizes.N", "model.name");
    expect(js.out).toBe("3\n'G'\n");
  });

  it("a bad block is not added, an unbalanced one waits for more lines, and unknown commands don't end the session", async () => {
    const r = repl();
    opened.push(r);
    const bad = await r.run("model B {", "  data x: real[N]", "  x ~ Normal(0, sigm)", "}");
    expect(bad.err).toContain("--> <repl>:3:");
    expect(bad.out).toContain("not added");
    expect(r.session.graph).toBeUndefined();
    await r.run("model C { data x: real[N]", "  x ~ Normal(0, 1)");
    expect(r.d.pending).not.toBe("");
    const done = await r.run("}");
    expect(done.out).toContain("ok: model C");
    const unknown = await r.run(":fitt", ":fit --steps nope", "throw new Error('boom')", ":model");
    expect(unknown.err).toContain("unknown command :fitt (did you mean :fit?)");
    expect(unknown.err).toContain("error: option '--steps <n>' argument 'nope' is invalid");
    expect(unknown.err).toContain("error: boom");
    expect(unknown.out).toContain("* C");
  });

  it(":data mnist:test binds digits to the model's data variable", async () => {
    const r = repl();
    opened.push(r);
    const o = await r.run(":load examples/vae-mnist/model.lvm", ":data mnist:test --limit 5");
    expect(o.err).toBe("");
    expect(o.out).toContain("data mnist:test: N = 5");
    expect(r.session.data!.bound!.values["x"]!.shape).toEqual([5, 784]);
  });

  it("completes commands, flags, flag values, model names, variables and files", async () => {
    const r = repl();
    opened.push(r);
    await r.run(":load examples/gaussian-mixture/model.lvm");
    const c = (line: string) => completeLine(line, r.session, r.js)[0];
    expect(c(":fi")).toEqual([":fit "]);
    expect(c(":fit --obj")).toEqual(["--objective "]);
    expect(c(":fit --objective ")).toEqual(["elbo", "exact", "iwae"]);
    expect(c(":model Gau")).toEqual(["GaussianMixture"]);
    expect(c("sig")).toContain("sigma");
    expect(c(":load examples/gaussian-m")).toEqual(["examples/gaussian-mixture/"]);
    expect(c(":load examples/gaussian-mixture/m")).toEqual(["examples/gaussian-mixture/model.lvm"]);
    expect(c(":load ./examples/vi-g")).toEqual(["./examples/vi-gaussian/"]);
    expect(c(":data mnist:t")).toEqual(["mnist:test", "mnist:train"]);
  });
});

describe(":save after a fit", () => {
  it("writes only the params the fit used, as `fit --out` does (not another guide's, at its values)", async () => {
    const data = join(tmp, "vi.json");
    writeFileSync(data, JSON.stringify({ x: [0.5, 1.5, 2.5, -0.5] }));
    const r = repl();
    const out = join(tmp, "vi-params.json");
    // :elbo --guide Q creates Q's params; the fit then uses meanfield only.
    const res = await r.run(":load examples/vi-gaussian/model.lvm", `:data ${data}`, ":elbo --guide Q --samples 10", ":fit --guide meanfield --steps 20 --tol 0", `:save ${out}`);
    expect(res.err).not.toMatch(/error/);
    expect(Object.keys(JSON.parse(readFileSync(out, "utf8"))).sort()).toEqual(["meanfield.m.loc", "meanfield.m.scale"]);
    r.close();
  });
});
