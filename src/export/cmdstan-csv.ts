// InferenceData → CmdStan's CSV layout, one text per chain (CmdStan writes one file per chain):
// "# key = value" comment lines with the run configuration (as CmdStan nests them), the header row
// (sampler columns ending in "__", then each posterior variable's elements named with 1-based dotted
// indices in column-major order — theta.1, B.1.1, B.2.1, B.1.2, … — as Stan flattens containers),
// the "Adaptation terminated" block with the step size and inverse metric, then one row per draw.
// Numbers are printed as the shortest text that reads back to the same float64; non-finite values
// as CmdStan writes them (nan, inf, -inf). Browser-safe; cmdstan-csv-files.ts writes the files.
import { size, type InferenceData, type Variable } from "./inference-data.ts";

/** ArviZ sample_stats name → CmdStan column, in CmdStan's column order. */
export const CMDSTAN_SAMPLER_COLUMNS: readonly [string, string][] = [
  ["lp", "lp__"],
  ["acceptance_rate", "accept_stat__"],
  ["step_size", "stepsize__"],
  ["tree_depth", "treedepth__"],
  ["n_steps", "n_leapfrog__"],
  ["diverging", "divergent__"],
  ["energy", "energy__"],
];

export const formatNumber = (x: number): string =>
  Number.isNaN(x) ? "nan" : x === Infinity ? "inf" : x === -Infinity ? "-inf" : String(x);

/** Column names of a variable's elements and, for each, its offset in one draw's row-major block. */
export function flatColumns(name: string, shape: readonly number[]): { names: string[]; offsets: number[] } {
  const names: string[] = [];
  const offsets: number[] = [];
  const n = size(shape);
  const strides = shape.map((_, i) => size(shape.slice(i + 1)));
  for (let k = 0; k < n; k++) {
    // k enumerates elements with the first index varying fastest (column-major)
    let rest = k;
    const index = shape.map((extent) => {
      const i = rest % extent;
      rest = Math.floor(rest / extent);
      return i;
    });
    names.push(shape.length === 0 ? name : `${name}.${index.map((i) => i + 1).join(".")}`);
    offsets.push(index.reduce((o, i, axis) => o + i * strides[axis]!, 0));
  }
  return { names, offsets };
}

const line = (key: string, value: string | number, depth: number) => `#${"  ".repeat(depth)} ${key} = ${value}`;

function configLines(idata: InferenceData, chain: number, nDraws: number, nuts: boolean): string[] {
  const s = idata.settings ?? {};
  const lines = [
    line("inference_library", "latent", 0),
    line("latent_version", idata.attrs.latentVersion, 0),
    line("model", idata.attrs.model, 0),
    line("start_datetime", idata.attrs.createdAt, 0),
  ];
  if (nuts) {
    const dense = s.dense ?? idata.adaptation?.[chain]?.dense ?? false;
    lines.push(
      line("method", "sample", 0),
      "#   sample",
      line("num_samples", nDraws, 2),
      line("num_warmup", s.warmup ?? 0, 2),
      line("save_warmup", 0, 2),
      line("thin", 1, 2),
      "#     adapt",
      line("engaged", 1, 3),
      line("gamma", 0.05, 3),
      line("delta", s.targetAccept ?? 0.8, 3),
      line("kappa", 0.75, 3),
      line("t0", 10, 3),
      line("init_buffer", 75, 3),
      line("term_buffer", 50, 3),
      line("window", 25, 3),
      line("algorithm", "hmc", 2),
      "#       hmc",
      line("engine", "nuts", 4),
      "#           nuts",
      line("max_depth", s.maxTreeDepth ?? 10, 6),
      line("metric", dense ? "dense_e" : "diag_e", 4),
    );
  } else {
    lines.push(line("method", "variational", 0), "#   variational", line("output_samples", nDraws, 2));
  }
  lines.push(line("id", chain + 1, 0));
  if (s.seed !== undefined) lines.push("# random", line("seed", s.seed, 1));
  return lines;
}

function adaptationLines(idata: InferenceData, chain: number): string[] {
  const a = idata.adaptation?.[chain];
  if (!a) return [];
  const lines = ["# Adaptation terminated", `# Step size = ${formatNumber(a.stepSize)}`];
  const m = Array.from(a.inverseMetric, formatNumber);
  if (a.dense) {
    const d = Math.round(Math.sqrt(m.length));
    lines.push("# Elements of inverse mass matrix:");
    for (let r = 0; r < d; r++) lines.push(`# ${m.slice(r * d, (r + 1) * d).join(", ")}`);
  } else {
    lines.push("# Diagonal elements of inverse mass matrix:", `# ${m.join(", ")}`);
  }
  return lines;
}

/**
 * One CSV text per chain. NUTS results (a sample_stats group) get CmdStan's sampler columns
 * lp__ … energy__; draws without sample_stats (VI) are written as CmdStan's variational output:
 * columns lp__ (0), log_p__ and log_g__ (sample_stats lp and log_q when present, else nan), and a
 * first row holding the mean of the draws, which readers of that layout skip.
 */
export function writeCmdStanCsv(idata: InferenceData): string[] {
  const posterior = idata.groups.posterior;
  if (!posterior) throw new Error("CmdStan CSV needs a posterior group");
  const stats = idata.groups.sample_stats ?? {};
  const vars = Object.entries(posterior);
  const [nChains, nDraws] = (vars[0]?.[1].shape ?? [0, 0]) as [number, number];
  const nuts = idata.groups.sample_stats !== undefined && "acceptance_rate" in stats;

  type Column = { name: string; at: (c: number, d: number) => number };
  const perDraw = (v: Variable | undefined, fallback: number) => (c: number, d: number) => (v ? v.data[c * nDraws + d]! : fallback);
  const columns: Column[] = nuts
    ? CMDSTAN_SAMPLER_COLUMNS.filter(([arviz]) => stats[arviz]).map(([arviz, cmdstan]) => ({ name: cmdstan, at: perDraw(stats[arviz], NaN) }))
    : [
        { name: "lp__", at: () => 0 },
        { name: "log_p__", at: perDraw(stats.lp, NaN) },
        { name: "log_g__", at: perDraw(stats.log_q, NaN) },
      ];
  for (const [name, v] of vars) {
    const own = v.shape.slice(2);
    const k = size(own);
    const { names, offsets } = flatColumns(name, own);
    names.forEach((col, i) => columns.push({ name: col, at: (c, d) => v.data[(c * nDraws + d) * k + offsets[i]!]! }));
  }

  return Array.from({ length: nChains }, (_, c) => {
    const out = [...configLines(idata, c, nDraws, nuts), columns.map((col) => col.name).join(",")];
    if (nuts) out.push(...adaptationLines(idata, c));
    else {
      const nSampler = 3;
      const mean = columns.map((col, j) => {
        if (j < nSampler) return 0;
        let s = 0;
        for (let d = 0; d < nDraws; d++) s += col.at(c, d);
        return s / nDraws;
      });
      out.push(mean.map(formatNumber).join(","));
    }
    for (let d = 0; d < nDraws; d++) out.push(columns.map((col) => formatNumber(col.at(c, d))).join(","));
    return out.join("\n") + "\n";
  });
}
