// How the likelihood uses each model param, read from the IR, so that initialization can pick a
// start that fits the role: a component param (`mu[z[n]]`, axis 0 indexed by a categorical
// latent) starts at its component's data cluster; a regression coefficient (multiplied with a
// covariate, `dot(x[n], beta)`) must not be seeded from data rows; a plain scale of observed
// data starts at that data's spread.
import type { IRExpr, IRNode, ModelGraph } from "../ir/graph.ts";
import { visitStmts } from "../ir/walk.ts";

export type ParamRole =
  /** Axis 0 is the component axis of `latent`; the param is argument `arg` of the law of observed `data`. */
  | { role: "component"; latent: string; data: string; arg: string }
  /** Multiplied with a covariate: its rows are not data rows. */
  | { role: "coefficient" }
  /** The param itself (not indexed by a latent) is the `scale` of observed `data`. */
  | { role: "scale"; data: string };

const LINEAR = new Set(["dot", "matmul"]);

export function paramRoles(g: ModelGraph): Map<string, ParamRole> {
  const nodes = new Map<string, IRNode>(g.nodes.map((n) => [n.name, n]));
  const kindOf = (name: string) => nodes.get(name)?.kind;
  /** The node an expression reads as a whole or by index, following lets (`let k = z[n]`). */
  const root = (e: IRExpr, depth = 0): IRNode | undefined => {
    if (depth > 64) return undefined;
    const target = e.op === "index" ? e.target : e;
    if (target.op !== "ref") return undefined;
    const n = nodes.get(target.name);
    return n?.kind === "let" && e.op === "ref" ? root(n.value, depth + 1) : n;
  };
  /** Whether an expression reads a data node anywhere (through lets). */
  const readsData = (e: IRExpr, depth = 0): boolean => {
    if (depth > 64) return false;
    switch (e.op) {
      case "ref": {
        const n = nodes.get(e.name);
        return n?.kind === "data" || (n?.kind === "let" && readsData(n.value, depth + 1));
      }
      case "call":
        return e.args.some((a) => readsData(a, depth)) || Object.values(e.named ?? {}).some((a) => readsData(a, depth));
      case "net":
        return readsData(e.input, depth);
      case "index":
        return readsData(e.target, depth) || e.indices.some((ix) => ix.kind === "tensor" && readsData(ix.index, depth));
      default:
        return false;
    }
  };
  const roles = new Map<string, ParamRole>();
  const coefficients = new Set<string>();
  const paramsIn = (e: IRExpr, out: Set<string>, depth = 0) => {
    if (depth > 64) return;
    if (e.op === "ref") {
      const n = nodes.get(e.name);
      if (n?.kind === "param") out.add(n.name);
      if (n?.kind === "let") paramsIn(n.value, out, depth + 1);
    } else if (e.op === "call") [...e.args, ...Object.values(e.named ?? {})].forEach((a) => paramsIn(a, out, depth));
    else if (e.op === "index") paramsIn(e.target, out, depth);
    else if (e.op === "net") paramsIn(e.input, out, depth);
  };
  /** Walks one argument of an observed site's law. */
  const walk = (e: IRExpr, data: string, arg: string, depth = 0): void => {
    if (depth > 64) return;
    if (e.op === "ref" && kindOf(e.name) === "let") return walk((nodes.get(e.name) as { value: IRExpr }).value, data, arg, depth + 1);
    if (e.op === "index" && e.target.op === "ref" && kindOf(e.target.name) === "param") {
      const first = e.indices[0];
      const by = first?.kind === "tensor" ? root(first.index) : undefined;
      if (by?.kind === "latent" && by.type.support === "cat" && !roles.has(e.target.name)) roles.set(e.target.name, { role: "component", latent: by.name, data, arg });
    }
    if (e.op === "call") {
      // A product with a covariate makes the other factor a coefficient: `dot(x[n], beta)` and
      // `matmul(X, B)` always, `mul` when a factor is the covariate itself (not `exp(…)` of one).
      const direct = (a: IRExpr) => root(a)?.kind === "data";
      const covariate = LINEAR.has(e.fn) ? e.args.map((a) => readsData(a)) : e.fn === "mul" ? e.args.map(direct) : [];
      covariate.forEach((isCov, i) => {
        if (!isCov) return;
        e.args.forEach((other, j) => {
          if (j !== i) paramsIn(other, coefficients);
        });
      });
      [...e.args, ...Object.values(e.named ?? {})].forEach((a) => walk(a, data, arg, depth));
    }
    if (e.op === "index") walk(e.target, data, arg, depth);
    if (e.op === "net") walk(e.input, data, arg, depth);
  };
  visitStmts(g.body, (s) => {
    if (s.kind !== "sample" || kindOf(s.target) !== "data") return;
    for (const [name, e] of Object.entries(s.dist.args)) {
      const arg = name === "scale_diag" ? "scale" : name;
      // Only the param itself as the scale (not `sqrt(psi)`, a variance): it starts at the data's sd.
      if (arg === "scale" && e.op === "ref" && kindOf(e.name) === "param" && !roles.has(e.name)) roles.set(e.name, { role: "scale", data: s.target });
      walk(e, s.target, arg);
    }
  });
  for (const c of coefficients) roles.set(c, { role: "coefficient" });
  return roles;
}
