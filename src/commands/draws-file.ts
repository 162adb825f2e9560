// Reads posterior draws for `--draws FILE` (predict, loo): the JSON `latent mcmc --json` prints
// (or writes with --out F.json). Accepted layouts, at the top level or under "draws":
//   {"m": {"shape": [], "draws": [[0.1, 0.2, …], […]]}, …}     per variable, [chain][draw] nested per draw
//   {"variables": [{"name": "m", "shape": [], "draws": [[…], …]}, …]}
// A "model" field, when present, must name the model. Values are checked against the model later (R071).
import { error, type Diagnostic } from "../diagnostics/diagnostic.ts";
import type { McmcDraws } from "../api/predict-loo.ts";
import { readJsonFile } from "./compiled.ts";

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

/** Row-major values of one draw nested in `shape`; undefined when the nesting does not match. */
function flatten(v: unknown, shape: readonly number[], out: number[]): boolean {
  if (shape.length === 0) {
    if (typeof v !== "number") return false;
    out.push(v);
    return true;
  }
  if (!Array.isArray(v) || v.length !== shape[0]) return false;
  return v.every((x) => flatten(x, shape.slice(1), out));
}

export async function readDrawsFile(path: string, modelName: string): Promise<{ draws?: McmcDraws; diagnostics: Diagnostic[] }> {
  const r = await readJsonFile(path, "draws file", "data");
  if (r.value === undefined) return { diagnostics: r.diagnostics };
  const bad = (what: string) => ({ diagnostics: [error("C070", `draws file \`${path}\`: ${what}`, undefined, "give the JSON that `latent mcmc --json` prints for this model")] });
  if (!isObj(r.value)) return bad("expected a JSON object");
  const top = r.value;
  if (typeof top["model"] === "string" && top["model"] !== modelName) return { diagnostics: [error("R071", `draws file \`${path}\` holds draws of model \`${top["model"]}\`, not of \`${modelName}\``, undefined, "give the draws `latent mcmc` wrote for this model")] };
  const body = isObj(top["draws"]) ? top["draws"] : top;
  const entries: [string, unknown][] = Array.isArray(body["variables"])
    ? (body["variables"] as unknown[]).map((v) => [isObj(v) && typeof v["name"] === "string" ? v["name"] : "", v])
    : Object.entries(body).filter(([k, v]) => k !== "model" && isObj(v) && "draws" in v);
  if (!entries.length) return bad("no variables with draws (expected {\"name\": {\"shape\": […], \"draws\": [[…]]}})");
  const variables: McmcDraws["variables"][number][] = [];
  for (const [name, v] of entries) {
    if (!name || !isObj(v)) return bad("a variable without a name");
    const shape = v["shape"];
    if (!Array.isArray(shape) || !shape.every((s) => Number.isInteger(s) && s >= 0)) return bad(`\`${name}\` has no shape (a list of sizes)`);
    const chains = v["draws"];
    if (!Array.isArray(chains) || !chains.every(Array.isArray)) return bad(`the draws of \`${name}\` are not [chain][draw]`);
    const draws: Float64Array[][] = [];
    for (const [c, chain] of (chains as unknown[][]).entries()) {
      const rows: Float64Array[] = [];
      for (const [d, draw] of chain.entries()) {
        const flat: number[] = [];
        if (!flatten(draw, shape as number[], flat)) return bad(`draw ${d} of chain ${c} of \`${name}\` is not numbers of shape [${(shape as number[]).join(", ")}]`);
        rows.push(Float64Array.from(flat));
      }
      draws.push(rows);
    }
    variables.push({ name, shape: shape as number[], draws });
  }
  return { draws: { variables }, diagnostics: [] };
}
