/**
 * EXACT observability η in the linear-Gaussian world (docs/theory.md §2 and §5.1; claim P1-3.2, the η of
 * P1-3.3 / P1-3.4 and D-1), without regression or Monte Carlo.
 *
 * Setting: data q = N(μ, Σ), ideal reverse path (true score, exact start P_T q) in τ = T − t:
 *   dY = [F(t) Y + g(t)] dτ + dW,  F = ½I − S_t⁻¹,  Y_t ~ N(m_t, S_t) = N(a_t μ, a_t² Σ + σ_t² I),
 * and an affine score error e(y, t) = A(t) y + b(t). The path functional of P1 Def 3.2 is
 *   M = −∫ e(Y, t)·dW = −∫ (A Ỹ + r)·dW,   Ỹ = Y − m_t,  r(t) = A(t) m_t + b(t).
 *
 * Why exact: M lies in the Wiener chaos of order ≤ 2 of the Gaussian space spanned by (Y_T, W), and
 * conditioning on the Gaussian vector Y_{t0} maps chaos n onto chaos n of Y_{t0}. So E[M | Y_{t0}] is
 * the projection of M onto {1, Z_i, Z_i Z_j − δ_ij} (Z = S_{t0}^{−1/2} Ỹ_{t0}, orthogonal Hermite
 * basis), and with c = E[M Ỹ_{t0}], H = E[M Ỹ_{t0} Ỹ_{t0}ᵀ] (E M = 0):
 *   Var E[M | Y_{t0}] = cᵀ P⁻¹ c + ½ tr(P⁻¹ H P⁻¹ H),   P = S_{t0}
 * (first-chaos part + second-chaos part; the ½ counts each off-diagonal pair once and the diagonal
 * Hermite polynomials Z_i² − 1 with their variance 2).
 *
 * c and H follow from Itô's formula along the path (both start at 0 at τ = 0):
 *   d(M Ỹ)    ⇒ c' = F c − r,
 *   d(M ỸỸᵀ) ⇒ H' = F H + H Fᵀ − (A P_t + P_t Aᵀ),
 * and Var M = ε⋆² = ∫ tr(A P_t Aᵀ) + ‖r‖² dτ (Itô isometry, the same integrand as
 * score-error-energy.ts). Constant shift on stationary N(0, I): F = −½I, c = −2(1 − e^{−s/2}) b, H = 0,
 * η = 4(1 − e^{−s/2})²/s, the closed form of docs/theory.md §2 (a property checks this).
 *
 * Two routes:
 * - `exactEta`: the continuous-time ODE above by classical RK4 with step doubling (error estimate
 *   max|y_N − y_2N|/15, N doubled until it is ≤ atol + rtol·max|y|), all coefficients in closed form.
 * - `exactEtaEulerMaruyama`: the exact η of the DISCRETISED functional that
 *   observability.ts `simulateIdealPaths` simulates (Euler–Maruyama step y ← M_k y + v_k + √h_k z,
 *   ΔM = −(A Ỹ_k + r_k)·√h_k z, error at the left point t_k):
 *     c_{k+1} = M_k c_k − h_k r_k,   H_{k+1} = M_k H_k M_kᵀ − h_k (M_k P_k Aᵀ + A P_k M_kᵀ),
 *     Var M = Σ_k h_k [tr(A P_k Aᵀ) + ‖r_k‖²],
 *   with the chain's exact node moments (m_k, P_k) (linear-gaussian.ts samplerStepMap). Zero-bias
 *   oracle for the regression estimator.
 *
 * Throws: on a dimension mismatch, times outside 0 ≤ t0 < T, an ODE that does not converge within
 * maxSteps, or a non-PD output covariance. ε⋆² = 0 gives η = 0 (Definition 3.2).
 */
import { spdInverse, type Matrix, type Vector } from '../linalg/dense.ts';
import type { TimeGrid } from '../processes/time-grid.ts';
import type { AffineErrorField } from '../scores/injected-error.ts';
import { applyStepMap, marginalMoments, samplerStepMap, startMoments, type LinearGaussianProblem } from './linear-gaussian.ts';
import { refineByStepDoubling } from '../numerics/step-doubling.ts';
import { rk4Backward, type BackwardOdeSystem } from '../numerics/runge-kutta.ts';

