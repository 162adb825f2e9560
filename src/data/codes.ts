// Names for the data-binding codes (prefix D), so call sites read `D.ragged`. What each code
// means is in the catalogue (src/diagnostics/catalogue.ts).
import type { Code } from "../diagnostics/catalogue.ts";

export const D = {
  /** A data variable of the model is absent from the data. */
  missingVariable: "D001",
  /** The data has a variable the model does not declare as data (warning). */
  unknownVariable: "D002",
  /** Nesting depth differs from the declared rank. */
  rank: "D003",
  /** A row has the wrong number of entries (ragged data). */
  ragged: "D004",
  /** An entry is not a number (string, boolean, object). */
  notNumber: "D005",
  /** `null` in a variable not declared `missing`. */
  nullEntry: "D006",
  /** NaN or ±Infinity. */
  nonFinite: "D007",
  /** An entry outside the declared support (2 in a binary variable, a negative count, …). */
  support: "D008",
  /** A size symbol bound inconsistently (data vs data, data vs const, data vs --size). */
  sizeMismatch: "D009",
  /** A size symbol that nothing binds. */
  unboundSize: "D010",
  /** The data file cannot be read or has an unsupported extension. */
  unreadable: "D011",
  /** JSON syntax error. */
  jsonSyntax: "D012",
  /** CSV syntax error or a CSV that cannot be mapped to the model's data. */
  csv: "D013",
  /** The top level of the data is not an object of variables. */
  notObject: "D014",
  /** A `--size` given for a name that is not a size symbol, or that contradicts a const. */
  badSize: "D015",
  /** An integer data value used as an index is outside the axis it indexes. */
  indexRange: "D021",
  /** `sample`: a data variable the model reads but never draws (a covariate) was not given. */
  notDrawn: "D022",
  /** A params file names a param the model and its guides do not have. */
  unknownParam: "D030",
  /** Params the model uses that a params file does not give (warning: they keep their initial values). */
  missingParams: "D031",
  /** A params file is not a JSON object of params by name. */
  paramsNotObject: "D032",
  /** A generated guide's param from a params file does not fit the param the guide creates. */
  paramMismatch: "D033",
  /** A saved fit state (`--resume`) that is malformed or does not fit the run. */
  fitState: "D040",
  /** Given latent values (logjoint): a name that is not a latent of the model. */
  notLatent: "D020",
  /** Given latent values: a latent without a value. */
  missingLatent: "D034",
  /** Given latent values: a value whose shape is not the latent's declared shape. */
  latentShape: "D035",
} as const satisfies Record<string, Code>;
