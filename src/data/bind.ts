// Binds raw data (parsed JSON or a CSV table) to a model's `data` declarations: checks presence,
// nesting, rectangularity, numbers, sizes and supports, and flattens each variable into a
// Float32Array (row-major) with a mask for `missing` variables. Independent of TensorFlow.js.
import { error, warning, type Diagnostic, type ErrorCode } from "../diagnostics/diagnostic.ts";
import { closest, didYouMean } from "../diagnostics/suggest.ts";
import type { DataNode, ModelGraph } from "../ir/graph.ts";
import { indexUses } from "../ir/query.ts";
import { evalSize, sizeToString, typeToString, type Size } from "../ir/types.ts";
import { D } from "./codes.ts";
import { CsvTable } from "./csv.ts";
import { initialSizes, type SizeEnv } from "./sizes.ts";
import { own, setOwn } from "./own.ts";
import { paramSupportViolation, SIMPLEX_TOLERANCE, supportViolation } from "./support.ts";
import { counted } from "../diagnostics/count.ts";

export interface BoundData {
  /** Every size symbol and const of the model with its value. */
  sizes: Record<string, number>;
  values: Record<
    string,
    {
      shape: number[];
      /** Row-major entries; missing entries hold 0. */
      data: Float32Array;
      /** Present for `missing` variables: 1 = observed, 0 = missing (JSON null). */
      mask?: Uint8Array;
    }
  >;
}

export interface BindOptions {
  /** The data file's path, named in diagnostics. */
  file?: string;
  /** Sizes given on the command line (`--size N=500`). */
  sizes?: Record<string, number>;
  /** Size bindings (with their sources) to start from, instead of the consts and `sizes`; bound further in place. */
  env?: SizeEnv;
  /** Bind only the data variables `raw` has (`latent sample --data`: the others are drawn). */
  partial?: boolean;
}

/** Position errors reported per variable before the rest are summarized. */
export const MAX_POSITION_ERRORS = 10;

/**
 * Binds `raw` to the data declarations of `graph`. `raw` is a parsed JSON object, a `CsvTable`
 * (see csv.ts for how columns map to variables), or undefined to bind sizes only (`latent sample`).
 * Never throws; `data` is present only when there are no errors.
 */
export function bindData(graph: ModelGraph, raw: unknown, opts: BindOptions = {}): { data?: BoundData; diagnostics: Diagnostic[] } {
  const { env, diagnostics } = opts.env ? { env: opts.env, diagnostics: [] } : initialSizes(graph, opts.sizes);
  const bound = bindVariables(graph, raw, env, opts);
  diagnostics.push(...bound.diagnostics);
  diagnostics.push(...unboundSizes(graph, env, raw === undefined ? "given" : "data", bound.failed));
  if (diagnostics.some((d) => d.severity === "error")) return { diagnostics };
  return { data: { sizes: env.record(), values: bound.values }, diagnostics };
}

/**
 * Binds the data variables of `raw` (all of them, or with `partial` those present), binding size
 * symbols in `env` from their shapes. `failed` names the variables whose presence or shape was
 * reported. Never throws.
 */
export function bindVariables(
  graph: ModelGraph,
  raw: unknown,
  env: SizeEnv,
  opts: { file?: string; partial?: boolean } = {},
): { values: BoundData["values"]; failed: Set<string>; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const fileNote = opts.file ? [{ message: `data file: ${opts.file}` }] : [];
  const note = (d: Diagnostic): Diagnostic => (fileNote.length ? { ...d, related: [...(d.related ?? []), ...fileNote] } : d);
  const dataNodes = graph.nodes.filter((n): n is DataNode => n.kind === "data");
  const values: BoundData["values"] = {};
  if (raw === undefined) return { values, failed: new Set(), diagnostics };
  let record: Record<string, unknown> | undefined;
  if (raw instanceof CsvTable) record = csvToRecord(raw, dataNodes, diagnostics, note);
  else if (raw !== null && typeof raw === "object" && !Array.isArray(raw)) record = raw as Record<string, unknown>;
  else
    diagnostics.push(
      note(error(D.notObject, `data must be a JSON object mapping variable names to values, found ${describeValue(raw)}`, undefined, `e.g. {"${dataNodes[0]?.name ?? "x"}": [[0.5, 1.2], [0.1, -3.0]]}`)),
    );
  const failed = record ? bindRecord(graph, dataNodes, record, env, diagnostics, note, values, !!opts.partial) : new Set(dataNodes.map((n) => n.name));
  return { values, failed, diagnostics };
}

