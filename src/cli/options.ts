// Option values shared by several commands.
import { InvalidArgumentError } from "commander";
import { parseSizeSpec } from "../data/sizes.ts";

/** Commander reducer for repeatable `--size N=500` (also accepts `--size N=500,D=2`). */
export function collectSize(value: string, previous: Record<string, number> = {}): Record<string, number> {
  const out = { ...previous };
  for (const part of value.split(",")) {
    const r = parseSizeSpec(part);
    if ("message" in r) throw new InvalidArgumentError(r.message);
    out[r.name] = r.value;
  }
  return out;
}

/** Commander parser for non-negative integer options (`--seed`, `--steps`). */
export function parseCount(value: string): number {
  if (!/^\d+$/.test(value.trim())) throw new InvalidArgumentError("expected a non-negative integer");
  return Number(value);
}

/** Commander parser for positive integer options (`--iwae K`). */
export function parsePositive(value: string): number {
  if (!/^\d+$/.test(value.trim()) || Number(value) < 1) throw new InvalidArgumentError("expected a positive integer");
  return Number(value);
}
