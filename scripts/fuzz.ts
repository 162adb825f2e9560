// The long fuzz run: `npm run fuzz` (defaults: 10,000 programs and 10,000 data files).
// Programs: parse → check → lower → compile → sample (small models) → two fit steps.
// Data files: load → bind → a log-density on bound data.
// Hostile command lines (test/fuzz/hostile.ts): deep nesting, huge sizes and flags, output paths
// over inputs, corrupted params and states, prototype-key names, control characters, each run
// through the CLI's main; a crash is exit 2, an exception, raw control bytes or a changed input.
//   npx tsx scripts/fuzz.ts [--programs N] [--data N] [--hostile N] [--seed S] [--budget-ms MS] [--out DIR]
// Cases run in a worker thread; the main thread is a watchdog: a case that does not finish
// within the budget is a hang (the worker is terminated and restarted at the next case).
// Case i of each kind is generated from seed S + i, so any case can be replayed alone.
// Crashing inputs are written to DIR (default: a temp directory). Exit code 1 on any crash or hang.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";
import fc from "fast-check";

type Kind = "programs" | "data" | "hostile";
interface Job {
  kind: Kind;
  seed: number;
  from: number;
  to: number;
  dir: string;
}
type Report = { i: number; kind: "diagnostics" | "result" | "crash"; ms: number; hostileClass?: string; error?: string; input?: string; compiled?: boolean; sampled?: boolean; fitted?: boolean; evaluated?: boolean; nonFinite?: boolean; ext?: string };

const arg = (name: string, dflt: number): number => {
  const k = process.argv.indexOf(`--${name}`);
  return k >= 0 ? Number(process.argv[k + 1]) : dflt;
};

async function worker(job: Job): Promise<void> {
  // Whole stacks: the frame that matters is often past TensorFlow.js's ten.
  Error.stackTraceLimit = 60;
  const { programArb } = await import("../test/fuzz/programs.ts");
  const { dataCaseArb } = await import("../test/fuzz/data-files.ts");
  const { runProgramAndFit } = await import("../test/fuzz/run-case.ts");
  const { makeDataRunner } = await import("../test/fuzz/drive.ts");
  const { hostileArb } = await import("../test/fuzz/hostile.ts");
  const { runHostile } = await import("../test/fuzz/run-hostile.ts");
  const { initBackend } = await import("../src/backend/tf.ts");
  await initBackend("wasm");
  const run = job.kind === "data" ? await makeDataRunner(job.dir) : undefined;
  const dataArb = dataCaseArb({ deep: true });
  for (let i = job.from; i < job.to; i++) {
    parentPort!.postMessage({ start: i });
    if (job.kind === "hostile") {
      const [c] = fc.sample(hostileArb, { seed: job.seed + i, numRuns: 1 });
      const o = await runHostile(c!);
      const kind = o.kind === "crash" ? "crash" : o.status === 0 ? "result" : "diagnostics";
      parentPort!.postMessage({ i, kind, ms: o.ms, hostileClass: c!.kind, ...(o.kind === "crash" ? { error: o.error, input: JSON.stringify({ kind: c!.kind, argv: c!.argv, files: Object.keys(c!.files) }) } : {}) } satisfies Report);
      // A crash may leave the WebAssembly heap unusable: the next case starts in a fresh worker.
      if (o.kind === "crash") process.exit(0);
    } else if (job.kind === "programs") {
      const [src] = fc.sample(programArb, { seed: job.seed + i, numRuns: 1, unbiased: true });
      const stats = { compiled: false, sampled: false, fitted: false };
      const o = await runProgramAndFit(src!, stats);
      parentPort!.postMessage({ i, ...o, ...stats, ...(o.kind === "crash" ? { input: src } : {}) } satisfies Report);
    } else {
      const [c] = fc.sample(dataArb, { seed: job.seed + i, numRuns: 1, unbiased: true });
      const stats = { evaluated: 0, nonFinite: 0 };
      const o = await run!(c!, i, stats);
      parentPort!.postMessage({
        i,
        ...o,
        evaluated: stats.evaluated > 0,
        nonFinite: stats.nonFinite > 0,
        ext: `${c!.model}.${c!.ext}`,
        ...(o.kind === "crash" ? { input: Buffer.from(c!.bytes).toString("base64") } : {}),
      } satisfies Report);
    }
  }
}

