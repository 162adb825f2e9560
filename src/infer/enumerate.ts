// Exact enumeration of finite discrete latents. All enumerated latents share one enumeration
// axis E of size M = Π card^elements; each latent's value along E is a digit of the slot index.
// Local latents (one per data point) are enumerated per data point: their data axis stays size 1
// and broadcasts, so the sum over E is taken separately for every point (the plate factorizes).
import type { Diagnostic } from "../diagnostics/diagnostic.ts";
import { error } from "../diagnostics/diagnostic.ts";
import type { LatentNode } from "../ir/graph.ts";
import { evalSize } from "../types/types.ts";
import { tf } from "../backend/tf.ts";
import type { Value } from "../backend/value.ts";
import type { ModelRuntime } from "../backend/model-runtime.ts";

export interface EnumSite {
  name: string;
  card: number;
  /** Declared shape. */
  shape: number[];
  /** Elements enumerated jointly per data point (all of them for a global latent). */
  elems: number;
  local: boolean;
}

export interface EnumPlan {
  sites: EnumSite[];
  /** M: the number of joint values. */
  size: number;
  /** Every enumerated latent is local (sum per data point) — otherwise all are global. */
  local: boolean;
}

/** Default cap on joint enumeration size (values per data point). */
export const DEFAULT_ENUM_LIMIT = 1 << 22;

export function planEnumeration(
  rt: ModelRuntime,
  given: ReadonlySet<string>,
  limit = DEFAULT_ENUM_LIMIT,
): { plan?: EnumPlan; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const sizes = rt.sizes;
  const sites: EnumSite[] = [];
  for (const node of rt.latents() as LatentNode[]) {
    if (given.has(node.name)) continue;
    if (!node.enumerable) {
      diagnostics.push(
        error("E002", `exact evidence is impossible: latent \`${node.name}\` is ${node.type.support}, not finite`, node.span, "use --method importance (or naive) to estimate it"),
      );
      continue;
    }
    const shape = node.type.shape.map((s) => evalSize(s, sizes) ?? 1);
    const card = node.type.support === "binary" ? 2 : (evalSize(node.type.card!, sizes) ?? 0);
    const local = node.local;
    const elems = (local ? shape.slice(1) : shape).reduce((a, b) => a * b, 1);
    sites.push({ name: node.name, card, shape, elems, local });
  }
  if (diagnostics.length) return { diagnostics };
  const locals = sites.filter((s) => s.local).length;
  if (locals > 0 && locals < sites.length) {
    return {
      diagnostics: [error("E003", `cannot enumerate local latents (${sites.filter((s) => s.local).map((s) => s.name).join(", ")}) together with global ones (${sites.filter((s) => !s.local).map((s) => s.name).join(", ")})`, undefined, "enumerate one kind and estimate the rest with --method importance")],
    };
  }
  const log2 = sites.reduce((a, s) => a + s.elems * Math.log2(Math.max(s.card, 1)), 0);
  if (log2 > Math.log2(limit) + 1e-9) return { diagnostics: [overLimit(sites, log2, limit)] };
  const size = sites.reduce((a, s) => a * s.card ** s.elems, 1);
  return { plan: { sites, size, local: locals > 0 }, diagnostics };
}

/**
 * E001 beyond the limit: the factors largest first (at most six), and the latents that alone
 * put it over, so the user knows which to draw from a guide (or the prior) instead.
 */
function overLimit(sites: EnumSite[], log2: number, limit: number): Diagnostic {
  const bits = (s: EnumSite) => s.elems * Math.log2(Math.max(s.card, 1));
  const sorted = [...sites].sort((a, b) => bits(b) - bits(a));
  const shown = sorted.slice(0, 6).map((s) => `\`${s.name}\` (${s.card}^${s.elems})`);
  const what = shown.join(" × ") + (sorted.length > 6 ? ` × ${sorted.length - 6} more` : "");
  // The fewest latents, largest first, whose removal brings the rest within the limit.
  const over: string[] = [];
  for (let left = log2, k = 0; left > Math.log2(limit) + 1e-9 && k < sorted.length; k++) {
    over.push(`\`${sorted[k]!.name}\``);
    left -= bits(sorted[k]!);
  }
  const names = over.length > 6 ? `${over.slice(0, 6).join(", ")} and ${over.length - 6} more` : over.join(", ");
  return error(
    "E001",
    `exact enumeration needs 2^${log2.toFixed(1)} joint values of ${what}; the limit is 2^${Math.log2(limit).toFixed(0)}`,
    undefined,
    `draw ${names} instead of summing ${over.length > 1 ? "them" : "it"} out: use --method importance (with the prior or a guide as proposal), or raise the limit (enumLimit)`,
  );
}

/** Digit values of each enumerated site (or of site `only`) for slots [start, start + count). */
export function enumDigits(plan: EnumPlan, start: number, count: number, only?: number): Float32Array[] {
  let stride = 1;
  return plan.sites.map((s, j) => {
    const here = stride;
    stride *= s.card ** s.elems;
    if (only !== undefined && j !== only) return new Float32Array(0);
    const out = new Float32Array(count * s.elems);
    for (let m = 0; m < count; m++) {
      let q = Math.floor((start + m) / here);
      for (let e = 0; e < s.elems; e++) {
        out[m * s.elems + e] = q % s.card;
        q = Math.floor(q / s.card);
      }
    }
    return out;
  });
}

/** Enumerated values in the runtime layout [1, count, (1 data axis), …rest]. */
export function enumValues(plan: EnumPlan, start: number, count: number): Map<string, Value> {
  const digits = enumDigits(plan, start, count);
  const out = new Map<string, Value>();
  plan.sites.forEach((s, j) => {
    const rest = s.local ? [1, ...s.shape.slice(1)] : s.shape;
    out.set(s.name, { t: tf.tensor(digits[j]!, [1, count, ...rest]), depth: 0 });
  });
  return out;
}

/**
 * Chunks of the enumeration axis, so that one chunk's tensors stay small: a slot touches every
 * data entry (`rows`, particles included) and, per enumerated site, its values and its log prior.
 * Counting the sites matters: 22 scalar binary latents over 5 data points hold ~90 tensors of
 * one value per slot, and a chunk sized by the 5 data entries alone took 1.2 GB.
 */
export function enumChunks(plan: EnumPlan, rows: number, budget = 1 << 24): { start: number; count: number }[] {
  const perSlot = Math.max(1, rows) + plan.sites.reduce((a, s) => a + s.elems + 1, 0);
  const per = Math.max(1, Math.floor(budget / perSlot));
  const out: { start: number; count: number }[] = [];
  for (let start = 0; start < plan.size; start += per) out.push({ start, count: Math.min(per, plan.size - start) });
  return out;
}
