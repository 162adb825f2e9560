// Re-check time of the language server after a one-character edit of a 500-line model: what
// `latent lsp` runs on every change (src/lsp/diagnostics.ts: parse, imports, check — the same
// front end as `latent check`, without lowering — and the diagnostics turned into LSP ones),
// against parsing the same text alone in the same process. The server keeps the last parse of
// each file and re-parses only the edited statement when it can (src/syntax/reparse.ts); the
// re-check of an edit that needs the whole file parsed again is timed too. Medians of
// interleaved rounds; target ≤ 50 ms.
//   npx tsx bench/lsp-recheck.ts
import { recheck } from "../src/lsp/diagnostics.ts";
import { editorParser } from "../src/service/parse-cache.ts";
import { parseProgram } from "../src/syntax/parse.ts";

/** A model of about `lines` lines: a mixture with many derived quantities and a guide. */
export function bigModel(lines: number): string {
  const out = ["model Big {", "  const K = 3", "  data x: real[N, D]", "  param weights: simplex[K]", "  param mu: real[K, D]", "  param sigma: positive[K, D]", "  latent z: cat[K][N]"];
  const lets = lines - 16;
  for (let i = 0; i < lets; i++) out.push(`  let t${i} = exp(-${i % 7 + 1} * sum(mu)) + log(sigma[${i % 3}, 0]) * ${i % 5}  // derived ${i}`);
  out.push("  for n in N {", "    z[n] ~ Categorical(weights)", "    x[n] ~ Normal(mu[z[n]], sigma[z[n]])", "  }", "}", "", "guide Q for Big {", "  param p: simplex[K][N]", "  for n in N {", "    z[n] ~ Categorical(p[n])", "  }");
  out.push("}");
  return out.join("\n") + "\n";
}

export function benchLspRecheck(): { lines: number; recheckMs: number; fullMs: number; parseMs: number } {
  const text = bigModel(500);
  // A digit changed: the edited model still checks, so every round runs the whole front end
  // (parse, imports, check) — the slowest path of an edit.
  const edited = text.replace("let t250 = exp(-6 ", "let t250 = exp(-7 ");
  if (edited === text) throw new Error("bench model changed: the edit found nothing to replace");
  const file = "/bench/big.lvm";
  const opts = { readFile: () => undefined, parse: editorParser() };
  const times: number[] = [];
  const fulls: number[] = [];
  const parses: number[] = [];
  const timed = (into: number[], f: () => unknown) => {
    const t0 = performance.now();
    f();
    into.push(performance.now() - t0);
  };
  for (let round = 0; round < 40; round++) {
    const src = round % 2 ? edited : text;
    const check = () => timed(times, () => recheck(src, file, "file:///bench/big.lvm", opts));
    const full = () => timed(fulls, () => recheck(src, file, "file:///bench/big.lvm", { readFile: opts.readFile }));
    const parse = () => timed(parses, () => parseProgram(src, file));
    // Rotating which goes first, so none always runs on a warmer heap.
    const order = [check, full, parse];
    for (let k = 0; k < 3; k++) order[(round + k) % 3]!();
  }
  const median = (a: number[]) => [...a].sort((x, y) => x - y)[a.length >> 1]!;
  // The first rounds warm the JIT; medians over the rest.
  return { lines: text.split("\n").length - 1, recheckMs: median(times.slice(10)), fullMs: median(fulls.slice(10)), parseMs: median(parses.slice(10)) };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = benchLspRecheck();
  const ratio = (ms: number) => (ms / r.parseMs).toFixed(2);
  console.log(`re-check after a one-character edit of a ${r.lines}-line model: ${r.recheckMs.toFixed(1)} ms (ratio ${ratio(r.recheckMs)} to parsing the file alone, ${r.parseMs.toFixed(1)} ms); with the whole file parsed again: ${r.fullMs.toFixed(1)} ms (ratio ${ratio(r.fullMs)}); target ≤ 50 ms`);
}
