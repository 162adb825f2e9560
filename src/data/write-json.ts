// How Latent writes numbers to JSON (params, sampled data): engine values are float32, and 9
// significant digits round-trip them exactly while keeping files about half the size of float64
// printing (1.92236865 instead of 1.9223686456680298). Shared by the CLI and the playground so
// both write the same text for the same values.
export const float32Digits = (_key: string, v: unknown): unknown => (typeof v === "number" && Number.isFinite(v) && !Number.isInteger(v) ? Number(v.toPrecision(9)) : v);

/** One line of JSON as the CLI writes it (no trailing newline). */
export const latentJson = (value: unknown): string => JSON.stringify(value, float32Digits);
