// Per-block checking context: declarations, consts, sizes, plate frames and name resolution.
import type { Span } from "../diagnostics/span.ts";
import type { Stmt } from "../syntax/ast.ts";
import { ACTIVATIONS, DISTRIBUTIONS, FUNCTIONS } from "../../stdlib/signatures.ts";
import type { CheckedBlock, CheckedDecl, DeclKind } from "./checked.ts";
import type { Reporter } from "./report.ts";
import type { Size } from "../ir/types.ts";
import { didYouMean } from "../diagnostics/suggest.ts";

export interface DeclEntry {
  kind: DeclKind;
  name: string;
  span: Span;
  stmt: Stmt;
  /** Set once the walk reaches the declaration (uses before it are errors). */
  declared: boolean;
  /** Filled when the declaration has been checked (data/latent/param in the pre-pass). */
  checked?: CheckedDecl;
}

export interface PlateFrame {
  index: string;
  size: Size;
  span: Span;
  /** Lets declared inside this plate, visible only inside it. */
  lets: Map<string, CheckedDecl>;
}

export interface ModelView {
  block: CheckedBlock;
  decls: Map<string, CheckedDecl>;
}

export class BlockCtx {
  readonly consts = new Map<string, number>();
  /** Size symbols known in this block (bound from data or `--size`). */
  readonly sizeSymbols = new Set<string>();
  readonly decls = new Map<string, DeclEntry>();
  /** Every plate variable of the block, to explain uses outside their plate. */
  readonly allPlates = new Map<string, { span: Span; size: string }>();
  readonly frames: PlateFrame[] = [];
  /** Latents (own, or the model's in a guide) whose sample statement has been passed. */
  readonly sampled = new Set<string>();
  /** Names read by some expression or size. */
  readonly used = new Set<string>();
  /** Sample statements per target name. */
  readonly sites = new Map<string, Span[]>();
  /** Sample statements already counted in `sites`. */
  readonly recordedSites = new Set<Stmt>();

  constructor(
    readonly r: Reporter,
    readonly kind: "model" | "guide",
    readonly name: string,
    /** For a guide: the model it covers. */
    readonly model?: ModelView,
  ) {}

  get plateNames(): string[] {
    return this.frames.map((f) => f.index);
  }

  frame(index: string): PlateFrame | undefined {
    for (let i = this.frames.length - 1; i >= 0; i--) if (this.frames[i]!.index === index) return this.frames[i];
    return undefined;
  }

  /**
   * All names a user could have meant, for "did you mean" hints, in order of preference (on a
   * tie the earlier wins: the program's own names before the stdlib's). May repeat a name.
   */
  *candidates(extra: "values" | "functions" | "sizes" = "values"): Generator<string> {
    for (const f of this.frames) {
      yield f.index;
      yield* f.lets.keys();
    }
    for (const [k, d] of this.decls) if (extra !== "sizes" || d.kind === "const") yield k;
    yield* this.consts.keys();
    if (extra === "sizes") yield* this.sizeSymbols;
    if (this.model) for (const [k, d] of this.model.decls) if (d.kind === "const" || (extra !== "sizes" && (d.kind === "data" || d.kind === "latent"))) yield k;
    if (extra !== "sizes") for (const f of FUNCTIONS) yield f.name;
    if (extra === "functions") for (const [k, d] of this.decls) if (d.kind === "net") yield k;
    if (extra !== "sizes") for (const d of DISTRIBUTIONS) yield d.name;
  }

  hint(name: string, extra: "values" | "functions" | "sizes" = "values"): string | undefined {
    return didYouMean(name, this.candidates(extra), this.r.suggestions);
  }
}

export const distributionNames = (): string[] => DISTRIBUTIONS.map((d) => d.name);
export const activationNames = (): string[] => [...ACTIVATIONS];
