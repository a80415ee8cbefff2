/**
 * Probability-flow ODE oracle for the linear-Gaussian problem (issue 15; docs/theory.md §5.1 setting,
 * deterministic sampler kind), any dimension d.
 *
 * Data q = N(μ, Σ), served field s̃(y, t) = s(y, t) + e(y, t) = G(t) y + c(t) with
 * G = −S_t⁻¹ + A(t), c = S_t⁻¹ a_t μ + b(t) (`affineScore` of the linear-Gaussian oracle). The
 * probability-flow ODE in reverse time τ = T − t is
 *   dY/dτ = ½ Y + ½ s̃(Y, t) = F(t) Y + g(t),   F = ½I + ½G,  g = ½c,
 * linear and deterministic, so a Gaussian start N(m_T, P_T) stays Gaussian with
 *   m' = F m + g,   P' = F P + P Fᵀ     (no "+ I": there is no noise).
 * With the exact score (e = 0) F = ½(I − S_t⁻¹) and the solution is P_t q at every t (the PF-ODE
 * transports P_T q along the marginals; `marginalMoments`). With e ≠ 0 the law differs from the
 * reverse SDE's (whose drift puts the full field, not half of it, plus noise).
 *
 * Numerics: classical RK4 on a uniform τ-grid with global error control by step doubling
 * (Richardson): runs with N and 2N steps differ by ≈ (2⁴ − 1)·err(2N), so
 * `errorEstimate = max|y_N − y_2N| / 15` (max over the shared nodes) estimates the max-abs error of
 * the returned 2N-step solution; N doubles until errorEstimate ≤ atol + rtol·max|y|. The
 * coefficients are analytic in t (S_t is SPD with eigenvalues between min(λ(Σ), 1) and
 * max(λ(Σ), 1), e smooth by construction of the callers), so the estimate is asymptotically exact;
 * `convergenceRatio` (→ 16) reports whether the asymptotic regime was reached.
 *
 * Throws: on S_t not positive definite (t = 0 with singular Σ), and when the tolerance is not
 * reached within `maxSteps`.
 */
import { affineScore, startMoments, type GaussianMoments, type LinearGaussianProblem, type MomentStart } from './linear-gaussian.ts';
import type { Matrix, Vector } from '../linalg/dense.ts';

export interface FlowMomentOptions {
  readonly start?: MomentStart;
  /** relative tolerance on the max-abs global error (default 1e-11) */
  readonly rtol?: number;
  /** absolute tolerance (default 1e-12) */
  readonly atol?: number;
  /** first N (even, default 16) */
  readonly initialSteps?: number;
  /** give up beyond this N (default 2^17): throws */
  readonly maxSteps?: number;
}

export interface FlowMomentSolution {
  readonly final: GaussianMoments;
  /** RK4 steps of the returned solution */
  readonly steps: number;
  /** max-abs error estimate of the returned moments: |y_{N/2} − y_N| / 15 over shared nodes */
  readonly errorEstimate: number;
  /** ratio of successive step-doubling differences (≈ 16 asymptotically), null if only two runs */
  readonly convergenceRatio: number | null;
}

/** Probability-flow drift F(t) y + g(t): F = ½I + ½G(t), g = ½c(t). */
export function probabilityFlowDrift(problem: LinearGaussianProblem, t: number): { F: Matrix; g: Vector } {
  const d = problem.dim;
  const { G, c } = affineScore(problem, t);
  for (let i = 0; i < d * d; i++) G[i] = 0.5 * G[i]!;
  for (let i = 0; i < d; i++) G[i * d + i]! += 0.5;
  for (let i = 0; i < d; i++) c[i] = 0.5 * c[i]!;
  return { F: G, g: c };
}

/** y' = (F m + g, F P + P Fᵀ) into out (layout [m | P]). */
function flowRhs(F: Matrix, g: Vector, d: number, y: Float64Array, out: Float64Array): void {
  for (let i = 0; i < d; i++) {
    let s = g[i]!;
    for (let k = 0; k < d; k++) s += F[i * d + k]! * y[k]!;
    out[i] = s;
  }
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) {
      let s = 0;
      for (let k = 0; k < d; k++) s += F[i * d + k]! * y[d + k * d + j]! + y[d + i * d + k]! * F[j * d + k]!;
      out[d + i * d + j] = s;
    }
  }
}

