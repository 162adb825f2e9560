// Size symbols (`N`, `D`, `K`) and where their values came from, so a conflict can say why a
// size was expected ("K = 3 comes from `const K = 3`").
import { error, warning, type Diagnostic } from "../diagnostics/diagnostic.ts";
import { didYouMean } from "../diagnostics/suggest.ts";
import type { ModelGraph } from "../ir/graph.ts";
import { D } from "./codes.ts";

export interface SizeBinding {
  value: number;
  /** Where the value came from, as a phrase: "`const K = 3`", "`--size N=500`", "data `x` (shape [100, 3])". */
  source: string;
}

export class SizeEnv {
  readonly bound = new Map<string, SizeBinding>();

  has(name: string): boolean {
    return this.bound.has(name);
  }

  bind(name: string, value: number, source: string): void {
    this.bound.set(name, { value, source });
  }

  get(name: string): SizeBinding | undefined {
    return this.bound.get(name);
  }

  /** Plain name → value record (consts included) for `evalSize`. */
  record(): Record<string, number> {
    return Object.fromEntries([...this.bound].map(([k, b]) => [k, b.value]));
  }
}

/** Parses `N=500` (as given to `--size`); returns a message when malformed. */
export function parseSizeSpec(spec: string): { name: string; value: number } | { message: string } {
  const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(\d+)\s*$/.exec(spec);
  if (!m) return { message: `malformed size \`${spec}\`: expected NAME=INTEGER, e.g. N=500` };
  return { name: m[1]!, value: Number(m[2]) };
}

/** An environment holding the graph's consts and the `--size` values, with diagnostics for bad sizes. */
export function initialSizes(graph: ModelGraph, given: Readonly<Record<string, number>> = {}): { env: SizeEnv; diagnostics: Diagnostic[] } {
  const env = new SizeEnv();
  const diagnostics: Diagnostic[] = [];
  for (const [name, value] of Object.entries(graph.consts)) env.bind(name, value, `\`const ${name} = ${value}\``);
  for (const [name, value] of Object.entries(given)) {
    const flag = `\`--size ${name}=${value}\``;
    if (!Number.isInteger(value) || value < 0) {
      diagnostics.push(error(D.badSize, `size ${flag} must be a non-negative integer`));
    } else if (Object.hasOwn(graph.consts, name)) {
      if (graph.consts[name] !== value) diagnostics.push(error(D.badSize, `${flag} contradicts \`const ${name} = ${graph.consts[name]}\` in model ${graph.name}`));
    } else if (!graph.sizeSymbols.includes(name)) {
      const hint = didYouMean(name, graph.sizeSymbols) ?? (graph.sizeSymbols.length ? `the sizes of model ${graph.name} are ${graph.sizeSymbols.join(", ")}` : `model ${graph.name} has no size symbols`);
      diagnostics.push(warning(D.badSize, `${flag}: model ${graph.name} has no size \`${name}\` (ignored)`, undefined, hint));
    } else env.bind(name, value, flag);
  }
  return { env, diagnostics };
}