/**
 * One error per size symbol nothing bound, except those of variables in `failed` (already
 * covered by their own error). `source` says what should have bound them: sizes given on the
 * command line only, or the data.
 */
export function unboundSizes(graph: ModelGraph, env: SizeEnv, source: "given" | "data", failed: ReadonlySet<string> = new Set(), hint?: (s: string) => string): Diagnostic[] {
  const out: Diagnostic[] = [];
  const dataNodes = graph.nodes.filter((n): n is DataNode => n.kind === "data");
  for (const s of graph.sizeSymbols) {
    if (env.has(s)) continue;
    if (dataNodes.some((n) => failed.has(n.name) && n.type.shape.some((z) => mentions(z, s)))) continue;
    const message = source === "given" ? `size \`${s}\` of model ${graph.name} is not given` : `size \`${s}\` of model ${graph.name} is not bound by the data`;
    out.push(error(D.unboundSize, message, graph.span, hint ? hint(s) : `give it with --size ${s}=…`));
  }
  return out;
}

// ---- the record ---------------------------------------------------------------------------

export type Note = (d: Diagnostic) => Diagnostic;
/** What the entries are: a data variable's, or a param's read from a params file. */
export type EntryKind = "data" | "param";

function bindRecord(
  graph: ModelGraph,
  dataNodes: DataNode[],
  record: Record<string, unknown>,
  env: SizeEnv,
  diagnostics: Diagnostic[],
  note: Note,
  values: BoundData["values"],
  partial = false,
): Set<string> {
  const failed = new Set<string>();
  const keys = Object.keys(record);
  // Pass 1: shapes, binding size symbols in declaration order.
  const shapes = new Map<DataNode, number[]>();
  for (const node of partial ? dataNodes.filter((n) => Object.hasOwn(record, n.name)) : dataNodes) {
    const v = own(record, node.name);
    if (v === undefined) {
      const near = closest(node.name, keys.filter((k) => !dataNodes.some((n) => n.name === k)));
      const hint = near ? `the data has \`${near}\`; rename it to \`${node.name}\`` : `give "${node.name}" as ${nesting(node.type.shape.length)}`;
      diagnostics.push(note(error(D.missingVariable, `missing data variable \`${node.name}\`: expected ${typeToString(node.type)}`, node.span, hint)));
      failed.add(node.name);
      continue;
    }
    const shape = naturalShape(v);
    const rank = node.type.shape.length;
    if (shape.length !== rank) {
      diagnostics.push(
        note(
          error(
            D.rank,
            `data \`${node.name}\` has ${shape.length === 0 ? "no axes (a single value)" : `shape [${shape.join(", ")}]`}, but is declared ${typeToString(node.type)} (rank ${rank})`,
            node.span,
            `a value of rank ${rank} is ${nesting(rank)}`,
          ),
        ),
      );
      failed.add(node.name);
      continue;
    }
    if (shape.includes(0)) {
      diagnostics.push(note(error(D.rank, `data \`${node.name}\` is empty (shape [${shape.join(", ")}])`, node.span, `expected ${typeToString(node.type)} with at least one entry per axis`)));
      failed.add(node.name);
      continue;
    }
    if (checkShape(node, shape, env, diagnostics, note)) shapes.set(node, shape);
    else failed.add(node.name);
  }
  // Axes written with arithmetic may only become checkable once later variables bound their symbols.
  for (const [node, shape] of [...shapes]) {
    if (!checkShape(node, shape, env, diagnostics, note)) {
      shapes.delete(node);
      failed.add(node.name);
    }
  }
  // Pass 2: entries (cat cards may depend on sizes bound by later variables).
  for (const [node, shape] of shapes) values[node.name] = fill(node, own(record, node.name), shape, env, diagnostics, note);
  checkIndexRanges(graph, values, env, diagnostics, note);

  for (const k of keys) {
    if (dataNodes.some((n) => n.name === k)) continue;
    const other = graph.nodes.find((n) => n.name === k);
    if (other) {
      diagnostics.push(note(warning(D.unknownVariable, `\`${k}\` is a ${other.kind} of model ${graph.name}, not data (ignored)`, undefined, "only `data` declarations are read from the data")));
    } else {
      const names = dataNodes.map((n) => n.name);
      const hint = didYouMean(k, names) ?? (names.length ? `the data variables of model ${graph.name} are ${names.map((n) => `\`${n}\``).join(", ")}` : undefined);
      diagnostics.push(note(warning(D.unknownVariable, `unknown data variable \`${k}\` (ignored)`, undefined, hint)));
    }
  }
  return failed;
}