/** N RK4 steps from T to t0; returns the states at all N + 1 nodes (row per node). */
function rk4Nodes(problem: LinearGaussianProblem, y0: Float64Array, N: number): Float64Array {
  const d = problem.dim;
  const len = d + d * d;
  const { T, t0 } = problem;
  const h = (T - t0) / N;
  const y = Float64Array.from(y0);
  const k1 = new Float64Array(len);
  const k2 = new Float64Array(len);
  const k3 = new Float64Array(len);
  const k4 = new Float64Array(len);
  const tmp = new Float64Array(len);
  const nodes = new Float64Array((N + 1) * len);
  nodes.set(y, 0);
  let c0 = probabilityFlowDrift(problem, T);
  for (let k = 0; k < N; k++) {
    const t = T - k * h;
    const tEnd = k === N - 1 ? t0 : T - (k + 1) * h;
    const cMid = probabilityFlowDrift(problem, t - 0.5 * h);
    const c1 = probabilityFlowDrift(problem, tEnd);
    flowRhs(c0.F, c0.g, d, y, k1);
    for (let i = 0; i < len; i++) tmp[i] = y[i]! + 0.5 * h * k1[i]!;
    flowRhs(cMid.F, cMid.g, d, tmp, k2);
    for (let i = 0; i < len; i++) tmp[i] = y[i]! + 0.5 * h * k2[i]!;
    flowRhs(cMid.F, cMid.g, d, tmp, k3);
    for (let i = 0; i < len; i++) tmp[i] = y[i]! + h * k3[i]!;
    flowRhs(c1.F, c1.g, d, tmp, k4);
    for (let i = 0; i < len; i++) y[i] = y[i]! + (h / 6) * (k1[i]! + 2 * k2[i]! + 2 * k3[i]! + k4[i]!);
    for (let i = 0; i < d; i++)
      for (let j = 0; j < i; j++) {
        const s = 0.5 * (y[d + i * d + j]! + y[d + j * d + i]!);
        y[d + i * d + j] = s;
        y[d + j * d + i] = s;
      }
    nodes.set(y, (k + 1) * len);
    c0 = c1;
  }
  return nodes;
}

/**
 * Output moments at t0 of the probability-flow ODE with the served affine field, from the start
 * law (default P_T q). RK4 with step-doubling error control (module comment). Throws if maxSteps is
 * exceeded or initialSteps is not an even integer ≥ 2.
 */
export function solveProbabilityFlowMoments(problem: LinearGaussianProblem, options: FlowMomentOptions = {}): FlowMomentSolution {
  const d = problem.dim;
  const len = d + d * d;
  const rtol = options.rtol ?? 1e-11;
  const atol = options.atol ?? 1e-12;
  const maxSteps = options.maxSteps ?? 2 ** 17;
  let N = options.initialSteps ?? 16;
  if (!Number.isInteger(N) || N < 2 || N % 2 !== 0) throw new Error(`solveProbabilityFlowMoments: initialSteps ${N} must be an even integer ≥ 2`);
  const s = startMoments(problem, options.start ?? 'exact');
  const y0 = new Float64Array(len);
  y0.set(s.mean, 0);
  y0.set(s.cov, d);
  let coarse = rk4Nodes(problem, y0, N);
  let prevDiff: number | null = null;
  for (;;) {
    const N2 = 2 * N;
    if (N2 > maxSteps) throw new Error(`solveProbabilityFlowMoments: tolerance not reached within ${maxSteps} steps`);
    const fine = rk4Nodes(problem, y0, N2);
    let diff = 0;
    let scaleMax = 0;
    for (let k = 0; k <= N; k++) {
      for (let i = 0; i < len; i++) {
        diff = Math.max(diff, Math.abs(coarse[k * len + i]! - fine[2 * k * len + i]!));
        scaleMax = Math.max(scaleMax, Math.abs(fine[2 * k * len + i]!));
      }
    }
    const errorEstimate = diff / 15;
    const convergenceRatio = prevDiff === null || diff === 0 ? null : prevDiff / diff;
    if (errorEstimate <= atol + rtol * scaleMax) {
      const off = N2 * len;
      return { final: { mean: fine.slice(off, off + d), cov: fine.slice(off + d, off + len) }, steps: N2, errorEstimate, convergenceRatio };
    }
    prevDiff = diff;
    coarse = fine;
    N = N2;
  }
}
