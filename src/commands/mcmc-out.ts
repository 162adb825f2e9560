// `mcmc --out F.nc | F.csv | F.json`: the draws as ArviZ InferenceData in a netCDF-4 file, as
// CmdStan's CSV (one file per chain, F_1.csv, F_2.csv, … as CmdStan names them; F.csv itself for
// one chain), or as the JSON `--json` prints (what `predict --draws` and `loo --draws` read). The files are known (and checked) before sampling; mcmc-write.ts writes them
// atomically (imported when there is something to write: it loads h5wasm).
import { extname } from "node:path";
import { error, type Diagnostic } from "../diagnostics/diagnostic.ts";

export type McmcOutFormat = "netcdf" | "csv" | "json";

/** The format `path`'s extension names (.nc, .nc4, .netcdf → netCDF-4; .csv → CmdStan CSV; .json). */
export function outFormat(path: string): McmcOutFormat | undefined {
  const ext = extname(path).toLowerCase();
  return ext === ".nc" || ext === ".nc4" || ext === ".netcdf" ? "netcdf" : ext === ".csv" ? "csv" : ext === ".json" ? "json" : undefined;
}

/** C015 when `--out`'s extension names no format. */
export function outFormatProblem(flag: string, path: string | undefined): Diagnostic | undefined {
  if (path === undefined || outFormat(path)) return undefined;
  return error("C015", `${flag} \`${path}\`: unknown extension \`${extname(path) || "(none)"}\`; expected .nc (ArviZ InferenceData, netCDF-4), .csv (CmdStan CSV) or .json (as --json prints)`, undefined, `e.g. ${flag} draws.nc`);
}

/** The files `--out path` writes for `chains` chains. */
export function outFiles(path: string, chains: number): string[] {
  if (outFormat(path) !== "csv" || chains === 1) return [path];
  const stem = path.slice(0, path.length - extname(path).length);
  return Array.from({ length: chains }, (_, c) => `${stem}_${c + 1}${extname(path)}`);
}
