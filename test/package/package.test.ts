// The published package, as a user gets it: `npm pack`, install the tarball into a fresh project
// (offline, from the npm cache that `npm ci` filled), then use it from plain Node, TypeScript
// (--strict, nodenext), Deno, a browser bundle and `npx latent`. The README's "Use it as a
// library" snippets are what runs: each is written to the project, run with the command its
// first line gives, and must print what the README shows under it. The evidence they print is
// also checked against this repository's own value (computed here, from the sources) and a
// float64 closed form. `dist/` is built by `pretest` (`npm test`); the tarball is packed from it.
import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import { createHash } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { dirname, extname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compile } from "../../src/api/index.ts";
import { compareOutput, fencedBlocks, type Block } from "../docs/snippets.ts";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const BIN = join(ROOT, "node_modules/.bin");
const WORK = mkdtempSync(join(tmpdir(), "latent-pack-"));
const APP = join(WORK, "app");
const GMM = join(ROOT, "examples/gaussian-mixture/model.lvm");

// The fixed parameters and data every snippet uses.
const PARAMS = { weights: [0.5, 0.3, 0.2], mu: [[0, 0], [4, 4], [-4, 3]], sigma: [[1, 1], [1, 1], [1, 1]] };
const X = [[0.5, -0.2], [3.8, 4.1], [-4.2, 2.9], [0.1, 0.3]];

function run(cmd: string, args: string[], cwd: string, timeout = 120_000): SpawnSyncReturns<string> {
  return spawnSync(cmd, args, { cwd, encoding: "utf8", timeout, env: { ...process.env, PATH: `${BIN}:${process.env.PATH}`, NO_COLOR: "1" } });
}
const sh = (line: string, cwd: string) => run("sh", ["-c", line], cwd);
const show = (r: SpawnSyncReturns<string>) => `exit ${r.status}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`;

/**
 * A package-lock for the consumer project: the tarball plus exactly the versions this
 * repository's lock pins for its run-time dependencies, so `npm ci --offline` installs them from
 * the npm cache without asking the registry for version lists.
 */
function consumerLock(tarball: string): object {
  const repo = JSON.parse(readFileSync(join(ROOT, "package-lock.json"), "utf8")) as { packages: Record<string, Record<string, unknown>> };
  const self = repo.packages[""]!;
  const integrity = "sha512-" + createHash("sha512").update(readFileSync(join(WORK, tarball))).digest("base64");
  const packages: Record<string, unknown> = {
    "": { name: "latent-consumer", dependencies: { latent: `file:../${tarball}` } },
    "node_modules/latent": {
      version: self.version,
      resolved: `file:../${tarball}`,
      integrity,
      license: self.license,
      dependencies: self.dependencies,
      optionalDependencies: self.optionalDependencies,
      bin: self.bin,
      engines: self.engines,
    },
  };
  for (const [k, v] of Object.entries(repo.packages)) if (k.startsWith("node_modules/") && !v.dev) packages[k] = v; // devOptional: optional at run time
  return { name: "latent-consumer", lockfileVersion: 3, requires: true, packages };
}

/** The README's library snippets: code blocks whose first line is `// FILE — run with: COMMAND`, each with the text block after it. */
function readmeSnippets(): { file: string; command: string; code: Block; output: Block }[] {
  const md = readFileSync(join(ROOT, "README.md"), "utf8");
  const blocks = fencedBlocks(md.slice(md.indexOf("## Use it as a library"))).filter((b) => b.lang !== "");
  const out = [];
  for (let i = 0; i < blocks.length; i++) {
    const m = /^\/\/ (\S+) — run with: (.+)$/.exec(blocks[i]!.body.split("\n")[0]!);
    if (m && blocks[i + 1]?.lang === "text") out.push({ file: m[1]!, command: m[2]!, code: blocks[i]!, output: blocks[i + 1]! });
  }
  return out;
}

let files: string[] = [];
let install: SpawnSyncReturns<string>;

beforeAll(() => {
  const pack = run("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", WORK], ROOT);
  if (pack.status !== 0) throw new Error(`npm pack failed\n${show(pack)}`);
  const info = (JSON.parse(pack.stdout) as { filename: string; files: { path: string }[] }[])[0]!;
  files = info.files.map((f) => f.path);
  mkdirSync(join(APP, "web"), { recursive: true });
  writeFileSync(join(APP, "package.json"), JSON.stringify({ name: "latent-consumer", private: true, type: "module", dependencies: { latent: `file:../${info.filename}` } }, null, 2));
  writeFileSync(join(APP, "package-lock.json"), JSON.stringify(consumerLock(info.filename), null, 2));
  const flags = ["--omit=optional", "--ignore-scripts", "--no-audit", "--no-fund"];
  install = run("npm", ["ci", "--offline", ...flags], APP, 180_000);
  // Not everything in the cache (another cache directory, a cleaned cache): let npm fetch what is missing.
  if (install.status !== 0) install = run("npm", ["ci", "--prefer-offline", ...flags], APP, 180_000);
  copyFileSync(GMM, join(APP, "model.lvm"));
  copyFileSync(GMM, join(APP, "web/model.lvm"));
  const wasmDir = join(APP, "node_modules/@tensorflow/tfjs-backend-wasm/dist");
  if (existsSync(wasmDir)) for (const f of readdirSync(wasmDir).filter((f) => f.endsWith(".wasm"))) copyFileSync(join(wasmDir, f), join(APP, "web", f));
}, 300_000);

