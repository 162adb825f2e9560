// Fuzz inputs for the front end: example programs mutated token by token, and small models
// generated from the grammar (random enough that most fail the checker, typed enough that many
// pass it and reach the backend).
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";

const EXAMPLES_DIR = join(import.meta.dirname, "../../examples");

/** The example programs (examples/<name>/model.lvm), by name. */
export const EXAMPLE_PROGRAMS: ReadonlyArray<{ name: string; source: string }> = readdirSync(EXAMPLES_DIR)
  .sort()
  .flatMap((d) => {
    try {
      return [{ name: d, source: readFileSync(join(EXAMPLES_DIR, d, "model.lvm"), "utf8") }];
    } catch {
      return [];
    }
  });

// Tokens with the trivia kept (mutations act on the non-space ones; joining restores the text).
const TOKEN_RE = /\s+|\/\/[^\n]*|\/\*[\s\S]*?\*\/|"[^"\n]*"|[A-Za-z_][A-Za-z0-9_]*|(?:\d+\.\d*|\.\d+|\d+)(?:[eE][+-]?\d+)?|->|==|!=|<=|>=|&&|\|\||[\s\S]/g;

export function tokenize(src: string): string[] {
  return src.match(TOKEN_RE) ?? [];
}

const isTrivia = (t: string) => /^\s/.test(t) || t.startsWith("//") || t.startsWith("/*");
const isIdent = (t: string) => /^[A-Za-z_]/.test(t);
const isNumber = (t: string) => /^[\d.]/.test(t);
const BRACKETS = new Set(["(", ")", "[", "]", "{", "}"]);

/** Numbers a mutation may substitute: edge values of every kind the checker and backend must survive. */
export const NUMBER_SUBSTITUTES = ["0", "1", "2", "-1", "0.0", "1e-30", "1e30", "1e308", "1e999", "99999999999", "3.5", ".5", "7", "65", "0001", "1e-400"];
const IDENT_SUBSTITUTES = ["x", "z", "N", "K", "D", "mu", "sigma", "Normal", "Categorical", "Bernoulli", "real", "cat", "simplex", "model", "guide", "for", "in", "data", "latent", "param", "let", "net", "const", "missing", "import", "exp", "log", "mlp", "dense", "relu", "_", "n", "__proto__", "constructor", "toString", "hasOwnProperty"];
const INSERTABLE = ["{", "}", "(", ")", "[", "]", ",", ":", "~", "=", "->", "+", "*", "/", "^", "-", ";", "\n", '"a.lvm"', "import", "for n in N {", "0:2", ":", "..", "'"];

export type Mutation =
  | { op: "delete"; at: number }
  | { op: "duplicate"; at: number }
  | { op: "swap"; at: number }
  | { op: "renameAll"; at: number; to: string }
  | { op: "renameOne"; at: number; to: string }
  | { op: "number"; at: number; to: string }
  | { op: "dropBracket"; at: number }
  | { op: "insert"; at: number; text: string };

export const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant("delete" as const), at: fc.nat() }),
  fc.record({ op: fc.constant("duplicate" as const), at: fc.nat() }),
  fc.record({ op: fc.constant("swap" as const), at: fc.nat() }),
  fc.record({ op: fc.constant("renameAll" as const), at: fc.nat(), to: fc.constantFrom(...IDENT_SUBSTITUTES) }),
  fc.record({ op: fc.constant("renameOne" as const), at: fc.nat(), to: fc.constantFrom(...IDENT_SUBSTITUTES) }),
  fc.record({ op: fc.constant("number" as const), at: fc.nat(), to: fc.oneof(fc.constantFrom(...NUMBER_SUBSTITUTES), fc.integer({ min: 0, max: 1000 }).map(String)) }),
  fc.record({ op: fc.constant("dropBracket" as const), at: fc.nat() }),
  fc.record({ op: fc.constant("insert" as const), at: fc.nat(), text: fc.constantFrom(...INSERTABLE) }),
);

