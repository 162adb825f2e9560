// How many elements one declared variable may hold. Sizes come from user input (--size, data,
// consts such as `const K = 1e10`); a tensor far beyond memory ends in an out-of-memory kill or a
// raw "Invalid typed array length" from the backend, so binding refuses it first, naming the
// variable, its sizes and this limit; estimators that keep values per sample are held to it
// too. 2^26 float32s (256 MiB) holds full MNIST (60,000 × 784).

import { RuntimeError } from "./runtime-error.ts";

export const ELEMENT_LIMIT_ENV = "LATENT_MAX_ELEMENTS";
const DEFAULT_LIMIT = 2 ** 26;

/** The limit: LATENT_MAX_ELEMENTS when it is a positive integer, else the default. */
export function elementLimit(): number {
  const given = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.[ELEMENT_LIMIT_ENV]?.trim();
  const v = given && /^\d+$/.test(given) ? Number(given) : NaN;
  return Number.isSafeInteger(v) && v > 0 ? v : DEFAULT_LIMIT;
}

/** Refuses an estimator that keeps `perSample` values for each of `samples` draws beyond the limit. */
export function checkSamplesKept(samples: number, perSample: number, what: string): void {
  const limit = elementLimit();
  const kept = samples * Math.max(1, perSample);
  if (kept > limit)
    throw new RuntimeError(
      "R005",
      `${samples.toLocaleString("en-US")} samples would keep ${kept.toLocaleString("en-US")} ${what}, over the limit of ${limit.toLocaleString("en-US")}`,
      `use fewer samples (at most ${Math.max(1, Math.floor(limit / Math.max(1, perSample))).toLocaleString("en-US")} here), or raise the limit with ${ELEMENT_LIMIT_ENV}`,
    );
}
