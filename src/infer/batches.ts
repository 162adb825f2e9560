// Minibatches cut from the data's typed arrays (never by slicing a large tensor: on WASM a
// slice copies the whole source out of wasm memory). Only the chosen rows are copied.
import type { FlatData, TensorData } from "../backend/model-runtime.ts";
import { toTensorData } from "../backend/model-runtime.ts";

/** The rows `rows` of every variable whose axis 0 is the data plate; other variables whole. */
export function selectRows(flat: FlatData, rows: Int32Array, dataPlate: string | undefined, plateVars: ReadonlySet<string>): FlatData {
  const values: FlatData["values"] = {};
  for (const [name, v] of Object.entries(flat.values)) {
    if (!plateVars.has(name)) {
      values[name] = v;
      continue;
    }
    const row = v.shape.slice(1).reduce((a, b) => a * b, 1);
    const data = new Float32Array(rows.length * row);
    const mask = v.mask ? new Uint8Array(rows.length * row) : undefined;
    rows.forEach((r, i) => {
      data.set(v.data.subarray(r * row, (r + 1) * row), i * row);
      if (mask) mask.set(v.mask!.subarray(r * row, (r + 1) * row), i * row);
    });
    values[name] = { shape: [rows.length, ...v.shape.slice(1)], data, ...(mask ? { mask } : {}) };
  }
  return { sizes: { ...flat.sizes, ...(dataPlate ? { [dataPlate]: rows.length } : {}) }, values };
}

/** Tensor data for a minibatch (or the whole data when rows is undefined). */
export function batchTensors(flat: FlatData, rows: Int32Array | undefined, dataPlate: string | undefined, plateVars: ReadonlySet<string>): TensorData {
  return toTensorData(rows ? selectRows(flat, rows, dataPlate, plateVars) : flat);
}
