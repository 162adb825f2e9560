// The playground in a real browser: Debian's chromium driven headless by playwright-core, the
// page served by `latent playground`'s own server code. Every number and message the page shows
// is compared with what the `latent` CLI prints for the same model, data and seed (run here as a
// user would, in a folder holding model.lvm and data.json, the names the page uses).
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runPlayground } from "../../src/cli/commands/playground.ts";

const ROOT = new URL("../..", import.meta.url).pathname;
const CHROMIUM = "/usr/bin/chromium";
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium && process.env.CI === "true") throw new Error(`${CHROMIUM} is missing: .ci/run installs Debian's chromium before the tests`);
if (!haveChromium) console.warn(`skipping the playground browser test: no ${CHROMIUM} (apt-get install chromium; under CI=true it must run)`);

const work = mkdtempSync(join(tmpdir(), "latent-playground-"));

/** The real `latent` command in `work`, on files named as the page names its texts. */
function latent(...args: string[]) {
  const r = spawnSync(process.execPath, [join(ROOT, "bin/latent.mjs"), ...args], { cwd: work, encoding: "utf8", env: { ...process.env, NO_COLOR: "1", LATENT_DEBUG: "" } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const GMM = `// Gaussian mixture
model GaussianMixture {
  const K = 3
  data x: real[N, D]
  param weights: simplex[K]
  param mu: real[K, D]
  param sigma: positive[K, D]
  latent z: cat[K][N]

  for n in N {
    z[n] ~ Categorical(weights)
    x[n] ~ Normal(mu[z[n]], sigm[z[n]])
  }
}
`;
const FIXED = GMM.replace("sigm[", "sigma[");

describe.skipIf(!haveChromium)("the playground in headless chromium", () => {
  let context: BrowserContext;
  let page: Page;
  let url = "";
  let stopServer: () => void = () => {};
  let served: Promise<number>;
  const consoleErrors: string[] = [];
  const userDir = mkdtempSync(join(tmpdir(), "latent-chromium-"));

  beforeAll(async () => {
    // `npm test` builds the site first (pretest); a lone `vitest run` of this file may not have.
    if (!existsSync(join(ROOT, "playground/dist/index.html"))) spawnSync(process.execPath, [join(ROOT, "playground/build/build.mjs")], { stdio: "inherit" });
    // The command's own server on a free port, stopped when the tests end (as by Ctrl-C).
    let printed = "";
    const io = { out: (t: string) => void (printed += t), err: (t: string) => void (printed += t), color: false };
    const listening = new Promise<void>((ready) => {
      served = runPlayground(io, { port: "0" }, () => {
        ready();
        return new Promise<void>((stop) => (stopServer = stop));
      });
    });
    await listening;
    url = /Latent playground: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(printed)![1]!;
    const { chromium } = await import("playwright-core");
    context = await chromium.launchPersistentContext(userDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync"],
      viewport: { width: 1280, height: 900 },
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.on("console", (m) => {
      if (m.type() === "error") consoleErrors.push(m.text());
    });
    page.on("pageerror", (e) => consoleErrors.push(`uncaught: ${e.message}`));
    // Nothing may come from anywhere but the playground's own server.
    await context.route("**/*", (route) => (route.request().url().startsWith(url) ? route.continue() : route.abort()));
    await page.goto(url);
    await page.waitForFunction(() => document.querySelector("#status")?.textContent?.startsWith("drew data"), null, { timeout: 30_000 });
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    stopServer();
    expect(await served).toBe(0);
    rmSync(userDir, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  });

  const checkText = () => page.textContent("#check");

  it("shows a misspelled name's diagnostic at its line, with the CLI's code, message and hint", async () => {
    await page.click(".cm-content");
    await page.keyboard.press("Control+a");
    await page.keyboard.insertText(GMM);
    await page.waitForFunction(() => document.querySelector("#check")?.textContent?.includes("N001"));
    writeFileSync(join(work, "model.lvm"), GMM);
    const cli = latent("check", "model.lvm");
    expect(cli.code).toBe(1);
    expect(cli.out).toContain("--> model.lvm:12:29");
    expect(cli.out).toContain("= hint: did you mean `sigma`?");
    expect((await checkText()) + "\n").toBe(cli.out);
    // The editor marks `sigm` on line 12.
    const marked = await page.$$eval(".cm-line", (lines) => lines.flatMap((l, i) => [...l.querySelectorAll(".cm-lintRange-error")].map((m) => `${i + 1}:${m.textContent}`)));
    expect(marked).toEqual(["12:sigm"]);
  });

  it("clears the diagnostic once the name is fixed by typing", async () => {
    await page.dblclick(".cm-lintRange-error");
    await page.keyboard.type("sigma");
    await page.waitForFunction(() => document.querySelector("#check")?.textContent?.startsWith("ok:"));
    expect(await checkText()).toBe("ok: model.lvm (model GaussianMixture)");
    expect(await page.$$(".cm-lintRange-error")).toHaveLength(0);
  });

  it("draws the same data set as `latent sample`", async () => {
    await page.fill("#sizes", "N=300 D=2");
    await page.fill("#draw-seed", "3");
    await page.click("#draw");
    await page.waitForFunction(() => document.querySelector("#status")?.textContent === "drew data (N = 300, D = 2; seed 3)");
    writeFileSync(join(work, "model.lvm"), FIXED);
    const cli = latent("sample", "model.lvm", "--size", "N=300", "--size", "D=2", "--seed", "3");
    expect(cli.code).toBe(0);
    const drawn = await page.inputValue("#data");
    expect(drawn + "\n").toBe(cli.out);
    writeFileSync(join(work, "data.json"), drawn);
  });

  it("fits 200 steps with an objective plot, ending where `latent fit` ends", async () => {
    await page.fill("#steps", "200");
    await page.fill("#fit-seed", "1");
    await page.click("#fit");
    await page.waitForFunction(() => document.querySelector("#result")?.getAttribute("data-stopped") === "done", null, { timeout: 30_000 });
    const final = Number(await page.getAttribute("#result", "data-final"));
    // The plotted trace has one point per step.
    const d = (await page.getAttribute("#plot svg path.trace", "d"))!;
    expect(d.match(/[ML]/g)).toHaveLength(200);
    const cli = latent("fit", "model.lvm", "--data", "data.json", "--seed", "1", "--steps", "200", "--json");
    expect(cli.code).toBe(0);
    const r = JSON.parse(cli.out.trim().split("\n").pop()!);
    expect(r.steps).toBe(200);
    // The playground computes in float32 (tfjs); the CLI may run the float64 compiled kernels
    // (LATENT_KERNELS=compiled). Float32 rounding of the 300-term log p sum is a random walk of
    // about sqrt(N)·(eps32/2)·|log p| ≈ 1.1e-3 nats, so that is how close the two must be.
    expect(Math.abs(final - r.final)).toBeLessThan(Math.sqrt(300) * 2 ** -24 * Math.abs(r.final));
    expect(await page.textContent("#result")).toContain(`exact log p(x; θ̂) = ${final.toFixed(4)} after 200 steps`);
    // A 2-D mixture: the data by most likely cluster.
    expect(await page.textContent("#scatter svg")).toContain("x by most likely z");
  });

  it("Stop ends a long fit and keeps its params (the exact evidence then equals the fit's final value)", async () => {
    await page.fill("#steps", "1000000");
    await page.click("#fit");
    // Live progress: the plot and the step counter while the fit runs.
    await page.waitForFunction(() => /^step \d+\/1000000/.test(document.querySelector("#status")?.textContent ?? ""), null, { timeout: 20_000 });
    await page.waitForSelector("#plot svg path.trace");
    await page.click("#stop");
    await page.waitForFunction(() => document.querySelector("#result")?.getAttribute("data-stopped") === "aborted", null, { timeout: 20_000 });
    const steps = Number(await page.getAttribute("#result", "data-steps"));
    expect(steps).toBeGreaterThan(0);
    expect(steps).toBeLessThan(1_000_000);
    expect(await page.textContent("#status")).toBe(`interrupted after ${steps} steps; params kept`);
    expect(await page.$$eval("#params th", (ths) => ths.map((t) => t.textContent))).toEqual(["weights", "mu", "sigma"]);
    const final = Number(await page.getAttribute("#result", "data-final"));
    await page.selectOption("#method", "exact");
    await page.click("#evidence");
    await page.waitForFunction(() => document.querySelector("#result")?.hasAttribute("data-log-marginal"));
    expect(Number(await page.getAttribute("#result", "data-log-marginal"))).toBeCloseTo(final, 2);
  });

  /** Runs Fit on the page and returns what it shows in its problems box. */
  async function fitProblems(): Promise<string> {
    await page.click("#fit");
    await page.waitForSelector("#problems:not([hidden])");
    return (await page.textContent("#problems"))!;
  }

  async function setModel(text: string): Promise<void> {
    await page.click(".cm-content");
    await page.keyboard.press("Control+a");
    await page.keyboard.insertText(text);
  }

  it("bad data (a string among the numbers) shows the CLI's diagnostic in the page", async () => {
    const bad = '{"x": [[0.1, 0.2], [0.3, "oops"]]}';
    await page.fill("#data", bad);
    const shown = await fitProblems();
    writeFileSync(join(work, "data.json"), bad);
    const cli = latent("check", "model.lvm", "--data", "data.json");
    expect(cli.code).toBe(1);
    expect(cli.out).toContain("error[D005]");
    expect(shown + "\n").toBe(cli.out);
    expect(await page.textContent("#status")).toBe("fitting failed");
  });

  it("unparseable data shows the CLI's diagnostic in the page", async () => {
    const bad = '{"x": [[1, 2], [3';
    await page.fill("#data", bad);
    const shown = await fitProblems();
    writeFileSync(join(work, "data.json"), bad);
    const cli = latent("check", "model.lvm", "--data", "data.json");
    expect(cli.out).toContain("error[D012]: malformed JSON");
    expect(shown + "\n").toBe(cli.out);
  });

  it("a model that does not check: Fit shows the checker's diagnostics", async () => {
    await setModel(GMM);
    const shown = await fitProblems();
    writeFileSync(join(work, "model.lvm"), GMM);
    const cli = latent("check", "model.lvm");
    expect(cli.out).toContain("error[N001]");
    expect(shown + "\n").toBe(cli.out);
  });

  it("a fit that goes non-finite shows the CLI's diagnostic and keeps its last finite result", async () => {
    // log1p(b) with data far below: Adam at lr 1 steps b past −1 (test/reliability/non-finite-fit.test.ts).
    const model = "model L {\n  data x: real[N]\n  param b: real = 0\n  let s = log1p(b)\n  x ~ Normal(s, 1)\n}\n";
    const data = '{"x": [-50, -60, -55]}';
    await setModel(model);
    await page.waitForFunction(() => document.querySelector("#check")?.textContent?.startsWith("ok:"));
    await page.fill("#data", data);
    await page.fill("#steps", "100");
    await page.fill("#lr", "1");
    await page.fill("#fit-seed", "0");
    const shown = await fitProblems();
    writeFileSync(join(work, "model.lvm"), model);
    writeFileSync(join(work, "data.json"), data);
    const cli = latent("fit", "model.lvm", "--data", "data.json", "--steps", "100", "--lr", "1", "--seed", "0");
    expect(cli.code).toBe(1);
    expect(cli.err).toMatch(/^error\[R03\d\]/);
    expect(shown + "\n").toBe(cli.err);
    await page.waitForFunction(() => document.querySelector("#result")?.hasAttribute("data-final"));
    const line = cli.out.split("\n")[0]!.replace(/\(\d+\.\d+ s\)/, "");
    expect((await page.textContent("#result"))!.split("\n")[0]!.replace(/\(\d+\.\d+ s\)/, "")).toBe(line);
    expect(await page.textContent("#status")).toMatch(/^fit stopped at a non-finite objective after \d+ steps?/);
  });

  const untimed = (line: string) => line.replace(/\d+\.\d+ s\]/, "… s]").replace(/\(\d+\.\d+ s\)/, "(… s)");
  const resultLines = async () => (await page.textContent("#result"))!.split("\n").map(untimed);

  /** Loads an example from the menu (it draws its data) and writes its model and data for the CLI. */
  async function loadExample(id: string): Promise<void> {
    await page.selectOption("#example", id);
    await page.waitForFunction(() => document.querySelector("#status")?.textContent?.startsWith("drew data"), null, { timeout: 20_000 });
    writeFileSync(join(work, "model.lvm"), readFileSync(join(ROOT, "examples", id, "model.lvm"), "utf8"));
    writeFileSync(join(work, "data.json"), await page.inputValue("#data"));
  }

  it("the examples menu holds the lecture's models, each checking as `latent check` does", async () => {
    const ids = await page.$$eval("#example option", (os) => os.map((o) => (o as HTMLOptionElement).value).filter(Boolean));
    expect(ids).toEqual(["gaussian-mixture", "vi-gaussian", "naive-vs-importance", "deep-latent-gaussian"]);
    for (const id of ids) {
      await loadExample(id);
      const cli = latent("check", "model.lvm");
      expect(cli.code).toBe(0);
      expect((await checkText()) + "\n").toBe(cli.out);
    }
  });

  it("evidence: naive Monte Carlo with s.e., ESS and k̂, as `latent evidence` prints it", async () => {
    await loadExample("naive-vs-importance");
    await page.selectOption("#method", "naive");
    await page.fill("#samples", "2000");
    await page.fill("#ev-seed", "0");
    await page.click("#evidence");
    await page.waitForFunction(() => document.querySelector("#result")?.hasAttribute("data-log-marginal"), null, { timeout: 20_000 });
    const cli = latent("evidence", "model.lvm", "--data", "data.json", "--method", "naive", "--samples", "2000");
    expect(cli.code).toBe(0);
    expect(cli.out).toMatch(/± .* ESS .*naive \(proposal uniform\), 2000 samples/);
    // The estimate on stdout, its warnings (ESS, k̂) on stderr: the page shows both.
    expect(cli.err).toMatch(/^warning: Pareto k̂/);
    expect((await resultLines()).join("\n") + "\n").toBe(untimed(cli.out) + cli.err);
  });

  it("ELBO gap and the posterior after a variational fit, as `latent elbo --gap` and `latent posterior` print them", async () => {
    await loadExample("vi-gaussian");
    await page.fill("#steps", "200");
    await page.click("#fit");
    await page.waitForFunction(() => document.querySelector("#result")?.getAttribute("data-stopped") === "done", null, { timeout: 30_000 });
    const fitLine = (await resultLines())[0];
    await page.fill("#samples", "1000");
    await page.fill("#ev-seed", "0");
    await page.click("#elbo");
    await page.waitForFunction(() => document.querySelector("#result")?.textContent?.startsWith("ELBO ="), null, { timeout: 20_000 });
    const elboLines = await resultLines();
    await page.click("#posterior");
    await page.waitForSelector("table.posterior");
    const post = await page.$$eval("table.posterior td", (tds) => tds.map((t) => t.textContent));
    const fit = latent("fit", "model.lvm", "--data", "data.json", "--objective", "elbo", "--guide", "Q", "--steps", "200", "--seed", "1", "--out", "p.json");
    expect(fit.code).toBe(0);
    expect(untimed(fit.out.replace(/; params written to p\.json/, ""))).toBe(fitLine + "\n");
    const elbo = latent("elbo", "model.lvm", "--data", "data.json", "--params", "p.json", "--guide", "Q", "--samples", "1000", "--gap");
    expect(elbo.code).toBe(0);
    expect(elboLines.join("\n") + "\n").toBe(untimed(elbo.out));
    expect(elboLines[2]).toMatch(/^gap log p\(x\) − ELBO = /);
    const cliPost = latent("posterior", "model.lvm", "--data", "data.json", "--params", "p.json", "--guide", "Q");
    expect(cliPost.out.split("\n")[0]).toBe(`m  mean ${post[0]}  std ${post[1]}`);
  });

  it("a shared link restores the model and settings (and redraws the data)", async () => {
    await loadExample("gaussian-mixture");
    await page.fill("#steps", "123");
    await page.selectOption("#objective", "exact");
    await page.click("#share");
    await page.waitForFunction(() => location.hash.startsWith("#s="));
    const link = page.url();
    const data = await page.inputValue("#data");
    const other = await context.newPage();
    other.on("pageerror", (e) => consoleErrors.push(`uncaught: ${e.message}`));
    other.on("console", (m) => {
      if (m.type() === "error") consoleErrors.push(m.text());
    });
    await other.goto(link);
    await other.waitForFunction(() => document.querySelector("#status")?.textContent?.startsWith("drew data"), null, { timeout: 20_000 });
    expect(await other.textContent(".cm-content")).toBe(await page.textContent(".cm-content"));
    expect(await other.inputValue("#steps")).toBe("123");
    expect(await other.inputValue("#objective")).toBe("exact");
    expect(await other.inputValue("#data")).toBe(data);
    await other.close();
  });

  it("logs no errors in the browser console", () => {
    expect(consoleErrors).toEqual([]);
  });
});
