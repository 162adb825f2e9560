// The platform-neutral pieces of the browser-safe core: POSIX path arithmetic (against Node's
// own node:path/posix), the front end without a default file system (as in a browser), and the
// wasmPaths option (where tfjs-backend-wasm fetches its binaries).
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import * as posix from "node:path/posix";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { defaultFileHost, noFileHost, setDefaultFileHost } from "../../src/files/file-host.ts";
import { loadModelFile, loadModelSource } from "../../src/api/frontend.ts";
import { dirname, isAbsolute, join, normalize, relative, resolve } from "../../src/api/posix-path.ts";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

describe("posix-path agrees with node:path/posix", () => {
  const paths = ["", ".", "..", "/", "//", "a", "a/", "/a", "/a/", "a/b/../c", "./a/./b", "../a/../../b", "/../a", "/a/b/../../..", "a//b///c/", "/p/q/main.lvm", "lib/../lib/m.lvm", "../x.lvm"];
  it("normalize, dirname, isAbsolute", () => {
    for (const p of paths) {
      if (p !== "") expect(normalize(p), `normalize(${JSON.stringify(p)})`).toBe(posix.normalize(p));
      if (p !== "") expect(dirname(p), `dirname(${JSON.stringify(p)})`).toBe(posix.dirname(p));
      expect(isAbsolute(p)).toBe(posix.isAbsolute(p));
    }
  });
  it("join, resolve against a working directory, relative", () => {
    for (const a of paths) {
      for (const b of ["m.lvm", "../m.lvm", "lib/m.lvm", "/abs/m.lvm", "."]) {
        expect(join(a, b), `join(${JSON.stringify(a)}, ${JSON.stringify(b)})`).toBe(posix.join(a, b));
        expect(resolve("/work/dir", a, b), `resolve(${JSON.stringify(a)}, ${JSON.stringify(b)})`).toBe(posix.resolve("/work/dir", a, b));
      }
    }
    for (const from of ["/", "/a", "/a/b", "/a/b/c", "/x"]) for (const to of ["/", "/a", "/a/b/d", "/x/y", "/a/b"]) expect(relative(from, to), `relative(${from}, ${to})`).toBe(posix.relative(from, to));
  });
});

describe("the front end without a file system (as in a browser)", () => {
  const saved = defaultFileHost();
  afterEach(() => setDefaultFileHost(saved));
  const MODEL = "model M {\n  data y: real[N]\n  latent m: real\n  m ~ Normal(0, 1)\n  y ~ Normal(m, 1)\n}\n";

  it("reports an import it cannot read as I001, resolving against /", () => {
    setDefaultFileHost(noFileHost);
    const r = loadModelSource(`import "lib/m.lvm"\n`, "main.lvm");
    expect(r.diagnostics.map((d) => [d.code, d.hint])).toEqual([["I001", "looked for lib/m.lvm"]]);
    expect(loadModelFile("examples/gaussian-mixture/model.lvm").diagnostics.map((d) => d.code)).toEqual(["I001"]);
  });

  it("reads imports and files through the readFile the caller passes", () => {
    setDefaultFileHost(noFileHost);
    const files: Record<string, string> = { "/proj/main.lvm": `import "lib/m.lvm"\n`, "/proj/lib/m.lvm": MODEL };
    const readFile = (abs: string) => files[abs];
    const r = loadModelFile("/proj/main.lvm", { readFile });
    expect(r.diagnostics).toEqual([]);
    expect(r.graphs.map((g) => g.name)).toEqual(["M"]);
    // relative names resolve against the host's working directory ("/" without one)
    expect(loadModelFile("proj/main.lvm", { readFile }).graphs.map((g) => g.name)).toEqual(["M"]);
  });

  it("the Node platform (installed for the tests as by the Node entry) reads the disk", () => {
    const r = loadModelFile("examples/gaussian-mixture/model.lvm");
    expect(r.diagnostics).toEqual([]);
    expect(r.graphs[0]!.name).toBe("GaussianMixture");
  });
});

describe("initBackend({ wasmPaths })", () => {
  // A fresh process each (the backend starts once per process), on the built browser-safe entry.
  const start = (wasmPaths: string) => {
    const script = `const { initBackend } = await import(${JSON.stringify(ROOT + "dist/src/api/index.js")}); console.log((await initBackend({ backend: "wasm", wasmPaths: ${JSON.stringify(wasmPaths)} })).name);`;
    return spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8", timeout: 60_000 });
  };
  it("loads the binaries from the given prefix; a prefix without them falls back to cpu", () => {
    const dir = dirname(fileURLToPath(import.meta.resolve("@tensorflow/tfjs-backend-wasm"))) + "/";
    expect(readFileSync(dir + "tfjs-backend-wasm.wasm").length).toBeGreaterThan(1000);
    const good = start(dir);
    expect(good.stdout.trim().split("\n").pop(), good.stderr).toBe("wasm");
    const bad = start("/nonexistent/");
    expect(bad.stdout.trim().split("\n").pop(), bad.stderr).toBe("cpu");
    expect(bad.stderr).toContain("/nonexistent/tfjs-backend-wasm");
  }, 120_000);
});
