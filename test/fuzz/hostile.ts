// Hostile command lines: the classes of issue 12's held-out hostile input, each generated as a
// set of files and an argv for the `latent` CLI (run in-process through `main`). A case is fine
// when the CLI ends with status 0 or 1, prints no raw control bytes (colour is off), and leaves
// every input file as it was. `scripts/fuzz.ts --hostile N` runs many; hostile.test.ts a few.
import { readFileSync } from "node:fs";
import fc from "fast-check";

export type HostileClass = "nesting" | "huge" | "paths" | "corrupt" | "proto" | "control";

export interface HostileCase {
  kind: HostileClass;
  /** Files to write in the case's directory (relative names; `dir/` makes a directory). */
  files: Record<string, string | Uint8Array>;
  /** CLI arguments; `@name` is replaced by the absolute path of the case's file `name`. */
  argv: string[];
  /** Files that must have the same bytes after the run. */
  inputs: string[];
}

const example = (name: string): string => readFileSync(new URL(`../../examples/${name}/model.lvm`, import.meta.url), "utf8");
export const GMM = example("gaussian-mixture");
export const VI = example("vi-gaussian");

const GMM_DATA = JSON.stringify({ x: [[0.1, 0.2], [1.5, 1.1], [-0.3, 0.4], [2.2, 2.0], [0.0, -0.1], [1.9, 2.4]] });
const VI_DATA = JSON.stringify({ x: [0.3, -0.2, 1.1, 0.8, 0.5] });
const GMM_PARAMS = { weights: [0.4, 0.3, 0.3], mu: [[0, 0], [1, 1], [2, 2]], sigma: [[1, 1], [1, 1], [1, 1]] };

/** Every name that is a key of Object.prototype, plus `__proto__`. */
export const PROTO_NAMES = [...new Set([...Object.getOwnPropertyNames(Object.prototype), "__proto__"])];

/** Raw control and bidi characters a terminal would act on. */
export const CONTROL = ["\x1b[31m", "\x1b]0;pwned\x07", "\x07", "\r", "\x00", "\x08", "\x9b", "\u202e", "\u2066", "\x7f"];

const command = (model: string, data: string): fc.Arbitrary<string[]> =>
  fc.constantFrom(
    ["check", model],
    ["check", model, "--data", data],
    ["graph", model],
    ["fit", model, "--data", data, "--steps", "2"],
    ["evidence", model, "--data", data, "--samples", "20"],
    ["posterior", model, "--data", data],
    ["sample", model, "--size", "N=3", "--size", "D=2"],
  );

// ---- nesting: deep expressions, plates, literals and long import chains ---------------------

const nestedExpr = (kind: string, d: number): string => {
  switch (kind) {
    case "parens":
      return "(".repeat(d) + "0" + ")".repeat(d);
    case "unary":
      return "-".repeat(d) + "1";
    case "pow":
      return Array(d).fill("1").join(" ^ ");
    case "sum":
      return Array(d).fill("m").join(" + ");
    case "call":
      return "exp(".repeat(d) + "0" + ")".repeat(d);
    default:
      return "[".repeat(d) + "0" + "]".repeat(d);
  }
};

const nesting: fc.Arbitrary<HostileCase> = fc
  .record({
    kind: fc.constantFrom("parens", "unary", "pow", "sum", "call", "array", "plates", "imports"),
    depth: fc.constantFrom(20, 150, 400, 1000, 5000, 20000),
    argv: command("@m.lvm", "@d.json"),
  })
  .map(({ kind, depth, argv }): HostileCase => {
    const files: Record<string, string> = { "d.json": VI_DATA };
    if (kind === "plates") {
      const d = Math.min(depth, 2000);
      let body = "x[i0] ~ Normal(m, 1)";
      for (let i = d - 1; i >= 0; i--) body = `for i${i} in N { ${body} }`;
      files["m.lvm"] = `model M {\n  data x: real[N]\n  latent m: real\n  m ~ Normal(0, 1)\n  ${body}\n}\n`;
    } else if (kind === "imports") {
      const k = Math.min(depth, 3000);
      for (let i = 0; i < k; i++) files[`a${i}.lvm`] = i + 1 < k ? `import "a${i + 1}.lvm"\n` : `model Deep { data x: real[N]\n latent m: real\n m ~ Normal(0, 1)\n x ~ Normal(m, 1) }\n`;
      files["m.lvm"] = `import "a0.lvm"\n`;
    } else {
      files["m.lvm"] = `model M {\n  data x: real[N]\n  latent m: real\n  let e = ${nestedExpr(kind, depth)}\n  m ~ Normal(0, 1)\n  x ~ Normal(m, 1)\n}\n`;
    }
    return { kind: "nesting", files, argv, inputs: Object.keys(files) };
  });

