// Data binding: read .json/.csv data, check it against a model's `data` declarations, flatten it.
export { bindData, MAX_POSITION_ERRORS, type BindOptions, type BoundData } from "./bind.ts";
export { D as DATA_CODES } from "./codes.ts";
export { CsvTable, parseCsv, type CsvCell } from "./csv.ts";
export { parseJson } from "./json.ts";
export { bindDataFile, dataFormat, loadDataFile, parseDataText } from "./load.ts";
export { initialSizes, parseSizeSpec, SizeEnv } from "./sizes.ts";
export { supportViolation } from "./support.ts";
