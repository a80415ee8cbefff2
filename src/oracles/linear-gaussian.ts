/**
 * Linear-Gaussian reverse-SDE oracle (docs/theory.md §5.1), any dimension d.
 *
 * Data q = N(μ, Σ) (full covariance). Reverse SDE in τ = T − t, from t = T down to t0:
 *   dY = [½ Y + s(Y, t) + e(Y, t)] dτ + dW,
 *   s(y, t) = −S_t⁻¹ (y − a_t μ),  S_t = a_t² Σ + σ_t² I  (exact score of P_t q),
 *   e(y, t) = A(t) y + b(t)        (an AffineErrorField, or null).
 * The drift is affine, F(t) y + g(t) with F = ½I − S_t⁻¹ + A(t), g = S_t⁻¹ a_t μ + b(t), so a
 * Gaussian start N(m_T, P_T) stays Gaussian and its moments solve, in τ,
 *   m' = F m + g,   P' = F P + P Fᵀ + I.
 *
 * Two routes are provided:
 * 1. `solveMomentOde`: the continuous-time moments by classical RK4 on a uniform τ-grid with
 *    global error control by step doubling (Richardson): runs with N and 2N steps differ by
 *    ≈ (2⁴ − 1)·err(2N), so `errorEstimate = max|y_N − y_2N| / 15` estimates the max-abs error of
 *    the returned (2N-step) solution; N doubles until errorEstimate ≤ atol + rtol·max|y|. The
 *    estimate is asymptotically exact for smooth coefficients (here analytic in t: S_t is SPD with
 *    eigenvalues between min(λ(Σ),1) and max(λ(Σ),1) for every t ≥ 0); `convergenceRatio` (ratio of
 *    successive differences, → 16) reports whether the asymptotic regime was reached.
 *    The moments along the whole path (uniform t-nodes) are returned for energies.
 * 2. `chainMoments`: the EXACT moments of each discretised sampler of src/samplers/reverse-sde.ts
 *    on the same problem. On an affine drift every step is a Gaussian AR map
 *      y ← M y + v + N z,  z ~ N(0, I),   so  m ← M m + v,  P ← M P Mᵀ + N Nᵀ,
 *    with (writing G(t) = −S_t⁻¹ + A(t), c(t) = S_t⁻¹ a_t μ + b(t), F = ½I + G, step t → t − h):
 *    - Euler–Maruyama:        M = I + h F(t),  v = h c(t),  N Nᵀ = h I;
 *    - exponential integrator: M = e^{h/2} I + κ G(t), κ = 2(e^{h/2} − 1), v = κ c(t),
 *                               N Nᵀ = (e^h − 1) I;
 *    - stochastic Heun:       M = I + ½h(F₀ + F₁) + ½h² F₁ F₀, v = ½h(c₀ + c₁ + h F₁ c₀),
 *                               N = √h (I + ½h F₁),  with F₀ = F(t), F₁ = F(t − h), cᵢ likewise.
 *    These are exact (up to rounding) for particles of those samplers: a zero-bias oracle.
 *
 * Sanity anchor (a property, not the implementation): with e = null and the exact start
 * N(a_T μ, S_T), the ODE output equals P_{t0} q = N(a_{t0} μ, S_{t0}) (closed form `marginalMoments`).
 *
 * Throws on: dimension mismatch between data and error, times outside 0 ≤ t0 < T < ∞, an S_t that
 * is not positive definite (only possible at t = 0 for a singular Σ, e.g. an atom), a moment ODE
 * that does not reach its tolerance within `maxSteps`.
 */
import type { Gaussian } from '../distributions/gaussian.ts';
import { rk4Backward, type BackwardOdeSystem } from '../numerics/runge-kutta.ts';
import { refineByStepDoubling } from '../numerics/step-doubling.ts';
import { identity, spdInverse, type Matrix, type Vector } from '../linalg/dense.ts';
import { ouMeanFactor, ouVariance } from '../processes/ornstein-uhlenbeck.ts';
import type { TimeGrid } from '../processes/time-grid.ts';
import type { SamplerName } from '../samplers/reverse-sde.ts';
import type { AffineErrorField } from '../scores/injected-error.ts';

/** Mean and full row-major covariance of a Gaussian law. */
export interface GaussianMoments {
  readonly mean: Vector;
  readonly cov: Matrix;
}

/** The linear-Gaussian problem: data N(μ, Σ), window [t0, T], affine score error (or null). */
export interface LinearGaussianProblem {
  readonly dim: number;
  readonly data: Gaussian;
  readonly T: number;
  readonly t0: number;
  readonly error: AffineErrorField | null;
}