// ---- huge sizes and flags -------------------------------------------------------------------

const HUGE = ["0", "-1", "1.5", "NaN", "abc", "", "1e9", "2147483648", "1e308", "1e999", "1000000", "0x10", "Infinity"];

const huge: fc.Arbitrary<HostileCase> = fc.oneof(
  fc.record({ v: fc.constantFrom(...HUGE), flag: fc.constantFrom("--particles", "--samples", "--size"), cmd: fc.constantFrom("fit", "evidence", "elbo", "sample") }).map(({ v, flag, cmd }): HostileCase => {
    const files = { "m.lvm": VI, "d.json": VI_DATA };
    const value = flag === "--size" ? `N=${v}` : v;
    const base = cmd === "sample" ? ["sample", "@m.lvm"] : [cmd, "@m.lvm", "--data", "@d.json"];
    const extra = cmd === "fit" ? ["--steps", "2"] : cmd === "sample" && flag !== "--size" ? ["--size", "N=3"] : [];
    return { kind: "huge", files, argv: [...base, ...extra, flag, value], inputs: Object.keys(files) };
  }),
  fc.record({ v: fc.constantFrom("1e10", "1e308", "2147483648", "100000000", "1000000"), where: fc.constantFrom("const", "shape", "size") }).map(({ v, where }): HostileCase => {
    const model =
      where === "const"
        ? `model M {\n  const K = ${v}\n  data x: real[N]\n  param mu: real[K]\n  x ~ Normal(mu[0], 1)\n}\n`
        : where === "shape"
          ? `model M {\n  data x: real[N]\n  param w: real[${v}]\n  x ~ Normal(w[0], 1)\n}\n`
          : `model M {\n  data x: real[N, D]\n  param mu: real[D]\n  for n in N { x[n] ~ Normal(mu, 1) }\n}\n`;
    const files = { "m.lvm": model, "d.json": where === "size" ? GMM_DATA : VI_DATA };
    const argv = where === "size" ? ["sample", "@m.lvm", "--size", "N=2", "--size", `D=${v}`] : ["fit", "@m.lvm", "--data", "@d.json", "--steps", "2"];
    return { kind: "huge", files, argv, inputs: Object.keys(files) };
  }),
  fc.constantFrom(18, 22, 26).map((k): HostileCase => {
    const decls = Array.from({ length: k }, (_, i) => `  latent b${i}: binary\n  b${i} ~ Bernoulli(0.5)`).join("\n");
    const sum = Array.from({ length: k }, (_, i) => `b${i}`).join(" + ");
    const files = { "m.lvm": `model Many {\n  data x: real[N]\n${decls}\n  x ~ Normal(${sum}, 1)\n}\n`, "d.json": VI_DATA };
    return { kind: "huge", files, argv: ["evidence", "@m.lvm", "--data", "@d.json"], inputs: Object.keys(files) };
  }),
);

// ---- output paths that would destroy input or lose the fit ----------------------------------

