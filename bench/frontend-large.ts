// Bench (issue 12): `latent check` on 5 MB hostile files — many models, many errors of each
// stage, long sums — as separate processes (the real CLI), with CPU time and peak RSS read from
// the child's own process.resourceUsage(). The reference, in the same run: a clean 5 MB file of
// models. Target: every file within a few × the clean file's time, under 1 GB, never an internal error.
// Run alone: npx tsx bench/frontend-large.ts
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { here, median } from "./common.ts";

const SIZE = 5 * 1024 * 1024;
/** A case still running after this is stopped and shown with exit `null`. */
const TIMEOUT_MS = 180_000;

/** Repeats `unit(i)` until the text is SIZE characters long. */
function fill(unit: (i: number) => string): string {
  const parts: string[] = [];
  let len = 0;
  for (let i = 0; len < SIZE; i++) {
    const u = unit(i);
    parts.push(u);
    len += u.length;
  }
  return parts.join("");
}

const MODEL = (i: number) => `model M${i} {\n  data x: real[N]\n  latent mu: real\n  mu ~ Normal(0, 1)\n  x ~ Normal(mu, 1)\n}\n`;

export const FILES: Record<string, () => string> = {
  "clean: 56k models (reference)": () => fill(MODEL),
  "56k models, each name twice (N002)": () => fill((i) => MODEL(i >> 1)),
  "one model, 220k unknown distributions (N005)": () => "model M {\n  data x: real[N]\n" + fill((i) => `  x ~ Foo${i}(y${i})\n`) + "}\n",
  "one model, 400k unknown names (N001, hints)": () => "model M {\n  data x: real[N]\n" + fill((i) => `  let a${i} = b${i} + c\n`) + "  x ~ Normal(0, 1)\n}\n",
  "syntax errors on every line (P001/P002)": () => fill((i) => `model M${i} { let = = ) \n`),
  "1.3M bad characters (L001)": () => fill(() => "@#$ "),
  "one 1.3M-term sum (P008)": () => `model M {\n  data x: real[N]\n  let a = ${fill(() => "x + ")}x\n  x ~ Normal(a, 1)\n}\n`,
  "1,300 lets of 1,000-term sums": () => `model M {\n  data x: real[N]\n${fill((i) => `  let a${i} = ${"x + ".repeat(999)}x\n`)}  x ~ Normal(0, 1)\n}\n`,
};

/** The preload prints the child's resource usage when it exits. */
const PRELOAD = `data:text/javascript,process.on("exit",()=>process.stderr.write("\\nRUSAGE "+JSON.stringify(process.resourceUsage())+"\\n"))`;

export interface Run {
  wallMs: number;
  cpuMs: number;
  maxRssMb: number;
  exit: number | null;
  internal: boolean;
}

function check(file: string): Run {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ["--import", PRELOAD, join(here, "../bin/latent.mjs"), "check", file], { encoding: "utf8", maxBuffer: 1 << 30, timeout: TIMEOUT_MS, env: { ...process.env, NO_COLOR: "1" } });
  const wallMs = performance.now() - t0;
  const line = /RUSAGE (.*)/.exec(r.stderr ?? "");
  // Killed at the timeout: no usage report; count the time as the timeout.
  const usage = line ? (JSON.parse(line[1]!) as { userCPUTime: number; systemCPUTime: number; maxRSS: number }) : { userCPUTime: wallMs * 1000, systemCPUTime: 0, maxRSS: NaN };
  return { wallMs, cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000, maxRssMb: usage.maxRSS / 1024, exit: r.status, internal: /\[[A-Z]999\]/.test((r.stdout ?? "") + (r.stderr ?? "")) };
}

export function benchFrontendLarge(reps = 3): { name: string; cpuMs: number; maxRssMb: number; exit: number | null; internal: boolean; ratio: number }[] {
  const dir = mkdtempSync(join(tmpdir(), "latent-bench-large-"));
  try {
    const paths = Object.entries(FILES).map(([name, make], i) => {
      const p = join(dir, `f${i}.lvm`);
      writeFileSync(p, make());
      return { name, p };
    });
    // Interleaved repetitions; medians of CPU time (wall time is at the mercy of a shared machine).
    const runs = new Map<string, Run[]>(paths.map((x) => [x.name, []]));
    for (let k = 0; k < reps; k++) for (const { name, p } of paths) runs.get(name)!.push(check(p));
    const ref = median(runs.get(paths[0]!.name)!.map((r) => r.cpuMs));
    return paths.map(({ name }) => {
      const rs = runs.get(name)!;
      const cpuMs = median(rs.map((r) => r.cpuMs));
      return { name, cpuMs, maxRssMb: Math.max(...rs.map((r) => r.maxRssMb)), exit: rs[0]!.exit, internal: rs.some((r) => r.internal), ratio: cpuMs / ref };
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const rows = benchFrontendLarge(Number(process.argv[2] ?? 3));
  const w = Math.max(...rows.map((r) => r.name.length));
  console.log(`${"5 MB file".padEnd(w)}  ${"CPU".padStart(8)}  ${"peak RSS".padStart(9)}  exit  ${"vs clean".padStart(8)}`);
  for (const r of rows) {
    console.log(`${r.name.padEnd(w)}  ${(r.cpuMs / 1000).toFixed(2).padStart(6)} s  ${r.maxRssMb.toFixed(0).padStart(6)} MB  ${String(r.exit).padStart(4)}  ${r.ratio.toFixed(2).padStart(7)}×${r.internal ? "  INTERNAL ERROR" : ""}`);
  }
}