/** 'exact' = P_T q, 'standard-normal' = N(0, I), or explicit start moments. */
export type MomentStart = 'exact' | 'standard-normal' | GaussianMoments;

/** Validated problem. Throws on dimension mismatch or times outside 0 ≤ t0 < T < ∞. */
export function linearGaussianProblem(data: Gaussian, T: number, t0: number, error: AffineErrorField | null = null): LinearGaussianProblem {
  if (!Number.isFinite(T) || !Number.isFinite(t0) || !(t0 >= 0) || !(t0 < T)) throw new Error(`linearGaussianProblem: need 0 ≤ t0 < T < ∞ (t0 = ${t0}, T = ${T})`);
  if (error && error.dim !== data.dim) throw new Error(`linearGaussianProblem: error dimension ${error.dim} ≠ data dimension ${data.dim}`);
  return { dim: data.dim, data, T, t0, error };
}

/** Closed form P_t q = N(a_t μ, a_t² Σ + σ_t² I) (docs/theory.md §1, §5.1). */
export function marginalMoments(data: Gaussian, t: number): GaussianMoments {
  const d = data.dim;
  const a = ouMeanFactor(t);
  const v = ouVariance(t);
  const mean = new Float64Array(d);
  const cov = new Float64Array(d * d);
  for (let i = 0; i < d; i++) mean[i] = a * data.mean[i]!;
  for (let i = 0; i < d * d; i++) cov[i] = a * a * data.cov[i]!;
  for (let i = 0; i < d; i++) cov[i * d + i]! += v;
  return { mean, cov };
}

/** Start moments at time T. */
export function startMoments(problem: LinearGaussianProblem, start: MomentStart): GaussianMoments {
  const d = problem.dim;
  if (start === 'exact') return marginalMoments(problem.data, problem.T);
  if (start === 'standard-normal') return { mean: new Float64Array(d), cov: identity(d) };
  if (start.mean.length !== d || start.cov.length !== d * d) throw new Error('startMoments: explicit start has the wrong dimension');
  return { mean: Float64Array.from(start.mean), cov: Float64Array.from(start.cov) };
}

/**
 * Affine total score used by the samplers, s(y,t) + e(y,t) = G(t) y + c(t):
 * G = −S_t⁻¹ + A(t), c = S_t⁻¹ a_t μ + b(t). (Copies W(t), ξ(t): the error fields reuse buffers.)
 */
export function affineScore(problem: LinearGaussianProblem, t: number): { G: Matrix; c: Vector } {
  const d = problem.dim;
  const { mean: am, cov: S } = marginalMoments(problem.data, t);
  const Sinv = spdInverse(S, d, `S_t at t = ${t}`);
  const G = new Float64Array(d * d);
  const c = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    let s = 0;
    for (let j = 0; j < d; j++) {
      G[i * d + j] = -Sinv[i * d + j]!;
      s += Sinv[i * d + j]! * am[j]!;
    }
    c[i] = s;
  }
  const A = problem.error?.matrix(t) ?? null;
  if (A) for (let i = 0; i < d * d; i++) G[i]! += A[i]!;
  const b = problem.error?.offset(t) ?? null;
  if (b) for (let i = 0; i < d; i++) c[i]! += b[i]!;
  return { G, c };
}

/** Reverse drift F(t) y + g(t), F = ½I − S_t⁻¹ + A(t), g = S_t⁻¹ a_t μ + b(t) (docs/theory.md §5.1). */
export function reverseDrift(problem: LinearGaussianProblem, t: number): { F: Matrix; g: Vector } {
  const d = problem.dim;
  const { G, c } = affineScore(problem, t);
  for (let i = 0; i < d; i++) G[i * d + i]! += 0.5;
  return { F: G, g: c };
}

/**
 * Probability-flow drift F(t) y + g(t) with the served field G y + c: dY/dτ = ½Y + ½(G y + c), so
 * F = ½I + ½G, g = ½c (docs/theory.md §1; the deterministic samplers' ODE). With the exact score its
 * solution from P_T q is P_t q at every t; with an error its law differs from the reverse SDE's.
 */
export function probabilityFlowDrift(problem: LinearGaussianProblem, t: number): { F: Matrix; g: Vector } {
  const d = problem.dim;
  const { G, c } = affineScore(problem, t);
  for (let i = 0; i < d * d; i++) G[i] = 0.5 * G[i]!;
  for (let i = 0; i < d; i++) G[i * d + i]! += 0.5;
  for (let i = 0; i < d; i++) c[i] = 0.5 * c[i]!;
  return { F: G, g: c };
}