/** Shape read along the first non-null element of each level. */
export function naturalShape(v: unknown): number[] {
  const shape: number[] = [];
  let cur = v;
  while (Array.isArray(cur)) {
    shape.push(cur.length);
    cur = cur.find((e) => e !== null);
  }
  return shape;
}

export function nesting(rank: number): string {
  if (rank === 0) return "a single number";
  if (rank === 1) return "a list of numbers";
  if (rank === 2) return "a list of lists of numbers";
  return `lists nested ${rank} deep`;
}

const mentions = (s: Size, name: string): boolean => (s.kind === "sym" ? s.name === name : s.kind === "op" ? mentions(s.left, name) || mentions(s.right, name) : false);

/** Binds or checks each axis; one diagnostic listing every mismatching axis. */
export function checkShape(node: DataNode, shape: number[], env: SizeEnv, diagnostics: Diagnostic[], note: Note, kind: EntryKind = "data"): boolean {
  const bad: { size: Size; expected: number }[] = [];
  node.type.shape.forEach((size, axis) => {
    const actual = shape[axis]!;
    const source = `${kind} \`${node.name}\` (shape [${shape.join(", ")}])`;
    if (size.kind === "sym" && !env.has(size.name)) {
      env.bind(size.name, actual, source);
      return;
    }
    let expected = evalSize(size, env.record());
    if (expected === undefined) {
      // Size arithmetic with one unbound symbol (`2 * P`, `K + 1`): solve for it.
      const solved = solveSize(size, actual, env.record());
      if (solved) {
        env.bind(solved.name, solved.value, source);
        expected = evalSize(size, env.record());
      }
    }
    if (expected !== undefined && expected !== actual) bad.push({ size, expected });
  });
  if (bad.length === 0) return true;
  const withs = bad.filter((b) => b.size.kind !== "lit").map((b) => `${sizeToString(b.size)} = ${b.expected}`);
  const expectedText = `${typeToString(node.type)}${withs.length ? ` with ${withs.join(", ")}` : ""}`;
  const sources = bad
    .flatMap((b) => symbolsOf(b.size))
    .filter((s, i, all) => all.indexOf(s) === i)
    .map((s) => `${s} = ${env.get(s)!.value} comes from ${env.get(s)!.source}`);
  // Literal sizes have no source to cite: say which axis is off.
  for (const b of bad) if (b.size.kind === "lit") sources.push(`axis ${node.type.shape.indexOf(b.size)} of \`${node.name}\` must have ${b.expected} entries`);
  diagnostics.push(
    note(error(D.sizeMismatch, `expected ${expectedText}; ${kind} \`${node.name}\` has shape [${shape.join(", ")}]`, node.span, sources.length ? sources.join("; ") : undefined)),
  );
  return false;
}

/** The value of the one unbound symbol making `s` equal `target`, for +, -, * with whole results. */
export function solveSize(s: Size, target: number, bound: Readonly<Record<string, number>>): { name: string; value: number } | undefined {
  if (s.kind === "sym") return s.name in bound ? undefined : Number.isInteger(target) && target >= 0 ? { name: s.name, value: target } : undefined;
  if (s.kind !== "op") return undefined;
  const l = evalSize(s.left, bound);
  const r = evalSize(s.right, bound);
  if (l !== undefined && r === undefined) {
    if (s.op === "+") return solveSize(s.right, target - l, bound);
    if (s.op === "-") return solveSize(s.right, l - target, bound);
    if (s.op === "*" && l !== 0) return solveSize(s.right, target / l, bound);
  }
  if (r !== undefined && l === undefined) {
    if (s.op === "+") return solveSize(s.left, target - r, bound);
    if (s.op === "-") return solveSize(s.left, target + r, bound);
    if (s.op === "*" && r !== 0) return solveSize(s.left, target / r, bound);
    if (s.op === "/") return solveSize(s.left, target * r, bound);
  }
  return undefined;
}

