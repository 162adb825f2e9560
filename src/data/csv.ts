// CSV reading: a header row of column names, then one row per data point. Cells are numbers;
// empty, `NA` and `null` cells are missing (null); `NaN`/`Inf` become non-finite numbers so
// the binder reports them by position; anything else stays a string (reported by the binder).

export type CsvCell = number | null | string;

export class CsvTable {
  constructor(
    public readonly header: string[],
    public readonly rows: CsvCell[][],
  ) {}
}

export interface CsvError {
  message: string;
  line: number;
  column: number;
}

/** Splits one line on commas, honouring double quotes ("a,b" and "" escapes). */
function splitLine(line: string): string[] {
  const out: string[] = [];
  let cur = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cur += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      out.push(cur);
      cur = "";
    } else cur += c;
  }
  out.push(cur);
  return out.map((s) => s.trim());
}

const MISSING = new Set(["", "na", "null"]);

function cell(s: string): CsvCell {
  const lower = s.toLowerCase();
  if (MISSING.has(lower)) return null;
  if (lower === "nan") return NaN;
  if (lower === "inf" || lower === "+inf" || lower === "infinity") return Infinity;
  if (lower === "-inf" || lower === "-infinity") return -Infinity;
  const n = Number(s);
  return Number.isNaN(n) ? s : n;
}

/** Parses CSV text; row-length errors are returned with their line, at most `maxErrors` of them. */
export function parseCsv(text: string, maxErrors = 10): { table?: CsvTable; errors: CsvError[] } {
  const lines = text.split("\n").map((l) => l.replace(/\r$/, ""));
  while (lines.length && lines[lines.length - 1]!.trim() === "") lines.pop();
  if (lines.length === 0) return { errors: [{ message: "empty CSV file: expected a header row of column names", line: 1, column: 1 }] };
  const header = splitLine(lines[0]!);
  const errors: CsvError[] = [];
  header.forEach((h, j) => {
    if (h === "" && errors.length < maxErrors) errors.push({ message: `column ${j + 1} of the header has no name`, line: 1, column: 1 });
  });
  const rows: CsvCell[][] = [];
  for (let i = 1; i < lines.length; i++) {
    const fields = splitLine(lines[i]!);
    if (fields.length !== header.length) {
      if (errors.length < maxErrors) errors.push({ message: `row has ${fields.length} fields, the header has ${header.length}`, line: i + 1, column: 1 });
      continue;
    }
    rows.push(fields.map(cell));
  }
  return errors.length ? { errors } : { table: new CsvTable(header, rows), errors };
}
