// The fit loop's portable yield (MessageChannel, not Node's setImmediate) lets timers and I/O
// callbacks run: a loop that awaits it sees a setTimeout fire; the same loop awaiting only
// microtasks starves the timer.
import { describe, expect, it } from "vitest";
import { yieldToEventLoop } from "../../src/infer/yield-to-event-loop.ts";

async function timerFiresDuring(pause: () => Promise<void>): Promise<boolean> {
  let fired = false;
  const t = setTimeout(() => (fired = true), 0);
  const until = Date.now() + 50; // a 0 ms timer is due after ≥ 1 ms
  while (!fired && Date.now() < until) await pause();
  clearTimeout(t);
  return fired;
}

describe("yieldToEventLoop", () => {
  it("lets a due timer run; microtasks alone do not", async () => {
    expect(await timerFiresDuring(() => Promise.resolve())).toBe(false);
    expect(await timerFiresDuring(yieldToEventLoop)).toBe(true);
  });
});
