// Checking a saved fit state (`latent fit --state` writes it, `--resume` and the API's `resume`
// read it) before a fit continues from it: every field present, of its type and range, the
// optimizer's moments one row per param. A hand-edited or truncated state gets a diagnostic
// naming the field, never an internal error, a run of a million steps, or a silent no-op.
import { error, type Diagnostic } from "../diagnostics/diagnostic.ts";
import { didYouMean } from "../diagnostics/suggest.ts";
import { describeValue } from "../data/bind.ts";
import { D } from "../data/codes.ts";
import { own } from "../data/own.ts";
import type { FitState } from "./fit-loop.ts";
import { counted } from "../diagnostics/count.ts";

/** Fields of a state; all but `step`, `steps` and `adam` are optional (states written before them still load). */
const FIELDS = ["step", "steps", "adam", "values", "baselines", "best", "monitor", "average"];
const ADAM_FIELDS = ["iterations", "params", "m", "v"];

/** Checks a parsed state. Never throws; `state` is present only without errors. */
export function checkFitState(raw: unknown, opts: { file?: string } = {}): { state?: FitState; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const related = opts.file ? [{ message: `fit state: ${opts.file}` }] : [];
  const fail = (message: string, hint?: string) => diagnostics.push({ ...error(D.fitState, message, undefined, hint ?? "use the file `latent fit --state` wrote, or start afresh without --resume"), ...(related.length ? { related } : {}) });
  if (!isObject(raw)) {
    fail(`a fit state must be a JSON object {step, steps, adam}, found ${describeValue(raw)}`);
    return { diagnostics };
  }
  unknownFields(raw, FIELDS, "", fail);
  const step = whole(raw, "step", 0, fail);
  const steps = whole(raw, "steps", 1, fail);
  if (step !== undefined && steps !== undefined && step > steps) fail(`\`step\` is ${step} but \`steps\` is ${steps}: a fit cannot have done more steps than it planned`);
  const adam = own(raw, "adam");
  if (adam === undefined) fail("the fit state has no `adam` (the optimizer's step count and moments)");
  else if (!isObject(adam)) fail(`\`adam\` is ${describeValue(adam)}, expected an object {iterations, params, m, v}`);
  else checkAdam(adam, fail);
  const names = isObject(adam) ? own(adam, "params") : undefined;
  const sizes = isObject(adam) && Array.isArray(own(adam, "m")) ? (own(adam, "m") as unknown[]).map((r) => (Array.isArray(r) ? r.length : -1)) : undefined;
  checkValues(own(raw, "values"), "values", names, sizes, fail);
  const baselines = own(raw, "baselines");
  if (baselines !== undefined && (!isObject(baselines) || !Object.keys(baselines).every((k) => typeof own(baselines, k) === "number" && Number.isFinite(own(baselines, k)))))
    fail(`\`baselines\` is ${describeValue(baselines)}, expected an object of finite numbers by site`);
  const best = own(raw, "best");
  if (best !== undefined) {
    if (!isObject(best)) fail(`\`best\` is ${describeValue(best)}, expected an object {value, values}`);
    else {
      unknownFields(best, ["value", "values"], "best.", fail);
      const value = own(best, "value");
      if (typeof value !== "number" || !Number.isFinite(value)) fail(`\`best.value\` is ${describeValue(value)}, expected a finite number`);
      if (own(best, "values") === undefined) fail("`best.values` is missing: the best params' values");
      else checkValues(own(best, "values"), "best.values", names, sizes, fail);
    }
  }
  const monitor = own(raw, "monitor");
  if (monitor !== undefined) checkMonitor(monitor, fail);
  const average = own(raw, "average");
  if (average !== undefined) {
    if (!isObject(average)) fail(`\`average\` is ${describeValue(average)}, expected an object {count, sums} (iterate averaging)`);
    else {
      unknownFields(average, ["count", "sums"], "average.", fail);
      whole(average, "count", 1, fail, "average.");
      if (own(average, "sums") === undefined) fail("`average.sums` is missing: the sums of the averaged values");
      else checkValues(own(average, "sums"), "average.sums", names, sizes, fail);
    }
  }
  if (diagnostics.length) return { diagnostics };
  return { state: raw as unknown as FitState, diagnostics };
}

type Fail = (message: string, hint?: string) => void;

/** The stopping rule's state (src/infer/stopping-rule.ts): window sums and count, last window mean and its variance, relative changes, converged step. */
function checkMonitor(m: unknown, fail: Fail): void {
  if (!isObject(m)) return void fail(`\`monitor\` is ${describeValue(m)}, expected an object {sum, sumSq, count, last, lastVar, changes}`);
  unknownFields(m, ["sum", "sumSq", "count", "last", "lastVar", "changes", "converged"], "monitor.", fail);
  const sum = own(m, "sum");
  if (typeof sum !== "number" || !Number.isFinite(sum)) fail(`\`monitor.sum\` is ${describeValue(sum)}, expected a finite number`);
  whole(m, "count", 0, fail, "monitor.");
  for (const k of ["sumSq", "last", "lastVar"]) {
    const v = own(m, k);
    if (v !== undefined && (typeof v !== "number" || !Number.isFinite(v) || (k !== "last" && v < 0))) fail(`\`monitor.${k}\` is ${describeValue(v)}, expected a finite number${k !== "last" ? " ≥ 0" : ""}`);
  }
  const changes = own(m, "changes");
  if (!Array.isArray(changes) || changes.some((c) => typeof c !== "number" || !(c >= 0) || !Number.isFinite(c))) fail(`\`monitor.changes\` is ${describeValue(changes)}, expected a list of finite numbers ≥ 0`);
  if (own(m, "converged") !== undefined) whole(m, "converged", 1, fail, "monitor.");
}