/** log p(x) by this repository's sources, in this process. */
async function inRepoEvidence(): Promise<number> {
  const m = await compile(readFileSync(GMM, "utf8"), { file: "model.lvm" });
  expect(m.setParams(PARAMS, { D: 2 })).toEqual([]);
  return m.logMarginal({ x: X }).logMarginal;
}

/** log p(x) = Σ_n log Σ_k w_k Π_d N(x_nd; μ_kd, σ_kd), in float64. */
function closedForm(): number {
  let total = 0;
  for (const x of X) {
    const terms = PARAMS.weights.map((w, k) => Math.log(w) + x.reduce((s, v, d) => s - 0.5 * Math.log(2 * Math.PI) - Math.log(PARAMS.sigma[k]![d]!) - 0.5 * ((v - PARAMS.mu[k]![d]!) / PARAMS.sigma[k]![d]!) ** 2, 0));
    const top = Math.max(...terms);
    total += top + Math.log(terms.reduce((s, t) => s + Math.exp(t - top), 0));
  }
  return total;
}

describe("the tarball", () => {
  it("holds the built code, declarations, sources for the maps, README and LICENSE; no tests, benches or build state", () => {
    for (const f of ["package.json", "README.md", "LICENSE", "bin/latent.mjs", "dist/cli/latent.js", "dist/src/api/index.js", "dist/src/api/index.d.ts", "dist/src/api/index.d.ts.map", "dist/src/api/node.js", "dist/src/data/index.js", "dist/src/node/index.js", "grammar/lvm.tmLanguage.json", "src/api/index.ts"]) {
      expect(files, f).toContain(f);
    }
    const unwanted = files.filter((f) => /^(test|bench|scripts|examples|docs|tmp|node_modules|\.ci)\//.test(f) || /^(tsconfig.*|vitest\.config\.ts)$/.test(f) || /^dist\/\.(tsbuildinfo|built)$/.test(f));
    expect(unwanted).toEqual([]);
  });

  it("every exports target and every source a declaration map points to is in it", () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { exports: Record<string, unknown>; bin: Record<string, string> };
    const targets: string[] = [];
    const walk = (v: unknown): void => void (typeof v === "string" ? targets.push(normalize(v)) : v && typeof v === "object" && Object.values(v).forEach(walk));
    walk(pkg.exports);
    walk(pkg.bin);
    expect(targets.length).toBeGreaterThan(8);
    expect(targets.filter((t) => !files.includes(t))).toEqual([]);
    const maps = files.filter((f) => f.endsWith(".d.ts.map"));
    expect(maps.length).toBeGreaterThan(50);
    const missing = maps.flatMap((m) => (JSON.parse(readFileSync(join(ROOT, m), "utf8")) as { sources: string[] }).sources.map((s) => normalize(join(dirname(m), s))).filter((s) => !files.includes(s)));
    expect(missing).toEqual([]);
  });

  it("installs offline into a fresh project, without a TypeScript loader or bundler", () => {
    expect(install.status, show(install)).toBe(0);
    expect(existsSync(join(APP, "node_modules/latent/dist/src/api/index.js"))).toBe(true);
    for (const dev of ["tsx", "esbuild", "typescript", "vitest"]) expect(existsSync(join(APP, "node_modules", dev)), dev).toBe(false);
  });
});

describe("the entry points, as installed", () => {
  it("latent, latent/data, latent/frontend and latent/node export what the README lists", () => {
    const script = `
      const show = async (spec) => Object.keys(await import(spec)).sort().join(" ");
      for (const spec of ["latent", "latent/data", "latent/frontend", "latent/node"]) console.log(spec + ": " + (await show(spec)));`;
    const r = run(process.execPath, ["--input-type=module", "-e", script], APP);
    expect(r.status, show(r)).toBe(0);
    const exported = Object.fromEntries(r.stdout.trim().split("\n").map((l) => [l.split(": ")[0]!, l.split(": ")[1]!.split(" ")]));
    expect(exported["latent"]).toEqual(expect.arrayContaining(["compile", "loadModel", "CompiledModel", "LatentError", "loadModelSource", "renderDiagnostics", "initBackend"]));
    expect(exported["latent/data"]).toEqual(expect.arrayContaining(["parseCsv", "parseJson", "parseDataText", "bindData"]));
    expect(exported["latent/frontend"]).toEqual(expect.arrayContaining(["loadModelSource", "renderDiagnostics", "LatentError"]));
    expect(exported["latent/frontend"]).not.toContain("compile");
    expect(exported["latent/node"]).toEqual(expect.arrayContaining(["loadDataFile", "bindDataFile", "mnistData", "diskFileHost"]));
  });
});

