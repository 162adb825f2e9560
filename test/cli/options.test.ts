// Option values: every numeric option has a valid range, and a value outside it (0, negative,
// fractional, NaN, absurd) is a usage error naming the option and the range, exit 1 — never an
// internal error or a silently degenerate run. With --json anywhere, a usage error is the JSON
// diagnostics object on stdout.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { collectSize, integerIn, parseLearningRate } from "../../src/commands/options.ts";
import { run } from "../helpers/cli.ts";

const GMM = "examples/gaussian-mixture/model.lvm";
const VI = "examples/vi-gaussian/model.lvm";
const tmp = mkdtempSync(join(tmpdir(), "latent-options-"));
const gmmData = join(tmp, "gmm.json");
const viData = join(tmp, "vi.json");

beforeAll(() => {
  const rows = Array.from({ length: 30 }, (_, i) => [Math.sin(i) * 3, Math.cos(i) * 3]);
  writeFileSync(gmmData, JSON.stringify({ x: rows }));
  writeFileSync(viData, JSON.stringify({ x: [0.5, 1.5, 1, 2, 0] }));
});

/** Exit 1 with a usage message naming `flag` and `range`, no internal error. */
function expectUsage(r: { code: number; out: string; err: string }, flag: string, range: string) {
  expect(r.code, r.err).toBe(1);
  expect(r.err).toContain(`option '${flag}`);
  expect(r.err).toContain(range);
  expect(r.err).not.toContain("internal error");
}

describe("degenerate values reported in the issue", () => {
  it("evidence --samples 0 (was an internal error) is a usage error", async () => {
    expectUsage(await run("evidence", GMM, "--data", gmmData, "--method", "naive", "--samples", "0"), "--samples", "from 1 to 2147483647");
  });

  it("elbo --samples 0 (printed NaN ± NaN) is a usage error", async () => {
    const r = await run("elbo", VI, "--data", viData, "--guide", "Q", "--samples", "0");
    expectUsage(r, "--samples", "from 1 to 2147483647");
    expect(r.out).not.toContain("NaN");
  });

  it("fit --particles 0 is a usage error", async () => {
    expectUsage(await run("fit", VI, "--data", viData, "--guide", "Q", "--particles", "0", "--steps", "5"), "--particles", "from 1 to 2147483647");
  });

  it("sample --size N=0 (wrote one row) is a usage error", async () => {
    const r = await run("sample", GMM, "--size", "N=0", "--size", "D=2");
    expectUsage(r, "--size", "from 1 to 2147483647");
    expect(r.out).toBe("");
  });
});

describe("every numeric option has a range", () => {
  // [command, flag, range text, bad values]
  const counts = ["0", "-1", "1.5", "NaN", "abc", "Infinity", "0x10", "1e400", "99999999999999999999", "2147483648"];
  const cases: [string, string, string, string[]][] = [
    ["fit", "--steps", "from 1 to 2147483647", counts],
    ["fit", "--batch-size", "from 1 to 2147483647", counts],
    ["fit", "--particles", "from 1 to 2147483647", counts],
    ["fit", "--restarts", "from 1 to 1000", ["0", "-2", "2.5", "NaN", "1001", "1e9"]],
    ["fit", "--seed", "from 0 to 4294967295", ["-1", "0.5", "NaN", "abc", "4294967296", "1e20"]],
    ["fit", "--lr", "a positive number up to 1e10", ["0", "-0.1", "NaN", "Infinity", "abc", "1e11", "0x1"]],
    ["evidence", "--samples", "from 1 to 2147483647", counts],
    ["evidence", "--seed", "from 0 to 4294967295", ["-1", "1e20"]],
    ["elbo", "--samples", "from 1 to 2147483647", counts],
    ["sample", "--seed", "from 0 to 4294967295", ["-3", "x"]],
  ];
  for (const [cmd, flag, range, values] of cases) {
    it(`${cmd} ${flag}`, async () => {
      for (const v of values) expectUsage(await run(cmd, "no-such-model.lvm", "--data", "d.json", `${flag}=${v}`), flag, range);
    });
  }

  it("--size: zero, negative, fractional, absurd and malformed values, in every command that takes it", async () => {
    for (const cmd of ["check", "sample", "fit", "posterior", "evidence", "elbo"]) {
      for (const v of ["N=0", "N=-1", "N=1.5", "N=99999999999999999999", "N=2147483648", "N=", "=3", "N"]) {
        const r = await run(cmd, "no-such-model.lvm", "--data", "d.json", "--size", v);
        expect(r.code, `${cmd} --size ${v}`).toBe(1);
        expect(r.err).toContain("option '--size");
      }
    }
  });

  it("valid values pass, including exponent forms of integers", () => {
    expect(integerIn(1, 2 ** 31 - 1)("1e3")).toBe(1000);
    expect(integerIn(0, 10)("+7")).toBe(7);
    expect(integerIn(1, 2 ** 31 - 1)("2147483647")).toBe(2147483647);
    expect(parseLearningRate("1e-3")).toBe(0.001);
    expect(parseLearningRate(".5")).toBe(0.5);
    expect(parseLearningRate("1e10")).toBe(1e10);
  });

  it("--method and --objective take their listed values only", async () => {
    const m = await run("evidence", "no-such-model.lvm", "--data", "d.json", "--method", "magic");
    expect(m.code).toBe(1);
    expect(m.err).toContain("option '--method <name>' argument 'magic' is invalid");
    const o = await run("fit", "no-such-model.lvm", "--data", "d.json", "--objective", "kl");
    expect(o.code).toBe(1);
    expect(o.err).toContain("option '--objective <name>' argument 'kl' is invalid");
  });
});

