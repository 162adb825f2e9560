// Net declarations: `dense(IN -> OUT, act)` and `mlp(IN -> H… -> OUT, act, output = act2)`.
import { ACTIVATIONS, layerByName, LAYERS } from "../../stdlib/signatures.ts";
import type { Activation } from "../ir/graph.ts";
import type { NetDecl } from "../syntax/ast.ts";
import type { CheckedDecl, NetInfo } from "./checked.ts";
import type { BlockCtx } from "./context.ts";
import { sizeOfExpr } from "./sizeexpr.ts";
import { didYouMean } from "../diagnostics/suggest.ts";
import type { Size, Support } from "../ir/types.ts";

export function activationSupport(a: Activation): Support {
  return a === "sigmoid" ? "unit" : a === "softplus" || a === "exp" ? "positive" : "real";
}

function activation(e: NetDecl["layer"]["args"][number]["value"], cx: BlockCtx): Activation | undefined {
  if (e.kind !== "Name") {
    cx.r.error("T040", "an activation is a name such as `relu` or `tanh`", e.span, `activations: ${ACTIVATIONS.join(", ")}`);
    return undefined;
  }
  if ((ACTIVATIONS as readonly string[]).includes(e.name)) return e.name as Activation;
  cx.r.error("N008", `unknown activation \`${e.name}\``, e.span, () => didYouMean(e.name, ACTIVATIONS) ?? `activations: ${ACTIVATIONS.join(", ")}`);
  return undefined;
}

export function checkNet(n: NetDecl, cx: BlockCtx): CheckedDecl | undefined {
  const call = n.layer;
  const lname = call.callee.name;
  const sig = layerByName.get(lname as "dense" | "mlp");
  if (!sig) {
    cx.r.error("T040", `unknown layer \`${lname}\``, call.callee.span, () => didYouMean(lname, LAYERS.map((l) => l.name)) ?? `layers: ${LAYERS.map((l) => l.name).join(", ")}`);
    return undefined;
  }
  const pos = call.args.filter((a) => !a.name);
  const named = call.args.filter((a) => a.name);
  const arrow = pos[0]?.value;
  if (!arrow || arrow.kind !== "Arrow") {
    cx.r.error("T040", `\`${lname}\` needs its sizes first, e.g. \`${lname}(P -> D${lname === "mlp" ? " -> …" : ""}, relu)\``, call.span);
    return undefined;
  }
  if (arrow.sizes.length < sig.minSizes || arrow.sizes.length > sig.maxSizes) {
    cx.r.error("T040", `\`${lname}\` takes ${sig.minSizes === sig.maxSizes ? `exactly ${sig.minSizes}` : `${sig.minSizes} to ${sig.maxSizes}`} sizes; got ${arrow.sizes.length}`, arrow.span, lname === "dense" ? "use `mlp(IN -> H -> OUT, act)` for hidden layers" : undefined);
    return undefined;
  }
  if (pos.length > 2) {
    cx.r.error("T040", `\`${lname}\` takes sizes and one activation; got ${pos.length} positional arguments`, pos[2]!.span);
    return undefined;
  }
  const sizes = arrow.sizes.map((s) => sizeOfExpr(s, cx, false));
  let act: Activation | undefined = "identity";
  if (pos[1]) act = activation(pos[1].value, cx);
  let out: Activation | undefined = lname === "dense" ? act : "identity";
  let ok = act !== undefined;
  for (const a of named) {
    if (a.name!.name === "output" && lname === "mlp") out = activation(a.value, cx);
    else {
      cx.r.error("T040", `\`${lname}\` has no argument named \`${a.name!.name}\``, a.name!.span, lname === "mlp" ? didYouMean(a.name!.name, ["output"]) ?? "its only named argument is `output = act`" : "`dense` applies its one activation to its output");
      ok = false;
    }
  }
  if (!ok || !out || sizes.some((s) => !s)) return undefined;
  for (let i = 0; i < sizes.length; i++) {
    const s = sizes[i]!;
    if (s.kind === "lit" && s.value === 0) cx.r.error("S008", "a layer width must be at least 1", arrow.sizes[i]!.span);
  }
  const net: NetInfo = { layer: sig.name, sizes: sizes as Size[], activation: act!, outputActivation: out };
  return { kind: "net", name: n.name.name, type: { support: activationSupport(out), shape: [net.sizes[net.sizes.length - 1]!] }, span: n.span, plates: [], net };
}
