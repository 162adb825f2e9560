// Every diagnostic code Latent emits, with its severity and one line saying what it means. The
// code of a `Diagnostic` is typed as a key of this table, so a code that is not listed here does
// not compile; `error` takes only codes that can be errors and `warning` only codes that can be
// warnings. The table of codes in docs/diagnostics.md is generated from it
// (scripts/diagnostics-table.ts); test/diagnostics/catalogue.test.ts checks that every code in
// src is listed, every listed code is used, and the docs match.

/** "either": the same situation is a warning or an error depending on what was left out or asked. */
export type CatalogueSeverity = "error" | "warning" | "either";

export interface CatalogueEntry {
  readonly severity: CatalogueSeverity;
  /** What the code means, one line. */
  readonly summary: string;
  /** No longer emitted; kept so that the code is not given another meaning. */
  readonly reserved?: true;
}

/** The stages, by code prefix, in the order the docs list them. */
export const STAGES = {
  L: "lexing",
  P: "parsing",
  N: "names",
  T: "types",
  S: "shapes",
  U: "supports",
  G: "guides",
  I: "imports",
  D: "data binding",
  E: "enumeration and inference",
  R: "runtime",
  C: "command line",
} as const;

export const CATALOGUE = {
  L001: { severity: "error", summary: "unexpected character (a hint names the usual mistake: `'`, `#`, `&`)" },
  L002: { severity: "error", summary: "unterminated block comment: `/*` without `*/`" },
  L003: { severity: "error", summary: "unterminated string: no closing `\"` on its line" },
  L004: { severity: "error", summary: "number too large (beyond about ±1.8e308)" },

  P001: { severity: "error", summary: "unexpected token: a specific token was expected" },
  P002: { severity: "error", summary: "none of the forms that may appear here starts with this token" },
  P003: { severity: "error", summary: "at least one item was expected here" },
  P004: { severity: "error", summary: "text after the end of a block: expected `model`, `guide` or `import`" },
  P005: { severity: "error", summary: "a type written with two brackets of sizes instead of one" },
  P006: { severity: "error", summary: "nesting deeper than 100 levels" },
  P007: { severity: "error", summary: "too many syntax errors: the parser stopped reading the file" },
  P008: { severity: "error", summary: "statement longer than 500,000 tokens" },
  P999: { severity: "error", summary: "internal parser error" },

  N001: { severity: "error", summary: "unknown name or size (with a did-you-mean hint)" },
  N002: { severity: "error", summary: "duplicate declaration (block, declaration, let in a plate, plate variable)" },
  N003: { severity: "error", summary: "name used before its declaration" },
  N004: { severity: "error", summary: "plate variable used outside its plate" },
  N005: { severity: "error", summary: "unknown distribution" },
  N006: { severity: "error", summary: "unknown function" },
  N007: { severity: "error", summary: "unknown type" },
  N008: { severity: "error", summary: "unknown activation" },
  N009: { severity: "error", summary: "a declared name is a member of Object.prototype (`__proto__`, `constructor`, …)" },
  N090: { severity: "warning", summary: "declaration never used (data never observed)" },

  T001: { severity: "error", summary: "wrong kind of name used as a value (a net, a size)" },
  T002: { severity: "error", summary: "wrong number of function arguments" },
  T003: { severity: "error", summary: "unknown named argument of a function" },
  T004: { severity: "error", summary: "callee is not a function (a distribution, a layer, a declared value)" },
  T005: { severity: "error", summary: "`axis` is not a whole number known in the program" },
  T006: { severity: "error", summary: "a function on the right of `~`" },
  T010: { severity: "error", summary: "unknown distribution parameter name" },
  T011: { severity: "error", summary: "missing required distribution parameter" },
  T012: { severity: "error", summary: "`oneOf` group: none or several of its members given" },
  T013: { severity: "error", summary: "too many positional distribution arguments" },
  T014: { severity: "error", summary: "distribution parameter given twice" },
  T020: { severity: "error", summary: "latent without a distribution" },
  T021: { severity: "error", summary: "latent with more than one distribution" },
  T022: { severity: "error", summary: "data with more than one distribution" },
  T023: { severity: "error", summary: "sample target is not data or a latent" },
  T024: { severity: "error", summary: "sample target indexed by something other than an enclosing plate variable" },
  T025: { severity: "error", summary: "sample inside a plate whose variable does not index the target" },
  T026: { severity: "error", summary: "latent read before it is sampled" },
  T030: { severity: "error", summary: "declaration inside a plate" },
  T031: { severity: "error", summary: "index is neither a plate variable nor integer-valued" },
  T032: { severity: "error", summary: "malformed array literal" },
  T033: { severity: "error", summary: "const value not known in the program" },
  T034: { severity: "error", summary: "constant expression not a finite number (overflow, division by zero, NaN)" },
  T040: { severity: "error", summary: "malformed net declaration (layer, sizes, activation, named arguments)" },
  T041: { severity: "error", summary: "net called with other than one positional input" },
  T051: { severity: "error", summary: "malformed type (brackets)" },
  T052: { severity: "error", summary: "`->` outside a net declaration" },
  T999: { severity: "error", summary: "internal checker error" },

  S001: { severity: "error", summary: "operands do not broadcast" },
  S002: { severity: "error", summary: "distribution shape does not fit the target / parameters do not broadcast" },
  S003: { severity: "error", summary: "plate variable indexes an axis of another size" },
  S004: { severity: "error", summary: "more indices than axes" },
  S005: { severity: "error", summary: "constant index out of range" },
  S006: { severity: "error", summary: "net input's last axis differs from the net's input size" },
  S007: { severity: "error", summary: "function shape rule violated (matmul, dot, transpose, reduce/concat axis, softmax)" },
  S008: { severity: "error", summary: "size is not a whole number ≥ 0" },
  S009: { severity: "error", summary: "not a size (a data name, a plate variable, an operator sizes do not allow)" },
  S010: { severity: "error", summary: "number of categories differs (Categorical vs cat[K], Bernoulli vs cat)" },
  S011: { severity: "error", summary: "gather index range differs from the indexed axis" },
  S012: { severity: "error", summary: "slice out of range" },
  S013: { severity: "error", summary: "distribution parameter event shape (vector/matrix) wrong or inconsistent" },
  S014: { severity: "error", summary: "more than one non-scalar gather index" },

  U001: { severity: "error", summary: "distribution argument outside its parameter's constraint" },
  U002: { severity: "error", summary: "draws of the distribution do not fit the target's support" },
  U003: { severity: "error", summary: "function argument outside its constraint (log of a real)" },
  U004: { severity: "error", summary: "let annotation or param initial value outside the declared support or shape" },

  G001: { severity: "error", summary: "guide for an unknown model (or for a guide)" },
  G002: { severity: "error", summary: "guide samples something other than its model's latents or missing data" },
  G003: { severity: "error", summary: "guide does not cover a latent" },
  G004: { severity: "error", summary: "guide samples a latent more than once" },
  G005: { severity: "error", summary: "guide distribution's support differs from the latent's" },
  G006: { severity: "error", summary: "guide reads its model's params, lets or nets" },
  G007: { severity: "error", summary: "guide declares data or latents" },
  G100: { severity: "error", summary: "the model has no guide of that name" },
  G101: { severity: "error", summary: "a written guide does not draw a latent the estimator needs" },
  G110: { severity: "error", summary: "the meanfield guide has no family for a latent (with the reason)" },
  G111: { severity: "error", summary: "the delta (MAP) guide on a discrete latent" },
  G112: { severity: "error", summary: "the meanfield guide cannot impute these missing data entries" },

  I001: { severity: "error", summary: "file or imported file cannot be read" },
  I002: { severity: "error", summary: "import escapes the root file's directory" },
  I003: { severity: "error", summary: "import cycle" },
  I004: { severity: "error", summary: "import of a non-.lvm file" },
  I005: { severity: "either", summary: "diagnostics past the limit (1,000 per file and per check) counted, not listed; an error when errors were left out" },
  I999: { severity: "error", summary: "internal frontend error" },

  D001: { severity: "error", summary: "a data variable of the model is absent from the data" },
  D002: { severity: "warning", summary: "the data has a variable the model does not declare as data (ignored)" },
  D003: { severity: "error", summary: "nesting depth differs from the declared rank" },
  D004: { severity: "error", summary: "a row has the wrong number of entries (ragged data)" },
  D005: { severity: "error", summary: "an entry is not a number (string, boolean, object)" },
  D006: { severity: "error", summary: "`null` in a variable not declared `missing`" },
  D007: { severity: "error", summary: "an entry is NaN, ±Infinity or beyond float32" },
  D008: { severity: "error", summary: "an entry outside the declared support (2 in binary data, a simplex row not summing to 1, …)" },
  D009: { severity: "error", summary: "a size bound inconsistently (data vs data, data vs const, data vs --size)" },
  D010: { severity: "error", summary: "a size that nothing binds" },
  D011: { severity: "either", summary: "the data cannot be read (an unsupported extension, a missing file; a warning for an MNIST limit past its end)" },
  D012: { severity: "error", summary: "malformed JSON data" },
  D013: { severity: "error", summary: "malformed CSV, or a CSV that cannot be mapped to the model's data" },
  D014: { severity: "error", summary: "the top level of the data (or of given latents) is not an object of variables" },
  D015: { severity: "either", summary: "a `--size` that contradicts a const or the data (error), or names no size of the model (warning, ignored)" },
  D020: { severity: "error", summary: "given latent values: a name that is not a latent of the model" },
  D021: { severity: "error", summary: "an integer data value used as an index is outside the axis it indexes" },
  D022: { severity: "error", summary: "`sample`: a covariate (data the model reads but never draws) was not given" },
  D030: { severity: "error", summary: "a params file names a param the model and its guides do not have" },
  D031: { severity: "warning", summary: "params not given by a params file keep their initial values" },
  D032: { severity: "error", summary: "a params file is not a JSON object of params by name" },
  D033: { severity: "error", summary: "a generated guide's param from a params file does not fit the param the guide creates" },
  D034: { severity: "error", summary: "given latent values: a latent without a value" },
  D035: { severity: "error", summary: "given latent values: a value whose shape is not the latent's declared shape" },
  D040: { severity: "error", summary: "a saved fit state (`--resume`) that is malformed" },

  E001: { severity: "either", summary: "exact enumeration is very large (a warning when checking, an error past the limit when run)" },
  E002: { severity: "error", summary: "exact evidence asked for a model with a continuous latent" },
  E003: { severity: "error", summary: "local and global latents cannot be enumerated together" },
  E004: { severity: "error", summary: "a global site depends on an enumerated local latent" },
  E005: { severity: "error", summary: "no closed form for the evidence (with the reason)" },
  E006: { severity: "error", summary: "fitting by exact enumeration would differentiate more elements than the limit allows" },
  E010: { severity: "error", summary: "the uniform proposal for a latent that is not finite" },
  E011: { severity: "error", summary: "a proposal that does not fit the estimator (a guide with `naive`, `enumerate` without a guide)" },
  E020: { severity: "error", summary: "the IWAE bound needs a reparameterized guide" },
  E021: { severity: "error", summary: "with enumeration, the guide's own draws must be reparameterized" },

  R001: { severity: "error", summary: "a size differs from the one the model's params were built with" },
  R002: { severity: "error", summary: "a declaration's shape needs a size that is not bound" },
  R003: { severity: "error", summary: "a discrete param (params are learned by gradient)" },
  R004: { severity: "error", summary: "a declared size below 1" },
  R005: { severity: "error", summary: "a tensor would hold more elements than the limit (sizes, particles, samples)" },
  R010: { severity: "error", summary: "the size of an expression is not bound" },
  R011: { severity: "error", summary: "a latent or covariate has no value when it is read" },
  R012: { severity: "error", summary: "internal: no implementation for a function" },
  R013: { severity: "error", summary: "internal: a net has no weights" },
  R014: { severity: "error", summary: "internal: unknown distribution at run time" },
  R015: { severity: "error", summary: "internal: a sample target is not declared" },
  R016: { severity: "error", summary: "a draw through an index that is not a plate variable" },
  R017: { severity: "error", summary: "a value must be drawn but no random seed was given" },
  R018: { severity: "error", summary: "internal: a let statement for a name that is not a let" },
  R019: { severity: "error", summary: "missing data entries under a distribution that is not elementwise" },
  R020: { severity: "error", summary: "a layer size of a net is not bound" },
  R030: { severity: "error", summary: "the objective became non-finite (no single site to blame)" },
  R031: { severity: "error", summary: "a param became non-finite" },
  R032: { severity: "error", summary: "the log-density of a site is not finite (a parameter at the edge of its support)" },
  R033: { severity: "warning", summary: "the model has no params to learn: nothing to fit" },
  R034: { severity: "warning", summary: "no param affects the objective: nothing to fit" },
  R035: { severity: "error", summary: "the gradient of a param is non-finite" },
  R036: { severity: "warning", summary: "the step cap was reached before the stopping rule was met: the fit may not have converged" },
  R040: { severity: "error", summary: "a saved fit state does not fit the params (names, shapes, values)" },
  R041: { severity: "warning", summary: "stopped during the restarts: the best start so far is kept and no state is written" },

  C001: { severity: "error", summary: "cannot read a file named on the command line" },
  C002: { severity: "error", summary: "cannot write an output file" },
  C003: { severity: "error", summary: "no model of that name in the file" },
  C004: { severity: "error", summary: "the file (with its imports) defines no model" },
  C005: { severity: "error", summary: "the file defines several models: choose one by name" },
  C006: { severity: "error", summary: "malformed JSON in a params or state file, or a params file that is not an object" },
  C008: { severity: "error", summary: "`posterior` on a model without latents" },
  C009: { severity: "error", summary: "MNIST data does not fit the model's data declaration" },
  C011: { severity: "warning", summary: "the model file does not end in .lvm (read anyway)" },
  C012: { severity: "error", summary: "command-line usage error (in `--json` output)" },
  C013: { severity: "error", summary: "an output names an input or another output's file" },
  C014: { severity: "error", summary: "interrupted by a signal before finishing" },
  C015: { severity: "error", summary: "an output file's extension names no format the command writes (`mcmc --out`: .nc or .csv)" },
  C020: { severity: "error", summary: "cannot write the plot" },
  C030: { severity: "error", summary: "the playground is not built" },
  C090: { severity: "error", summary: "internal: a part of Latent failed to load" },
} as const satisfies Record<string, CatalogueEntry>;

export type Code = keyof typeof CATALOGUE;
/** Codes that may be reported as errors. */
export type ErrorCode = { [K in Code]: (typeof CATALOGUE)[K]["severity"] extends "warning" ? never : K }[Code];
/** Codes that may be reported as warnings. */
export type WarningCode = { [K in Code]: (typeof CATALOGUE)[K]["severity"] extends "error" ? never : K }[Code];

export const isCode = (s: string): s is Code => Object.prototype.hasOwnProperty.call(CATALOGUE, s);
