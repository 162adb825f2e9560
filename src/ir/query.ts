// Small queries over a ModelGraph for the backend and tools.
import type { Span } from "../diagnostics/span.ts";
import type { Size, Support } from "./types.ts";
import type { GuideGraph, IRExpr, IRNode, IRStmt, LatentNode, ModelGraph } from "./graph.ts";
import { visitExpr, visitStmts } from "./walk.ts";

export function findNode(g: ModelGraph, name: string): IRNode | undefined {
  return g.nodes.find((n) => n.name === name);
}

export function findGuide(g: ModelGraph, name: string): GuideGraph | undefined {
  return g.guides.find((x) => x.name === name);
}

export function latents(g: ModelGraph): LatentNode[] {
  return g.nodes.filter((n): n is LatentNode => n.kind === "latent");
}

/** Nodes ordered so that every node comes after its parents; ties keep declaration order. */
export function topoOrder(nodes: readonly IRNode[]): IRNode[] {
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const done = new Set<string>();
  const out: IRNode[] = [];
  const visiting = new Set<string>();
  const visit = (n: IRNode) => {
    if (done.has(n.name) || visiting.has(n.name)) return; // a cycle cannot pass the checker; stay total anyway
    visiting.add(n.name);
    for (const p of n.parents) {
      const pn = byName.get(p);
      if (pn) visit(pn);
    }
    visiting.delete(n.name);
    done.add(n.name);
    out.push(n);
  };
  for (const n of nodes) visit(n);
  return out;
}

/** A deep copy without source spans: what `latent graph --json` prints. */
export function withoutSpans<T>(value: T): T {
  return JSON.parse(JSON.stringify(value, (k, v) => (k === "span" ? undefined : v))) as T;
}

export type SampleStmt = Extract<IRStmt, { kind: "sample" }>;
export type PlateStmt = Extract<IRStmt, { kind: "plate" }>;

/** Every sample statement in program order, with the plates (outermost first) around it. */
export function sampleSites(body: readonly IRStmt[]): { stmt: SampleStmt; plates: { index: string; size: Size }[] }[] {
  const out: { stmt: SampleStmt; plates: { index: string; size: Size }[] }[] = [];
  const walk = (b: readonly IRStmt[], plates: { index: string; size: Size }[]) => {
    for (const s of b) {
      if (s.kind === "sample") out.push({ stmt: s, plates });
      else if (s.kind === "plate") walk(s.body, [...plates, { index: s.index, size: s.size }]);
    }
  };
  walk(body, []);
  return out;
}

/** Owners of the generated guides, whose params are created on first use (`meanfield.z.loc`, `delta.z`). */
export const GENERATED_GUIDES = ["meanfield", "delta"] as const;

/** Store key of net weights: `enc.W0`, `enc.b0`, … (layer i maps width i to width i + 1). */
export const weightKey = (net: string, layer: number, part: "W" | "b"): string => `${net}.${part}${layer}`;

/** A learnable value a graph declares, as keyed in the param store and in params files. */
export interface DeclaredParam {
  /** `mu` for the model's, `Guide.phi` for a written guide's, `net.W0` / `Guide.net.b1` for net weights. */
  key: string;
  /** "model" or the guide's name. */
  owner: string;
  support: Support;
  shape: Size[];
  /** The `param` or `net` declaration. */
  span?: Span;
}

/** Every param of the model and its written guides, net weights included, in declaration order. */
export function declaredParams(g: ModelGraph): DeclaredParam[] {
  const out: DeclaredParam[] = [];
  const add = (owner: string, nodes: readonly IRNode[]) => {
    const key = (name: string) => (owner === "model" ? name : `${owner}.${name}`);
    for (const n of nodes) {
      const span = n.span ? { span: n.span } : {};
      if (n.kind === "param") out.push({ key: key(n.name), owner, support: n.type.support, shape: n.type.shape, ...span });
      else if (n.kind === "net") {
        for (let i = 0; i + 1 < n.sizes.length; i++) {
          out.push({ key: key(weightKey(n.name, i, "W")), owner, support: "real", shape: [n.sizes[i]!, n.sizes[i + 1]!], ...span });
          out.push({ key: key(weightKey(n.name, i, "b")), owner, support: "real", shape: [n.sizes[i + 1]!], ...span });
        }
      }
    }
  };
  add("model", g.nodes);
  for (const guide of g.guides) add(guide.name, guide.nodes);
  return out;
}

