// Lowering: checked blocks → one ModelGraph per model, with its guides. Adds what the backend
// needs beyond the typed statements: node parents and plates, enumerable/local flags, the data plate.
import type { GuideGraph, IRNode, IRStmt, ModelGraph } from "../ir/graph.ts";
import { distReads, exprReads, visitStmts } from "../ir/walk.ts";
import type { CheckedBlock, CheckedDecl, CheckResult } from "./checked.ts";
import { isFinite as isFiniteSupport, type Size } from "../ir/types.ts";

export function lowerProgram(result: CheckResult): ModelGraph[] {
  // Guides grouped by model in one pass (a file may hold tens of thousands of blocks).
  const guidesOf = new Map<string, CheckedBlock[]>();
  for (const b of result.blocks) {
    if (b.kind !== "guide" || b.model === undefined) continue;
    const list = guidesOf.get(b.model);
    if (list) list.push(b);
    else guidesOf.set(b.model, [b]);
  }
  return result.blocks.filter((b) => b.kind === "model").map((m) => lowerModel(m, guidesOf.get(m.name) ?? []));
}

/** The size symbol at axis 0 of every data declaration, when they agree. */
export function findDataPlate(decls: readonly CheckedDecl[], consts: Readonly<Record<string, number>>): string | undefined {
  const data = decls.filter((d) => d.kind === "data");
  if (!data.length) return undefined;
  const axis0 = data.map((d) => d.type.shape[0]);
  const first = axis0[0];
  if (!first || first.kind !== "sym" || Object.hasOwn(consts, first.name)) return undefined;
  return axis0.every((s) => s?.kind === "sym" && s.name === first.name) ? first.name : undefined;
}

interface SiteInfo {
  parents: string[];
  plates: string[];
}

/** Per target: the nodes its distribution reads and the plates its site sits in. */
function sites(body: readonly IRStmt[]): Map<string, SiteInfo> {
  const out = new Map<string, SiteInfo>();
  visitStmts(body, (s, plates) => {
    if (s.kind !== "sample") return;
    const prev = out.get(s.target);
    const parents = distReads(s.dist, prev?.parents ?? []).filter((p) => p !== s.target);
    out.set(s.target, { parents, plates: prev?.plates ?? plates });
  });
  return out;
}

function lowerNodes(block: CheckedBlock, dataPlate: string | undefined): IRNode[] {
  const info = sites(block.body);
  const nodes: IRNode[] = [];
  for (const d of block.decls) {
    const site = info.get(d.name);
    const base = { name: d.name, type: d.type, parents: site?.parents ?? [], plates: site?.plates ?? d.plates, span: d.span };
    switch (d.kind) {
      case "const":
        break; // consts are folded into expressions and listed in `consts`
      case "data":
        nodes.push({ ...base, kind: "data", missing: d.missing ?? false });
        break;
      case "latent": {
        const a0: Size | undefined = d.type.shape[0];
        nodes.push({ ...base, kind: "latent", enumerable: isFiniteSupport(d.type.support), local: !!dataPlate && a0?.kind === "sym" && a0.name === dataPlate });
        break;
      }
      case "param":
        nodes.push(d.init ? { ...base, kind: "param", parents: exprReads(d.init), init: d.init } : { ...base, kind: "param" });
        break;
      case "let":
        nodes.push({ ...base, kind: "let", parents: exprReads(d.value!), plates: d.plates, value: d.value! });
        break;
      case "net":
        nodes.push({ ...base, kind: "net", layer: d.net!.layer, sizes: d.net!.sizes, activation: d.net!.activation, outputActivation: d.net!.outputActivation });
        break;
    }
  }
  return nodes;
}

function lowerModel(m: CheckedBlock, guides: CheckedBlock[]): ModelGraph {
  const consts: Record<string, number> = { ...m.consts };
  const sizeSymbols = new Set(m.sizeSymbols);
  for (const g of guides) {
    for (const [k, v] of Object.entries(g.consts)) if (!Object.hasOwn(consts, k)) consts[k] = v;
    for (const s of g.sizeSymbols) if (!Object.hasOwn(consts, s)) sizeSymbols.add(s);
  }
  const dataPlate = findDataPlate(m.decls, m.consts);
  const graph: ModelGraph = {
    name: m.name,
    file: m.file,
    consts,
    sizeSymbols: [...sizeSymbols].sort(),
    nodes: lowerNodes(m, dataPlate),
    body: m.body,
    guides: guides.map((g): GuideGraph => ({ name: g.name, model: m.name, nodes: lowerNodes(g, dataPlate), body: g.body, span: g.span })),
    span: m.span,
  };
  if (dataPlate) graph.dataPlate = dataPlate;
  return graph;
}
