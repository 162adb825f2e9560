// CPU time (user + sys, from /usr/bin/time) of `latent check` on an example, five runs each,
// interleaved: the built CLI (bin/latent.mjs → dist/cli), the TypeScript sources through tsx (how
// the command started before the package was built), and bare Node start-up for reference.
//   node scripts/startup-cpu.mjs [runs]
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const runs = Number(process.argv[2] ?? 5);
const model = "examples/gaussian-mixture/model.lvm";
mkdirSync(join(root, "tmp"), { recursive: true });
const viaTsx = join(root, "tmp/cli-via-tsx.ts");
writeFileSync(viaTsx, 'import { main } from "../src/cli/main.ts";\nprocess.exitCode = await main(process.argv.slice(2));\n');

const COMMANDS = [
  ["node bin/latent.mjs check (built JavaScript)", [process.execPath, "bin/latent.mjs", "check", model]],
  ["tsx src/cli/main.ts check (TypeScript loader)", [join(root, "node_modules/.bin/tsx"), viaTsx, "check", model]],
  ["node -e 0 (Node start-up alone)", [process.execPath, "-e", "0"]],
];

const times = COMMANDS.map(() => []);
for (let i = 0; i < runs; i++) {
  COMMANDS.forEach(([, argv], c) => {
    const r = spawnSync("/usr/bin/time", ["-f", "TIME %U %S %e", ...argv], { cwd: root, encoding: "utf8" });
    const m = /TIME ([\d.]+) ([\d.]+) ([\d.]+)/.exec(r.stderr);
    if (r.status !== 0 || !m) throw new Error(`${argv.join(" ")} failed: ${r.stderr}`);
    times[c].push({ user: +m[1], sys: +m[2], wall: +m[3] });
  });
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const range = (xs) => `${Math.min(...xs).toFixed(2)}–${Math.max(...xs).toFixed(2)}`;
console.log(`${runs} runs each, interleaved; seconds`);
COMMANDS.forEach(([name], c) => {
  const cpu = times[c].map((t) => t.user + t.sys);
  console.log(`${name.padEnd(48)} CPU median ${median(cpu).toFixed(2)} (${range(cpu)}), user ${range(times[c].map((t) => t.user))}, sys ${range(times[c].map((t) => t.sys))}, wall ${range(times[c].map((t) => t.wall))}`);
});
