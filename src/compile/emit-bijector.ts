// Param bijectors as code, matching src/backend/bijectors.ts coordinate for coordinate:
// unconstrained U → constrained P before the density loop, and the chain rule G → GU after it.
import type { ParamSlot } from "./supported.ts";

const num = (x: number) => JSON.stringify(x);

export function emitForward(p: ParamSlot, i: number): string[] {
  const n = num(p.size);
  switch (p.support) {
    case "real":
      return [`P${i}.set(U${i});`];
    case "positive":
      return [`for (let j = 0; j < ${n}; j++) P${i}[j] = Math.exp(U${i}[j]);`];
    case "unit":
      return [`for (let j = 0; j < ${n}; j++) P${i}[j] = 1 / (1 + Math.exp(-U${i}[j]));`];
    case "simplex":
      // Stan's stick-breaking in log space: z_j = σ(u_j − log(K−1−j)).
      return [
        `{ let rem = 0;`,
        `for (let j = 0; j < ${num(p.size - 1)}; j++) { const t = U${i}[j] - Math.log(${n} - 1 - j); P${i}[j] = Math.exp(rem - softplus(-t)); rem -= softplus(t); }`,
        `P${i}[${num(p.size - 1)}] = Math.exp(rem); }`,
      ];
    default:
      throw new Error(`internal: support ${p.support} reached the emitter`);
  }
}

export function emitBackward(p: ParamSlot, i: number): string[] {
  const n = num(p.size);
  switch (p.support) {
    case "real":
      return [`GU${i}.set(G${i});`];
    case "positive":
      return [`for (let j = 0; j < ${n}; j++) GU${i}[j] = G${i}[j] * P${i}[j];`];
    case "unit":
      return [`for (let j = 0; j < ${n}; j++) GU${i}[j] = G${i}[j] * P${i}[j] * (1 - P${i}[j]);`];
    case "simplex":
      // With a_i = x_i ∂f/∂x_i: ∂f/∂t_j = a_j (1 − z_j) − z_j Σ_{i>j} a_i.
      return [
        `{ let after = P${i}[${num(p.size - 1)}] * G${i}[${num(p.size - 1)}];`,
        `for (let j = ${num(p.size - 2)}; j >= 0; j--) { const t = U${i}[j] - Math.log(${n} - 1 - j); const z = 1 / (1 + Math.exp(-t)); const a = P${i}[j] * G${i}[j]; GU${i}[j] = a * (1 - z) - z * after; after += a; } }`,
      ];
    default:
      throw new Error(`internal: support ${p.support} reached the emitter`);
  }
}

/**
 * log |∂P/∂U| added into `total`, and its derivative into GU (after emitBackward): what a density
 * on the unconstrained space adds for a latent, as bijectors.ts's logAbsDetJacobian.
 */
export function emitLogJacobian(p: ParamSlot, i: number): string[] {
  const n = num(p.size);
  switch (p.support) {
    case "real":
      return [];
    case "positive":
      // P = e^U: log J = U, ∂/∂U = 1.
      return [`for (let j = 0; j < ${n}; j++) { total += U${i}[j]; GU${i}[j] += 1; }`];
    case "unit":
      // P = σ(U): log J = −softplus(−U) − softplus(U) (finite for any U), ∂/∂U = 1 − 2P.
      return [`for (let j = 0; j < ${n}; j++) { total -= softplus(-U${i}[j]) + softplus(U${i}[j]); GU${i}[j] += 1 - 2 * P${i}[j]; }`];
    case "simplex":
      // As bijectors.ts: Σ_j log z_j + log(1 − z_j) + log Π_{i<j} (1 − z_i), z_j = σ(U_j − log(K−1−j));
      // log(1 − z_j) appears in the K−2−j later products, so ∂/∂U_j = 1 − 2 z_j − (K−2−j) z_j.
      return [
        `for (let j = 0; j < ${num(p.size - 1)}; j++) { const t = U${i}[j] - Math.log(${n} - 1 - j); const z = 1 / (1 + Math.exp(-t));`,
        `total -= softplus(-t) + (${n} - 1 - j) * softplus(t); GU${i}[j] += 1 - 2 * z - (${n} - 2 - j) * z; }`,
      ];
    default:
      throw new Error(`internal: support ${p.support} reached the log-Jacobian emitter`);
  }
}