describe("usage errors with --json", () => {
  const diagnosticShape = {
    severity: "error",
    file: null,
    line: null,
    column: null,
    endLine: null,
    endColumn: null,
    hint: null,
    related: [],
  };

  it("an invalid option value is one JSON object on stdout, nothing on stderr, exit 1", async () => {
    const r = await run("evidence", "no-such-model.lvm", "--json", "--data", "d.json", "--samples", "0");
    expect(r.code).toBe(1);
    expect(r.err).toBe("");
    expect(JSON.parse(r.out)).toEqual({
      ok: false,
      diagnostics: [{ ...diagnosticShape, code: "C012", message: "option '--samples <n>' argument '0' is invalid. expected an integer from 1 to 2147483647" }],
    });
  });

  it("unknown commands, unknown options and missing arguments too, wherever --json is", async () => {
    for (const args of [["frobnicate", "--json"], ["--json", "fit", "m.lvm", "--data", "d.json", "--bogus"], ["fit", "--json"], ["check", "--json"]]) {
      const r = await run(...args);
      expect(r.code, args.join(" ")).toBe(1);
      expect(r.err).toBe("");
      const j = JSON.parse(r.out) as { ok: boolean; diagnostics: { code: string; message: string }[] };
      expect(j.ok).toBe(false);
      expect(j.diagnostics).toHaveLength(1);
      expect(j.diagnostics[0]!.code).toBe("C012");
      expect(j.diagnostics[0]!.message).not.toMatch(/^error:/);
    }
  });

  it("after `--`, --json is an argument, not the flag", async () => {
    const r = await run("check", "--", "--json");
    expect(r.code).toBe(1);
    expect(r.out).toContain("error[C001]: cannot read file `--json`");
  });
});

describe("--size with names that are Object.prototype keys", () => {
  it("collectSize keeps them as ordinary entries", () => {
    const s = collectSize("constructor=3", collectSize("__proto__=2"));
    expect(Object.keys(s).sort()).toEqual(["__proto__", "constructor"]);
    expect(s["__proto__"]).toBe(2);
    expect(s["constructor"]).toBe(3);
  });

  it("an unknown size named __proto__, constructor, toString or hasOwnProperty gets the unknown-size warning", async () => {
    for (const name of ["__proto__", "constructor", "toString", "hasOwnProperty"]) {
      const r = await run("check", GMM, "--size", "N=3", "--size", `${name}=3`);
      expect(r.code, name).toBe(0);
      expect(r.out).toContain(`warning[D015]: \`--size ${name}=3\`: model GaussianMixture has no size \`${name}\` (ignored)`);
      expect(r.out).toContain("ok: ");
    }
  });

  it("sample draws as usual beside such a size", async () => {
    const r = await run("sample", GMM, "--size", "N=4", "--size", "D=2", "--size", "constructor=7", "--seed", "1");
    expect(r.code).toBe(0);
    const x = (JSON.parse(r.out) as { x: number[][] }).x;
    expect(x.length).toBe(4);
    expect(x.every((row) => row.length === 2)).toBe(true);
  });
});
