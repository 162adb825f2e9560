// `latent/data`: parse .json/.csv data text, check it against a model's `data` declarations,
// flatten it. Browser-safe; reading data files and MNIST from disk are in `latent/node`.
export { bindData, MAX_POSITION_ERRORS, type BindOptions, type BoundData } from "./bind.ts";
export { D as DATA_CODES } from "./codes.ts";
export { CsvTable, parseCsv, type CsvCell } from "./csv.ts";
export { parseJson } from "./json.ts";
export { dataFormat, parseDataText } from "./parse-text.ts";
export { initialSizes, parseSizeSpec, SizeEnv } from "./sizes.ts";
export { supportViolation } from "./support.ts";
