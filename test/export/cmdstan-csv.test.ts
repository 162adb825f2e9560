import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { writeCmdStanCsv } from "../../src/export/cmdstan-csv.ts";
import { writeCmdStanCsvFiles } from "../../src/export/cmdstan-csv-files.ts";
import { fromChains, fromDraws } from "../../src/export/from-draws.ts";
import { attrs, layout, statsOf, syntheticChains, value } from "./synthetic.ts";

const dir = mkdtempSync(join(tmpdir(), "latent-csv-"));

/** The data table as a standard CSV reader sees it once comment lines are skipped (as cmdstanr does). */
const table = (text: string): string[][] => parse(text, { comment: "#" }) as string[][];

/** "# key = value" lines, keys trimmed, "(Default)" dropped, as CmdStan readers parse them. */
function config(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split("\n")) {
    const m = /^#\s*([^=]+?)\s*=\s*(.*)$/.exec(line);
    if (m) out.set(m[1]!, m[2]!);
  }
  return out;
}

describe("CmdStan CSV export", () => {
  it("writes one file per chain whose rows a CSV reader parses back into the same float64 values", async () => {
    const C = 3;
    const D = 4;
    const idata = fromChains(syntheticChains(C, D, 10), {
      attrs,
      variables: layout,
      settings: { warmup: 500, seed: 42, maxTreeDepth: 10, targetAccept: 0.8 },
    });
    const paths = await writeCmdStanCsvFiles(join(dir, "fit.csv"), idata);
    expect(paths).toEqual([1, 2, 3].map((c) => join(dir, `fit_${c}.csv`)));
    const header =
      "lp__,accept_stat__,stepsize__,treedepth__,n_leapfrog__,divergent__,energy__," +
      "mu,theta.1,theta.2,theta.3,B.1.1,B.2.1,B.1.2,B.2.2,B.1.3,B.2.3";
    for (let c = 0; c < C; c++) {
      const text = readFileSync(paths[c]!, "utf8");
      const [names, ...rows] = table(text);
      expect(names!.join(",")).toBe(header);
      expect(rows).toHaveLength(D);
      rows.forEach((row, d) => {
        const s = statsOf(c, d);
        expect(row.slice(0, 7).map(Number)).toEqual([s.lp, s.acceptStat, s.stepSize, s.treeDepth, s.leapfrogSteps, s.diverging ? 1 : 0, s.energy]);
        names!.slice(7).forEach((name, i) => {
          // position of the element in the draw vector, from its 1-based indices: mu, theta[k], B[r, s] row-major
          const [v, ...ix] = name.split(".");
          const idx = ix.map((x) => Number(x) - 1);
          const j = v === "mu" ? 0 : v === "theta" ? 1 + idx[0]! : 4 + idx[0]! * 3 + idx[1]!;
          expect(Number(row[7 + i]), `${name} chain ${c} draw ${d}`).toBe(value(c, d, j));
        });
      });

      const conf = config(text);
      expect(Object.fromEntries(["model", "latent_version", "method", "num_samples", "num_warmup", "save_warmup", "thin", "delta", "algorithm", "engine", "max_depth", "metric", "id", "seed"].map((k) => [k, conf.get(k)]))).toEqual({
        model: "synthetic",
        latent_version: "9.8.7",
        method: "sample",
        num_samples: "4",
        num_warmup: "500",
        save_warmup: "0",
        thin: "1",
        delta: "0.8",
        algorithm: "hmc",
        engine: "nuts",
        max_depth: "10",
        metric: "diag_e",
        id: String(c + 1),
        seed: "42",
      });
      // CmdStan's order: config comments, the header row, the adaptation block, the draws
      const lines = text.trimEnd().split("\n");
      const h = lines.indexOf(header);
      expect(lines.slice(h + 1, h + 5)).toEqual([
        "# Adaptation terminated",
        `# Step size = ${0.1 * (c + 1)}`,
        "# Diagonal elements of inverse mass matrix:",
        `# ${Array.from({ length: 10 }, (_, j) => 1 + j / 4 + c).join(", ")}`,
      ]);
      expect(lines.length).toBe(h + 5 + D);
      expect(lines.slice(0, h).every((l) => l.startsWith("#"))).toBe(true);
    }
  });

  it("writes a dense inverse metric one row per line", () => {
    const [chain] = syntheticChains(1, 2, 2);
    chain!.inverseMetric = Float64Array.from([2, 0.5, 0.5, 3]);
    const idata = fromChains([chain!], { attrs, variables: [{ name: "x", shape: [2] }] });
    const text = writeCmdStanCsv(idata)[0]!;
    expect(config(text).get("metric")).toBe("dense_e");
    expect(text).toContain("# Elements of inverse mass matrix:\n# 2, 0.5\n# 0.5, 3\n");
  });

  it("round-trips awkward float64 values and writes non-finite ones as CmdStan does", () => {
    const awkward = [0.1 + 0.2, 1e-300, 5e-324, 123456789.12345679, -Math.PI, 2 ** 53 + 2, NaN, Infinity, -Infinity];
    const draws = [awkward.map((x) => Float64Array.from([x]))];
    const idata = fromDraws(draws, { attrs: { ...attrs, inference: "vi" }, variables: [{ name: "x", shape: [] }] });
    const [, , ...rows] = table(writeCmdStanCsv(idata)[0]!); // header, then the mean row
    const cells = rows.map((r) => r[3]!);
    expect(cells.slice(6)).toEqual(["nan", "inf", "-inf"]);
    expect(cells.slice(0, 6).map(Number)).toEqual(awkward.slice(0, 6));
  });

  it("writes VI draws as CmdStan's variational output: lp__ 0, log_p__, log_g__, and the mean row first", () => {
    const xs = [
      [1, 10],
      [2, 20],
      [4, 40],
    ];
    const idata = fromDraws([xs.map((r) => Float64Array.from(r))], {
      attrs: { ...attrs, inference: "vi" },
      variables: [{ name: "z", shape: [2] }],
      drawStats: { lp: [[-1.5, -2.5, -3.5]], log_q: [[-0.25, -0.5, -0.75]] },
    });
    const texts = writeCmdStanCsv(idata);
    expect(texts).toHaveLength(1);
    expect(config(texts[0]!).get("method")).toBe("variational");
    const [names, mean, ...rows] = table(texts[0]!);
    expect(names).toEqual(["lp__", "log_p__", "log_g__", "z.1", "z.2"]);
    expect(mean!.map(Number)).toEqual([0, 0, 0, 7 / 3, 70 / 3]);
    expect(rows.map((r) => r.map(Number))).toEqual([
      [0, -1.5, -0.25, 1, 10],
      [0, -2.5, -0.5, 2, 20],
      [0, -3.5, -0.75, 4, 40],
    ]);
  });
});
