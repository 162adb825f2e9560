// Bounded collection of diagnostics. A hostile 5 MB file can hold a million errors; keeping,
// sorting, suggesting names for and rendering all of them cost seconds and gigabytes, and nobody
// reads past the first screens. A collector keeps the first `limit` diagnostics and only counts
// the rest; `finish` ends the list with one I005 note saying how many were left out (an error
// when errors were left out, so that the outcome never changes).
import { error, warning, type Diagnostic, type Severity } from "./diagnostic.ts";

/** Diagnostics kept per file (parsing) and per program (checking). */
export const MAX_DIAGNOSTICS = 1000;

export class DiagnosticCollector {
  private readonly kept: Diagnostic[] = [];
  private readonly left: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  private readonly all: Record<Severity, number> = { error: 0, warning: 0, info: 0 };

  constructor(
    /** Where the diagnostics come from, for the note ("`m.lvm`"). */
    private readonly where: string,
    readonly limit = MAX_DIAGNOSTICS,
  ) {}

  /** True once further diagnostics are only counted: callers may skip building them. */
  get full(): boolean {
    return this.kept.length >= this.limit;
  }

  /** Diagnostics seen with this severity, kept or not (a note's left-out counts included). */
  count(severity: Severity): number {
    return this.all[severity];
  }

  push(d: Diagnostic): void {
    if (d.omitted) {
      // A note from an earlier collector (an imported file's parse): merge its counts.
      for (const s of ["error", "warning", "info"] as const) {
        this.left[s] += d.omitted[s];
        this.all[s] += d.omitted[s];
      }
      return;
    }
    this.all[d.severity]++;
    if (this.full) this.left[d.severity]++;
    else this.kept.push(d);
  }

  /** Counts a diagnostic that was not built because the collector is full. */
  skip(severity: Severity): void {
    this.all[severity]++;
    this.left[severity]++;
  }

  /** The kept diagnostics, then the note about the left-out ones (if any). */
  finish(): Diagnostic[] {
    const n = this.left.error + this.left.warning + this.left.info;
    if (n === 0) return this.kept.slice();
    const parts = [plural(this.left.error, "error"), plural(this.left.warning, "warning"), plural(this.left.info, "note")].filter((s) => s);
    const message = `${parts.join(", ")} in ${this.where} not listed: Latent lists the first ${this.limit.toLocaleString("en-US")} diagnostics`;
    const hint = "fix the first ones and check again";
    const note = this.left.error > 0 ? error("I005", message, undefined, hint) : warning("I005", message, undefined, hint);
    note.omitted = { ...this.left };
    return [...this.kept, note];
  }
}

const plural = (n: number, word: string): string => (n === 0 ? "" : `${n.toLocaleString("en-US")} more ${word}${n === 1 ? "" : "s"}`);
