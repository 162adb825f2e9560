// Scalar code for one element of an IR expression, forward and reverse. Each expression is a
// tree evaluated at element index `e` of its per-iteration shape (rank ≤ 1), at data row `n` and
// enumeration value `k`. Model names are resolved to slot numbers; only slot identifiers
// (P0, G0, X0, …) and JSON-formatted numbers appear in the code.
import type { IRExpr } from "../ir/graph.ts";
import { isLatentAtPlate, type Plan } from "./supported.ts";

/** What expressions are resolved against: slots (params, and latents on the MCMC density), data, the plate and the finite latent. */
export type SlotPlan = Pick<Plan, "params" | "data" | "plate" | "latent">;

export interface Emitter {
  plan: SlotPlan;
  /** Fresh temporaries. */
  fresh(prefix: string): string;
  /** Params whose elementwise log is tabulated once per call (LP0, …), for densities to read. */
  logTables: Set<number>;
  /** Params whose elementwise reciprocal is tabulated once per call (RP0, …). */
  recipTables: Set<number>;
}

export interface Emitted {
  /** Lines computing the value into `value`. */
  lines: string[];
  value: string;
  /** Lines adding `adj` (the name of a local holding ∂out/∂value) into the gradient slots. */
  backward(adj: string): string[];
  /** Code for log(value) that costs no Math.log per data point, when there is one (a param element). */
  log?: (em: Emitter) => string;
  /** Code for 1/value without a division per data point, when there is one. */
  recip?: (em: Emitter) => string;
}

const leaf = (value: string, backward: (adj: string) => string[] = () => []): Emitted => ({ lines: [], value, backward });

/** A slot element: its log is read from a table filled once per call; a constant slot (a held param) takes no gradient. */
const paramLeaf = (em: Emitter, i: number, at: string): Emitted => ({
  ...leaf(`P${i}[${at}]`, em.plan.params[i]!.constant ? () => [] : (a) => [`G${i}[${at}] += ${a};`]),
  log: (em) => (em.logTables.add(i), `LP${i}[${at}]`),
  recip: (em) => (em.recipTables.add(i), `RP${i}[${at}]`),
});

/** The element offset inside a vector-valued expression (`e`) or 0 for scalars. */
const elem = (x: IRExpr) => (x.type.shape.length === 1 ? "e" : "0");

export function emitExpr(x: IRExpr, em: Emitter): Emitted {
  const { plan } = em;
  switch (x.op) {
    case "const": {
      // Logs and reciprocals of constants folded here rather than computed per data point.
      const v = x.value as number;
      return {
        ...leaf(`(${JSON.stringify(v)})`),
        ...(v > 0 ? { log: () => `(${JSON.stringify(Math.log(v))})` } : {}),
        ...(v !== 0 ? { recip: () => `(${JSON.stringify(1 / v)})` } : {}),
      };
    }
    case "ref": {
      const i = plan.params.findIndex((p) => p.name === x.name);
      return paramLeaf(em, i, elem(x));
    }
    case "index": {
      const target = x.target as Extract<IRExpr, { op: "ref" }>;
      const ix = x.indices[0]!;
      if (ix.kind === "plate") {
        if (target.name === plan.latent?.name) return leaf("k");
        // A per-point slot (a continuous latent of the MCMC density) at the plate's row.
        const slot = plan.params.findIndex((p) => p.name === target.name);
        if (slot >= 0) return paramLeaf(em, slot, `n * ${plan.params[slot]!.size / plan.params[slot]!.shape[0]!} + ${elem(x)}`);
        const d = plan.data.findIndex((s) => s.name === target.name);
        return leaf(`X${d}[n * ${plan.data[d]!.rowWidth} + ${elem(x)}]`);
      }
      if (ix.kind === "at" && ix.value.kind === "lit") {
        const i = plan.params.findIndex((p) => p.name === target.name);
        const row = plan.params[i]!.size / plan.params[i]!.shape[0]!;
        return paramLeaf(em, i, `${ix.value.value * row} + ${elem(x)}`);
      }
      if (ix.kind === "tensor" && isLatentAtPlate(ix.index, plan.plate, plan.latent?.name)) {
        const i = plan.params.findIndex((p) => p.name === target.name);
        const row = plan.params[i]!.size / plan.params[i]!.shape[0]!;
        return paramLeaf(em, i, `k * ${row} + ${elem(x)}`);
      }
      throw new Error("internal: unsupported index reached the emitter");
    }
    case "call":
      return emitCall(x, em);
    default:
      throw new Error(`internal: expression ${x.op} reached the emitter`);
  }
}

function emitCall(x: Extract<IRExpr, { op: "call" }>, em: Emitter): Emitted {
  const args = x.args.map((a) => emitExpr(a, em));
  const v = em.fresh("t");
  const [a, b] = args.map((r) => r.value) as [string, string];
  const forward: Record<string, string> = {
    add: `${a} + ${b}`, sub: `${a} - ${b}`, mul: `${a} * ${b}`, div: `${a} / ${b}`,
    neg: `-${a}`, exp: `Math.exp(${a})`, log: `Math.log(${a})`,
  };
  // ∂v/∂arg_i times the incoming adjoint `g`, per argument.
  const partials: Record<string, ((g: string) => string)[]> = {
    add: [(g) => g, (g) => g], sub: [(g) => g, (g) => `-${g}`],
    mul: [(g) => `${g} * ${b}`, (g) => `${g} * ${a}`],
    div: [(g) => `${g} / ${b}`, (g) => `-${g} * ${v} / ${b}`],
    neg: [(g) => `-${g}`], exp: [(g) => `${g} * ${v}`], log: [(g) => `${g} / ${a}`],
  };
  return {
    lines: [...args.flatMap((r) => r.lines), `const ${v} = ${forward[x.fn]};`],
    value: v,
    backward(g) {
      const out: string[] = [];
      args.forEach((r, i) => {
        const ai = em.fresh("a");
        const back = r.backward(ai);
        if (back.length) out.push(`const ${ai} = ${partials[x.fn]![i]!(g)};`, ...back);
      });
      return out;
    },
  };
}