/** η with its parts: Var E[M|Y_t0] = first-chaos + second-chaos, over ε⋆² = Var M. */
export interface ExactEta {
  readonly eta: number;
  /** Var M = ε⋆² (continuous: the integral; discrete: the exact chain sum) */
  readonly energy: number;
  /** cᵀ P⁻¹ c */
  readonly linearPart: number;
  /** ½ tr(P⁻¹ H P⁻¹ H) */
  readonly quadraticPart: number;
  /** c = Cov(Y_t0, M) */
  readonly cov: Vector;
  /** H = E[M Ỹ Ỹᵀ] at t0 */
  readonly secondMoment: Matrix;
  /** max-abs error estimate of (c, H, ε⋆²) (0 for the discrete route: exact up to rounding) */
  readonly errorEstimate: number;
  /** RK4 steps used (0 for the discrete route) */
  readonly steps: number;
}

export interface ExactEtaOptions {
  /** default 1e-12 */
  readonly rtol?: number;
  /** default 1e-15 */
  readonly atol?: number;
  /** default 2^16 */
  readonly maxSteps?: number;
}

/** η from c, H, ε⋆² and P = Cov Y_t0 (formula in the file comment). */
export function etaFromChaos(c: Vector, H: Matrix, P: Matrix, energy: number, d: number, errorEstimate = 0, steps = 0): ExactEta {
  const Pinv = spdInverse(P, d, 'Cov Y_t0');
  let lin = 0;
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) lin += c[i]! * Pinv[i * d + j]! * c[j]!;
  // G = P⁻¹ H; ½ tr(G G)
  const G = new Float64Array(d * d);
  for (let i = 0; i < d; i++)
    for (let j = 0; j < d; j++) {
      let s = 0;
      for (let k = 0; k < d; k++) s += Pinv[i * d + k]! * H[k * d + j]!;
      G[i * d + j] = s;
    }
  let quad = 0;
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) quad += G[i * d + j]! * G[j * d + i]!;
  quad *= 0.5;
  const eta = energy > 0 ? (lin + quad) / energy : 0;
  return { eta, energy, linearPart: lin, quadraticPart: quad, cov: Float64Array.from(c), secondMoment: Float64Array.from(H), errorEstimate, steps };
}

function checkProblem(problem: LinearGaussianProblem, error: AffineErrorField): number {
  if (error.dim !== problem.dim) throw new Error(`exactEta: error dimension ${error.dim} ≠ ${problem.dim}`);
  return problem.dim;
}

/** Layout y = [c (d) | H (d²) | E (1)]; writes y' at time t. */
function chaosRhs(problem: LinearGaussianProblem, error: AffineErrorField, t: number, y: Float64Array, out: Float64Array): void {
  const d = problem.dim;
  const { mean: m, cov: P } = marginalMoments(problem.data, t);
  const Sinv = spdInverse(P, d, `S_t at t = ${t}`);
  const F = new Float64Array(d * d);
  for (let i = 0; i < d * d; i++) F[i] = -Sinv[i]!;
  for (let i = 0; i < d; i++) F[i * d + i]! += 0.5;
  const A = error.matrix(t);
  const b = error.offset(t);
  const r = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    let s = b ? b[i]! : 0;
    if (A) for (let j = 0; j < d; j++) s += A[i * d + j]! * m[j]!;
    r[i] = s;
  }
  // c' = F c − r
  for (let i = 0; i < d; i++) {
    let s = -r[i]!;
    for (let k = 0; k < d; k++) s += F[i * d + k]! * y[k]!;
    out[i] = s;
  }
  // AP = A P (for −(AP + P Aᵀ) and tr(A P Aᵀ))
  const AP = A ? new Float64Array(d * d) : null;
  if (A && AP)
    for (let i = 0; i < d; i++)
      for (let j = 0; j < d; j++) {
        let s = 0;
        for (let k = 0; k < d; k++) s += A[i * d + k]! * P[k * d + j]!;
        AP[i * d + j] = s;
      }
  const off = d;
  for (let i = 0; i < d; i++)
    for (let j = 0; j < d; j++) {
      let s = AP ? -(AP[i * d + j]! + AP[j * d + i]!) : 0;
      for (let k = 0; k < d; k++) s += F[i * d + k]! * y[off + k * d + j]! + y[off + i * d + k]! * F[j * d + k]!;
      out[off + i * d + j] = s;
    }
  let e = 0;
  for (let i = 0; i < d; i++) e += r[i]! * r[i]!;
  if (A && AP) for (let i = 0; i < d; i++) for (let k = 0; k < d; k++) e += AP[i * d + k]! * A[i * d + k]!;
  out[off + d * d] = e;
}

function rk4(problem: LinearGaussianProblem, error: AffineErrorField, N: number): Float64Array {
  const d = problem.dim;
  const system: BackwardOdeSystem<number> = {
    length: d + d * d + 1,
    coefficients: (t) => t,
    apply: (t, y, out) => chaosRhs(problem, error, t, y, out),
  };
  return rk4Backward(system, new Float64Array(system.length), problem.T, problem.t0, N);
}

