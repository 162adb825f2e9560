// The playground page: the editor with live diagnostics (checked here, on the page's thread, so
// they keep up while a fit runs), the settings, and the results the worker sends back.
import { counted } from "../../src/diagnostics/count.ts";
import { scatterSvg } from "../../src/plot/scatter.ts";
import { checkDocument } from "../../src/service/check.ts";
import { createEditor, setText, showDiagnostics } from "./editor.ts";
import { EXAMPLES } from "./examples.ts";
import { traceSvg } from "./plot.ts";
import type { FromWorker, ToWorker } from "./protocol.ts";
import { MODEL_FILE } from "./files.ts";
import type { DataText, Outcome, Request, Result, Scatter, Step } from "./runner.ts";
import { decodeState, DEFAULTS, encodeState, parseSizes, type Settings } from "./state.ts";

const $ = <T extends HTMLElement = HTMLElement>(id: string): T => document.getElementById(id) as T;
const input = (id: string) => $<HTMLInputElement>(id);
const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

// ---- the worker ------------------------------------------------------------------------------

const worker = new Worker("worker.js");
let nextId = 1;
const waiting = new Map<number, { done: (o: Outcome) => void; onSteps?: (s: Step[]) => void }>();

worker.onmessage = (ev: MessageEvent<FromWorker>) => {
  const m = ev.data;
  if (m.type === "ready") $("backend").textContent = `TensorFlow.js backend: ${m.backend}${m.simd ? " (SIMD)" : ""}`;
  else if (m.type === "steps") waiting.get(m.id)?.onSteps?.(m.steps);
  else if (m.type === "done") {
    waiting.get(m.id)?.done(m.outcome);
    waiting.delete(m.id);
  } else if (m.type === "crash") failAll(`internal error: ${m.message}`);
};
worker.onerror = (ev) => failAll(`internal error: the inference worker failed${ev.message ? `: ${ev.message}` : ""}`);

/** A worker failure ends every waiting request with its message (never a silent page). */
function failAll(text: string): void {
  const ended = [...waiting.values()];
  waiting.clear();
  for (const w of ended) w.done({ ok: false, problems: { rendered: text, diagnostics: [] } });
  if (!ended.length) showProblems(text);
}

function request(req: Request, onSteps?: (s: Step[]) => void): Promise<Outcome> {
  const id = nextId++;
  return new Promise((done) => {
    waiting.set(id, { done, ...(onSteps ? { onSteps } : {}) });
    worker.postMessage({ type: "run", id, request: req } satisfies ToWorker);
  });
}

// ---- the editor and live diagnostics ---------------------------------------------------------

let checkTimer: ReturnType<typeof setTimeout> | undefined;
const editor = createEditor($("editor"), "", () => {
  clearTimeout(checkTimer);
  checkTimer = setTimeout(checkNow, 250);
  saveStateSoon();
});

function checkNow(): void {
  const text = editor.state.doc.toString();
  const r = checkDocument(text, MODEL_FILE);
  showDiagnostics(editor, r.diagnostics);
  const box = $("check");
  const failed = r.diagnostics.some((d) => d.severity === "error");
  const what = r.graphs.filter((g) => g.file === MODEL_FILE).map((g) => [`model ${g.name}`, ...g.guides.map((q) => `guide ${q.name}`)].join(", ")).join("; ");
  // As `latent check` prints it: the diagnostics, or the ok line.
  box.textContent = failed ? r.rendered : `${r.rendered ? r.rendered + "\n" : ""}ok: ${MODEL_FILE} (${what})`;
  box.className = `diagnostics ${failed ? "bad" : "good"}`;
  box.dataset.codes = r.diagnostics.map((d) => d.code).join(" ");
}

// ---- settings and the link -------------------------------------------------------------------

let dataDrawn = true;

