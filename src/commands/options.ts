// Option values shared by the commands (and the REPL's `:` commands): one parser per kind of
// value, each with its valid range, so that a bad value is a usage error naming the option and
// the range (commander prefixes "option '--samples <n>' argument '0' is invalid.").
import { InvalidArgumentError, Option, type Command } from "commander";
import { parseSizeSpec } from "../data/sizes.ts";

/** The largest count any tensor axis can have (int32 shapes). */
export const MAX_COUNT = 2 ** 31 - 1;
/** Seeds are taken modulo 2^32 by the generator (src/backend/random.ts): larger ones would repeat. */
export const MAX_SEED = 2 ** 32 - 1;
/** The largest Adam step size accepted: far past any useful value, still finite in float32 arithmetic. */
export const MAX_LR = 1e10;

/** A decimal integer, also in exponent form (`1e6`); no signs other than a leading `+`, no hex. */
function integerValue(text: string): number | undefined {
  const t = text.trim();
  if (!/^\+?\d+(\.\d*)?(e\+?\d+)?$/i.test(t)) return undefined;
  const v = Number(t);
  return Number.isSafeInteger(v) ? v : undefined;
}

/** Commander parser for an integer option in [min, max]. */
export function integerIn(min: number, max: number): (value: string) => number {
  return (value: string) => {
    const v = integerValue(value);
    if (v === undefined || v < min || v > max) throw new InvalidArgumentError(`expected an integer from ${min} to ${max}`);
    return v;
  };
}

/** `--seed`: 0 … 2^32 − 1. */
export const parseSeed = integerIn(0, MAX_SEED);
/** `--samples`, `--particles`, `--batch-size`, `--steps`: 1 … 2^31 − 1 (memory is checked when the size is known). */
export const parsePositiveCount = integerIn(1, MAX_COUNT);
/** `--restarts`: each restart is a short fit of its own, so thousands would never finish. */
export const parseRestarts = integerIn(1, 1000);

/** `--lr`: a positive finite number up to MAX_LR. */
export function parseLearningRate(value: string): number {
  const t = value.trim();
  const v = /^\+?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(t) ? Number(t) : NaN;
  if (!(v > 0 && v <= MAX_LR)) throw new InvalidArgumentError("expected a positive number up to 1e10");
  return v;
}

/** `--tol`: a relative change from 0 (no stopping rule) to 1. */
export function parseTolerance(value: string): number {
  const t = value.trim();
  const v = /^\+?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(t) ? Number(t) : NaN;
  if (!(v >= 0 && v <= 1)) throw new InvalidArgumentError("expected a number from 0 (off) to 1");
  return v;
}

/**
 * Commander reducer for repeatable `--size N=500` (also `--size N=500,D=2`). Sizes are counts
 * from 1 to 2^31 − 1. The record has no prototype: a size named `constructor` or `__proto__`
 * is an ordinary entry (and is then reported as not a size of the model).
 */
export function collectSize(value: string, previous?: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = Object.assign(Object.create(null) as Record<string, number>, previous);
  for (const part of value.split(",")) {
    const r = parseSizeSpec(part);
    if ("message" in r) throw new InvalidArgumentError(r.message);
    if (r.value < 1 || r.value > MAX_COUNT) throw new InvalidArgumentError(`size \`${part.trim()}\` must be from 1 to ${MAX_COUNT}`);
    out[r.name] = r.value;
  }
  return out;
}

/** An option whose value must be one of `choices` (commander lists them in its usage error). */
export function choiceOption(flags: string, description: string, choices: readonly string[]): Option {
  return new Option(flags, description).choices(choices);
}

/** Commander parser for positive integer options (`--iwae K`). */
export function parsePositive(value: string): number {
  if (!/^\d+$/.test(value.trim()) || Number(value) < 1) throw new InvalidArgumentError("expected a positive integer");
  return Number(value);
}

/** `--seed`, as every command that draws takes it (default 0). */
export const seedFlag = (c: Command): Command => c.option("--seed <n>", "random seed", parseSeed, 0);
