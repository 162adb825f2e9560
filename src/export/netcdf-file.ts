// Node-only: writes the netCDF-4 bytes of netcdf.ts to a file.
import { writeFile } from "node:fs/promises";
import type { InferenceData } from "./inference-data.ts";
import { netcdfBytes } from "./netcdf.ts";

export async function writeNetcdf(path: string, idata: InferenceData): Promise<void> {
  await writeFile(path, await netcdfBytes(idata));
}
