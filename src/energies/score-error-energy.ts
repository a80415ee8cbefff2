/**
 * Score-error energies (docs/theory.md §2, claims P1-3.1, P1-3.2, P1-3.3/3.4 inputs):
 *   ideal-path energy   ε⋆² = E ∫_{t0}^{T} ‖e(Y_t, t)‖² dt,  Y the reverse path of the TRUE score;
 *   learned-path energy ε̂²  = the same along the path of the LEARNED score.
 *
 * Gaussian world (docs/theory.md §5.1). For an affine error e = A(t) y + b(t) and a path with Gaussian
 * marginals N(m_t, P_t) the integrand is the closed form
 *   r(t) = E‖A Y + b‖² = tr(A P_t Aᵀ) + ‖A m_t + b‖²,
 * so ε⋆² (exact start, marginals P_t q = N(a_t μ, S_t)) = ∫ tr(A S_t Aᵀ) + ‖A a_t μ + b‖² dt.
 * - `idealPathEnergy`: closed-form marginals, composite 5-point Gauss–Legendre with panel doubling;
 *   errorEstimate = |Q_{2N} − Q_N| (the 2N-panel value returned; for an analytic integrand the
 *   2N error is smaller than that difference by a factor ≈ 2^10, so the estimate is conservative).
 * - `pathEnergy`: any path of moments on UNIFORM t-nodes (the ODE oracle's `MomentPath`: learned
 *   path, N(0, I) start, …), composite Simpson; errorEstimate = |S_N − S_{N/2}|/15 (Richardson,
 *   asymptotically exact for a smooth integrand) + the propagated moment error (T − t0)·max_t
 *   [ΔP·Σ_i(Σ_j|A_ij|)² + 2‖A m + b‖·Δm·‖|A|‖ + (Δm·‖|A|‖)²] with ΔP, Δm the max-abs moment error
 *   the caller states (the oracle's errorEstimate).
 * - `gaussianPathEnergy`: convenience: ε̂² (learned path) or ε⋆² from a given start, via the ODE
 *   oracle and `pathEnergy`.
 * - `discretePathEnergy`: Σ_k h_k r(t_k) on a sampler grid with the chain's node moments: the EXACT
 *   expectation E Σ_k h_k ‖e(Y_k, t_k)‖² of the left-point (Itô) discretisation, i.e. exactly
 *   Var M of the discretised path functional (observability.ts) on that chain.
 *
 * Any world. `monteCarloEnergy`: ε⋆² for any VectorField along the known marginals P_t q of a GMM q
 * (no SDE needed: X_t = a_t X_0 + σ_t Z with X_0 ~ q is exact). Times are stratified (one uniform
 * draw in each of n equal strata of [t0, T]); the estimate (T − t0)·mean ‖e(X_{t_i}, t_i)‖² is
 * unbiased; the i.i.d. standard error formula is conservative for a proportionally stratified
 * sample (E s²/n = Var + Σ(μ_i − μ̄)²/(n(n−1)) ≥ Var).
 */
import type { Gaussian } from '../distributions/gaussian.ts';
import { sampleMixture, type GaussianMixture } from '../distributions/gaussian-mixture.ts';
import { ouMeanFactor, ouVariance } from '../processes/ornstein-uhlenbeck.ts';
import type { Rng } from '../random/rng.ts';
import type { AffineErrorField } from '../scores/injected-error.ts';
import type { VectorField } from '../scores/vector-field.ts';
import { linearGaussianProblem, marginalMoments, solveMomentOde, type LinearGaussianProblem, type MomentOdeOptions, type MomentPath } from '../oracles/linear-gaussian.ts';

/** A deterministic numerical value with its error estimate. */
export interface NumericalValue {
  readonly value: number;
  readonly errorEstimate: number;
}

/** Monte Carlo estimate with its standard error and sample size. */
export interface MonteCarloEstimate {
  readonly estimate: number;
  readonly standardError: number;
  readonly n: number;
}

/**
 * r = tr(A P Aᵀ) + ‖A m + b‖² = E‖A Y + b‖² for Y ~ N(m, P) (A, b may be null = 0).
 */
export function affineEnergyRate(A: Float64Array | null, b: Float64Array | null, mean: ArrayLike<number>, cov: ArrayLike<number>, d: number): number {
  let r = 0;
  for (let i = 0; i < d; i++) {
    let mi = b ? b[i]! : 0;
    if (A) {
      for (let j = 0; j < d; j++) mi += A[i * d + j]! * mean[j]!;
      // (A P Aᵀ)_ii = Σ_jk A_ij P_jk A_ik
      for (let j = 0; j < d; j++) {
        const aij = A[i * d + j]!;
        if (aij === 0) continue;
        let s = 0;
        for (let k = 0; k < d; k++) s += cov[j * d + k]! * A[i * d + k]!;
        r += aij * s;
      }
    }
    r += mi * mi;
  }
  return r;
}