interface Tally {
  diagnostics: number;
  result: number;
  crash: number;
  hang: number;
  compiled: number;
  sampled: number;
  fitted: number;
  evaluated: number;
  nonFinite: number;
  slowestMs: number;
  slowest: number;
  crashes: Map<string, number[]>;
  /** Hostile cases only: per class, how many ended in each outcome. */
  byClass: Map<string, { result: number; diagnostics: number; crash: number }>;
}

const PROJECT_SRC = new URL("../src/", import.meta.url).pathname;

/** The crash's signature: its message's first line and the first stack frame in the project's src/ (not TensorFlow.js's). */
function signature(error: string): string {
  const lines = error.split("\n");
  const frame = lines.find((l) => l.includes(PROJECT_SRC) && /^\s+at /.test(l))?.trim().replace(/^at /, "").replace(PROJECT_SRC, "src/");
  return `${lines[0]!.slice(0, 160)}${frame ? ` @ ${frame}` : ""}`;
}

// The worker runs this file too, so it registers tsx's loader first (execArgv --import is not
// honoured by worker threads on Node 20).
const WORKER_BOOT = new URL(
  "data:text/javascript," +
    encodeURIComponent(`import { register } from ${JSON.stringify(import.meta.resolve("tsx/esm/api"))}; register(); await import(${JSON.stringify(import.meta.url)});`),
);

function runKind(kind: Kind, count: number, seed: number, budgetMs: number, dir: string, outDir: string): Promise<Tally> {
  const t: Tally = { diagnostics: 0, result: 0, crash: 0, hang: 0, compiled: 0, sampled: 0, fitted: 0, evaluated: 0, nonFinite: 0, slowestMs: 0, slowest: -1, crashes: new Map(), byClass: new Map() };
  return new Promise((done) => {
    let next = 0;
    const launch = () => {
      if (next >= count) return done(t);
      const w = new Worker(WORKER_BOOT, { workerData: { kind, seed, from: next, to: count, dir } satisfies Job });
      let ran = false;
      let started = -1;
      let startedAt = performance.now();
      const timer = setInterval(() => {
        if (started >= 0 && performance.now() - startedAt > budgetMs) {
          t.hang++;
          console.log(`  hang: ${kind} case ${started} (seed ${seed + started}) ran past ${budgetMs} ms`);
          next = started + 1;
          started = -1;
          clearInterval(timer);
          // The exit handler relaunches (started is now -1); launching here too would run two workers.
          void w.terminate();
        }
      }, 250);
      w.on("message", (m: { start: number } | Report) => {
        if ("start" in m) {
          ran = true;
          started = m.start;
          startedAt = performance.now();
          return;
        }
        started = -1;
        next = m.i + 1;
        t[m.kind]++;
        if (m.hostileClass) {
          const c = t.byClass.get(m.hostileClass) ?? { result: 0, diagnostics: 0, crash: 0 };
          c[m.kind]++;
          t.byClass.set(m.hostileClass, c);
        }
        if (m.compiled) t.compiled++;
        if (m.sampled) t.sampled++;
        if (m.fitted) t.fitted++;
        if (m.evaluated) t.evaluated++;
        if (m.nonFinite) t.nonFinite++;
        if (m.ms > t.slowestMs) [t.slowestMs, t.slowest] = [m.ms, m.i];
        if (m.kind === "crash") {
          const sig = signature(m.error ?? "");
          const seen = t.crashes.get(sig) ?? [];
          if (!seen.length) {
            const ext = kind === "programs" ? "lvm" : kind === "hostile" ? "json" : `${m.ext}.b64`;
            writeFileSync(join(outDir, `${kind}-${m.i}.${ext}`), m.input ?? "");
            writeFileSync(join(outDir, `${kind}-${m.i}.error.txt`), m.error ?? "");
          }
          t.crashes.set(sig, [...seen, m.i]);
        }
        const doneCount = m.i + 1;
        if (doneCount % 1000 === 0) console.log(`  ${kind}: ${doneCount}/${count}`);
      });
      w.on("error", (e) => {
        // The worker died outside a case's try (e.g. out of memory): count it against the running case.
        clearInterval(timer);
        if (!ran) {
          // Not a case's fault: the worker could not start at all.
          console.error(`fuzz: the worker failed to start: ${e.message}`);
          process.exit(2);
        }
        const at = started >= 0 ? started : next;
        t.crash++;
        t.crashes.set(signature(`${e.name}: ${e.message}\n${e.stack ?? ""}`), [...(t.crashes.get(signature(`${e.name}: ${e.message}`)) ?? []), at]);
        next = at + 1;
        void launch();
      });
      w.on("exit", () => {
        clearInterval(timer);
        if (next >= count) done(t);
        else if (started < 0 && ran) void launch();
      });
    };
    launch();
  });
}