function checkAdam(adam: object, fail: Fail): void {
  unknownFields(adam, ADAM_FIELDS, "adam.", fail);
  const iterations = whole(adam, "iterations", 0, fail, "adam.");
  const params = own(adam, "params");
  let names: string[] | undefined;
  if (params === undefined) fail("`adam.params` is missing: the names of the optimized params");
  else if (!Array.isArray(params) || params.some((p) => typeof p !== "string")) fail(`\`adam.params\` is ${describeValue(params)}, expected a list of param names`);
  else if (params.length === 0) fail("`adam.params` is empty: the state has no params to continue");
  else names = params as string[];
  const rows = (field: "m" | "v"): number[] | undefined => {
    const x = own(adam, field);
    if (x === undefined) return void fail(`\`adam.${field}\` is missing: the optimizer's ${field === "m" ? "first" : "second"} moments`);
    if (!Array.isArray(x)) return void fail(`\`adam.${field}\` is ${describeValue(x)}, expected a list with one list of numbers per param`);
    const lengths: number[] = [];
    for (let i = 0; i < x.length; i++) {
      const row: unknown = x[i];
      if (!Array.isArray(row)) return void fail(`\`adam.${field}[${i}]\` is ${describeValue(row)}, expected a list of numbers`);
      const bad = row.findIndex((v) => typeof v !== "number" || !Number.isFinite(v) || (field === "v" && v < 0));
      if (bad >= 0) return void fail(`\`adam.${field}[${i}][${bad}]\` is ${describeValue(row[bad])}, expected a finite number${field === "v" ? " ≥ 0" : ""}`);
      lengths.push(row.length);
    }
    return lengths;
  };
  const m = rows("m");
  const v = rows("v");
  if (iterations === undefined || !names || !m || !v) return;
  // Moments exist once a step was taken: one row per param, m and v alike.
  const expected = iterations === 0 ? 0 : names.length;
  if (m.length !== expected || v.length !== expected) {
    fail(`\`adam.m\` and \`adam.v\` have ${m.length} and ${counted(v.length, "row")}; expected ${expected} (${iterations === 0 ? "no step taken" : `one per param in \`adam.params\``})`);
  } else if (m.some((n, i) => n !== v[i])) {
    const i = m.findIndex((n, j) => n !== v[j]);
    fail(`\`adam.m[${i}]\` has ${counted(m[i]!, "number")} but \`adam.v[${i}]\` has ${v[i]}: the moments of param \`${names[i]}\` must have one entry per value`);
  }
}

function isObject(x: unknown): x is object {
  return x !== null && typeof x === "object" && !Array.isArray(x);
}

/** A whole number ≥ `min` in field `name`; reports and returns undefined otherwise. */
function whole(obj: object, name: string, min: number, fail: Fail, prefix = ""): number | undefined {
  const x = own(obj, name);
  if (x === undefined) return void fail(`the fit state has no \`${prefix}${name}\``);
  if (typeof x !== "number" || !Number.isInteger(x) || x < min) return void fail(`\`${prefix}${name}\` is ${describeValue(x)}, expected a whole number ≥ ${min}`);
  return x;
}

function unknownFields(obj: object, known: readonly string[], prefix: string, fail: Fail): void {
  for (const k of Object.keys(obj)) {
    if (!known.includes(k)) fail(`unknown field \`${prefix}${k}\` in the fit state`, didYouMean(k, known)?.replace(/`([^`]+)`/, `\`${prefix}$1\``) ?? `the fields are ${known.map((f) => `\`${prefix}${f}\``).join(", ")}`);
  }
}

/** Params' values (unconstrained): one list of finite numbers per name in `adam.params`, each as long as its moments when those are saved. */
function checkValues(x: unknown, field: string, names: unknown, sizes: number[] | undefined, fail: Fail): void {
  if (x === undefined) return;
  if (!Array.isArray(x)) return void fail(`\`${field}\` is ${describeValue(x)}, expected a list with one list of numbers per param`);
  if (Array.isArray(names) && x.length !== names.length) return void fail(`\`${field}\` has ${counted(x.length, "row")}; expected ${names.length} (one per param in \`adam.params\`)`);
  for (let i = 0; i < x.length; i++) {
    const row: unknown = x[i];
    if (!Array.isArray(row)) return void fail(`\`${field}[${i}]\` is ${describeValue(row)}, expected a list of numbers`);
    const bad = row.findIndex((v) => typeof v !== "number" || !Number.isFinite(v));
    if (bad >= 0) return void fail(`\`${field}[${i}][${bad}]\` is ${describeValue(row[bad])}, expected a finite number`);
    if (sizes?.length && sizes[i] !== row.length) return void fail(`\`${field}[${i}]\` has ${counted(row.length, "number")} but \`adam.m[${i}]\` has ${sizes[i]}: one value per entry of the param`);
  }
}
