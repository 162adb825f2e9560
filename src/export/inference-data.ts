// A plain-data description of an inference result in ArviZ's InferenceData layout, independent of
// how it was computed (NUTS chains, draws from a variational q) and of the file format it is
// written to (netCDF-4 in netcdf.ts, CmdStan CSV in cmdstan-csv.ts). Arrays are row-major (C order,
// as numpy and netCDF store them); sampled groups have the leading dims (chain, draw).

/** A named array. A Uint8Array holds booleans (0/1), e.g. `diverging`. */
export interface Variable {
  dims: string[];
  shape: number[];
  data: Float64Array | Int32Array | Uint8Array;
}

export type Group = Record<string, Variable>;

/** ArviZ's group names, in the order ArviZ writes them. */
export const GROUP_NAMES = ["posterior", "posterior_predictive", "log_likelihood", "sample_stats", "observed_data"] as const;
export type GroupName = (typeof GROUP_NAMES)[number];

/** Groups whose variables have the leading dims (chain, draw). */
export const SAMPLED_GROUPS: readonly GroupName[] = ["posterior", "posterior_predictive", "log_likelihood", "sample_stats"];

export interface InferenceAttrs {
  /** The model's name (its file name without extension, say). */
  model: string;
  latentVersion: string;
  /** ISO 8601 time stamp. */
  createdAt: string;
  /** How the draws were made: "nuts", "vi", … */
  inference: string;
}

/** NUTS warm-up results per chain, for CmdStan's "Adaptation terminated" block. */
export interface ChainAdaptation {
  stepSize: number;
  /** The inverse metric on the unconstrained space: its diagonal, or the row-major dense matrix. */
  inverseMetric: Float64Array;
  dense: boolean;
}

/** Run settings echoed in CmdStan's CSV header. */
export interface RunSettings {
  warmup?: number;
  draws?: number;
  seed?: number;
  maxTreeDepth?: number;
  targetAccept?: number;
  /** Whether the metric is dense (CmdStan's dense_e) rather than diagonal (diag_e). */
  dense?: boolean;
}

export interface InferenceData {
  attrs: InferenceAttrs;
  groups: Partial<Record<GroupName, Group>>;
  adaptation?: ChainAdaptation[];
  settings?: RunSettings;
}

export const size = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** ArviZ's default name for a variable's own axis i. */
export const defaultDim = (variable: string, axis: number): string => `${variable}_dim_${axis}`;

/**
 * Checks shapes against data lengths and that every dim has one size per group (a dim is shared by
 * all variables of its group, as in netCDF). Throws an Error naming the group, variable and dim.
 */
export function checkInferenceData(idata: InferenceData): void {
  for (const [groupName, group] of Object.entries(idata.groups)) {
    if (!group) continue;
    const sizes = new Map<string, { size: number; variable: string }>();
    for (const [name, v] of Object.entries(group)) {
      const where = `${groupName}/${name}`;
      for (const n of [name, ...v.dims])
        if (n === "" || n.includes("/") || n === "." || n === "..")
          throw new Error(`${where}: "${n}" cannot name a variable or dim (HDF5 paths use "/")`);
      if (v.dims.length !== v.shape.length)
        throw new Error(`${where}: ${v.dims.length} dim names for a shape of rank ${v.shape.length}`);
      if (v.shape.some((n) => !Number.isInteger(n) || n < 0))
        throw new Error(`${where}: shape [${v.shape.join(", ")}] must be non-negative integers`);
      if (v.data.length !== size(v.shape))
        throw new Error(`${where}: shape [${v.shape.join(", ")}] needs ${size(v.shape)} values, got ${v.data.length}`);
      if (new Set(v.dims).size !== v.dims.length) throw new Error(`${where}: repeated dim name in [${v.dims.join(", ")}]`);
      if (SAMPLED_GROUPS.includes(groupName as GroupName) && (v.dims[0] !== "chain" || v.dims[1] !== "draw"))
        throw new Error(`${where}: a sampled group's variables start with dims (chain, draw), got [${v.dims.join(", ")}]`);
      v.dims.forEach((dim, i) => {
        const seen = sizes.get(dim);
        if (seen && seen.size !== v.shape[i])
          throw new Error(`${where}: dim ${dim} has size ${v.shape[i]} here but ${seen.size} in ${groupName}/${seen.variable}`);
        if (!seen) sizes.set(dim, { size: v.shape[i]!, variable: name });
      });
    }
    for (const name of Object.keys(group))
      if (sizes.has(name)) throw new Error(`${groupName}/${name}: a variable cannot have the name of a dim of its group`);
  }
}