/**
 * Exact η of the continuous-time functional (file comment), ideal path with the exact start P_T q.
 * `problem.error` is ignored (the path is ideal); `error` enters M only.
 */
export function exactEta(problem: LinearGaussianProblem, error: AffineErrorField, options: ExactEtaOptions = {}): ExactEta {
  const d = checkProblem(problem, error);
  const rtol = options.rtol ?? 1e-12;
  const atol = options.atol ?? 1e-15;
  const maxSteps = options.maxSteps ?? 2 ** 16;
  const { fine, steps, estimate } = refineByStepDoubling((n) => rk4(problem, error, n), { name: 'exactEta', initialSteps: 16, maxSteps, rtol, atol });
  const P = marginalMoments(problem.data, problem.t0).cov;
  return etaFromChaos(fine.subarray(0, d), fine.subarray(d, d + d * d), P, fine[d + d * d]!, d, estimate, steps);
}

/**
 * Exact η of the Euler–Maruyama discretised functional on `grid` (file comment): the quantity the
 * regression estimator of observability.ts estimates from `simulateIdealPaths` on the same grid
 * with the exact start. `problem.error` must be null (ideal path).
 */
export function exactEtaEulerMaruyama(problem: LinearGaussianProblem, error: AffineErrorField, grid: TimeGrid): ExactEta {
  const d = checkProblem(problem, error);
  if (problem.error) throw new Error('exactEtaEulerMaruyama: the ideal path has no error (problem.error must be null)');
  const times = grid.times;
  if (times[0] !== problem.T) throw new Error(`exactEtaEulerMaruyama: grid starts at ${times[0]}, problem T = ${problem.T}`);
  let mom = startMoments(problem, 'exact');
  let c = new Float64Array(d);
  let H = new Float64Array(d * d);
  let energy = 0;
  for (let k = 0; k + 1 < times.length; k++) {
    const t = times[k]!;
    const h = t - times[k + 1]!;
    const A = error.matrix(t);
    const bRaw = error.offset(t);
    const b = bRaw ? Float64Array.from(bRaw) : null;
    const map = samplerStepMap(problem, 'euler-maruyama', t, h);
    const Mk = map.M;
    const P = mom.cov;
    const r = new Float64Array(d);
    for (let i = 0; i < d; i++) {
      let s = b ? b[i]! : 0;
      if (A) for (let j = 0; j < d; j++) s += A[i * d + j]! * mom.mean[j]!;
      r[i] = s;
    }
    // energy rate tr(A P Aᵀ) + ‖r‖²
    let rate = 0;
    for (let i = 0; i < d; i++) rate += r[i]! * r[i]!;
    const MkPAt = new Float64Array(d * d); // M_k P Aᵀ
    if (A) {
      const PAt = new Float64Array(d * d);
      for (let i = 0; i < d; i++)
        for (let j = 0; j < d; j++) {
          let s = 0;
          for (let k2 = 0; k2 < d; k2++) s += P[i * d + k2]! * A[j * d + k2]!;
          PAt[i * d + j] = s;
        }
      for (let i = 0; i < d; i++) for (let k2 = 0; k2 < d; k2++) rate += A[i * d + k2]! * PAt[k2 * d + i]!;
      for (let i = 0; i < d; i++)
        for (let j = 0; j < d; j++) {
          let s = 0;
          for (let k2 = 0; k2 < d; k2++) s += Mk[i * d + k2]! * PAt[k2 * d + j]!;
          MkPAt[i * d + j] = s;
        }
    }
    energy += h * rate;
    const cNext = new Float64Array(d);
    for (let i = 0; i < d; i++) {
      let s = -h * r[i]!;
      for (let j = 0; j < d; j++) s += Mk[i * d + j]! * c[j]!;
      cNext[i] = s;
    }
    const MH = new Float64Array(d * d);
    for (let i = 0; i < d; i++)
      for (let j = 0; j < d; j++) {
        let s = 0;
        for (let k2 = 0; k2 < d; k2++) s += Mk[i * d + k2]! * H[k2 * d + j]!;
        MH[i * d + j] = s;
      }
    const HNext = new Float64Array(d * d);
    for (let i = 0; i < d; i++)
      for (let j = 0; j < d; j++) {
        let s = -h * (MkPAt[i * d + j]! + MkPAt[j * d + i]!);
        for (let k2 = 0; k2 < d; k2++) s += MH[i * d + k2]! * Mk[j * d + k2]!;
        HNext[i * d + j] = s;
      }
    c = cNext;
    H = HNext;
    mom = applyStepMap(map, mom, d);
  }
  return etaFromChaos(c, H, mom.cov, energy, d);
}
