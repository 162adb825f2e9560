// The page's settings and their encoding in the URL hash (a shareable link).
import { parseSizeSpec } from "../../src/data/sizes.ts";

export interface Settings {
  source: string;
  /** Data text as pasted; empty when the data is drawn from the model (then re-drawn on load). */
  data: string;
  drawn: boolean;
  sizes: string;
  drawSeed: number;
  objective: "" | "exact" | "elbo" | "iwae";
  guide: string;
  steps: number;
  lr: string;
  fitSeed: number;
  particles: string;
  method: "exact" | "naive" | "importance";
  samples: number;
  proposal: string;
  evSeed: number;
}

export const DEFAULTS: Omit<Settings, "source"> = { data: "", drawn: true, sizes: "N=300 D=2", drawSeed: 3, objective: "", guide: "", steps: 200, lr: "", fitSeed: 1, particles: "", method: "exact", samples: 1000, proposal: "", evSeed: 0 };

/** Pasted data longer than this is left out of links (a link would get unwieldy). */
export const MAX_LINK_DATA = 20_000;

export function encodeState(s: Settings): string {
  const keep: Partial<Settings> = { ...s };
  if (s.drawn || s.data.length > MAX_LINK_DATA) delete keep.data;
  return "#s=" + encodeURIComponent(JSON.stringify(keep));
}

/** The settings in a hash made by encodeState; undefined when there are none or they do not parse. */
export function decodeState(hash: string): Partial<Settings> | undefined {
  const m = /^#s=(.*)$/.exec(hash);
  if (!m) return undefined;
  try {
    const v = JSON.parse(decodeURIComponent(m[1]!));
    return v && typeof v === "object" && typeof v.source === "string" ? (v as Partial<Settings>) : undefined;
  } catch {
    return undefined;
  }
}

/** "N=300 D=2" (commas or spaces) → sizes, each read as `--size` reads it; the first bad one is reported. */
export function parseSizes(text: string): { sizes: Record<string, number>; error?: string } {
  const sizes: Record<string, number> = {};
  for (const part of text.split(/[\s,]+/).filter(Boolean)) {
    const r = parseSizeSpec(part);
    if ("message" in r) return { sizes, error: r.message };
    sizes[r.name] = r.value;
  }
  return { sizes };
}