/**
 * Which linear dynamics the moment ODE integrates: the reverse SDE (drift `reverseDrift`, unit
 * diffusion: P' = FP + PFᵀ + I) or the probability-flow ODE (drift `probabilityFlowDrift`, no noise:
 * P' = FP + PFᵀ). Both share one RK4 + step-doubling solver (`solveMomentOde`).
 */
export type MomentDynamics = 'reverse-sde' | 'probability-flow';

const DYNAMICS: Readonly<Record<MomentDynamics, { readonly drift: (p: LinearGaussianProblem, t: number) => { F: Matrix; g: Vector }; readonly diffusion: number }>> = {
  'reverse-sde': { drift: reverseDrift, diffusion: 1 },
  'probability-flow': { drift: probabilityFlowDrift, diffusion: 0 },
};

// ---------------------------------------------------------------------------------------------
// Continuous-time moment ODE (RK4 + step-doubling error control)

/** Moments at uniform t-nodes from T (index 0) down to t0 (last). */
export interface MomentPath {
  readonly dim: number;
  /** decreasing, times[0] = T, times[N] = t0 */
  readonly times: Float64Array;
  /** (N+1)·d */
  readonly means: Float64Array;
  /** (N+1)·d² */
  readonly covs: Float64Array;
}

export interface MomentOdeOptions {
  readonly start?: MomentStart;
  /** the dynamics integrated (default 'reverse-sde') */
  readonly dynamics?: MomentDynamics;
  /** relative tolerance on the max-abs global error (default 1e-11) */
  readonly rtol?: number;
  /** absolute tolerance (default 1e-12) */
  readonly atol?: number;
  /** first N (even, default 16) */
  readonly initialSteps?: number;
  /** give up beyond this N (default 2^17): throws */
  readonly maxSteps?: number;
}

export interface MomentOdeSolution {
  readonly final: GaussianMoments;
  readonly path: MomentPath;
  /** RK4 steps of the returned solution */
  readonly steps: number;
  /** max-abs error estimate of the returned moments (every node): |y_{N/2} − y_N|/15 */
  readonly errorEstimate: number;
  /** ratio of successive step-doubling differences (≈ 16 in the asymptotic regime), null if only two runs */
  readonly convergenceRatio: number | null;
}

interface Coeffs {
  F: Matrix;
  g: Vector;
}

/** y' = (F m + g, F P + P Fᵀ + diffusion·I) written into out (layout [m | P]). */
function momentRhs(c: Coeffs, diffusion: number, d: number, y: Float64Array, out: Float64Array): void {
  const { F, g } = c;
  for (let i = 0; i < d; i++) {
    let s = g[i]!;
    for (let k = 0; k < d; k++) s += F[i * d + k]! * y[k]!;
    out[i] = s;
  }
  const off = d;
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) {
      let s = i === j ? diffusion : 0;
      for (let k = 0; k < d; k++) s += F[i * d + k]! * y[off + k * d + j]! + y[off + i * d + k]! * F[j * d + k]!;
      out[off + i * d + j] = s;
    }
  }
}

function rk4Run(problem: LinearGaussianProblem, y0: Float64Array, N: number, record: boolean, dynamics: MomentDynamics = 'reverse-sde'): { y: Float64Array; nodes: Float64Array | null } {
  const { drift, diffusion } = DYNAMICS[dynamics];
  const d = problem.dim;
  const len = d + d * d;
  const y = Float64Array.from(y0);
  const nodes = record ? new Float64Array((N + 1) * len) : null;
  if (nodes) nodes.set(y, 0);
  const system: BackwardOdeSystem<Coeffs> = {
    length: len,
    coefficients: (t) => drift(problem, t),
    apply: (c, state, out) => momentRhs(c, diffusion, d, state, out),
  };
  rk4Backward(system, y, problem.T, problem.t0, N, (k, state) => {
    symmetrizeInPlace(state, d, d);
    if (nodes) nodes.set(state, k * len);
  });
  return { y, nodes };
}

function symmetrizeInPlace(y: Float64Array, off: number, d: number): void {
  for (let i = 0; i < d; i++)
    for (let j = 0; j < i; j++) {
      const s = 0.5 * (y[off + i * d + j]! + y[off + j * d + i]!);
      y[off + i * d + j] = s;
      y[off + j * d + i] = s;
    }
}