function print(kind: Kind, count: number, t: Tally, seconds: number): void {
  console.log(`\n${kind}: ${count} cases in ${seconds.toFixed(0)} s`);
  console.log(`  ended in diagnostics: ${t.diagnostics}`);
  console.log(`  ended in a result:    ${t.result}` + (kind === "hostile" ? " (exit 0)" : kind === "programs" ? ` (compiled ${t.compiled}, sampled ${t.sampled}, then fitted 2 steps ${t.fitted})` : ` (log-density evaluated ${t.evaluated}, of which non-finite ${t.nonFinite})`));
  console.log(`  exceptions:           ${t.crash}`);
  console.log(`  hangs:                ${t.hang}`);
  console.log(`  slowest case:         ${t.slowestMs.toFixed(0)} ms (case ${t.slowest})`);
  for (const [cls, c] of [...t.byClass].sort()) console.log(`  class ${cls.padEnd(9)} ${c.result + c.diagnostics + c.crash} cases: ${c.result} exit 0, ${c.diagnostics} exit 1, ${c.crash} crashes`);
  for (const [sig, cases] of t.crashes) console.log(`  crash ×${cases.length}: ${sig}\n    cases ${cases.slice(0, 10).join(", ")}${cases.length > 10 ? ", …" : ""}`);
}

async function main(): Promise<void> {
  const programs = arg("programs", 10_000);
  const data = arg("data", 10_000);
  const hostile = arg("hostile", 0);
  const seed = arg("seed", 20_261_123);
  const budgetMs = arg("budget-ms", 30_000);
  const k = process.argv.indexOf("--out");
  const outDir = k >= 0 ? process.argv[k + 1]! : mkdtempSync(join(tmpdir(), "latent-fuzz-out-"));
  mkdirSync(outDir, { recursive: true });
  const dir = mkdtempSync(join(tmpdir(), "latent-fuzz-data-"));
  console.log(`fuzz: ${programs} programs, ${data} data files, ${hostile} hostile command lines, seed ${seed}, budget ${budgetMs} ms per case; crashing inputs go to ${outDir}`);
  let bad = 0;
  // Peak resident memory of the whole run (the workers share this process).
  let peakRss = 0;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 200);
  for (const [kind, count] of [["programs", programs], ["data", data], ["hostile", hostile]] as const) {
    if (!count) continue;
    const t0 = performance.now();
    const t = await runKind(kind, count, seed, budgetMs, dir, outDir);
    print(kind, count, t, (performance.now() - t0) / 1000);
    bad += t.crash + t.hang;
  }
  clearInterval(sampler);
  console.log(`\npeak resident memory: ${(peakRss / 2 ** 20).toFixed(0)} MB`);
  process.exit(bad ? 1 : 0);
}

if (isMainThread) await main();
else await worker(workerData as Job);