function symbolsOf(s: Size): string[] {
  return s.kind === "sym" ? [s.name] : s.kind === "op" ? [...symbolsOf(s.left), ...symbolsOf(s.right)] : [];
}

// ---- entries ------------------------------------------------------------------------------

export function describeValue(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "a list";
  if (typeof v === "string") return `a string (${JSON.stringify(v.length > 20 ? v.slice(0, 20) + "…" : v)})`;
  if (typeof v === "boolean") return `a boolean (${v})`;
  if (typeof v === "number") return String(v);
  return typeof v === "object" ? "an object" : typeof v;
}

const fmt = (v: number): string => (Number.isFinite(v) ? String(Number(v.toPrecision(6))) : String(v));

/**
 * The entries nested lists `v` have at the depth of `shape` (a null row counts as the rows it
 * stands for), counting no further than `limit` + 1.
 */
function entriesUpTo(v: unknown, shape: readonly number[], limit: number, depth = 0): number {
  if (depth === shape.length) return 1;
  if (v === null) return shape.slice(depth).reduce((a, b) => a * b, 1);
  if (!Array.isArray(v)) return 0;
  let n = 0;
  for (const x of v) {
    n += entriesUpTo(x, shape, limit, depth + 1);
    if (n > limit) break;
  }
  return n;
}

/**
 * Checks and flattens the entries of `v` (of the natural `shape`) row-major, one located
 * diagnostic per bad entry. `kind` "param" checks a params-file value: no missing entries, and
 * the open supports the param store's parametrization reaches (see paramSupportViolation).
 */