/** A data variable whose values index an axis (`mu[c[n]]`): its entries must lie in 0..size − 1. */
export interface IndexUse {
  data: string;
  /** Per axis of the data variable: the one position read (`c[n, 0]`), or undefined for every position. */
  at: (Size | undefined)[];
  /** What is indexed (a node's name, or "an expression") and the axis and its size. */
  target: string;
  axis: number;
  size: Size;
  /** The statement the index is in. */
  span?: Span;
}

/**
 * Every place a data variable's values are used as an index, directly (`mu[c[n]]`, `w[c]`) or
 * through lets (`let k = c[n]` then `mu[k]`), in the model's and its guides' statements.
 */
export function indexUses(g: ModelGraph): IndexUse[] {
  const nodes = new Map<string, IRNode>(g.nodes.map((n) => [n.name, n]));
  for (const n of g.guides.flatMap((q) => q.nodes)) if (!nodes.has(n.name)) nodes.set(n.name, n);
  const out: IndexUse[] = [];
  const seen = new Set<string>();
  /** The data variable (and fixed positions) an index expression reads whole, following lets. */
  const dataOf = (e: IRExpr, depth = 0): { data: string; at: (Size | undefined)[] } | undefined => {
    if (depth > 64) return undefined;
    if (e.op === "ref") {
      const n = nodes.get(e.name);
      if (n?.kind === "data") return { data: n.name, at: n.type.shape.map(() => undefined) };
      if (n?.kind === "let") return dataOf(n.value, depth + 1);
      return undefined;
    }
    if (e.op === "index" && e.target.op === "ref" && nodes.get(e.target.name)?.kind === "data") {
      const n = nodes.get(e.target.name)!;
      if (e.indices.some((ix) => ix.kind === "tensor")) return undefined;
      return { data: n.name, at: n.type.shape.map((_, i) => (e.indices[i]?.kind === "at" ? (e.indices[i] as { value: Size }).value : undefined)) };
    }
    return undefined;
  };
  const record = (index: IRExpr, target: string, axis: number, size: Size | undefined, span: Span | undefined) => {
    const used = dataOf(index);
    if (!used || !size) return;
    const key = JSON.stringify([used, target, axis, size]);
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ ...used, target, axis, size, ...(span ? { span } : {}) });
  };
  const visit = (e: IRExpr, span: Span | undefined) =>
    visitExpr(e, (x) => {
      if (x.op !== "index") return;
      x.indices.forEach((ix, axis) => {
        if (ix.kind === "tensor") record(ix.index, x.target.op === "ref" ? x.target.name : "an expression", axis, x.target.type.shape[axis], span);
      });
    });
  const walkBody = (body: readonly IRStmt[]) =>
    visitStmts(body, (s) => {
      if (s.kind !== "sample") return;
      const span = s.dist.span ?? s.span;
      for (const a of Object.values(s.dist.args)) visit(a, span);
      s.indices.forEach((ix, axis) => {
        if (ix.kind === "tensor") visit(ix.index, span);
        if (ix.kind === "tensor") record(ix.index, s.target, axis, nodes.get(s.target)?.type.shape[axis], span);
      });
    });
  walkBody(g.body);
  for (const guide of g.guides) walkBody(guide.body);
  for (const n of [...g.nodes, ...g.guides.flatMap((q) => q.nodes)]) {
    if (n.kind === "let") visit(n.value, n.span);
    if (n.kind === "param" && n.init) visit(n.init, n.span);
  }
  return out;
}
