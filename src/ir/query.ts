// Small queries over a ModelGraph for the backend and tools.
import type { Size } from "../types/types.ts";
import type { GuideGraph, IRNode, IRStmt, LatentNode, ModelGraph } from "./graph.ts";

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