/**
 * Moments of the linear reverse SDE at t0 and along the path (docs/theory.md §5.1), RK4 with global
 * error control by step doubling (see file comment). The error estimate is the max over the nodes
 * the coarse run shares with the fine one. Throws if maxSteps is exceeded.
 */
export function solveMomentOde(problem: LinearGaussianProblem, options: MomentOdeOptions = {}): MomentOdeSolution {
  const d = problem.dim;
  const len = d + d * d;
  const rtol = options.rtol ?? 1e-11;
  const atol = options.atol ?? 1e-12;
  const maxSteps = options.maxSteps ?? 2 ** 17;
  const N = options.initialSteps ?? 16;
  if (!Number.isInteger(N) || N < 2 || N % 2 !== 0) throw new Error(`solveMomentOde: initialSteps ${N} must be an even integer ≥ 2`);
  const s = startMoments(problem, options.start ?? 'exact');
  const y0 = new Float64Array(len);
  y0.set(s.mean, 0);
  y0.set(s.cov, d);
  const dynamics = options.dynamics ?? 'reverse-sde';
  const { fine, steps, estimate, convergenceRatio } = refineByStepDoubling((n) => rk4Run(problem, y0, n, true, dynamics).nodes!, {
    name: 'solveMomentOde',
    initialSteps: N,
    maxSteps,
    rtol,
    atol,
    // the fine path at the coarse nodes: node k of N ↔ node 2k of 2N
    restrictFine: (path, coarseSteps) => {
      const out = new Float64Array((coarseSteps + 1) * len);
      for (let k = 0; k <= coarseSteps; k++) out.set(path.subarray(2 * k * len, (2 * k + 1) * len), k * len);
      return out;
    },
  });
  return { final: unpack(fine, steps, d), path: toPath(fine, problem, steps), steps, errorEstimate: estimate, convergenceRatio };
}

function unpack(nodes: Float64Array, k: number, d: number): GaussianMoments {
  const len = d + d * d;
  return { mean: nodes.slice(k * len, k * len + d), cov: nodes.slice(k * len + d, (k + 1) * len) };
}

function toPath(nodes: Float64Array, problem: LinearGaussianProblem, N: number): MomentPath {
  const d = problem.dim;
  const len = d + d * d;
  const times = new Float64Array(N + 1);
  const means = new Float64Array((N + 1) * d);
  const covs = new Float64Array((N + 1) * d * d);
  const h = (problem.T - problem.t0) / N;
  for (let k = 0; k <= N; k++) {
    times[k] = k === N ? problem.t0 : problem.T - k * h;
    means.set(nodes.subarray(k * len, k * len + d), k * d);
    covs.set(nodes.subarray(k * len + d, (k + 1) * len), k * d * d);
  }
  return { dim: d, times, means, covs };
}

// ---------------------------------------------------------------------------------------------
// Exact moments of the discretised samplers

/** One sampler step as a Gaussian AR map: y ← M y + v + noise, noise ~ N(0, Q). */
export interface StepMap {
  readonly M: Matrix;
  readonly v: Vector;
  readonly Q: Matrix;
}

function matmulInto(a: Matrix, b: Matrix, d: number): Matrix {
  const out = new Float64Array(d * d);
  for (let i = 0; i < d; i++)
    for (let k = 0; k < d; k++) {
      const aik = a[i * d + k]!;
      if (aik === 0) continue;
      for (let j = 0; j < d; j++) out[i * d + j]! += aik * b[k * d + j]!;
    }
  return out;
}

/**
 * The moment map of one step t → t − h of `name` (see file comment for the formulas, read off the
 * step rules in src/samplers/reverse-sde.ts). Throws on h ≤ 0.
 */
