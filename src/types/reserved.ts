// Names a user may not declare: the members of JavaScript's Object.prototype (`__proto__`,
// `constructor`, `toString`, `hasOwnProperty`, …). Declared names become keys of plain objects
// all the way down — params files, posterior output, size bindings, data records — where such a
// key reads an inherited member or, for `__proto__`, sets the prototype. Refusing them in the
// checker (N009) keeps every later stage from meeting them; the checker's own tables are Maps,
// so an undeclared `constructor` is simply an unknown name.
import type { Ident } from "../syntax/ast.ts";
import type { Reporter } from "./report.ts";

/** The names themselves, from the running engine (the same list everywhere Latent runs on Node ≥ 20). */
export const RESERVED_NAMES: ReadonlySet<string> = new Set(Object.getOwnPropertyNames(Object.prototype));

/** False, with N009 at the name, when `name` is reserved. */
export function declarable(name: Ident, r: Reporter): boolean {
  if (!RESERVED_NAMES.has(name.name)) return true;
  const stem = name.name.replace(/^_+|_+$/g, "") || "name";
  r.error("N009", `\`${name.name}\` cannot be declared: it names a member of JavaScript's Object.prototype`, name.span, `rename it, e.g. \`${stem}_\``);
  return false;
}
