/**
 * The classical fourth-order Runge–Kutta method on a backward time grid, as the reverse-time
 * oracles integrate (moment ODEs, Wiener-chaos projections, deviations): nodes
 * τ_k = T − k·h, h = (T − t0)/N, the last node exactly t0, and one step
 *
 *   k1 = f(τ_k, y),  k2 = f(τ_k − h/2, y + (h/2)·k1),  k3 = f(τ_k − h/2, y + (h/2)·k2),
 *   k4 = f(τ_{k+1}, y + h·k3),  y ← y + (h/6)(k1 + 2k2 + 2k3 + k4),
 *
 * i.e. RK4 for dy/ds = f(T − s, y) in the forward variable s = T − τ (f is the right-hand side in s).
 * Global error O(h⁴) for smooth f; error control is the caller's (src/numerics/step-doubling.ts).
 *
 * The right-hand side is split into time-dependent coefficients and an application, so expensive
 * coefficients (drift matrices, score moments) are computed once per distinct time: at the start
 * node (reused from the previous step's end), the midpoint (shared by k2 and k3) and the end node.
 * `coefficients` must be a pure function of t.
 *
 * `y` is integrated in place and returned; `afterStep(k, y)` (k = 1 … N) may post-process the state
 * after each step (e.g. symmetrise a covariance block, record a node). No allocation per step.
 */
export interface BackwardOdeSystem<C> {
  /** length of the state vector */
  readonly length: number;
  coefficients(t: number): C;
  /** out ← f(coefficients, y) */
  apply(c: C, y: Float64Array, out: Float64Array): void;
}

export function rk4Backward<C>(system: BackwardOdeSystem<C>, y: Float64Array, T: number, t0: number, steps: number, afterStep?: (k: number, y: Float64Array) => void): Float64Array {
  const len = system.length;
  if (y.length !== len) throw new Error(`rk4Backward: state has length ${y.length}, the system ${len}`);
  if (!Number.isInteger(steps) || steps < 1) throw new Error(`rk4Backward: steps must be a positive integer, got ${steps}`);
  const h = (T - t0) / steps;
  const k1 = new Float64Array(len);
  const k2 = new Float64Array(len);
  const k3 = new Float64Array(len);
  const k4 = new Float64Array(len);
  const tmp = new Float64Array(len);
  let c0 = system.coefficients(T);
  for (let k = 0; k < steps; k++) {
    const t = T - k * h;
    const tEnd = k === steps - 1 ? t0 : T - (k + 1) * h;
    const cMid = system.coefficients(t - 0.5 * h);
    const c1 = system.coefficients(tEnd);
    system.apply(c0, y, k1);
    for (let i = 0; i < len; i++) tmp[i] = y[i]! + 0.5 * h * k1[i]!;
    system.apply(cMid, tmp, k2);
    for (let i = 0; i < len; i++) tmp[i] = y[i]! + 0.5 * h * k2[i]!;
    system.apply(cMid, tmp, k3);
    for (let i = 0; i < len; i++) tmp[i] = y[i]! + h * k3[i]!;
    system.apply(c1, tmp, k4);
    for (let i = 0; i < len; i++) y[i] = y[i]! + (h / 6) * (k1[i]! + 2 * k2[i]! + 2 * k3[i]! + k4[i]!);
    if (afterStep) afterStep(k + 1, y);
    c0 = c1;
  }
  return y;
}
