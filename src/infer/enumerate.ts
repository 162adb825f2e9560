// Exact enumeration of finite discrete latents. All enumerated latents share one enumeration
// axis E of size M = Π card^elements; each latent's value along E is a digit of the slot index.
// Local latents (one per data point) are enumerated per data point: their data axis stays size 1
// and broadcasts, so the sum over E is taken separately for every point (the plate factorizes).
import type { Diagnostic } from "../diagnostics/diagnostic.ts";
import { error, LatentError } from "../diagnostics/diagnostic.ts";
import { ELEMENT_LIMIT_ENV, elementLimit } from "../backend/element-limit.ts";
import type { LatentNode } from "../ir/graph.ts";
import { evalSize } from "../ir/types.ts";
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
export const ENUM_LIMIT_ENV = "LATENT_ENUM_LIMIT";

/** The cap: LATENT_ENUM_LIMIT when it is a positive integer (how CLI users raise it), else the default. */
export function defaultEnumLimit(): number {
  const given = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.[ENUM_LIMIT_ENV]?.trim();
  const v = given && /^\d+$/.test(given) ? Number(given) : NaN;
  return Number.isSafeInteger(v) && v > 0 ? v : DEFAULT_ENUM_LIMIT;
}

export function planEnumeration(
  rt: ModelRuntime,
  given: ReadonlySet<string>,
  limit = defaultEnumLimit(),
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

const siteBits = (s: EnumSite) => s.elems * Math.log2(Math.max(s.card, 1));

/** The factors largest first (at most six shown), e.g. "`z` (2^8) × `w` (3^1)". */
function describeSites(sites: EnumSite[]): string {
  const sorted = [...sites].sort((a, b) => siteBits(b) - siteBits(a));
  return sorted.slice(0, 6).map((s) => `\`${s.name}\` (${s.card}^${s.elems})`).join(" × ") + (sorted.length > 6 ? ` × ${sorted.length - 6} more` : "");
}

/** The fewest latents, largest first, without which the rest need at most 2^allowedBits joint values. */
function latentsOver(sites: EnumSite[], allowedBits: number): { names: string; count: number } {
  const sorted = [...sites].sort((a, b) => siteBits(b) - siteBits(a));
  const over: string[] = [];
  let left = sites.reduce((a, s) => a + siteBits(s), 0);
  for (let k = 0; left > allowedBits + 1e-9 && k < sorted.length; k++) {
    over.push(`\`${sorted[k]!.name}\``);
    left -= siteBits(sorted[k]!);
  }
  return { names: over.length > 6 ? `${over.slice(0, 6).join(", ")} and ${over.length - 6} more` : over.join(", "), count: over.length };
}

/** E001 beyond the limit: names the latents that alone put it over, to be drawn instead. */
function overLimit(sites: EnumSite[], log2: number, limit: number): Diagnostic {
  const over = latentsOver(sites, Math.log2(limit));
  return error(
    "E001",
    `exact enumeration needs 2^${log2.toFixed(1)} joint values of ${describeSites(sites)}; the limit is 2^${Math.log2(limit).toFixed(0)}`,
    undefined,
    `draw ${over.names} instead of summing ${over.count > 1 ? "them" : "it"} out: use --method importance (with the prior or a guide as proposal), or raise the limit (${ENUM_LIMIT_ENV}, or the API's enumLimit)`,
  );
}

/**
 * Under a gradient the tape keeps every chunk's tensors until the backward pass, so chunking
 * does not bound memory there: a differentiated enumeration must fit the element limit whole
 * (joint values × the elements one slot touches, as in enumChunks). Fitting 22 global binary
 * latents by exact enumeration filled the 4 GB WebAssembly heap and ended in an internal error.
 */
export function checkDifferentiable(plan: EnumPlan, rows: number): void {
  const perSlot = slotElements(plan, rows);
  const limit = elementLimit();
  if (plan.size * perSlot <= limit) return;
  const log2 = Math.log2(plan.size);
  const over = latentsOver(plan.sites, Math.log2(limit / perSlot));
  throw new LatentError([
    error(
      "E006",
      `fitting by exact enumeration differentiates all 2^${log2.toFixed(1)} joint values of ${describeSites(plan.sites)} at once: ${(plan.size * perSlot).toLocaleString("en-US")} elements, over the limit of ${limit.toLocaleString("en-US")}`,
      undefined,
      `draw ${over.names} from a guide instead of summing ${over.count > 1 ? "them" : "it"} out (fit --objective elbo), or raise the limit with ${ELEMENT_LIMIT_ENV}`,
    ),
  ]);
}

/** Digit values of each enumerated site (or of site `only`) for slots [start, start + count). */
export function enumDigits(plan: EnumPlan, start: number, count: number, only?: number): Float32Array[] {
  let stride = 1;
  return plan.sites.map((s, j) => {
    const here = stride; // the site's joint value changes every `here` slots
    const values = s.card ** s.elems;
    stride *= values;
    if (only !== undefined && j !== only) return new Float32Array(0);
    const out = new Float32Array(count * s.elems);
    // One decode per run of equal values, over one period (here × values slots); then the period
    // is copied on (2^22 slots × 22 sites took 2.7 s decoded slot by slot).
    const period = Math.min(count, here * values);
    for (let m = 0; m < period; ) {
      const slot = start + m;
      const end = Math.min(period, m + here - (slot % here));
      let q = Math.floor(slot / here) % values;
      if (s.elems === 1) out.fill(q, m, end);
      else {
        for (let e = 0; e < s.elems; e++) {
          out[m * s.elems + e] = q % s.card;
          q = Math.floor(q / s.card);
        }
        for (let r = m + 1; r < end; r++) out.copyWithin(r * s.elems, m * s.elems, (m + 1) * s.elems);
      }
      m = end;
    }
    for (let filled = period * s.elems; filled < out.length; filled *= 2) out.copyWithin(filled, 0, Math.min(filled, out.length - filled));
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

/** Elements one enumerated slot touches: every data entry, and per site its values and log prior. */
const slotElements = (plan: EnumPlan, rows: number) => Math.max(1, rows) + plan.sites.reduce((a, s) => a + s.elems + 1, 0);

/**
 * Chunks of the enumeration axis, so that one chunk's tensors stay small: a slot touches every
 * data entry (`rows`, particles included) and, per enumerated site, its values and its log prior.
 * Counting the sites matters: 22 scalar binary latents over 5 data points hold ~90 tensors of
 * one value per slot, and a chunk sized by the 5 data entries alone took 1.2 GB.
 */
export function enumChunks(plan: EnumPlan, rows: number, budget = 1 << 24): { start: number; count: number }[] {
  const per = Math.max(1, Math.floor(budget / slotElements(plan, rows)));
  const out: { start: number; count: number }[] = [];
  for (let start = 0; start < plan.size; start += per) out.push({ start, count: Math.min(per, plan.size - start) });
  return out;
}
