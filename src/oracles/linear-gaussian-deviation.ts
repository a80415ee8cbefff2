/**
 * Output law of one round in the linear-Gaussian world as a DEVIATION from the ideal output
 * (docs/theory.md §5.1; used for scaling families e = λ e₀ with λ → 0: claims P1-3.3, P1-3.4, D-1).
 *
 * With the exact start P_T q the ideal path has the closed-form marginals N(m_t, S_t),
 * m_t = a_t μ, S_t = a_t² Σ + σ_t² I. With an affine error e = A(t) y + b(t) the learned moments are
 * m̂ = m_t + δm, P̂ = S_t + δP, and subtracting the ideal moment equations from the learned ones
 * (F = ½I − S_t⁻¹ + A, in reverse time τ = T − t, δ = 0 at τ = 0):
 *   δm' = (F_0 + A) δm + A m_t + b,
 *   δP' = (F_0 + A) δP + δP (F_0 + A)ᵀ + A S_t + S_t Aᵀ,      F_0 = ½I − S_t⁻¹.
 * The sources are O(λ), so a RELATIVE tolerance on δ gives a relative accuracy of χ²(p̂ ‖ P_{t0} q)
 * ≈ O(δ²) at every scale, where solving for the full moments (linear-gaussian.ts `solveMomentOde`)
 * would need an absolute accuracy far below λ² (≈ 10⁻⁸ at ε⋆² = 10⁻⁸). The two routes are
 * independent implementations of the same law; a property compares them.
 *
 * Solver: classical RK4 on a uniform τ-grid with step doubling: errorEstimate = max|δ_N − δ_2N|/15
 * (asymptotically exact for smooth coefficients), N doubled until errorEstimate ≤ atol + rtol·max|δ|.
 * Throws on a dimension mismatch, times outside 0 ≤ t0 < T, or no convergence within maxSteps.
 */
import type { Gaussian } from '../distributions/gaussian.ts';
import { spdInverse } from '../linalg/dense.ts';
import type { AffineErrorField } from '../scores/injected-error.ts';
import { marginalMoments, type GaussianMoments } from './linear-gaussian.ts';
import { refineByStepDoubling } from '../numerics/step-doubling.ts';
import { rk4Backward, type BackwardOdeSystem } from '../numerics/runge-kutta.ts';

export interface DeviationSolution {
  /** learned output moments m_{t0} + δm, S_{t0} + δP */
  readonly final: GaussianMoments;
  readonly deltaMean: Float64Array;
  readonly deltaCov: Float64Array;
  /** max-abs error estimate of δm, δP (hence of the output moments, up to the rounding of the sum) */
  readonly errorEstimate: number;
  readonly steps: number;
}

export interface DeviationOptions {
  /** default 1e-9 (relative to max|δ|) */
  readonly rtol?: number;
  /** default 1e-300 */
  readonly atol?: number;
  /** default 2^14 */
  readonly maxSteps?: number;
}

interface Coeff {
  F: Float64Array;
  src: Float64Array;
  Q: Float64Array;
}

function coefficients(data: Gaussian, error: AffineErrorField, t: number): Coeff {
  const d = data.dim;
  const { mean: m, cov: S } = marginalMoments(data, t);
  const Sinv = spdInverse(S, d, `S_t at t = ${t}`);
  const A = error.matrix(t);
  const b = error.offset(t);
  const F = new Float64Array(d * d);
  for (let i = 0; i < d * d; i++) F[i] = -Sinv[i]! + (A ? A[i]! : 0);
  for (let i = 0; i < d; i++) F[i * d + i]! += 0.5;
  const src = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    let s = b ? b[i]! : 0;
    if (A) for (let j = 0; j < d; j++) s += A[i * d + j]! * m[j]!;
    src[i] = s;
  }
  const Q = new Float64Array(d * d);
  if (A)
    for (let i = 0; i < d; i++)
      for (let j = 0; j < d; j++) {
        let s = 0;
        for (let k = 0; k < d; k++) s += A[i * d + k]! * S[k * d + j]!;
        Q[i * d + j]! += s;
        Q[j * d + i]! += s;
      }
  return { F, src, Q };
}

function rhs(c: Coeff, d: number, y: Float64Array, out: Float64Array): void {
  const { F, src, Q } = c;
  for (let i = 0; i < d; i++) {
    let s = src[i]!;
    for (let k = 0; k < d; k++) s += F[i * d + k]! * y[k]!;
    out[i] = s;
  }
  for (let i = 0; i < d; i++)
    for (let j = 0; j < d; j++) {
      let s = Q[i * d + j]!;
      for (let k = 0; k < d; k++) s += F[i * d + k]! * y[d + k * d + j]! + y[d + i * d + k]! * F[j * d + k]!;
      out[d + i * d + j] = s;
    }
}

function run(data: Gaussian, error: AffineErrorField, T: number, t0: number, N: number): Float64Array {
  const d = data.dim;
  const len = d + d * d;
  const system: BackwardOdeSystem<Coeff> = {
    length: len,
    coefficients: (t) => coefficients(data, error, t),
    apply: (c, state, out) => rhs(c, d, state, out),
  };
  const y = rk4Backward(system, new Float64Array(len), T, t0, N);
  // symmetrise δP
  for (let i = 0; i < d; i++)
    for (let j = 0; j < i; j++) {
      const s = 0.5 * (y[d + i * d + j]! + y[d + j * d + i]!);
      y[d + i * d + j] = s;
      y[d + j * d + i] = s;
    }
  return y;
}

/** Learned output moments with exact start P_T q, as ideal output + deviation (file comment). */
export function outputDeviation(data: Gaussian, error: AffineErrorField, T: number, t0: number, options: DeviationOptions = {}): DeviationSolution {
  const d = data.dim;
  if (error.dim !== d) throw new Error(`outputDeviation: error dimension ${error.dim} ≠ ${d}`);
  if (!(t0 >= 0) || !(t0 < T) || !Number.isFinite(T)) throw new Error(`outputDeviation: need 0 ≤ t0 < T < ∞ (t0 = ${t0}, T = ${T})`);
  const rtol = options.rtol ?? 1e-9;
  const atol = options.atol ?? 1e-300;
  const maxSteps = options.maxSteps ?? 2 ** 14;
  const { fine, steps, estimate } = refineByStepDoubling((n) => run(data, error, T, t0, n), { name: 'outputDeviation', initialSteps: 8, maxSteps, rtol, atol });
  const ideal = marginalMoments(data, t0);
  const mean = new Float64Array(d);
  const cov = new Float64Array(d * d);
  for (let i = 0; i < d; i++) mean[i] = ideal.mean[i]! + fine[i]!;
  for (let i = 0; i < d * d; i++) cov[i] = ideal.cov[i]! + fine[d + i]!;
  return { final: { mean, cov }, deltaMean: fine.slice(0, d), deltaCov: fine.slice(d), errorEstimate: estimate, steps };
}
