/**
 * Exact observability η of a TIME-ONLY score error e(y, t) = b(t) (docs/theory.md §2, P1 Def 3.2) on
 * isotropic Gaussian data N(μ, v I), continuous time (the fuzzer's oracle for P1-3.3's η).
 *
 * Along the ideal reverse path (true score, exact start P_T q) Y is Gaussian with covariance
 * S_t = s_t I, s_t = a_t² v + 1 − a_t², and drift F(t) y + g(t) with F = (½ − 1/s_t) I.
 * M = −∫ b(t)·dB̄ is Gaussian and jointly Gaussian with Y, so E[M | Y_t0] is linear and
 *   η = Cᵀ S_t0⁻¹ C / ε⋆²,   C = Cov(Y_t0, M),   ε⋆² = Var M = ∫_{t0}^{T} ‖b(t)‖² dt.
 * C solves, in reverse time τ = T − t (d(Y M) has cross-variation dY·dM = −b dτ):
 *   C' = F C − b(t),  C(τ = 0) = 0   (the exact start is independent of the future noise).
 * Solved by classical RK4 with step doubling: errorEstimate = max|C_N − C_2N|/15 (Richardson, the
 * coefficients are analytic in t); N doubles until errorEstimate ≤ 1e-13 + 1e-11·max|C|.
 * The η error bound propagates δC = RICHARDSON_SAFETY × that estimate (the estimate's own error near
 * convergence; measured: actual errors up to ≈ 1.3× the estimate) plus the rounding accumulated over
 * the N steps (≤ 8 roundings per step and component: γ_{8N} relative to ‖C‖):
 *   |δη| ≤ (2‖C‖ δC + d δC²)/(s_t0 ε⋆²) + η·δε/ε⋆².
 *
 * Throws when the error has a state-dependent part (W(t) ≠ 0), on t0 ≥ T, or without convergence
 * within 2^16 steps. η = 0 when ε⋆² = 0.
 */
import type { AffineErrorField } from '../scores/injected-error.ts';
import { ouMeanFactor, ouVariance } from '../processes/ornstein-uhlenbeck.ts';
import { floatErrorBound } from '../verdict/compare.ts';
import { rk4Backward, type BackwardOdeSystem } from '../numerics/runge-kutta.ts';
import { refineByStepDoubling } from '../numerics/step-doubling.ts';

/** factor on the step-doubling estimate (file comment) */
const RICHARDSON_SAFETY = 10;

export interface TimeOnlyEta {
  readonly eta: number;
  readonly errorBound: number;
  /** C = Cov(Y_t0, M) */
  readonly cov: Float64Array;
}

function isoVar(v: number, t: number): number {
  const a = ouMeanFactor(t);
  return a * a * v + ouVariance(t);
}

function rk4(error: AffineErrorField, v: number, t0: number, T: number, N: number): Float64Array {
  const d = error.dim;
  const system: BackwardOdeSystem<number> = {
    length: d,
    coefficients: (t) => t,
    apply: (t, y, out) => {
      if (error.matrix(t) !== null) throw new Error('timeOnlyEta: the error has a state-dependent part');
      const f = 0.5 - 1 / isoVar(v, t);
      const b = error.offset(t);
      for (let i = 0; i < d; i++) out[i] = f * y[i]! - (b ? b[i]! : 0);
    },
  };
  return rk4Backward(system, new Float64Array(d), T, t0, N);
}

/**
 * η of a time-only error on data N(μ, v I) over [t0, T] (see file comment). `energy` is ε⋆² with
 * its error estimate (the caller's quadrature).
 */
export function timeOnlyEta(error: AffineErrorField, variance: number, t0: number, T: number, energy: { value: number; errorEstimate: number }): TimeOnlyEta {
  if (!(t0 < T)) throw new Error(`timeOnlyEta: need t0 < T (t0 = ${t0}, T = ${T})`);
  const d = error.dim;
  if (!(energy.value > 0)) return { eta: 0, errorBound: 0, cov: new Float64Array(d) };
  const { fine, steps: N, estimate: richardson } = refineByStepDoubling((n) => rk4(error, variance, t0, T, n), {
    name: 'timeOnlyEta',
    initialSteps: 32,
    maxSteps: 1 << 16,
    rtol: 1e-11,
    atol: 1e-13,
  });
  const s0 = isoVar(variance, t0);
  let c2 = 0;
  for (let i = 0; i < d; i++) c2 += fine[i]! * fine[i]!;
  const eta = c2 / (s0 * energy.value);
  const cNorm = Math.sqrt(c2);
  const dC = RICHARDSON_SAFETY * richardson + floatErrorBound(cNorm, 8 * N);
  // + 1e3 ulp of rounding in the quotient
  const errorBound = (2 * cNorm * dC + d * dC * dC) / (s0 * energy.value) + (eta * energy.errorEstimate) / energy.value + 1e3 * Number.EPSILON * eta;
  return { eta, errorBound, cov: fine };
}