function settings(): Settings {
  return {
    source: editor.state.doc.toString(),
    data: $<HTMLTextAreaElement>("data").value,
    drawn: dataDrawn,
    sizes: input("sizes").value,
    drawSeed: Number(input("draw-seed").value) || 0,
    objective: $<HTMLSelectElement>("objective").value as Settings["objective"],
    guide: input("guide").value.trim(),
    steps: Number(input("steps").value) || 1,
    lr: input("lr").value.trim(),
    fitSeed: Number(input("fit-seed").value) || 0,
    particles: input("particles").value.trim(),
    method: $<HTMLSelectElement>("method").value as Settings["method"],
    samples: Number(input("samples").value) || 1,
    proposal: input("proposal").value.trim(),
    evSeed: Number(input("ev-seed").value) || 0,
  };
}

function applySettings(s: Partial<Settings>): void {
  const all = { ...DEFAULTS, ...s };
  if (s.source !== undefined) setText(editor, s.source);
  $<HTMLTextAreaElement>("data").value = all.drawn ? "" : all.data;
  dataDrawn = all.drawn;
  input("sizes").value = all.sizes;
  input("draw-seed").value = String(all.drawSeed);
  $<HTMLSelectElement>("objective").value = all.objective;
  input("guide").value = all.guide;
  input("steps").value = String(all.steps);
  input("lr").value = all.lr;
  input("fit-seed").value = String(all.fitSeed);
  input("particles").value = all.particles;
  $<HTMLSelectElement>("method").value = all.method;
  input("samples").value = String(all.samples);
  input("proposal").value = all.proposal;
  input("ev-seed").value = String(all.evSeed);
}

let saveTimer: ReturnType<typeof setTimeout> | undefined;
function saveStateSoon(): void {
  clearTimeout(saveTimer);
  saveTimer = setTimeout(() => history.replaceState(null, "", encodeState(settings())), 400);
}

// ---- output ----------------------------------------------------------------------------------

function setStatus(text: string, isError = false): void {
  $("status").textContent = text;
  $("status").className = isError ? "error" : "";
}

function showProblems(rendered: string | undefined): void {
  const box = $("problems");
  box.hidden = !rendered;
  box.textContent = rendered ?? "";
  box.className = "diagnostics bad";
}

function clearOutput(): void {
  showProblems(undefined);
  for (const id of ["plot", "result", "scatter", "table"]) $(id).innerHTML = "";
  for (const k of Object.keys($("result").dataset)) delete $("result").dataset[k];
}

const COLORS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];

function showScatter(s: Scatter | undefined): void {
  if (!s) return;
  const groups = new Map<number, [number, number][]>();
  s.points.forEach((p, i) => {
    const k = s.cluster?.[i] ?? 0;
    if (!groups.has(k)) groups.set(k, []);
    groups.get(k)!.push(p);
  });
  const name = s.label.split(" by most likely ")[1];
  const series = [...groups.entries()].sort((a, b) => a[0] - b[0]).map(([k, points]) => ({ label: s.cluster ? `${name} = ${k}` : "data", points, color: COLORS[k % COLORS.length]! }));
  $("scatter").innerHTML = scatterSvg(series, { title: s.label, width: 420, height: 340 });
}

const short = (v: unknown): string => {
  const t = JSON.stringify(v, (_k, x) => (typeof x === "number" ? Number(x.toPrecision(4)) : x));
  return t.length > 160 ? t.slice(0, 157) + "…" : t;
};

function showParams(params: Record<string, unknown>): void {
  const rows = Object.entries(params).map(([k, v]) => `<tr><th>${esc(k)}</th><td style="text-align:left">${esc(short(v))}</td></tr>`);
  $("table").innerHTML = `<table id="params"><caption>params (constrained)</caption>${rows.join("")}</table>`;
}

const MAX_ROWS = 50;
const num = (v: unknown) => (typeof v === "number" ? v.toFixed(3) : esc(short(v)));

