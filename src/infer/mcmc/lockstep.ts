// Several chains' transitions run side by side, their density requests batched: each chain's
// step is a generator that yields the positions it needs (nuts.ts's `Evaluating`), so the
// pending requests of all chains are answered by one evaluation of the density.
import type { Answer, Evaluating, NutsStats } from "./nuts.ts";
import type { ChainRun } from "./sampler.ts";
import type { ModelDensity } from "./types.ts";

/**
 * Runs the chains' transitions side by side: each pending request for the density (one per
 * chain at most) is answered by one batched evaluation when the density has one. `done` is
 * called after each finished transition, `poll` after each evaluation: true stops the run
 * (transitions under way are dropped).
 */
export async function lockstep(runs: ChainRun[], density: ModelDensity, poll: () => Promise<boolean>, done: (chain: number, warmup: boolean, stats: NutsStats) => void): Promise<boolean> {
  const slots = runs.map(() => ({ gen: undefined as Evaluating<NutsStats> | undefined, pending: undefined as Float64Array | undefined, warm: false }));
  const answer = (qs: Float64Array[]): Answer[] => {
    const grads = qs.map((q) => new Float64Array(q.length));
    const lps = density.logDensityBatch ? density.logDensityBatch(qs, grads) : qs.map((q, i) => density.logDensity(q, grads[i]!));
    return lps.map((lp, i) => ({ lp, grad: grads[i]! }));
  };
  const start = (c: number) => {
    const slot = slots[c]!;
    slot.warm = runs[c]!.inWarmup;
    slot.gen = runs[c]!.stepping();
    const r = slot.gen.next(undefined as unknown as Answer);
    if (r.done) throw new Error("internal: a NUTS transition asked for no density evaluation");
    slot.pending = r.value;
  };
  for (;;) {
    runs.forEach((run, c) => {
      if (!slots[c]!.gen && !run.done) start(c);
    });
    const waiting = slots.flatMap((s, c) => (s.pending ? [c] : []));
    if (!waiting.length) return false;
    const answers = answer(waiting.map((c) => slots[c]!.pending!));
    for (let k = 0; k < waiting.length; k++) {
      const c = waiting[k]!;
      const slot = slots[c]!;
      const r = slot.gen!.next(answers[k]!);
      if (!r.done) {
        slot.pending = r.value;
        continue;
      }
      slot.gen = undefined;
      slot.pending = undefined;
      done(c, slot.warm, r.value);
    }
    if (await poll()) return true;
  }
}

