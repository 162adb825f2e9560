// InferenceData → netCDF-4 bytes (an HDF5 file following the netCDF-4 conventions), written with
// h5wasm (HDF5 compiled to WebAssembly) in its in-memory file system, so this module runs in the
// browser too; netcdf-file.ts writes the bytes to disk under Node.
//
// Layout, as ArviZ's to_netcdf writes it: one HDF5 group per InferenceData group, each dim a 1-D
// int64 coordinate variable 0…n−1 made an HDF5 dimension scale named after the dim (what netCDF-4
// calls a coordinate variable), each data variable a dataset with those scales attached to its axes.
// Links and attributes track creation order (netCDF-4 files do; netCDF-C lists in that order),
// every scale carries a file-unique `_Netcdf4Dimid`, the root carries `_NCProperties`. Booleans are
// stored as int8 with the attribute dtype = "bool", xarray's own encoding, so they read back as bool.
import h5wasm, { FS, type Dataset, type File, type Group as H5Group } from "h5wasm";
import { GROUP_NAMES, checkInferenceData, type InferenceData, type Variable } from "./inference-data.ts";

let files = 0;

const groupAttrs = (idata: InferenceData): Record<string, string> => ({
  created_at: idata.attrs.createdAt,
  inference_library: "latent",
  inference_library_version: idata.attrs.latentVersion,
  model_name: idata.attrs.model,
  inference_method: idata.attrs.inference,
});

function writeVariable(group: H5Group, name: string, v: Variable): Dataset {
  const data = v.data instanceof Uint8Array ? new Int8Array(v.data.buffer, v.data.byteOffset, v.data.length) : v.data;
  const ds = group.create_dataset({ name, data, shape: v.shape, track_order: true });
  if (v.data instanceof Uint8Array) ds.create_attribute("dtype", "bool");
  return ds;
}

/** The netCDF-4 file's bytes. Throws on an inconsistent InferenceData (see checkInferenceData). */
export async function netcdfBytes(idata: InferenceData): Promise<Uint8Array> {
  checkInferenceData(idata);
  await h5wasm.ready;
  const fs = FS as unknown as { readFile(p: string): Uint8Array; unlink(p: string): void };
  const path = `/latent-export-${++files}.nc`;
  const f = new h5wasm.File(path, "w", { track_order: true, libver: ["earliest", "v108"] });
  try {
    try {
      writeGroups(f, idata);
    } finally {
      f.close();
    }
    return fs.readFile(path);
  } finally {
    fs.unlink(path);
  }
}

function writeGroups(f: File, idata: InferenceData): void {
  const props = `version=2,latent=${idata.attrs.latentVersion}`;
  f.create_attribute("_NCProperties", props, null, `A${props.length}`);
  const attrs = groupAttrs(idata);
  for (const [k, v] of Object.entries(attrs)) f.create_attribute(k, v);
  let dimid = 0;
  for (const groupName of GROUP_NAMES) {
    const group = idata.groups[groupName];
    if (!group) continue;
    const g = f.create_group(groupName, true);
    for (const [k, v] of Object.entries(attrs)) g.create_attribute(k, v);
    const dims = new Map<string, number>();
    for (const v of Object.values(group)) v.dims.forEach((d, i) => dims.has(d) || dims.set(d, v.shape[i]!));
    for (const [dim, n] of dims) {
      const scale = g.create_dataset({ name: dim, data: BigInt64Array.from({ length: n }, (_, i) => BigInt(i)), track_order: true });
      scale.make_scale(dim);
      scale.create_attribute("_Netcdf4Dimid", dimid++, null, "<i4");
    }
    for (const [name, v] of Object.entries(group)) {
      const ds = writeVariable(g, name, v);
      v.dims.forEach((dim, i) => ds.attach_scale(i, `/${groupName}/${dim}`));
    }
  }
}
