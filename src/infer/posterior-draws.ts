// Posterior draws of the latents as the model runtime takes them ([S, …shape] per latent, the
// draws on the particle axis), from one of two sources: the constrained draws of an MCMC run
// (McmcResult.variables, chains one after another) or a guide's q, which also gives log q per
// draw for importance ratios. Draws come in blocks so that S × the largest variable stays within
// the element limit; the caller runs each block inside its own scope.
import { tf } from "../backend/tf.ts";
import { scoped } from "../backend/scoped.ts";
import type { ModelRuntime, TensorData } from "../backend/model-runtime.ts";
import { Rng } from "../backend/random.ts";
import { RuntimeError } from "../backend/runtime-error.ts";
import { elementLimit } from "../backend/element-limit.ts";
import { evalSize } from "../ir/types.ts";
import type { Guide } from "./guides/types.ts";

/** What predictive draws and LOO read of an MCMC result (McmcResult satisfies it). */
export interface McmcDraws {
  variables: readonly { name: string; shape: readonly number[]; draws: readonly (readonly ArrayLike<number>[])[] }[];
}

export type DrawSource = { kind: "mcmc"; result: McmcDraws } | { kind: "guide"; guide: Guide };

export interface DrawBlock {
  /** Latent values [B, …shape] (only the latents the source gives). */
  latents: Record<string, tf.Tensor>;
  /** log q per draw [B], for draws from a guide. */
  logq?: tf.Tensor;
  /** Index of the block's first draw among all S, and the block's number of draws. */
  start: number;
  size: number;
}

/** How many draws an MCMC result holds (all chains). */
export function mcmcDrawCount(result: McmcDraws): number {
  const v = result.variables[0];
  return v ? v.draws.reduce((n, chain) => n + chain.length, 0) : 0;
}

const sizeOf = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/** The declared shape of a latent at the runtime's sizes. */
export function latentShape(rt: ModelRuntime, name: string): number[] {
  const node = rt.graph.nodes.find((n) => n.name === name)!;
  return node.type.shape.map((s) => evalSize(s, rt.sizes) ?? 1);
}

/**
 * Checks that an MCMC result is of this model: every latent present (except those `mayLack`),
 * no unknown variable, shapes equal to the model's at the bound sizes. R071 otherwise.
 */
export function checkMcmcDraws(rt: ModelRuntime, result: McmcDraws, mayLack: (name: string) => boolean = () => false): void {
  const latents = rt.latents();
  const names = new Set(latents.map((n) => n.name));
  const unknown = result.variables.filter((v) => !names.has(v.name)).map((v) => `\`${v.name}\``);
  if (unknown.length) throw new RuntimeError("R071", `the draws hold ${unknown.join(", ")}, which model \`${rt.graph.name}\` does not declare as latent: they are draws of another model`, "give the draws `latent mcmc` wrote for this model");
  if (mcmcDrawCount(result) === 0) throw new RuntimeError("R071", "the draws are empty (no chain holds a draw)", "run `latent mcmc` with --draws ≥ 1");
  for (const node of latents) {
    const v = result.variables.find((x) => x.name === node.name);
    if (!v && mayLack(node.name)) continue;
    if (!v) throw new RuntimeError("R071", `the draws have no values of latent \`${node.name}\`: they are draws of another model`, "give the draws `latent mcmc` wrote for this model", node.span);
    const want = latentShape(rt, node.name);
    if (v.shape.length !== want.length || v.shape.some((s, i) => s !== want[i]))
      throw new RuntimeError("R071", `the draws of \`${node.name}\` have shape [${v.shape.join(", ")}] but the model's is [${want.join(", ")}] with these data`, "draws apply to the data (and sizes) they were drawn for", node.span);
    const chains = v.draws.map((c) => c.length).join(",");
    const first = result.variables[0]!.draws.map((c) => c.length).join(",");
    if (chains !== first) throw new RuntimeError("R071", `the draws of \`${node.name}\` are not as many per chain as those of \`${result.variables[0]!.name}\``);
  }
}

/** Draws per block: B × the largest latent (and data variable) within the element limit. */
function blockSize(rt: ModelRuntime, t: TensorData, S: number): number {
  const perDraw = Math.max(1, ...rt.latents().map((n) => sizeOf(latentShape(rt, n.name))), ...Object.values(t.values).map((v) => v.size));
  return Math.max(1, Math.min(S, Math.floor(elementLimit() / (4 * perDraw))));
}

/**
 * Calls `f` on blocks of S draws, each inside its own scope (its tensors freed after). From a
 * guide: `S` fresh draws of q with the seed (`data` is what the guide conditions on). From MCMC:
 * all draws, or `S` evenly spaced ones when S is smaller. `keep` says which latents are passed.
 */
export function forEachDrawBlock(rt: ModelRuntime, source: DrawSource, data: TensorData, S: number, seed: number, keep: (name: string) => boolean, f: (b: DrawBlock) => void): void {
  const B = blockSize(rt, data, S);
  const rng = new Rng(seed);
  const latentNames = new Set(rt.latents().map((n) => n.name));
  const picked = source.kind === "mcmc" ? pickedDraws(source.result, S) : [];
  for (let start = 0; start < S; start += B) {
    const n = Math.min(B, S - start);
    const blockRng = rng.split();
    scoped(() => {
      if (source.kind === "guide") {
        const d = source.guide.draw(rt, data, n, blockRng, undefined, { sample: true });
        const latents = Object.fromEntries(Object.entries(d.latents).filter(([k]) => latentNames.has(k) && keep(k)));
        // log q of the sites the guide drew for the latents kept (missing-data imputations included): [n].
        const logq = d.sites.filter((s) => keep(s.latent)).reduce((acc, s) => tf.add(acc, tf.add(tf.sum(s.logq.local, 1), tf.sum(s.logq.global, 1))), tf.zeros([n]) as tf.Tensor);
        f({ latents, logq, start, size: n });
      } else {
        const latents: Record<string, tf.Tensor> = {};
        for (const v of source.result.variables) {
          if (!keep(v.name)) continue;
          const E = sizeOf(v.shape);
          const buf = new Float32Array(n * E);
          for (let i = 0; i < n; i++) {
            const [c, d] = picked[start + i]!;
            const row = v.draws[c]![d]!;
            for (let e = 0; e < E; e++) buf[i * E + e] = row[e]!;
          }
          latents[v.name] = tf.tensor(buf, [n, ...v.shape]);
        }
        f({ latents, start, size: n });
      }
    });
  }
}

/** (chain, draw) of the S draws used: all of them in order, or S evenly spaced. */
function pickedDraws(result: McmcDraws, S: number): [number, number][] {
  const all: [number, number][] = [];
  result.variables[0]?.draws.forEach((chain, c) => chain.forEach((_, d) => all.push([c, d])));
  if (S >= all.length) return all;
  return Array.from({ length: S }, (_, i) => all[Math.floor((i * all.length) / S)]!);
}

/** How many draws a source gives: MCMC's all (or fewer when `requested` is smaller), else `requested`. */
export function drawsOf(source: DrawSource, requested: number | undefined, fallback: number): number {
  if (source.kind === "guide") return requested ?? fallback;
  const all = mcmcDrawCount(source.result);
  return requested === undefined ? all : Math.min(requested, all);
}