export function samplerStepMap(problem: LinearGaussianProblem, name: SamplerName, t: number, h: number): StepMap {
  if (!(h > 0)) throw new Error(`samplerStepMap: step ${h} must be > 0`);
  const d = problem.dim;
  const { G, c } = affineScore(problem, t);
  if (name === 'euler-maruyama') {
    const M = new Float64Array(d * d);
    for (let i = 0; i < d * d; i++) M[i] = h * G[i]!;
    for (let i = 0; i < d; i++) M[i * d + i]! += 1 + 0.5 * h;
    const v = Float64Array.from(c, (x) => h * x);
    return { M, v, Q: identity(d, h) };
  }
  if (name === 'exponential-integrator') {
    const kappa = 2 * Math.expm1(0.5 * h);
    const M = new Float64Array(d * d);
    for (let i = 0; i < d * d; i++) M[i] = kappa * G[i]!;
    for (let i = 0; i < d; i++) M[i * d + i]! += Math.exp(0.5 * h);
    const v = Float64Array.from(c, (x) => kappa * x);
    return { M, v, Q: identity(d, Math.expm1(h)) };
  }
  if (name === 'stochastic-heun') {
    const F0 = G;
    for (let i = 0; i < d; i++) F0[i * d + i]! += 0.5;
    const { G: F1, c: c1 } = affineScore(problem, t - h);
    for (let i = 0; i < d; i++) F1[i * d + i]! += 0.5;
    const F1F0 = matmulInto(F1, F0, d);
    const M = new Float64Array(d * d);
    for (let i = 0; i < d * d; i++) M[i] = 0.5 * h * (F0[i]! + F1[i]!) + 0.5 * h * h * F1F0[i]!;
    for (let i = 0; i < d; i++) M[i * d + i]! += 1;
    const v = new Float64Array(d);
    for (let i = 0; i < d; i++) {
      let s = 0;
      for (let k = 0; k < d; k++) s += F1[i * d + k]! * c[k]!;
      v[i] = 0.5 * h * (c[i]! + c1[i]! + h * s);
    }
    // N = √h (I + ½ h F₁), Q = N Nᵀ
    const Nm = new Float64Array(d * d);
    for (let i = 0; i < d * d; i++) Nm[i] = 0.5 * h * F1[i]!;
    for (let i = 0; i < d; i++) Nm[i * d + i]! += 1;
    const Q = new Float64Array(d * d);
    for (let i = 0; i < d; i++)
      for (let j = 0; j < d; j++) {
        let s = 0;
        for (let k = 0; k < d; k++) s += Nm[i * d + k]! * Nm[j * d + k]!;
        Q[i * d + j] = h * s;
      }
    return { M, v, Q };
  }
  throw new Error(`samplerStepMap: unknown sampler "${name as string}"`);
}

/** Apply a step map to moments: (M m + v, M P Mᵀ + Q). */
export function applyStepMap(map: StepMap, m: GaussianMoments, d: number): GaussianMoments {
  const mean = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    let s = map.v[i]!;
    for (let k = 0; k < d; k++) s += map.M[i * d + k]! * m.mean[k]!;
    mean[i] = s;
  }
  const MP = matmulInto(map.M, m.cov, d);
  const cov = new Float64Array(d * d);
  for (let i = 0; i < d; i++)
    for (let j = 0; j <= i; j++) {
      let s = map.Q[i * d + j]!;
      for (let k = 0; k < d; k++) s += MP[i * d + k]! * map.M[j * d + k]!;
      cov[i * d + j] = s;
      cov[j * d + i] = s;
    }
  return { mean, cov };
}

export interface ChainMoments {
  readonly final: GaussianMoments;
  /** moments at every grid node (times = grid.times): the law of the particles after k steps */
  readonly path: MomentPath;
}

/**
 * EXACT moments of the discretised sampler `name` walking `grid` (T → t0) on the linear-Gaussian
 * problem from the start law (zero-bias oracle for its particles). The grid must start at
 * problem.T; its end need not equal problem.t0 (the problem's t0 only bounds the data window).
 */
export function chainMoments(problem: LinearGaussianProblem, name: SamplerName, grid: TimeGrid, start: MomentStart = 'exact'): ChainMoments {
  const d = problem.dim;
  const times = grid.times;
  const K = times.length - 1;
  if (times[0] !== problem.T) throw new Error(`chainMoments: grid starts at ${times[0]}, problem T = ${problem.T}`);
  let m = startMoments(problem, start);
  const means = new Float64Array((K + 1) * d);
  const covs = new Float64Array((K + 1) * d * d);
  means.set(m.mean, 0);
  covs.set(m.cov, 0);
  for (let k = 0; k < K; k++) {
    const t = times[k]!;
    const h = t - times[k + 1]!;
    m = applyStepMap(samplerStepMap(problem, name, t, h), m, d);
    means.set(m.mean, (k + 1) * d);
    covs.set(m.cov, (k + 1) * d * d);
  }
  return { final: m, path: { dim: d, times: Float64Array.from(times), means, covs } };
}

/** Moments at node k of a path. */
export function pathMomentsAt(path: MomentPath, k: number): GaussianMoments {
  const d = path.dim;
  return { mean: path.means.slice(k * d, (k + 1) * d), cov: path.covs.slice(k * d * d, (k + 1) * d * d) };
}