describe("npx latent from the installed package", () => {
  it("check passes a good model and locates the error in a bad one", () => {
    const ok = run("npx", ["--no-install", "latent", "check", "model.lvm"], APP);
    expect(ok.status, show(ok)).toBe(0);
    expect(ok.stdout.trim()).toBe("ok: model.lvm (model GaussianMixture)");
    writeFileSync(join(APP, "bad.lvm"), readFileSync(GMM, "utf8").replace("Normal(mu[z[n]], sigma[z[n]])", "Normal(mu[z[n]], sigm[z[n]])"));
    const bad = run("npx", ["--no-install", "latent", "check", "bad.lvm"], APP);
    expect(bad.status, show(bad)).toBe(1);
    expect(bad.stderr + bad.stdout).toMatch(/error\[N001\]: unknown name `sigm`[\s\S]*bad\.lvm:12:/);
  });
  it("info loads TensorFlow.js with the WebAssembly backend from the installed dependencies", () => {
    const r = run("npx", ["--no-install", "latent", "info", "--json"], APP);
    expect(r.status, show(r)).toBe(0);
    const info = JSON.parse(r.stdout.trim().split("\n").pop()!) as Record<string, unknown>;
    expect(info).toMatchObject({ latent: "0.1.0", backend: "wasm", node: process.version });
  });
});

describe("README: Use it as a library", () => {
  const snippets = readmeSnippets();
  let expected = "";
  beforeAll(async () => {
    expected = (await inRepoEvidence()).toFixed(6);
  }, 120_000);

  it("has the Node, TypeScript, Deno and browser snippets", () => {
    expect(snippets.map((s) => s.file)).toEqual(["evidence.mjs", "main.ts", "main.deno.ts", "web/app.js"]);
  });

  it("the repository's own log-evidence agrees with the float64 closed form", () => {
    expect(Math.abs(Number(expected) - closedForm())).toBeLessThan(1e-4 * Math.abs(closedForm()));
  });

  for (const s of snippets.filter((s) => s.file !== "web/app.js")) {
    it(`${s.file} runs (${s.command}) and prints what the README shows: the repository's exact log-evidence`, () => {
      writeFileSync(join(APP, s.file), s.code.body + "\n");
      const r = sh(s.command.replace(/(^|&& )npx /g, "$1"), APP);
      expect(r.status, show(r)).toBe(0);
      expect(compareOutput(r.stdout, s.output.body), show(r)).toEqual([]);
      expect(r.stdout).toContain(` ${expected}\n`);
    });
  }

  describe("web/app.js", () => {
    const s = snippets.find((x) => x.file === "web/app.js")!;
    let server: Server | undefined;
    afterAll(() => server?.close());

    it("bundles for the browser (esbuild refuses Node built-ins there)", () => {
      writeFileSync(join(APP, s.file), s.code.body + "\n");
      const r = sh(s.command.replace(/(^|&& )npx /g, "$1"), APP);
      expect(r.status, show(r)).toBe(0);
      // The package's "browser" field swaps the @tensorflow/tfjs umbrella for tfjs-core + cpu:
      // no layers, converter or webgl backend in the page.
      expect(readFileSync(join(APP, "web/app.bundle.js"), "utf8")).not.toMatch(/LayersModel|GraphModel|MathBackendWebGL/);
    });

    const chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((p) => existsSync(p));
    it.skipIf(!chromium)("shows the repository's log-evidence in headless Chromium", async () => {
      writeFileSync(join(APP, "web/index.html"), '<!doctype html>\n<meta charset="utf-8">\n<script type="module" src="app.bundle.js"></script>\n<body>computing…</body>\n');
      const types: Record<string, string> = { ".html": "text/html", ".js": "text/javascript", ".wasm": "application/wasm", ".lvm": "text/plain" };
      const web = join(APP, "web");
      server = createServer((req, res) => {
        const path = normalize(join(web, decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname)));
        if (!path.startsWith(web + "/") || !existsSync(path)) return void res.writeHead(404).end();
        res.writeHead(200, { "content-type": types[extname(path)] ?? "application/octet-stream" }).end(readFileSync(path));
      });
      await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
      const port = (server.address() as { port: number }).port;
      const flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync", `--user-data-dir=${join(WORK, "chromium")}`, "--virtual-time-budget=30000", "--dump-dom"];
      // spawnSync would block this process's server: run the browser asynchronously.
      const dom = await new Promise<string>((resolve) => {
        import("node:child_process").then(({ execFile }) => execFile(chromium!, [...flags, `http://127.0.0.1:${port}/index.html`], { timeout: 90_000 }, (_e, stdout) => resolve(stdout)));
      });
      const body = /<body>([\s\S]*?)<\/body>/.exec(dom)?.[1]?.trim() ?? dom;
      expect(compareOutput(body, s.output.body), dom).toEqual([]);
      expect(body).toBe(`exact ${expected}`);
    }, 120_000);
  });
});
