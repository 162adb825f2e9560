// The picture of a fit (`latent fit --plot FILE`, the REPL's `:plot FILE`).
import { error, type Diagnostic } from "../diagnostics/diagnostic.ts";
import { writeOutput } from "../files/atomic-write.ts";
import type { CompiledModel, FitResult } from "../api/compiled-model.ts";
import type { ModelGraph } from "../ir/graph.ts";
import type { BoundData } from "../data/bind.ts";

/** The SVG of `--plot`: the objective trace, plus 2-D data by posterior cluster or with model samples (drawn with `seed`). */
export async function writeFitPlot(path: string, model: CompiledModel, graph: ModelGraph, data: BoundData, fit: FitResult, seed: number): Promise<Diagnostic[]> {
  try {
    const { renderSvg, scatterSpec, traceSpec } = await import("./charts.ts");
    const charts = [traceSpec(fit.trace, `${fit.objective} per step`)];
    const vars = graph.nodes.filter((n) => n.kind === "data");
    const x = vars.length === 1 ? data.values[vars[0]!.name] : undefined;
    if (x && x.shape.length === 2 && x.shape[1] === 2) {
      const pts = (rows: ArrayLike<number>, group: (i: number) => string) =>
        Array.from({ length: rows.length / 2 }, (_, i) => ({ x: rows[2 * i]!, y: rows[2 * i + 1]!, group: group(i) }));
      const post = model.runtime.latents().every((n) => n.kind === "latent" && n.enumerable) ? model.posterior(data) : undefined;
      const first = post ? Object.entries(post)[0] : undefined;
      if (first && "mode" in first[1] && Array.isArray(first[1].mode) && first[1].mode.length === x.shape[0]) {
        const mode = first[1].mode as number[];
        charts.push(scatterSpec(pts(x.data, (i) => `${first[0]} = ${mode[i]}`), "data by most likely cluster", "posterior"));
      } else {
        const drawn = model.sample({ sizes: data.sizes, seed }).data[vars[0]!.name] as number[][];
        charts.push(scatterSpec([...pts(x.data, () => "data"), ...pts(drawn.flat(), () => "model sample")], "data and samples from the fitted model", ""));
      }
    }
    return writeOutput(path, await renderSvg(charts), "C020");
  } catch (e) {
    return [error("C020", `could not write the plot \`${path}\`: ${(e as Error).message}`)];
  }
}
