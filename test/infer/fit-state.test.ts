// A saved fit state is checked before a fit continues from it: each malformed field gets a
// diagnostic naming it (never an internal error, a run of a million steps, or a silent no-op).
import { describe, expect, it } from "vitest";
import { checkFitState } from "../../src/infer/fit-state.ts";
import { lvm } from "../helpers/compile.ts";
import { LatentError } from "../../src/diagnostics/diagnostic.ts";

const good = () => ({
  step: 5,
  steps: 10,
  adam: { iterations: 5, params: ["w", "mu"], m: [[0.1, -0.2], [0.3, 0.4, 0.5]], v: [[0.01, 0.02], [0.03, 0.04, 0.05]] },
});

const messages = (raw: unknown) => checkFitState(raw, { file: "s.json" }).diagnostics.map((d) => `${d.code} ${d.message}`);

describe("checkFitState", () => {
  it("accepts a state as `fit --state` writes it, and the optional `values`, `baselines` and `best` fields", () => {
    expect(checkFitState(good()).diagnostics).toEqual([]);
    expect(checkFitState(good()).state).toEqual(good());
    expect(checkFitState({ ...good(), baselines: { x: 1.5, z: 0.25 } }).diagnostics).toEqual([]);
    const values = [[1, 2], [3, 4, 5]];
    expect(checkFitState({ ...good(), values, best: { value: -3.5, values } }).diagnostics).toEqual([]);
    expect(checkFitState({ step: 0, steps: 10, adam: { iterations: 0, params: ["w"], m: [], v: [] } }).diagnostics).toEqual([]);
  });

  const cases: [string, (s: ReturnType<typeof good>) => unknown, string][] = [
    ["a negative step", (s) => ({ ...s, step: -1_000_000 }), "`step` is -1000000, expected a whole number ≥ 0"],
    ["a step given as a string", (s) => ({ ...s, step: "5" }), '`step` is a string ("5"), expected a whole number ≥ 0'],
    ["a fractional step", (s) => ({ ...s, step: 2.5 }), "`step` is 2.5, expected a whole number ≥ 0"],
    ["more steps done than planned", (s) => ({ ...s, step: 11 }), "`step` is 11 but `steps` is 10: a fit cannot have done more steps than it planned"],
    ["no adam", (s) => ({ step: s.step, steps: s.steps }), "the fit state has no `adam` (the optimizer's step count and moments)"],
    ["null moments", (s) => ({ ...s, adam: { ...s.adam, m: null } }), "`adam.m` is null, expected a list with one list of numbers per param"],
    ["missing moments", (s) => ({ ...s, adam: { iterations: 5, params: ["w", "mu"], m: s.adam.m } }), "`adam.v` is missing: the optimizer's second moments"],
    ["a null moment entry", (s) => ({ ...s, adam: { ...s.adam, v: [[0.01, null], [0.03, 0.04, 0.05]] } }), "`adam.v[0][1]` is null, expected a finite number ≥ 0"],
    ["no params", (s) => ({ ...s, adam: { iterations: 5, m: s.adam.m, v: s.adam.v } }), "`adam.params` is missing: the names of the optimized params"],
    ["empty params", (s) => ({ ...s, adam: { ...s.adam, params: [], m: [], v: [] } }), "`adam.params` is empty: the state has no params to continue"],
    ["moments for fewer params", (s) => ({ ...s, adam: { ...s.adam, m: [s.adam.m[0]] } }), "`adam.m` and `adam.v` have 1 and 2 rows; expected 2 (one per param in `adam.params`)"],
    ["m and v of different lengths", (s) => ({ ...s, adam: { ...s.adam, v: [[0.01, 0.02], [0.03]] } }), "`adam.m[1]` has 3 numbers but `adam.v[1]` has 1: the moments of param `mu` must have one entry per value"],
    ["an unknown field", (s) => ({ ...s, stpe: 3 }), "unknown field `stpe` in the fit state"],
    ["a list", () => [1, 2], "a fit state must be a JSON object {step, steps, adam}, found a list"],
    ["non-numeric baselines", (s) => ({ ...s, baselines: { x: "a" } }), '`baselines` is an object, expected an object of finite numbers by site'],
    ["values with a row too few", (s) => ({ ...s, values: [[1, 2]] }), "`values` has 1 row; expected 2 (one per param in `adam.params`)"],
    ["values of the wrong length", (s) => ({ ...s, values: [[1, 2], [3]] }), "`values[1]` has 1 number but `adam.m[1]` has 3: one value per entry of the param"],
    ["a null value", (s) => ({ ...s, values: [[1, null], [3, 4, 5]] }), "`values[0][1]` is null, expected a finite number"],
    ["a best without values", (s) => ({ ...s, best: { value: 1 } }), "`best.values` is missing: the best params' values"],
    ["a non-finite best value", (s) => ({ ...s, best: { value: "x", values: [[1, 2], [3, 4, 5]] } }), '`best.value` is a string ("x"), expected a finite number'],
  ];
  for (const [what, edit, expected] of cases) {
    it(`refuses ${what}`, () => {
      const r = checkFitState(edit(good()), { file: "s.json" });
      expect(r.state).toBeUndefined();
      expect(r.diagnostics.map((d) => d.message)).toEqual([expected]);
      expect(r.diagnostics[0]).toMatchObject({ code: "D040", severity: "error", related: [{ message: "fit state: s.json" }] });
    });
  }

  it("suggests the field meant", () => {
    expect(checkFitState({ ...good(), stpe: 3 }).diagnostics[0]!.hint).toBe("did you mean `step`?");
    expect(checkFitState({ ...good(), adam: { ...good().adam, itrations: 5 } }).diagnostics.map((d) => d.hint)).toContain("did you mean `adam.iterations`?");
  });

  it("takes prototype-named fields as unknown fields", () => {
    const raw = JSON.parse(`{"step": 5, "steps": 10, "adam": ${JSON.stringify(good().adam)}, "__proto__": {"step": 1}, "constructor": 1, "toString": 2, "valueOf": 3, "hasOwnProperty": 4}`);
    expect(messages(raw).sort()).toEqual(["__proto__", "constructor", "hasOwnProperty", "toString", "valueOf"].map((k) => `D040 unknown field \`${k}\` in the fit state`).sort());
    // A `__proto__` object cannot supply a field the state lacks.
    expect(messages(JSON.parse(`{"steps": 10, "adam": ${JSON.stringify(good().adam)}, "__proto__": {"step": 1}}`))).toContain("D040 the fit state has no `step`");
  });
});

describe("fit with a malformed resume state", () => {
  it("throws a LatentError naming the field (the API checks what the CLI checks)", async () => {
    const m = await lvm(`model N1 {\n  data x: real[N]\n  param mu: real\n  for n in N {\n    x[n] ~ Normal(mu, 1)\n  }\n}\n`);
    const resume = { step: "3", steps: 10, adam: { iterations: 3, params: ["mu"], m: [[0.1]], v: [[0.01]] } };
    const err = await m.fit({ x: [1, 2] }, { steps: 10, resume: resume as never }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LatentError);
    expect((err as LatentError).diagnostics.map((d) => d.message)).toEqual(['`step` is a string ("3"), expected a whole number ≥ 0']);
  });
});
