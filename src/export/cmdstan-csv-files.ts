// Node-only: writes writeCmdStanCsv's texts as <base>_1.csv, <base>_2.csv, … (CmdStan's naming of
// per-chain outputs) and returns their paths.
import { writeFile } from "node:fs/promises";
import { writeCmdStanCsv } from "./cmdstan-csv.ts";
import type { InferenceData } from "./inference-data.ts";

/** `base` may end in ".csv" (fit.csv → fit_1.csv, fit_2.csv, …). */
export async function writeCmdStanCsvFiles(base: string, idata: InferenceData): Promise<string[]> {
  const stem = base.replace(/\.csv$/i, "");
  const texts = writeCmdStanCsv(idata);
  const paths = texts.map((_, c) => `${stem}_${c + 1}.csv`);
  await Promise.all(texts.map((text, c) => writeFile(paths[c]!, text)));
  return paths;
}
