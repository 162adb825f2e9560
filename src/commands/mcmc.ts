// `mcmc` (`latent mcmc`, the REPL's `:mcmc`): NUTS's flags, the request they make of the API,
// the progress lines (one per chain) and the summary table. The CLI adds its files (--params,
// --out); the REPL runs on the session's model, data and params.
import { InvalidArgumentError, type Command } from "commander";
import type { McmcOptions, McmcProgress, McmcResult, SummaryRow } from "../infer/mcmc/types.ts";
import { counted } from "../diagnostics/count.ts";
import { integerIn, seedFlag } from "./options.ts";
import { num, type Style } from "./style.ts";
import { MAX_CHAINS, MAX_ITERATIONS, MAX_TREE_DEPTH, MCMC_DEFAULTS } from "../infer/mcmc/limits.ts";

export interface McmcFlags {
  chains?: number;
  warmup?: number;
  draws?: number;
  seed?: number;
  targetAccept?: number;
  maxDepth?: number;
  dense?: boolean;
}

/** `--target-accept`: strictly between 0 and 1. */
export function parseTargetAccept(value: string): number {
  const t = value.trim();
  const v = /^\+?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(t) ? Number(t) : NaN;
  if (!(v > 0 && v < 1)) throw new InvalidArgumentError("expected a number strictly between 0 and 1 (e.g. 0.8, or 0.95 when there are divergences)");
  return v;
}

/** The flags `latent mcmc` and `:mcmc` share. */
export const mcmcFlags = (c: Command): Command =>
  seedFlag(c)
    .option("--chains <n>", "chains, each with its own stream split from --seed", integerIn(1, MAX_CHAINS), MCMC_DEFAULTS.chains)
    .option("--warmup <n>", "warm-up iterations per chain (step size and metric adaptation; not kept)", integerIn(0, MAX_ITERATIONS), MCMC_DEFAULTS.warmup)
    .option("--draws <n>", "kept draws per chain", integerIn(1, MAX_ITERATIONS), MCMC_DEFAULTS.draws)
    .option("--target-accept <x>", "mean acceptance the step size adapts to", parseTargetAccept, MCMC_DEFAULTS.targetAccept)
    .option("--max-depth <n>", "largest NUTS tree depth (2^n leapfrog steps)", integerIn(1, MAX_TREE_DEPTH), MCMC_DEFAULTS.maxTreeDepth)
    .option("--dense", "adapt a dense mass matrix instead of a diagonal one");

/** The API options the flags ask for (the caller adds progress and its stop check). */
export function mcmcRequest(o: McmcFlags): Required<Omit<McmcOptions, "init" | "onProgress" | "shouldStop" | "enumLimit">> {
  const d = MCMC_DEFAULTS;
  return { chains: o.chains ?? d.chains, warmup: o.warmup ?? d.warmup, draws: o.draws ?? d.draws, seed: o.seed ?? 0, targetAccept: o.targetAccept ?? d.targetAccept, maxTreeDepth: o.maxDepth ?? d.maxTreeDepth, dense: Boolean(o.dense) };
}

const chainLine = (p: McmcProgress, rate: number): string => {
  const phase = p.warmup ? "warm-up" : "sampling";
  const eta = rate > 0 && p.iteration >= 10 && p.iteration < p.total ? `  ETA ${((p.total - p.iteration) / rate).toFixed(0)} s` : "";
  return `chain ${p.chain + 1}  ${p.iteration}/${p.total} ${phase}  step size ${num(p.stepSize, 3)}  ${counted(p.divergences, "divergence")}${eta}`;
};

/**
 * The progress lines on stderr, one per chain. `live` (a terminal) redraws the block of lines in
 * place at most every 100 ms; otherwise each chain gets a plain line when it ends warm-up and when
 * it ends, and in between at most every 10 s. `end` clears a live block.
 */