/** r(t) for the error field at time t and moments (copies nothing: consumes W(t), ξ(t) at once). */
export function errorEnergyRateAt(error: AffineErrorField, t: number, mean: ArrayLike<number>, cov: ArrayLike<number>): number {
  return affineEnergyRate(error.matrix(t), error.offset(t), mean, cov, error.dim);
}

// 5-point Gauss–Legendre nodes and weights on [−1, 1]
const GL_X = [0, -0.5384693101056831, 0.5384693101056831, -0.906179845938664, 0.906179845938664];
const GL_W = [0.5688888888888889, 0.47862867049936647, 0.47862867049936647, 0.23692688505618908, 0.23692688505618908];

/** Composite 5-point Gauss–Legendre of f on [lo, hi] with `panels` equal panels. */
export function gaussLegendre(f: (t: number) => number, lo: number, hi: number, panels: number): number {
  const w = (hi - lo) / panels;
  let s = 0;
  for (let p = 0; p < panels; p++) {
    const c = lo + (p + 0.5) * w;
    for (let k = 0; k < 5; k++) s += GL_W[k]! * f(c + 0.5 * w * GL_X[k]!);
  }
  return 0.5 * w * s;
}

/** Panel doubling until |Q_2N − Q_N| ≤ atol + rtol·|Q_2N|; throws beyond maxPanels. */
export function adaptiveGaussLegendre(f: (t: number) => number, lo: number, hi: number, rtol = 1e-12, atol = 1e-14, maxPanels = 1 << 14): NumericalValue & { panels: number } {
  let panels = 4;
  let q = gaussLegendre(f, lo, hi, panels);
  for (;;) {
    const q2 = gaussLegendre(f, lo, hi, 2 * panels);
    const err = Math.abs(q2 - q);
    panels *= 2;
    if (err <= atol + rtol * Math.abs(q2)) return { value: q2, errorEstimate: err, panels };
    if (panels >= maxPanels) throw new Error(`adaptiveGaussLegendre: no convergence with ${panels} panels`);
    q = q2;
  }
}

/**
 * ε⋆² in the Gaussian world with the exact start (P1 [V] definition; docs/theory.md §5.1 closed form):
 * ∫_{t0}^{T} tr(A S_t Aᵀ) + ‖A a_t μ + b‖² dt, S_t = a_t² Σ + σ_t² I. Null error → 0.
 */
export function idealPathEnergy(data: Gaussian, error: AffineErrorField | null, t0: number, T: number, rtol = 1e-12): NumericalValue {
  if (!(t0 < T)) throw new Error(`idealPathEnergy: need t0 < T (t0 = ${t0}, T = ${T})`);
  if (!error) return { value: 0, errorEstimate: 0 };
  const f = (t: number): number => {
    const m = marginalMoments(data, t);
    return errorEnergyRateAt(error, t, m.mean, m.cov);
  };
  return adaptiveGaussLegendre(f, t0, T, rtol);
}

function absRowNorms(A: Float64Array, d: number): number {
  // sqrt(Σ_i (Σ_j |A_ij|)²): bounds ‖A x‖₂ ≤ that·max|x_j|
  let s = 0;
  for (let i = 0; i < d; i++) {
    let r = 0;
    for (let j = 0; j < d; j++) r += Math.abs(A[i * d + j]!);
    s += r * r;
  }
  return Math.sqrt(s);
}

/**
 * ∫ r(t) dt along a path of moments on uniform t-nodes (ε̂² for the learned path, ε⋆² for a
 * N(0, I) start, …), composite Simpson with the error estimate described in the file comment.
 * `momentError` is the max-abs error of the path moments (e.g. the ODE's errorEstimate).
 * Throws if the node count is not 4k+1 (so that the half-grid also supports Simpson) or the nodes
 * are not uniform (relative deviation > 1e-9).
 */
export function pathEnergy(path: MomentPath, error: AffineErrorField | null, momentError = 0): NumericalValue {
  const N = path.times.length - 1;
  if (N < 4 || N % 4 !== 0) throw new Error(`pathEnergy: need a multiple of 4 intervals, got ${N}`);
  if (!error) return { value: 0, errorEstimate: 0 };
  const d = path.dim;
  const T = path.times[0]!;
  const t0 = path.times[N]!;
  const h = (T - t0) / N;
  const r = new Float64Array(N + 1);
  let propagated = 0;
  for (let k = 0; k <= N; k++) {
    const t = path.times[k]!;
    if (Math.abs(t - (T - k * h)) > 1e-9 * Math.max(1, T)) throw new Error('pathEnergy: path nodes are not uniform in t');
    const mean = path.means.subarray(k * d, (k + 1) * d);
    const cov = path.covs.subarray(k * d * d, (k + 1) * d * d);
    const A = error.matrix(t);
    const b = error.offset(t);
    r[k] = affineEnergyRate(A, b, mean, cov, d);
    if (momentError > 0 && A) {
      const na = absRowNorms(A, d);
      let amb = 0;
      for (let i = 0; i < d; i++) {
        let s = b ? b[i]! : 0;
        for (let j = 0; j < d; j++) s += A[i * d + j]! * mean[j]!;
        amb += s * s;
      }
      const dm = momentError * na;
      propagated = Math.max(propagated, momentError * na * na + 2 * Math.sqrt(amb) * dm + dm * dm);
    }
  }
  const simpson = (stride: number): number => {
    const n = N / stride;
    const hh = h * stride;
    let s = r[0]! + r[N]!;
    for (let j = 1; j < n; j++) s += (j % 2 === 1 ? 4 : 2) * r[j * stride]!;
    return (s * hh) / 3;
  };
  const fine = simpson(1);
  const coarse = simpson(2);
  return { value: fine, errorEstimate: Math.abs(fine - coarse) / 15 + (T - t0) * propagated };
}