export function fill(node: DataNode, v: unknown, shape: number[], env: SizeEnv, diagnostics: Diagnostic[], note: Note, kind: EntryKind = "data"): BoundData["values"][string] {
  const rank = shape.length;
  const total = shape.reduce((a, b) => a * b, 1);
  // The shape was read along the first entries: a ragged value (a long first row, short others)
  // may declare far more entries than it has. Then only the diagnostics are wanted; allocate nothing.
  const rectangular = entriesUpTo(v, shape, total) === total;
  const size = rectangular ? total : 0;
  const data = new Float32Array(size);
  const mask = node.missing ? new Uint8Array(size).fill(1) : undefined;
  const strides = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
  const support = node.type.support;
  const card = node.type.card ? evalSize(node.type.card, env.record()) : undefined;
  const name = node.name;
  const idx = new Array<number>(rank).fill(0);
  // Simplex rows with a bad entry are not also reported for their sum.
  const badEntry = support === "simplex" ? new Uint8Array(size) : undefined;
  const at = (depth: number) => (depth === 0 ? `\`${name}\`` : `\`${name}[${idx.slice(0, depth).join(", ")}]\``);

  let reported = 0;
  let suppressed = 0;
  let last: Diagnostic | undefined;
  const report = (code: ErrorCode, message: string, hint?: string, offset?: number) => {
    if (badEntry && offset !== undefined) badEntry[offset] = 1;
    if (reported >= MAX_POSITION_ERRORS) {
      suppressed++;
      return;
    }
    reported++;
    last = note(error(code, message, node.span, hint));
    diagnostics.push(last);
  };

  const entry = (x: unknown, offset: number) => {
    if (typeof x === "number") {
      if (Number.isFinite(x) && !Number.isFinite(Math.fround(x))) {
        // Finite in the file but beyond float32, the engine's precision: it would become ±Infinity.
        report(D.nonFinite, `${at(rank)} is ${fmt(x)}, beyond the float32 range (±3.4e38) the engine computes in`, "rescale the data", offset);
        return;
      }
      if (!Number.isFinite(x)) {
        const hint = kind === "param" ? "params must be finite numbers" : node.missing ? "write a missing entry as null" : "data must be finite; write missing entries as null and declare the variable `missing`";
        report(D.nonFinite, `${at(rank)} is ${x}`, hint, offset);
        return;
      }
      const bad = kind === "param" ? paramSupportViolation(support, x) : supportViolation(support, x, card);
      if (bad) report(D.support, `${at(rank)} is ${fmt(x)}, but \`${name}\` must be ${bad}`, `\`${name}\` is declared ${typeToString(node.type)}`, offset);
      else data[offset] = x;
      return;
    }
    if (x === null) {
      if (mask) mask[offset] = 0;
      else if (kind === "param") report(D.notNumber, `${at(rank)} is null, expected a number`, undefined, offset);
      else report(D.nullEntry, `${at(rank)} is null, but \`${name}\` is not declared \`missing\``, `declare \`data ${name}: ${typeToString(node.type)} missing\` to treat null entries as unobserved`, offset);
      return;
    }
    const hint = Array.isArray(x)
      ? `\`${name}\` is declared ${typeToString(node.type)} (rank ${rank})`
      : typeof x === "string" && kind === "data"
        ? "entries must be numbers; write a missing entry as null (JSON) or an empty cell or NA (CSV) and declare the variable `missing`"
        : undefined;
    report(D.notNumber, `${at(rank)} is ${describeValue(x)}, expected a number`, hint, offset);
  };

  const walk = (x: unknown, depth: number, offset: number) => {
    if (depth === rank) return entry(x, offset);
    if (x === null && mask) {
      // A null row of a `missing` variable: the whole row is unobserved.
      mask.fill(0, offset, offset + shape.slice(depth).reduce((a, b) => a * b, 1));
      return;
    }
    if (!Array.isArray(x)) {
      report(D.ragged, `${at(depth)} is ${describeValue(x)}, expected a list of ${shape[depth]} entries`, `\`${name}\` is declared ${typeToString(node.type)} (rank ${rank})`);
      return;
    }
    if (x.length !== shape[depth]) {
      report(D.ragged, `${at(depth)} has ${counted(x.length, "entry", "entries")}, expected ${shape[depth]}`, `\`${name}\` is declared ${typeToString(node.type)}: every row needs the same number of entries`);
      return;
    }
    for (let i = 0; i < x.length; i++) {
      idx[depth] = i;
      walk(x[i], depth + 1, offset + i * strides[depth]!);
    }
  };
  walk(v, 0, 0);

  if (support === "simplex" && rank >= 1 && rectangular) {
    const k = shape[rank - 1]!;
    for (let row = 0; row < total / k; row++) {
      let sum = 0;
      let complete = true;
      for (let j = 0; j < k; j++) {
        sum += data[row * k + j]!;
        if ((mask && mask[row * k + j] === 0) || badEntry![row * k + j]) complete = false;
      }
      if (complete && Math.abs(sum - 1) > SIMPLEX_TOLERANCE) {
        let r = row;
        for (let d = rank - 2; d >= 0; d--) {
          idx[d] = r % shape[d]!;
          r = Math.floor(r / shape[d]!);
        }
        const where = rank === 1 ? `\`${name}\`` : `row ${at(rank - 1)}`;
        report(D.support, `${where} sums to ${fmt(sum)}, but \`${name}\` is ${typeToString(node.type)}: each row must sum to 1 (±${SIMPLEX_TOLERANCE})`);
      }
    }
  }

  if (suppressed > 0 && last) last.related = [...(last.related ?? []), { message: `… and ${suppressed} more invalid entr${suppressed === 1 ? "y" : "ies"} in \`${name}\`` }];
  return mask ? { shape, data, mask } : { shape, data };
}

// ---- data used as indices ------------------------------------------------------------------

/**
 * Data values used as indices (`mu[c[n]]`) must lie in 0..size − 1 of the axis they index: an
 * index past the end would otherwise read a wrong (or zero) entry without a word.
 */