export function mcmcProgress(write: (text: string) => void, opts: { live: boolean; chains: number }): { onProgress: (p: McmcProgress) => void; end: () => void } {
  const start = performance.now();
  const lines: string[] = new Array(opts.chains).fill("");
  const lastPlain: number[] = new Array(opts.chains).fill(-Infinity);
  let drawn = false;
  let last = -Infinity;
  const up = (n: number) => (n > 0 ? `\x1b[${n}A` : "");
  const redraw = () => {
    write(`${drawn ? `\r${up(lines.length - 1)}` : ""}${lines.map((l) => `${l}\x1b[K`).join("\n")}`);
    drawn = true;
  };
  const onProgress = (p: McmcProgress) => {
    const now = performance.now();
    const rate = p.iteration / Math.max((now - start) / 1000, 1e-9);
    const finished = p.iteration === p.total;
    if (opts.live) {
      lines[p.chain] = chainLine(p, rate);
      if (now - last < 100 && !finished) return;
      last = now;
      redraw();
      return;
    }
    // The first iteration after warm-up (or the very first when there is none).
    const warmupDone = !p.warmup && lines[p.chain] !== "sampling";
    const milestone = finished || warmupDone || now - lastPlain[p.chain]! >= 10_000;
    lines[p.chain] = p.warmup ? "warm-up" : "sampling";
    if (!milestone) return;
    lastPlain[p.chain] = now;
    write(`${chainLine(p, rate)}\n`);
  };
  return { onProgress, end: () => opts.live && drawn && write(`\r${up(lines.length - 1)}\x1b[J`) };
}

const COLUMNS = ["mean", "sd", "5%", "50%", "95%", "mcse", "ess_bulk", "ess_tail", "r_hat"] as const;

function cells(r: SummaryRow, style: Style): string[] {
  const v = (x: number) => (style === "cli" ? (Number.isFinite(x) ? x.toFixed(3) : String(x)) : num(x, 4));
  const ess = (x: number) => (Number.isFinite(x) ? x.toFixed(0) : String(x));
  return [v(r.mean), v(r.sd), v(r.q5), v(r.q50), v(r.q95), style === "cli" ? (Number.isFinite(r.mcseMean) ? r.mcseMean.toFixed(4) : String(r.mcseMean)) : num(r.mcseMean, 3), ess(r.essBulk), ess(r.essTail), Number.isFinite(r.rhat) ? r.rhat.toFixed(3) : String(r.rhat)];
}

/**
 * The summary table: a header, then one row per element (`theta[1]`), at most `rows` rows per
 * variable (`more` says how to see the rest).
 */
export function summaryLines(summary: readonly SummaryRow[], opts: { rows: number; more: string; style: Style }): string[] {
  const shown: (SummaryRow | string)[] = [];
  const perVariable = new Map<string, number>();
  for (const r of summary) perVariable.set(r.variable, (perVariable.get(r.variable) ?? 0) + 1);
  const seen = new Map<string, number>();
  for (const r of summary) {
    const k = (seen.get(r.variable) ?? 0) + 1;
    seen.set(r.variable, k);
    if (k <= opts.rows) shown.push(r);
    else if (k === opts.rows + 1) shown.push(`… ${perVariable.get(r.variable)! - opts.rows} more rows of ${r.variable} (${opts.more})`);
  }
  const rows = shown.map((r) => (typeof r === "string" ? r : [r.name, ...cells(r, opts.style)]));
  const table = rows.filter((r): r is string[] => Array.isArray(r));
  const widths = [0, ...COLUMNS.map((c) => c.length)].map((w, i) => Math.max(w, ...table.map((r) => r[i]!.length)));
  const line = (r: readonly string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[0]!) : c.padStart(widths[i]!))).join("  ");
  return [line(["", ...COLUMNS]).trimEnd(), ...rows.map((r) => (typeof r === "string" ? r : line(r)))];
}

/** `NUTS, 4 chains × 1000 draws after 1000 warm-up (seed 0): 2.31 s, 48,120 gradients, 0 divergences`. */
export function mcmcHeadline(r: McmcResult): string {
  const s = r.settings;
  const kept = r.chains.map((c) => c.draws.length);
  const same = kept.every((k) => k === kept[0]);
  const draws = same && kept[0] === s.draws ? counted(s.draws, "draw") : `${same ? kept[0] : kept.join("/")} of ${counted(s.draws, "draw")}`;
  const divergences = r.chains.reduce((n, c) => n + c.stats.filter((t) => t.diverging).length, 0);
  return `NUTS, ${counted(s.chains, "chain")} × ${draws} after ${s.warmup} warm-up (seed ${s.seed}${s.dense ? ", dense metric" : ""}): ${r.seconds.toFixed(2)} s, ${r.gradients.toLocaleString("en-US")} gradients, ${counted(divergences, "divergence")}`;
}

/** `interrupted by SIGINT; 1912 draws per chain kept` (the run's stop, for stderr). */
export function stoppedLine(r: McmcResult, signal: string | undefined): string {
  const kept = Math.min(...r.chains.map((c) => c.draws.length));
  return `interrupted${signal ? ` by ${signal}` : ""}; ${kept ? `${counted(kept, "draw")} per chain kept` : "no draws yet (stopped during warm-up)"}`;
}

/** Which params are held (MCMC samples the latents only), or undefined when there are none. */
export function heldLine(r: McmcResult): string | undefined {
  return r.heldParams.length ? `params held at their values (not sampled): ${r.heldParams.join(", ")}` : undefined;
}

/** What `--json` prints and `--out F.json` writes (the draws file `latent predict --draws` reads). */
export function mcmcJson(r: McmcResult, model: string): Record<string, unknown> {
  return { model, settings: r.settings, stopped: r.stopped, seconds: r.seconds, gradients: r.gradients, heldParams: r.heldParams, summary: r.summary, draws: drawsJson(r) };
}

/** The draws as JSON: per variable its shape, axis names and [chain][draw] values (nested per draw). */
export function drawsJson(r: McmcResult): Record<string, { shape: number[]; dims: string[]; discrete: boolean; draws: unknown[][] }> {
  const out: Record<string, { shape: number[]; dims: string[]; discrete: boolean; draws: unknown[][] }> = {};
  for (const v of r.variables) out[v.name] = { shape: v.shape, dims: v.dims, discrete: v.discrete, draws: v.draws.map((chain) => chain.map((d) => nest(d, v.shape))) };
  return out;
}

function nest(values: ArrayLike<number>, shape: readonly number[], offset = 0): unknown {
  if (shape.length === 0) return values[offset]!;
  const [n, ...rest] = shape;
  const stride = rest.reduce((a, b) => a * b, 1);
  return Array.from({ length: n! }, (_, i) => nest(values, rest, offset + i * stride));
}