const paths: fc.Arbitrary<HostileCase> = fc
  .record({ out: fc.constantFrom("@m.lvm", "@d.json", "@dir", "@nodir/p.json", "@same", "@p.json", "@dir/"), cmd: fc.constantFrom("fit", "sample", "posterior") })
  .map(({ out, cmd }): HostileCase => {
    const files: Record<string, string> = { "m.lvm": GMM, "d.json": GMM_DATA, "dir/keep.txt": "keep\n" };
    const argv =
      cmd === "sample"
        ? ["sample", "@m.lvm", "--size", "N=4", "--size", "D=2", "--out"]
        : cmd === "fit"
          ? ["fit", "@m.lvm", "--data", "@d.json", "--steps", "3", ...(out === "@same" ? ["--state", "@same"] : []), "--out"]
          : ["posterior", "@m.lvm", "--data", "@d.json", "--out"];
    // `sample` reads only the model: its --out may replace d.json (that is what --out is for).
    const inputs = cmd === "sample" ? ["m.lvm", "dir/keep.txt"] : ["m.lvm", "d.json", "dir/keep.txt"];
    return { kind: "paths", files, argv: [...argv, out], inputs };
  });

// ---- corrupted params and saved states ------------------------------------------------------

const badValue = fc.constantFrom<unknown>("1", true, null, [], {}, [[1]], [1, [2]], 1e39, -1, "NaN", { __proto__: 1 });

const corruptParams: fc.Arbitrary<string> = fc.oneof(
  fc.record({ key: fc.constantFrom("weights", "mu", "sigma"), v: badValue }).map(({ key, v }) => JSON.stringify({ ...GMM_PARAMS, [key]: v })),
  fc.constantFrom(
    JSON.stringify({ ...GMM_PARAMS, weights: [0.5, 0.5, 0.5] }),
    JSON.stringify({ ...GMM_PARAMS, mu: [[0, 0], [1, 1]] }),
    JSON.stringify({ ...GMM_PARAMS, mu: [0, 1, 2] }),
    JSON.stringify({ ...GMM_PARAMS, sigmaa: GMM_PARAMS.sigma }),
    JSON.stringify({ weights: GMM_PARAMS.weights }),
    '{"__proto__": {"weights": [1, 0, 0]}, "constructor": 1}',
    "[1, 2, 3]",
    "null",
    "{",
    "\u0000\u0001binary",
    JSON.stringify({ ...GMM_PARAMS, mu: [[0, 0], [1, 1], [2, "2"]] }),
  ),
);

const STATE = { step: 2, steps: 4, adam: { iterations: 2, params: ["weights", "mu", "sigma"], m: [[0, 0, 0], [0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0]], v: [[0, 0, 0], [0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0]] } };

const corruptState: fc.Arbitrary<string> = fc.constantFrom(
  JSON.stringify({ ...STATE, step: -5 }),
  JSON.stringify({ ...STATE, step: "3" }),
  JSON.stringify({ ...STATE, step: 1e12 }),
  JSON.stringify({ ...STATE, adam: null }),
  JSON.stringify({ ...STATE, adam: { ...STATE.adam, m: null } }),
  JSON.stringify({ ...STATE, adam: { ...STATE.adam, m: [[1, 2]] } }),
  JSON.stringify({ ...STATE, adam: { ...STATE.adam, params: ["nope"] } }),
  JSON.stringify({ steps: 4 }),
  "{}",
  "[]",
  "{",
);

const corrupt: fc.Arbitrary<HostileCase> = fc.oneof(
  fc.record({ params: corruptParams, cmd: fc.constantFrom("evidence", "posterior", "fit", "sample") }).map(({ params, cmd }): HostileCase => {
    const files = { "m.lvm": GMM, "d.json": GMM_DATA, "p.json": params };
    const argv = cmd === "sample" ? ["sample", "@m.lvm", "--size", "N=3", "--params", "@p.json"] : [cmd, "@m.lvm", "--data", "@d.json", "--params", "@p.json", ...(cmd === "fit" ? ["--steps", "2"] : [])];
    return { kind: "corrupt", files, argv, inputs: Object.keys(files) };
  }),
  corruptState.map((state): HostileCase => {
    const files = { "m.lvm": GMM, "d.json": GMM_DATA, "p.json": JSON.stringify(GMM_PARAMS), "s.json": state };
    return { kind: "corrupt", files, argv: ["fit", "@m.lvm", "--data", "@d.json", "--params", "@p.json", "--resume", "@s.json", "--steps", "4"], inputs: Object.keys(files) };
  }),
);