function checkIndexRanges(graph: ModelGraph, values: BoundData["values"], env: SizeEnv, diagnostics: Diagnostic[], note: Note): void {
  const bound = env.record();
  for (const use of indexUses(graph)) {
    const v = values[use.data];
    const size = evalSize(use.size, bound);
    if (!v || size === undefined) continue;
    const rank = v.shape.length;
    const strides = v.shape.map((_, i) => v.shape.slice(i + 1).reduce((a, b) => a * b, 1));
    const fixed = use.at.map((z, axis) => {
      const p = z === undefined ? undefined : evalSize(z, bound);
      return p === undefined ? undefined : p < 0 ? v.shape[axis]! + p : p;
    });
    const node = graph.nodes.find((n) => n.name === use.data)!;
    const axisText = `axis ${use.axis} of \`${use.target}\` (${use.size.kind === "lit" ? "size" : `${sizeToString(use.size)} =`} ${size})`;
    let reported = 0;
    let more = 0;
    let last: Diagnostic | undefined;
    for (let offset = 0; offset < v.data.length; offset++) {
      const x = v.data[offset]!;
      if ((x >= 0 && x < size) || (v.mask && v.mask[offset] === 0)) continue;
      const idx = strides.map((st, i) => Math.floor(offset / st) % v.shape[i]!);
      if (fixed.some((p, i) => p !== undefined && idx[i] !== p)) continue;
      if (reported >= MAX_POSITION_ERRORS) {
        more++;
        continue;
      }
      reported++;
      const at = rank === 0 ? `\`${use.data}\`` : `\`${use.data}[${idx.join(", ")}]\``;
      last = note(error(D.indexRange, `${at} is ${fmt(x)}, but \`${use.data}\` indexes ${axisText}: expected 0..${size - 1}`, node.span, `an index of \`${use.target}\` along axis ${use.axis} counts from 0 to ${size - 1}`));
      if (use.span) last.related = [{ message: "used as an index here", span: use.span }, ...(last.related ?? [])];
      diagnostics.push(last);
    }
    if (more > 0 && last) last.related = [...(last.related ?? []), { message: `… and ${more} more out-of-range entr${more === 1 ? "y" : "ies"} in \`${use.data}\`` }];
  }
}

// ---- CSV ----------------------------------------------------------------------------------

/**
 * How a CSV maps to data variables:
 * 1. if any column is named after a data variable, every column binds by name, each as a
 *    rank-1 variable `T[N]` (one entry per row);
 * 2. otherwise, if the model has exactly one data variable, the whole table is that variable:
 *    rows × columns for rank 2 (`real[N, D]`), or the single column for rank 1;
 * 3. otherwise the CSV cannot be bound (use JSON).
 */
function csvToRecord(table: CsvTable, dataNodes: DataNode[], diagnostics: Diagnostic[], note: Note): Record<string, unknown> | undefined {
  const column = (j: number) => table.rows.map((r) => r[j]);
  const byName = table.header.some((h) => dataNodes.some((n) => n.name === h));
  if (byName) {
    const out: Record<string, unknown> = {};
    table.header.forEach((h, j) => {
      const node = dataNodes.find((n) => n.name === h);
      if (node && node.type.shape.length !== 1) {
        diagnostics.push(
          note(error(D.csv, `CSV column \`${h}\` can only bind a rank-1 variable, but \`${h}\` is declared ${typeToString(node.type)}`, node.span, "a CSV binds a matrix only when the model has exactly one data variable; otherwise use JSON")),
        );
      } else setOwn(out, h, column(j));
    });
    return out;
  }
  if (dataNodes.length === 1) {
    const node = dataNodes[0]!;
    const rank = node.type.shape.length;
    if (rank === 2) return { [node.name]: table.rows };
    if (rank === 1 && table.header.length === 1) return { [node.name]: column(0) };
    const hint = rank === 1 ? `name the column \`${node.name}\`, or give one column` : "use JSON for this variable";
    diagnostics.push(note(error(D.csv, `a CSV with ${table.header.length} columns cannot bind \`${node.name}\`, declared ${typeToString(node.type)}`, node.span, hint)));
    return undefined;
  }
  const names = dataNodes.map((n) => `\`${n.name}\``).join(", ");
  diagnostics.push(
    note(error(D.csv, `cannot bind CSV columns ${table.header.map((h) => `\`${h}\``).join(", ")} to the model's data ${names}`, undefined, "name each CSV column after a rank-1 data variable, or use JSON")),
  );
  return undefined;
}