function showPosterior(post: Extract<Result, { op: "posterior" }>["posterior"]): void {
  const parts: string[] = [];
  for (const [name, s] of Object.entries(post)) {
    if ("probs" in s) {
      const probs = s.probs as unknown[];
      const mode = s.mode as unknown[];
      if (!Array.isArray(probs) || !Array.isArray(probs[0])) {
        parts.push(`<table><caption>p(${esc(name)} | x)</caption><tr><td>${esc(short(probs))}</td><td>→ ${esc(short(mode))}</td></tr></table>`);
        continue;
      }
      const K = (probs[0] as unknown[]).length;
      const head = `<tr><th></th>${Array.from({ length: K }, (_, k) => `<th>${k}</th>`).join("")}<th>most likely</th></tr>`;
      const body = probs.slice(0, MAX_ROWS).map((row, i) => `<tr><th>${esc(name)}[${i}]</th>${(row as unknown[]).map((p) => `<td>${num(p)}</td>`).join("")}<td>${esc(short(mode[i]))}</td></tr>`);
      const more = probs.length > MAX_ROWS ? `<tr><td colspan="${K + 2}">… ${probs.length - MAX_ROWS} more rows</td></tr>` : "";
      parts.push(`<table class="posterior"><caption>p(${esc(name)} | x)</caption>${head}${body.join("")}${more}</table>`);
    } else {
      const mean = s.mean;
      const std = s.std;
      const rows = Array.isArray(mean) ? mean.slice(0, MAX_ROWS).map((m, i) => `<tr><th>${esc(name)}[${i}]</th><td>${esc(short(m))}</td><td>${esc(short((std as unknown[])[i]))}</td></tr>`) : [`<tr><th>${esc(name)}</th><td>${num(mean)}</td><td>${num(std)}</td></tr>`];
      const more = Array.isArray(mean) && mean.length > MAX_ROWS ? `<tr><td colspan="3">… ${mean.length - MAX_ROWS} more rows</td></tr>` : "";
      parts.push(`<table class="posterior"><caption>q(${esc(name)} | x): mean and std</caption><tr><th></th><th>mean</th><th>std</th></tr>${rows.join("")}${more}</table>`);
    }
  }
  $("table").innerHTML = parts.join("");
}

// ---- actions -----------------------------------------------------------------------------------

const runButtons = ["draw", "fit", "evidence", "elbo", "posterior"];
function busy(on: boolean, fitting = false): void {
  for (const id of runButtons) $<HTMLButtonElement>(id).disabled = on;
  $<HTMLButtonElement>("stop").disabled = !fitting;
}