/**
 * Σ_{k<K} h_k E‖e(Y_k, t_k)‖² with Y_k ~ N(path node k): exactly Var M of the left-point
 * discretised path functional M = −Σ e(Y_k, t_k)·ΔB̄_k on that chain (discrete Itô isometry), and
 * a left Riemann sum (first order in h) of the continuous energy. `path.times` is the grid.
 */
export function discretePathEnergy(path: MomentPath, error: AffineErrorField | null): number {
  if (!error) return 0;
  const d = path.dim;
  const K = path.times.length - 1;
  let s = 0;
  for (let k = 0; k < K; k++) {
    const t = path.times[k]!;
    const h = t - path.times[k + 1]!;
    s += h * errorEnergyRateAt(error, t, path.means.subarray(k * d, (k + 1) * d), path.covs.subarray(k * d * d, (k + 1) * d * d));
  }
  return s;
}

/**
 * Monte Carlo ε⋆² = ∫_{t0}^{T} E_{X ~ P_t q} ‖field(X, t)‖² dt for a GMM q and ANY vector field
 * (see file comment: stratified times, exact forward sampling, conservative standard error).
 * Allocates O(n·d) once (two-pass variance); evaluates the field one particle at a time (each has its own t).
 * Throws on n < 2 or t0 ≥ T.
 */
export function monteCarloEnergy(field: VectorField, q: GaussianMixture, t0: number, T: number, n: number, rng: Rng): MonteCarloEstimate {
  if (!(n >= 2) || !Number.isInteger(n)) throw new Error(`monteCarloEnergy: n = ${n} must be an integer ≥ 2`);
  if (!(t0 < T)) throw new Error(`monteCarloEnergy: need t0 < T (t0 = ${t0}, T = ${T})`);
  if (field.dim !== q.dim) throw new Error(`monteCarloEnergy: field dimension ${field.dim} ≠ ${q.dim}`);
  const d = q.dim;
  const x0 = sampleMixture(q, n, rng.derive('x0'));
  const z = rng.derive('z').normals(n * d);
  const tr = rng.derive('t');
  const x = new Float64Array(d);
  const out = new Float64Array(d);
  const span = T - t0;
  const values = new Float64Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const t = t0 + ((i + tr.uniform()) / n) * span;
    const a = ouMeanFactor(t);
    const s = Math.sqrt(ouVariance(t));
    for (let j = 0; j < d; j++) x[j] = a * x0[i * d + j]! + s * z[i * d + j]!;
    field.evaluate(t, x, 1, out);
    let e2 = 0;
    for (let j = 0; j < d; j++) e2 += out[j]! * out[j]!;
    values[i] = span * e2;
    sum += values[i]!;
  }
  const mean = sum / n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (values[i]! - mean) ** 2;
  const variance = ss / (n - 1);
  return { estimate: mean, standardError: Math.sqrt(variance / n), n };
}

/**
 * Energy of `problem.error` along a Gaussian-world path from the ODE oracle:
 * - `path: 'learned'` (default): the error also drives the dynamics: ε̂² (P1 learned-path energy);
 * - `path: 'ideal'`: the true score drives the dynamics: ε⋆² from `options.start` (with the exact
 *   start this equals `idealPathEnergy`; with 'standard-normal' it is the N(0, I)-start ε⋆²).
 * Simpson on the oracle's uniform path with the error estimate of `pathEnergy` (ODE error
 * propagated). Null error → 0.
 */
export function gaussianPathEnergy(problem: LinearGaussianProblem, options: MomentOdeOptions & { path?: 'learned' | 'ideal' } = {}): NumericalValue {
  const error = problem.error;
  if (!error) return { value: 0, errorEstimate: 0 };
  const dynamics = options.path === 'ideal' ? linearGaussianProblem(problem.data, problem.T, problem.t0, null) : problem;
  const ode = solveMomentOde(dynamics, options);
  return pathEnergy(ode.path, error, ode.errorEstimate);
}
