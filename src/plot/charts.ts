// Charts as Vega-Lite specs rendered headless to SVG (no browser, no canvas): the objective trace
// of a fit, and 2-D data coloured by posterior cluster or overlaid with model samples.
import * as vega from "vega";
import * as vl from "vega-lite";

type Spec = Record<string, unknown>;

export function traceSpec(trace: readonly number[], title: string): Spec {
  return {
    title,
    width: 420,
    height: 180,
    data: { values: trace.map((v, i) => ({ step: i + 1, objective: v })) },
    mark: { type: "line", strokeWidth: 1 },
    encoding: {
      x: { field: "step", type: "quantitative" },
      y: { field: "objective", type: "quantitative", scale: { zero: false } },
    },
  };
}

/** Points of 2-D data, coloured by `group` (a posterior cluster, or "data" vs "model sample"). */
export function scatterSpec(points: readonly { x: number; y: number; group: string }[], title: string, legend: string): Spec {
  return {
    title,
    width: 420,
    height: 320,
    data: { values: points },
    mark: { type: "circle", size: 14, opacity: 0.7 },
    encoding: {
      x: { field: "x", type: "quantitative", scale: { zero: false } },
      y: { field: "y", type: "quantitative", scale: { zero: false } },
      color: { field: "group", type: "nominal", title: legend },
    },
  };
}

/** Renders one chart, or several stacked vertically, to an SVG string. */
export async function renderSvg(charts: Spec[]): Promise<string> {
  const top: Spec = charts.length === 1 ? charts[0]! : { vconcat: charts };
  const spec = { $schema: "https://vega.github.io/schema/vega-lite/v5.json", ...top } as unknown as vl.TopLevelSpec;
  const view = new vega.View(vega.parse(vl.compile(spec).spec), { renderer: "none" });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
