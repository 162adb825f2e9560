// Binds given values of a model's latent variables (for log p(x, z) at chosen z: `latent logjoint`,
// `CompiledModel.logJoint`): every latent present, nothing else, each with its declared shape
// (sizes already bound by the data), and every entry a finite number in the latent's support.
// With `batched`, each value carries a leading axis of particles. Independent of TensorFlow.js.
import { shapeOf } from "./nested-shape.ts";
import { error, type Diagnostic, type ErrorCode } from "../diagnostics/diagnostic.ts";
import { closest, didYouMean } from "../diagnostics/suggest.ts";
import type { LatentNode, ModelGraph } from "../ir/graph.ts";
import { evalSize, typeToString } from "../ir/types.ts";
import { describeValue, MAX_POSITION_ERRORS } from "./bind.ts";
import { D } from "./codes.ts";
import { SIMPLEX_TOLERANCE, supportViolation } from "./support.ts";
import { counted } from "../diagnostics/count.ts";

export interface BoundLatents {
  /** Per latent: its shape (with the particle axis when batched) and row-major entries. */
  values: Map<string, { shape: number[]; data: Float32Array }>;
  /** Particles (1 unless batched). */
  particles: number;
}

const fmt = (v: number): string => String(Number(v.toPrecision(6)));

export function bindLatents(graph: ModelGraph, raw: unknown, sizes: Readonly<Record<string, number>>, opts: { file?: string; batched?: boolean } = {}): { latents?: BoundLatents; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const related = opts.file ? [{ message: `latents file: ${opts.file}` }] : [];
  const push = (d: Diagnostic) => diagnostics.push(related.length ? { ...d, related: [...(d.related ?? []), ...related] } : d);
  const nodes = graph.nodes.filter((n): n is LatentNode => n.kind === "latent");
  const names = nodes.map((n) => n.name);
  const example = `{${nodes.map((n) => `"${n.name}": …`).join(", ")}}`;
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    push(error(D.notObject, `latent values must be a JSON object mapping each latent to its value, found ${describeValue(raw)}`, undefined, `e.g. ${example}`));
    return { diagnostics };
  }
  const record = raw as Record<string, unknown>;
  const given = Object.keys(record);
  const has = (k: string) => Object.prototype.hasOwnProperty.call(record, k);
  for (const k of given) {
    if (names.includes(k)) continue;
    const other = graph.nodes.find((n) => n.name === k);
    const list = names.length ? `the latents of model ${graph.name} are ${names.map((n) => `\`${n}\``).join(", ")}` : `model ${graph.name} has no latents`;
    if (other) push(error(D.notLatent, `\`${k}\` is ${other.kind === "data" ? "data" : `a ${other.kind}`} of model ${graph.name}, not a latent`, other.span, other.kind === "data" ? `data come from the data file; ${list}` : list));
    else push(error(D.notLatent, `\`${k}\` is not a latent of model ${graph.name}`, undefined, didYouMean(k, names) ?? list));
  }
  const values = new Map<string, { shape: number[]; data: Float32Array }>();
  let particles: number | undefined;
  for (const node of nodes) {
    const declared = node.type.shape.map((s) => evalSize(s, sizes));
    const expected = declared.map((s) => s ?? -1);
    const withSizes = node.type.shape.filter((s) => s.kind !== "lit").length ? `, shape [${expected.join(", ")}]` : "";
    const want = `${typeToString(node.type)}${withSizes}`;
    if (!has(node.name)) {
      const near = closest(node.name, given.filter((k) => !names.includes(k) && !graph.nodes.some((n) => n.name === k)));
      push(error(D.missingLatent, `no value for latent \`${node.name}\`: expected ${want}`, node.span, near ? `the values have \`${near}\`; rename it to \`${node.name}\`` : `log p(x, z) needs a value for every latent: ${example}`));
      continue;
    }
    const v = record[node.name];
    const shape = shapeOf(v);
    const lead = opts.batched ? 1 : 0;
    const ok = shape.length === expected.length + lead && expected.every((s, i) => s === shape[i + lead]) && (!opts.batched || (shape[0]! > 0 && (particles === undefined || shape[0] === particles)));
    if (!ok) {
      const got = shape.length ? `shape [${shape.join(", ")}]` : `a single value (${describeValue(v)})`;
      const batch = opts.batched ? (particles === undefined ? "a leading axis of particles and then " : `${particles} particles (as the other latents) and then `) : "";
      push(error(D.latentShape, `latent \`${node.name}\` has ${got}; expected ${batch}${want}`, node.span));
      continue;
    }
    if (opts.batched) particles = shape[0]!;
    const card = node.type.card ? evalSize(node.type.card, sizes) : undefined;
    const total = shape.reduce((a, b) => a * b, 1);
    const data = new Float32Array(total);
    let reported = 0;
    const report = (code: ErrorCode, message: string) => {
      if (reported++ < MAX_POSITION_ERRORS) push(error(code, message, node.span, `\`${node.name}\` is declared ${typeToString(node.type)}`));
    };
    const at = (idx: number[]) => (idx.length ? `\`${node.name}[${idx.join(", ")}]\`` : `\`${node.name}\``);
    // Entries in row-major order; nested lists of the wrong length below the first are ragged.
    const walk = (x: unknown, depth: number, idx: number[], offset: number): void => {
      if (depth === shape.length) {
        if (typeof x !== "number") return report(D.notNumber, `${at(idx)} is ${describeValue(x)}, expected a number`);
        if (!Number.isFinite(x) || !Number.isFinite(Math.fround(x))) return report(D.nonFinite, `${at(idx)} is ${x}, expected a finite number`);
        const bad = supportViolation(node.type.support, x, card);
        if (bad) return report(D.support, `${at(idx)} is ${fmt(x)}, but \`${node.name}\` must be ${bad}`);
        data[offset] = x;
        return;
      }
      if (!Array.isArray(x) || x.length !== shape[depth]) return report(D.ragged, `${at(idx)} has ${Array.isArray(x) ? counted(x.length, "entry", "entries") : describeValue(x)}, expected a list of ${shape[depth]}`);
      const stride = shape.slice(depth + 1).reduce((a, b) => a * b, 1);
      x.forEach((e, i) => walk(e, depth + 1, [...idx, i], offset + i * stride));
    };
    walk(v, 0, [], 0);
    if (reported === 0 && node.type.support === "simplex") {
      const K = shape[shape.length - 1]!;
      for (let r = 0; r < total / K; r++) {
        let s = 0;
        for (let k = 0; k < K; k++) s += data[r * K + k]!;
        if (Math.abs(s - 1) > SIMPLEX_TOLERANCE) {
          const idx: number[] = [];
          let q = r;
          for (let a = shape.length - 2; a >= 0; a--) {
            idx.unshift(q % shape[a]!);
            q = Math.floor(q / shape[a]!);
          }
          report(D.support, `${at(idx)} sums to ${fmt(s)}, but each row of \`${node.name}\` must sum to 1`);
        }
      }
    }
    if (reported > MAX_POSITION_ERRORS) push(error(D.support, `… and ${reported - MAX_POSITION_ERRORS} more problems in \`${node.name}\``, node.span));
    if (reported === 0) values.set(node.name, { shape, data });
  }
  if (diagnostics.some((d) => d.severity === "error")) return { diagnostics };
  return { latents: { values, particles: particles ?? 1 }, diagnostics };
}
