// How a command's lines show numbers. Each command's lines are written once (in its file here);
// the CLI prints fixed decimals (scripts and the docs read them), the REPL a few significant
// digits, which is easier to read at a prompt.
export type Style = "cli" | "repl";

/** At most `digits` significant digits, no trailing zeros: -207.76331 → "-207.763". */
export function num(x: number, digits = 6): string {
  if (!Number.isFinite(x)) return String(x);
  if (Number.isInteger(x) && Math.abs(x) < 1e9) return String(x);
  const a = Math.abs(x);
  if (a !== 0 && (a < 1e-4 || a >= 1e9)) return x.toExponential(digits - 2).replace(/\.?0+e/, "e");
  return String(Number(x.toPrecision(digits)));
}

export interface Numbers {
  /** An estimate or an objective. */
  value: (x: number) => string;
  /** A standard error. */
  error: (x: number) => string;
  /** An effective sample size. */
  ess: (x: number) => string;
}

const fixed = (digits: number) => (x: number) => x.toFixed(digits);

export function numbers(style: Style): Numbers {
  return style === "cli" ? { value: fixed(4), error: fixed(4), ess: fixed(1) } : { value: (x) => num(x), error: (x) => num(x, 3), ess: (x) => num(x, 4) };
}