// ---- names that are keys of Object.prototype ------------------------------------------------

const proto: fc.Arbitrary<HostileCase> = fc
  .record({ name: fc.constantFrom(...PROTO_NAMES), where: fc.constantFrom("data", "latent", "param", "size", "const", "plate", "datakey", "sizeflag"), argv: command("@m.lvm", "@d.json") })
  .map(({ name, where, argv }): HostileCase => {
    const n = name;
    const model: Record<string, string> = {
      data: `model M {\n  data ${n}: real[N]\n  latent m: real\n  m ~ Normal(0, 1)\n  ${n} ~ Normal(m, 1)\n}\n`,
      latent: `model M {\n  data x: real[N]\n  latent ${n}: real\n  ${n} ~ Normal(0, 1)\n  x ~ Normal(${n}, 1)\n}\n`,
      param: `model M {\n  data x: real[N]\n  param ${n}: real\n  x ~ Normal(${n}, 1)\n}\n`,
      size: `model M {\n  data x: real[${n}]\n  param mu: real\n  x ~ Normal(mu, 1)\n}\n`,
      const: `model M {\n  const ${n} = 2\n  data x: real[N]\n  param mu: real[${n}]\n  x ~ Normal(mu[0], 1)\n}\n`,
      plate: `model M {\n  data x: real[N]\n  param mu: real\n  for ${n} in N { x[${n}] ~ Normal(mu, 1) }\n}\n`,
    };
    const data = where === "data" ? `{"${n}": [0.5, 1.5]}` : where === "datakey" ? `{"x": [0.5, 1.5], "${n}": [1]}` : `{"x": [0.5, 1.5]}`;
    const files = { "m.lvm": model[where] ?? VI, "d.json": data };
    const withSize = where === "sizeflag" ? [...argv, "--size", `${n}=3`] : argv;
    return { kind: "proto", files, argv: withSize, inputs: Object.keys(files) };
  });

// ---- control characters in user text ---------------------------------------------------------

const control: fc.Arbitrary<HostileCase> = fc
  .record({ c: fc.constantFrom(...CONTROL), where: fc.constantFrom("ident", "comment", "import", "jsonkey", "csvheader", "filename", "modelname"), argv: command("@m.lvm", "@d.json") })
  .map(({ c, where, argv }): HostileCase => {
    const files: Record<string, string> = { "m.lvm": VI, "d.json": VI_DATA };
    if (where === "ident") files["m.lvm"] = VI.replace("latent m: real", `latent m${c}x: real`);
    if (where === "comment") files["m.lvm"] = `// ${c} comment\n` + VI;
    if (where === "import") files["m.lvm"] = `import "lib${c}.lvm"\n` + VI;
    if (where === "modelname") files["m.lvm"] = VI.replace("model VIGaussian", `model VI${c}Gaussian`);
    if (where === "jsonkey") files["d.json"] = JSON.stringify({ x: [0.3, 0.4], [`y${c}`]: [1] });
    if (where === "csvheader") {
      files["d.csv"] = `x,y${c}\n0.1,2\n0.4,3\n`;
      argv = argv.map((a) => (a === "@d.json" ? "@d.csv" : a));
    }
    if (where === "filename") {
      // No file system holds a name with NUL: that file is not made, and the CLI must say it cannot read it.
      if (!c.includes("\0")) files[`m${c}.lvm`] = files["m.lvm"]!;
      argv = argv.map((a) => (a === "@m.lvm" ? `@m${c}.lvm` : a));
    }
    return { kind: "control", files, argv, inputs: Object.keys(files) };
  });

export const HOSTILE: Record<HostileClass, fc.Arbitrary<HostileCase>> = { nesting, huge, paths, corrupt, proto, control };

export const hostileArb: fc.Arbitrary<HostileCase> = fc.oneof(...Object.values(HOSTILE));