function dataText(): DataText {
  const text = $<HTMLTextAreaElement>("data").value;
  const chosen = $<HTMLSelectElement>("data-format").value;
  const format = chosen === "json" || chosen === "csv" ? chosen : /^\s*[[{]/.test(text) ? "json" : "csv";
  return { text, format };
}

/** Runs a request with the page busy; failures show their diagnostics. */
async function perform(what: string, req: Request, onSteps?: (s: Step[]) => void): Promise<Outcome> {
  clearOutput();
  busy(true, req.op === "fit");
  setStatus(`${what}…`);
  try {
    const outcome = await request(req, onSteps);
    if (!outcome.ok) {
      setStatus(`${what} failed`, true);
      showProblems(outcome.problems.rendered);
    } else if (outcome.problems?.rendered) showProblems(outcome.problems.rendered);
    return outcome;
  } finally {
    busy(false);
  }
}

async function draw(): Promise<void> {
  const { sizes, error } = parseSizes(input("sizes").value);
  if (error) {
    clearOutput();
    setStatus("draw failed", true);
    showProblems(`error: ${error}`);
    return;
  }
  const seed = Number(input("draw-seed").value) || 0;
  const o = await perform("drawing data", { op: "sample", source: editor.state.doc.toString(), sizes, seed });
  if (!o.ok || o.result.op !== "sample") return;
  $<HTMLTextAreaElement>("data").value = o.result.text;
  $<HTMLSelectElement>("data-format").value = "auto";
  dataDrawn = true;
  saveStateSoon();
  setStatus(`drew data (${Object.entries(sizes).map(([k, v]) => `${k} = ${v}`).join(", ")}; seed ${seed})`);
}

async function fit(): Promise<void> {
  const s = settings();
  const trace: number[] = [];
  const title = (obj: string) => `objective (${obj}) per step`;
  let label = s.objective || "objective";
  const redraw = () => ($("plot").innerHTML = traceSvg(trace, s.steps, title(label)));
  const o = await perform(
    "fitting",
    {
      op: "fit",
      source: s.source,
      data: dataText(),
      seed: s.fitSeed,
      steps: s.steps,
      ...(s.lr ? { lr: Number(s.lr) } : {}),
      ...(s.objective ? { objective: s.objective } : {}),
      ...(s.guide ? { guide: s.guide } : {}),
      ...(s.particles ? { particles: Number(s.particles) } : {}),
    },
    (steps) => {
      for (const st of steps) trace.push(st.value);
      const last = steps[steps.length - 1]!;
      setStatus(`step ${last.step}/${last.steps}  objective ${last.value.toFixed(3)}`);
      redraw();
    },
  );
  if (!o.ok || o.result.op !== "fit") {
    if (trace.length) redraw();
    return;
  }
  const f = o.result.fit;
  label = f.objective;
  if (f.trace.length) {
    trace.splice(0, trace.length, ...f.trace);
    redraw();
  }
  // As `latent fit` prints it.
  const head = f.objective === "exact" ? "exact log p(x; θ̂)" : `${f.objective}${f.guide ? ` (guide ${f.guide})` : ""}`;
  const line = `${head} = ${f.final.toFixed(4)} after ${counted(f.steps, "step")} (${f.seconds.toFixed(2)} s)`;
  if (f.stopped === "non-finite") setStatus(`fit stopped at a non-finite objective after ${counted(f.steps, "step")}; the last finite params are kept`, true);
  else setStatus(f.stopped === "aborted" ? `interrupted after ${counted(f.steps, "step")}; params kept` : "fit done");
  $("result").textContent = `${f.stopped === "aborted" ? `interrupted after ${counted(f.steps, "step")}; params kept\n` : ""}${line}\nper data point: ${(f.final / o.result.rows).toFixed(4)} nats (${o.result.rows} rows)`;
  $("result").dataset.final = String(f.final);
  $("result").dataset.steps = String(f.steps);
  $("result").dataset.stopped = f.stopped;
  showScatter(o.result.scatter);
  showParams(o.result.params);
}

async function evidence(): Promise<void> {
  const s = settings();
  const o = await perform("estimating log p(x)", { op: "evidence", source: s.source, data: dataText(), method: s.method, seed: s.evSeed, ...(s.method !== "exact" ? { samples: s.samples } : {}), ...(s.proposal ? { proposal: s.proposal } : {}) });
  if (!o.ok || o.result.op !== "evidence") return;
  const e = o.result;
  // As `latent evidence` prints it.
  const how = e.method === "exact" ? (e.closedForm ? `exact, ${e.closedForm} closed form` : "exact") : `${e.method}${e.proposal ? ` (proposal ${e.proposal})` : ""}, ${e.samples} samples`;
  const err = e.method === "exact" ? "" : ` ± ${e.stderr.toFixed(4)}  ESS ${e.ess.toFixed(1)}${Number.isFinite(e.khat) ? `  k̂ ${e.khat.toFixed(2)}` : ""}`;
  $("result").textContent = [`log p(x) = ${e.logMarginal.toFixed(4)}${err}  [${how}; ${e.seconds.toFixed(2)} s]`, ...e.warnings.map((w) => `warning: ${w}`)].join("\n");
  $("result").dataset.logMarginal = String(e.logMarginal);
  setStatus("evidence done");
}

async function elbo(): Promise<void> {
  const s = settings();
  const o = await perform("estimating the ELBO and the gap", { op: "elbo", source: s.source, data: dataText(), seed: s.evSeed, samples: s.samples, ...(s.guide ? { guide: s.guide } : {}) });
  if (!o.ok || o.result.op !== "elbo") return;
  const e = o.result;
  // As `latent elbo --gap` prints it.
  const lines = [`ELBO = ${e.elbo.toFixed(4)} ± ${e.stderr.toFixed(4)}  [guide ${e.guide}, ${e.samples} samples; ${e.seconds.toFixed(2)} s]`];
  if (e.gap !== undefined) {
    lines.push(`log p(x) = ${e.evidence!.toFixed(4)}${e.evidenceMethod === "exact" ? " (exact)" : ` ± ${(e.evidenceStderr ?? 0).toFixed(4)} (${e.evidenceMethod})`}`);
    lines.push(`gap log p(x) − ELBO = ${e.gap.toFixed(4)} ± ${(e.gapStderr ?? 0).toFixed(4)}  (≈ KL(q ‖ p(z | x)))`);
  }
  $("result").textContent = lines.join("\n");
  setStatus("ELBO done");
}

async function posterior(): Promise<void> {
  const s = settings();
  const o = await perform("computing the posterior", { op: "posterior", source: s.source, data: dataText(), ...(s.guide && s.objective !== "exact" ? { guide: s.guide } : {}) });
  if (!o.ok || o.result.op !== "posterior") return;
  showPosterior(o.result.posterior);
  showScatter(o.result.scatter);
  setStatus("posterior done");
}

/** Buttons never leave an error uncaught: anything unexpected is shown in the page. */
const guard = (f: () => Promise<void>) => () => {
  f().catch((e: unknown) => {
    busy(false);
    setStatus("internal error", true);
    showProblems(`internal error: ${String((e as Error)?.message ?? e)}`);
  });
};

$("draw").addEventListener("click", guard(draw));
$("fit").addEventListener("click", guard(fit));
$("evidence").addEventListener("click", guard(evidence));
$("elbo").addEventListener("click", guard(elbo));
$("posterior").addEventListener("click", guard(posterior));
$("stop").addEventListener("click", () => {
  worker.postMessage({ type: "stop" } satisfies ToWorker);
  setStatus("stopping…");
});
// Ctrl-Enter (⌘-Enter) fits, from anywhere on the page.
document.addEventListener("keydown", (ev) => {
  if (ev.key === "Enter" && (ev.ctrlKey || ev.metaKey) && !$<HTMLButtonElement>("fit").disabled) {
    ev.preventDefault();
    guard(fit)();
  }
});
$("data").addEventListener("input", () => {
  dataDrawn = false;
  saveStateSoon();
});
for (const el of document.querySelectorAll("input, select")) if (el.id !== "example") el.addEventListener("change", saveStateSoon);

$("share").addEventListener("click", () => {
  history.replaceState(null, "", encodeState(settings()));
  const url = location.href;
  navigator.clipboard?.writeText(url).then(
    () => setStatus("link copied"),
    () => setStatus("link in the address bar"),
  ) ?? setStatus("link in the address bar");
});

const exampleSelect = $<HTMLSelectElement>("example");
exampleSelect.innerHTML = `<option value="">—</option>` + EXAMPLES.map((e) => `<option value="${e.id}">${esc(e.title)}</option>`).join("");
exampleSelect.addEventListener("change", () => {
  const ex = EXAMPLES.find((e) => e.id === exampleSelect.value);
  if (!ex) return;
  applySettings({ ...ex.settings, source: ex.source, drawn: true });
  checkNow();
  clearOutput();
  saveStateSoon();
  guard(draw)();
});

window.addEventListener("error", (ev) => showProblems(`internal error: ${ev.message}`));
window.addEventListener("unhandledrejection", (ev) => showProblems(`internal error: ${String((ev.reason as Error)?.message ?? ev.reason)}`));

// ---- start: the linked state, else the first example ---------------------------------------------

const linked = decodeState(location.hash);
if (linked) {
  applySettings(linked);
  exampleSelect.value = EXAMPLES.find((e) => e.source === linked.source)?.id ?? "";
} else {
  const ex = EXAMPLES[0]!;
  applySettings({ ...ex.settings, source: ex.source, drawn: true });
  exampleSelect.value = ex.id;
}
checkNow();
if (dataDrawn && !$("check").classList.contains("bad")) guard(draw)();