/** Applies one mutation; positions are taken modulo the candidate tokens so every mutation applies. */
export function mutate(tokens: string[], m: Mutation): string[] {
  const t = [...tokens];
  const pick = (pred: (s: string) => boolean): number | undefined => {
    const idx = t.flatMap((s, i) => (pred(s) ? [i] : []));
    return idx.length ? idx[m.at % idx.length] : undefined;
  };
  const solid = (s: string) => !isTrivia(s);
  switch (m.op) {
    case "delete": {
      const i = pick(solid);
      if (i !== undefined) t.splice(i, 1);
      return t;
    }
    case "duplicate": {
      const i = pick(solid);
      if (i !== undefined) t.splice(i, 0, t[i]!);
      return t;
    }
    case "swap": {
      const solidIdx = t.flatMap((s, i) => (solid(s) ? [i] : []));
      if (solidIdx.length < 2) return t;
      const k = m.at % (solidIdx.length - 1);
      const [a, b] = [solidIdx[k]!, solidIdx[k + 1]!];
      [t[a], t[b]] = [t[b]!, t[a]!];
      return t;
    }
    case "renameAll": {
      const i = pick(isIdent);
      if (i === undefined) return t;
      const from = t[i]!;
      return t.map((s) => (s === from ? m.to : s));
    }
    case "renameOne": {
      const i = pick(isIdent);
      if (i !== undefined) t[i] = m.to;
      return t;
    }
    case "number": {
      const i = pick(isNumber);
      if (i !== undefined) t[i] = m.to;
      return t;
    }
    case "dropBracket": {
      const i = pick((s) => BRACKETS.has(s));
      if (i !== undefined) t.splice(i, 1);
      return t;
    }
    case "insert": {
      const i = t.length ? m.at % (t.length + 1) : 0;
      t.splice(i, 0, " " + m.text + " ");
      return t;
    }
  }
}

/** An example program with 1–4 mutations applied. */
export const mutatedExampleArb: fc.Arbitrary<string> = fc
  .tuple(fc.nat({ max: EXAMPLE_PROGRAMS.length - 1 }), fc.array(mutationArb, { minLength: 1, maxLength: 4 }))
  .map(([e, ms]) => ms.reduce(mutate, tokenize(EXAMPLE_PROGRAMS[e]!.source)).join(""));

// ---- grammar-directed generation -----------------------------------------------------------

const NAMES = ["x", "y", "z", "w", "a", "b", "h", "mu", "s"];
const SUPPORTS = ["real", "positive", "unit", "binary", "count"];
const shapeArb = fc.oneof(
  fc.constant(""),
  fc.constant("[N]"),
  fc.constant("[N, D]"),
  fc.constant("[K]"),
  fc.constant("[D]"),
  fc.constant("[N, K]"),
  fc.constant("[K, D]"),
  fc.integer({ min: 0, max: 4 }).map((k) => `[${k}]`),
  fc.constant("[2 * K]"),
);
const typeArb = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(fc.constantFrom(...SUPPORTS), shapeArb).map(([s, sh]) => s + sh) },
  { weight: 1, arbitrary: shapeArb.map((sh) => `cat[K]${sh}`) },
  { weight: 1, arbitrary: fc.constantFrom("simplex[K]", "simplex[K][N]", "simplex[3]") },
);
const numberArb = fc.oneof(fc.constantFrom("0", "1", "2", "0.5", "1e-3", "1e-30", "100", "1e30"), fc.integer({ min: 0, max: 9 }).map(String));

function exprArb(depth: number): fc.Arbitrary<string> {
  const leaf = fc.oneof(fc.constantFrom(...NAMES), numberArb, fc.constantFrom("x[n]", "z[n]", "mu[z[n]]", "h[:, 0:2]", "a[0]"));
  if (depth <= 0) return leaf;
  const sub = exprArb(depth - 1);
  return fc.oneof(
    { weight: 3, arbitrary: leaf },
    { weight: 1, arbitrary: fc.tuple(sub, fc.constantFrom("+", "-", "*", "/", "^"), sub).map(([l, o, r]) => `${l} ${o} ${r}`) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom("exp", "log", "sqrt", "softplus", "sigmoid", "tanh", "softmax", "sum", "abs", "f"), sub).map(([f, a]) => `${f}(${a})`) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom("matmul", "min", "max", "dot", "concat"), sub, sub).map(([f, a, b]) => `${f}(${a}, ${b})`) },
    { weight: 1, arbitrary: sub.map((a) => `-(${a})`) },
  );
}

