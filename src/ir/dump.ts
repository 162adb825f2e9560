// A stable, readable text dump of a ModelGraph (used by `latent graph` and golden tests):
// one line per node and statement, plates indented, types written like `real[N, D]`.
import { OPERATORS } from "../../stdlib/signatures.ts";
import { sizeToString, typeToString, type Size } from "./types.ts";
import type { DistApp, GuideGraph, IRExpr, IRIndex, IRNode, IRStmt, ModelGraph } from "./graph.ts";

const INFIX = new Map(Object.entries(OPERATORS).filter(([sym]) => sym !== "neg" && sym !== "!").map(([sym, fn]) => [fn, sym]));

const size = (s: Size): string => sizeToString(s);

function num(v: number): string {
  return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(12)));
}

export function exprToString(e: IRExpr): string {
  switch (e.op) {
    case "const":
      return typeof e.value === "number" ? num(e.value) : JSON.stringify(e.value);
    case "ref":
      return e.name;
    case "plateVar":
      return e.plate;
    case "call": {
      const infix = INFIX.get(e.fn);
      if (infix && e.args.length === 2) return `(${exprToString(e.args[0]!)} ${infix} ${exprToString(e.args[1]!)})`;
      if (e.fn === OPERATORS["neg"]) return `-${exprToString(e.args[0]!)}`;
      if (e.fn === OPERATORS["!"]) return `!${exprToString(e.args[0]!)}`;
      const named = Object.entries(e.named ?? {}).map(([k, v]) => `${k} = ${exprToString(v)}`);
      return `${e.fn}(${[...e.args.map(exprToString), ...named].join(", ")})`;
    }
    case "net":
      return `${e.net}(${exprToString(e.input)})`;
    case "index":
      return `${exprToString(e.target)}[${e.indices.map(indexToString).join(", ")}]`;
  }
}

export function indexToString(i: IRIndex): string {
  switch (i.kind) {
    case "plate":
      return i.plate;
    case "tensor":
      return exprToString(i.index);
    case "at":
      return size(i.value);
    case "slice":
      return `${i.start ? size(i.start) : ""}:${i.end ? size(i.end) : ""}`;
  }
}

/** An expression with its per-iteration type. */
const typed = (e: IRExpr): string => `${exprToString(e)} : ${typeToString(e.type)}`;

export function distToString(d: DistApp): string {
  return `${d.dist}(${Object.entries(d.args).map(([k, v]) => `${k} = ${typed(v)}`).join(", ")})`;
}

function nodeLine(n: IRNode): string {
  const head = `${n.kind.padEnd(6)} ${n.name}`;
  const extras: string[] = [];
  let main: string;
  switch (n.kind) {
    case "data":
      main = `${head}: ${typeToString(n.type)}`;
      if (n.missing) extras.push("missing");
      break;
    case "latent":
      main = `${head}: ${typeToString(n.type)}`;
      extras.push(n.enumerable ? "enumerable" : "continuous", n.local ? "local" : "global");
      break;
    case "param":
      main = `${head}: ${typeToString(n.type)}${n.init ? ` = ${exprToString(n.init)}` : ""}`;
      break;
    case "let":
      main = `${head}: ${typeToString(n.type)} = ${exprToString(n.value)}`;
      break;
    case "net": {
      const out = n.layer === "mlp" ? `, output = ${n.outputActivation}` : "";
      main = `${head} = ${n.layer}(${n.sizes.map(size).join(" -> ")}, ${n.activation}${out}) : ${typeToString(n.type)}`;
      break;
    }
  }
  if (n.plates.length) extras.push(`plates [${n.plates.join(", ")}]`);
  if (n.parents.length) extras.push(`parents [${n.parents.join(", ")}]`);
  return extras.length ? `${main}  {${extras.join("; ")}}` : main;
}

function stmtLines(s: IRStmt, indent: string, out: string[]): void {
  switch (s.kind) {
    case "let":
      out.push(`${indent}let ${s.name}`);
      return;
    case "sample": {
      const target = s.indices.length ? `${s.target}[${s.indices.map(indexToString).join(", ")}]` : s.target;
      out.push(`${indent}${target} ~ ${distToString(s.dist)}`);
      return;
    }
    case "plate":
      out.push(`${indent}for ${s.index} in ${size(s.size)}:`);
      for (const b of s.body) stmtLines(b, indent + "  ", out);
      return;
  }
}

function section(nodes: readonly IRNode[], body: readonly IRStmt[], out: string[], indent: string): void {
  out.push(`${indent}nodes:`);
  for (const n of nodes) out.push(`${indent}  ${nodeLine(n)}`);
  if (!nodes.length) out.push(`${indent}  (none)`);
  out.push(`${indent}body:`);
  for (const s of body) stmtLines(s, indent + "  ", out);
}

function guideLines(g: GuideGraph, out: string[]): void {
  out.push(`  guide ${g.name} for ${g.model}`);
  section(g.nodes, g.body, out, "    ");
}

export function dumpGraph(g: ModelGraph): string {
  const out: string[] = [`model ${g.name}`];
  const consts = Object.entries(g.consts).map(([k, v]) => `${k} = ${num(v)}`);
  out.push(`  consts: ${consts.length ? consts.join(", ") : "(none)"}`);
  out.push(`  sizes: ${g.sizeSymbols.length ? g.sizeSymbols.join(", ") : "(none)"}`);
  out.push(`  data plate: ${g.dataPlate ?? "(none)"}`);
  section(g.nodes, g.body, out, "  ");
  for (const guide of g.guides) guideLines(guide, out);
  return out.join("\n") + "\n";
}
