// Messages between the page and the inference worker.
import type { Outcome, Request, Step } from "./runner.ts";

export type ToWorker = { type: "run"; id: number; request: Request } | { type: "stop" };

export type FromWorker =
  | { type: "ready"; backend: string; simd?: boolean }
  | { type: "steps"; id: number; steps: Step[] }
  | { type: "done"; id: number; outcome: Outcome }
  /** Something escaped the runner (a bug): shown as the CLI shows an internal error. */
  | { type: "crash"; message: string };