const DISTS: Record<string, number> = { Normal: 2, LogNormal: 2, Exponential: 1, Gamma: 2, Beta: 2, Bernoulli: 1, Categorical: 1, Poisson: 1, Dirichlet: 1, StudentT: 3, Laplace: 2, Uniform: 2 };
const distArb = fc.constantFrom(...Object.keys(DISTS)).chain((d) =>
  fc.oneof(
    fc.array(exprArb(1), { minLength: DISTS[d]!, maxLength: DISTS[d]! }).map((as) => `${d}(${as.join(", ")})`),
    fc.array(exprArb(1), { maxLength: 3 }).map((as) => `${d}(${as.join(", ")})`),
    exprArb(1).map((a) => `${d}(logits = ${a})`),
  ),
);

const declArb = fc.oneof(
  fc.tuple(fc.constantFrom(...NAMES), typeArb, fc.boolean()).map(([n, t, m]) => `data ${n}: ${t}${m ? " missing" : ""}`),
  fc.tuple(fc.constantFrom(...NAMES), typeArb).map(([n, t]) => `latent ${n}: ${t}`),
  fc.tuple(fc.constantFrom(...NAMES), typeArb, fc.option(numberArb)).map(([n, t, v]) => `param ${n}: ${t}${v === null ? "" : ` = ${v}`}`),
  fc.tuple(fc.constantFrom(...NAMES), exprArb(2)).map(([n, e]) => `let ${n} = ${e}`),
  fc.tuple(fc.constantFrom("f", "g"), fc.constantFrom("D", "K", "2", "N"), fc.constantFrom("D", "K", "2"), fc.constantFrom("tanh", "relu", "sigmoid", "identity", "bogus")).map(
    ([f, i, o, a]) => `net ${f} = dense(${i} -> ${o}, ${a})`,
  ),
  fc.tuple(fc.constantFrom(...NAMES), fc.constantFrom("", "[n]"), distArb).map(([n, ix, d]) => `${n}${ix} ~ ${d}`),
);

const stmtsArb = (max: number) => fc.array(declArb, { minLength: 1, maxLength: max });

/** A small model (and maybe a guide for it), built from grammar pieces. */
export const generatedProgramArb: fc.Arbitrary<string> = fc
  .tuple(
    fc.option(fc.integer({ min: 0, max: 5 })),
    stmtsArb(8),
    fc.option(stmtsArb(3)),
    fc.option(stmtsArb(3)),
  )
  .map(([k, body, plate, guide]) => {
    const lines = ["model M {", ...(k === null ? [] : [`  const K = ${k}`]), ...body.map((s) => "  " + s)];
    if (plate) lines.push("  for n in N {", ...plate.map((s) => "    " + s), "  }");
    lines.push("}");
    if (guide) lines.push("guide G for M {", ...guide.map((s) => "  " + s), "}");
    return lines.join("\n") + "\n";
  });

/** Typed models that should pass the checker: the shapes of the examples with random choices. */
export const wellTypedProgramArb: fc.Arbitrary<string> = fc
  .tuple(
    fc.constantFrom("Normal(0, 1)", "Normal(mu, s)", "Laplace(mu, s)", "StudentT(3, mu, s)"),
    fc.constantFrom("x ~ Normal(z, 1)", "x ~ Normal(z * a, s)", "x ~ Normal(exp(z), s + 1)", "x ~ Laplace(z, s)"),
    fc.constantFrom("1e-30", "1", "1e30", "0.5"),
    fc.boolean(),
  )
  .map(
    ([prior, lik, sInit, guide]) =>
      `model W {\n  data x: real[N]\n  param mu: real\n  param a: real = 2\n  param s: positive = ${sInit}\n  latent z: real[N]\n  z ~ ${prior}\n  ${lik}\n}\n` +
      (guide ? `guide Q for W {\n  param m: real[N]\n  param v: positive[N]\n  z ~ Normal(m, v)\n}\n` : ""),
  );

/** Every kind of program input, weighted toward the mutated examples. */
export const programArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 5, arbitrary: mutatedExampleArb },
  { weight: 3, arbitrary: generatedProgramArb },
  { weight: 1, arbitrary: wellTypedProgramArb },
  { weight: 1, arbitrary: fc.string({ maxLength: 200 }) },
);
