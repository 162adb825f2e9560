// Names that are members of JavaScript's Object.prototype (`__proto__`, `constructor`,
// `toString`, …) broke as data, latent, param and size names (issue 12). The checker refuses them
// in every position where a user declares a name (N009, one diagnostic at the name), and its own
// tables never mistake them for something declared: an undeclared `constructor` is unknown.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { loadModelSource } from "../../src/api/frontend.ts";
import { RESERVED_NAMES } from "../../src/types/reserved.ts";

const NAMES = Object.getOwnPropertyNames(Object.prototype).sort();

const load = (src: string) => loadModelSource(src, "m.lvm", { readFile: () => undefined });
const at = (src: string, name: string, nth = 0) => {
  // Line:column of the nth occurrence of `name` as a whole word.
  const re = new RegExp(`(?<![A-Za-z0-9_])${name.replace(/\$/g, "\\$")}(?![A-Za-z0-9_])`, "g");
  const m = [...src.matchAll(re)][nth]!;
  const before = src.slice(0, m.index);
  return `${before.split("\n").length}:${m.index! - before.lastIndexOf("\n")}`;
};

/** Each declaration position: a program that is fine except for the name. */
const POSITIONS: Record<string, (n: string) => string> = {
  model: (n) => `model ${n} {\n  data x: real[N]\n  x ~ Normal(0, 1)\n}\n`,
  guide: (n) => `model M {\n  data x: real[N]\n  latent z: real\n  z ~ Normal(0, 1)\n  x ~ Normal(z, 1)\n}\nguide ${n} for M {\n  param q: real\n  z ~ Normal(q, 1)\n}\n`,
  data: (n) => `model M {\n  data ${n}: real[N]\n  ${n} ~ Normal(0, 1)\n}\n`,
  latent: (n) => `model M {\n  data x: real[N]\n  latent ${n}: real\n  ${n} ~ Normal(0, 1)\n  x ~ Normal(${n}, 1)\n}\n`,
  param: (n) => `model M {\n  data x: real[N]\n  param ${n}: real\n  x ~ Normal(${n}, 1)\n}\n`,
  "guide param": (n) => `model M {\n  data x: real[N]\n  latent z: real\n  z ~ Normal(0, 1)\n  x ~ Normal(z, 1)\n}\nguide G for M {\n  param ${n}: real\n  z ~ Normal(${n}, 1)\n}\n`,
  const: (n) => `model M {\n  const ${n} = 2\n  data x: real[N]\n  x ~ Normal(${n}, 1)\n}\n`,
  let: (n) => `model M {\n  data x: real[N]\n  let ${n} = 2\n  x ~ Normal(${n}, 1)\n}\n`,
  "let in a plate": (n) => `model M {\n  data x: real[N]\n  for i in N {\n    let ${n} = 2\n    x[i] ~ Normal(${n}, 1)\n  }\n}\n`,
  net: (n) => `model M {\n  data x: real[N, 2]\n  latent z: real[N, 2]\n  z ~ Normal(0, 1)\n  net ${n} = dense(2 -> 2, identity)\n  x ~ Normal(${n}(z), 1)\n}\n`,
  "plate variable": (n) => `model M {\n  data x: real[N]\n  for ${n} in N {\n    x[${n}] ~ Normal(0, 1)\n  }\n}\n`,
  "size symbol": (n) => `model M {\n  data x: real[${n}]\n  data y: real[${n}]\n  x ~ Normal(0, 1)\n  y ~ Normal(0, 1)\n}\n`,
};

describe("names of Object.prototype members are refused where declared (N009)", () => {
  it("are exactly Object.prototype's own property names, as docs/language.md lists them", () => {
    expect([...RESERVED_NAMES].sort()).toEqual(NAMES);
    const doc = readFileSync(new URL("../../docs/language.md", import.meta.url), "utf8");
    const bullet = /- \*\*Reserved names\*\*:([\s\S]*?)cannot be declared/.exec(doc)![1]!;
    expect([...bullet.matchAll(/`([A-Za-z_]+)`/g)].map((m) => m[1]).sort()).toEqual(NAMES);
    expect(NAMES).toEqual(expect.arrayContaining(["__proto__", "constructor", "toString", "valueOf", "hasOwnProperty", "__defineGetter__"]));
  });

  for (const [position, make] of Object.entries(POSITIONS)) {
    it(`as a ${position} name`, () => {
      for (const n of NAMES) {
        const src = make(n);
        const r = load(src);
        const got = r.diagnostics.filter((d) => d.severity === "error").map((d) => `${d.code} ${d.span?.start.line}:${d.span?.start.column}`);
        expect(got, `${position} ${n}`).toEqual([`N009 ${at(src, n)}`]);
        const d = r.diagnostics.find((x) => x.code === "N009")!;
        expect(d.message).toBe(`\`${n}\` cannot be declared: it names a member of JavaScript's Object.prototype`);
        expect(d.hint).toMatch(/^rename it, e\.g\. `[A-Za-z_][A-Za-z0-9_]*`$/);
        expect(d.hint).not.toContain(`\`${n}\``);
      }
    });
  }

  it("the same programs with an ordinary name check cleanly (the templates are valid)", () => {
    for (const [position, make] of Object.entries(POSITIONS)) {
      const r = load(make(position === "model" || position === "guide" ? "Name" : "nm"));
      expect(r.diagnostics.filter((d) => d.severity === "error").map((d) => d.message), position).toEqual([]);
    }
  });
});

describe("undeclared prototype names are unknown, never found in Object.prototype", () => {
  const POS: Record<string, [(n: string) => string, string]> = {
    value: [(n) => `model M {\n  data x: real[N]\n  x ~ Normal(${n}, 1)\n}\n`, "N001"],
    function: [(n) => `model M {\n  data x: real[N]\n  x ~ Normal(${n}(1), 1)\n}\n`, "N006"],
    distribution: [(n) => `model M {\n  data x: real[N]\n  x ~ ${n}(0, 1)\n}\n`, "N005"],
    type: [(n) => `model M {\n  data x: ${n}[N]\n  x ~ Normal(0, 1)\n}\n`, "N007"],
    "plate range": [(n) => `model M {\n  data x: real[N]\n  for i in ${n} {\n    x[i] ~ Normal(0, 1)\n  }\n}\n`, "N001"],
    "named argument": [(n) => `model M {\n  data x: real[N]\n  x ~ Normal(0, ${n} = 1)\n}\n`, "T010"],
    "guide's model": [(n) => `model M {\n  data x: real[N]\n  x ~ Normal(0, 1)\n}\nguide G for ${n} {\n}\n`, "G001"],
    "sample target": [(n) => `model M {\n  data x: real[N]\n  x ~ Normal(0, 1)\n  ${n} ~ Normal(0, 1)\n}\n`, "N001"],
  };
  for (const [position, [make, code]] of Object.entries(POS)) {
    it(`as a ${position}`, () => {
      for (const n of NAMES) {
        const src = make(n);
        const r = load(src);
        expect(r.diagnostics.map((d) => `${d.code} ${d.span?.start.line}:${d.span?.start.column}`), `${position} ${n}`).toEqual([`${code} ${at(src, n)}`]);
      }
    });
  }
});
