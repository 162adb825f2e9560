// The posterior predictive check as a picture (`latent predict --plot F.svg|F.html`, `:predict
// --plot`): per observed variable, the density of the data's entries over the densities of 20
// replicated data sets (Vega-Lite through plot/charts.ts); for predictions at new inputs, the
// mean and the 90% interval per entry.
import { error, type Diagnostic } from "../diagnostics/diagnostic.ts";
import { writeOutput } from "../files/atomic-write.ts";
import type { PredictiveResult } from "../api/predict-loo.ts";

type Spec = Record<string, unknown>;
const REPLICATES = 20;

/** Densities of the data and of `REPLICATES` replicated data sets (evenly spaced draws). */
export function ppcSpec(r: PredictiveResult, name: string): Spec {
  const v = r.variables[name]!;
  const E = v.draws.length / r.samples;
  const values: { value: number; set: string; kind: string }[] = [];
  const n = Math.min(REPLICATES, r.samples);
  for (let j = 0; j < n; j++) {
    const s = Math.floor((j * r.samples) / n);
    for (let e = 0; e < E; e++) values.push({ value: v.draws[s * E + e]!, set: `rep ${s}`, kind: "replicated" });
  }
  if (v.observed) for (const x of v.observed) values.push({ value: x, set: "data", kind: "observed" });
  return {
    title: `${name}: data vs ${n} replicated data sets`,
    width: 420,
    height: 220,
    data: { values },
    transform: [{ density: "value", groupby: ["set", "kind"] }],
    mark: { type: "line" },
    encoding: {
      x: { field: "value", type: "quantitative", title: name },
      y: { field: "density", type: "quantitative" },
      detail: { field: "set" },
      color: { field: "kind", type: "nominal", scale: { domain: ["observed", "replicated"], range: ["#000000", "#7fb2e5"] } },
      strokeWidth: { condition: { test: "datum.kind === 'observed'", value: 2.5 }, value: 0.8 },
    },
  };
}

/** Mean and 90% interval per entry (predictions at new inputs). */
export function intervalSpec(r: PredictiveResult, name: string): Spec {
  const v = r.variables[name]!;
  const flat = (x: unknown): number[] => (Array.isArray(x) ? x.flatMap(flat) : [x as number]);
  const [mean, q5, q95] = [v.mean, v.q5, v.q95].map(flat) as [number[], number[], number[]];
  const values = mean.map((m, i) => ({ entry: i, mean: m, q5: q5[i]!, q95: q95[i]! }));
  return {
    title: `${name}: predictive mean and 90% interval per entry`,
    width: 420,
    height: 220,
    data: { values },
    layer: [
      { mark: { type: "rule" }, encoding: { x: { field: "entry", type: "quantitative" }, y: { field: "q5", type: "quantitative", title: name }, y2: { field: "q95" } } },
      { mark: { type: "point", filled: true }, encoding: { x: { field: "entry", type: "quantitative" }, y: { field: "mean", type: "quantitative" } } },
    ],
  };
}

/** Writes the picture as SVG, or as an HTML page holding the SVG when the path ends in .html. */
export async function writePpcPlot(path: string, r: PredictiveResult): Promise<Diagnostic[]> {
  try {
    const { renderSvg } = await import("./charts.ts");
    const charts = Object.keys(r.variables).map((name) => (r.mode === "replicate" ? ppcSpec(r, name) : intervalSpec(r, name)));
    const svg = await renderSvg(charts);
    const text = /\.html?$/i.test(path) ? `<!doctype html>\n<html><head><meta charset="utf-8"><title>posterior predictive check</title></head><body>\n${svg}\n</body></html>\n` : svg;
    return writeOutput(path, text, "C020");
  } catch (e) {
    return [error("C020", `could not write the plot \`${path}\`: ${(e as Error).message}`)];
  }
}
