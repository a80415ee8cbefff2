/**
 * Shared cases for the χ² sandwich (P1-3.3 / P1-3.4), η across error families (P1-3.2) and the
 * leading-order law (D-1) in the linear-Gaussian world (docs/theory.md §5.1).
 *
 * A case is Gaussian data q = N(μ, Σ) (full Σ = L Lᵀ + c I, SPD by construction), a window
 * [t0, T], an error family and its seed. The score error is a SCALING FAMILY e = λ e₀: every family
 * below is linear in λ (W(t) and ξ(t) both scale with λ), so ε⋆²(λ) = λ² ε⋆²(1) exactly and a target
 * ε⋆² is reached by λ = √(ε⋆² / ε⋆²(1)).
 *
 * Families: the four injected ones of src/scores/injected-error.ts (aligned W = λI, random W = λR,
 * zero-mean time oscillation, constant shift) and `random-affine`: e = λ (R x/√d + u + v sin(2π(t−t0)/(T−t0)))
 * with R, u, v standard normal from the case seed (state- and time-dependent at once).
 *
 * Per scale the round is computed by independent deterministic routes:
 * - output p̂ = N(m̂, P̂): ideal output + deviation ODE (src/oracles/linear-gaussian-deviation.ts,
 *   RK4 with step-doubling error estimate, relative accuracy at every scale), exact start P_T q;
 *   cross-checked against the full moment ODE (src/oracles/linear-gaussian.ts) in
 *   p1-3.3-lower-bound.test.ts;
 * - reference (D-2): the ideal output P_{t0} q = N(a_{t0} μ, S_{t0}) in closed form;
 * - χ², KL between Gaussians in closed form (src/divergences/gaussian.ts);
 * - ε⋆²: adaptive Gauss–Legendre on the closed-form marginals (src/energies/score-error-energy.ts);
 * - η: the exact Wiener-chaos route (src/oracles/linear-gaussian-observability.ts), which never
 *   looks at p̂.
 *
 * `chiSquareAllowance` / `klAllowance`: the error of χ², KL computed from ODE moments (derivation in
 * their doc comments).
 */
import fc from 'fast-check';
import { fullGaussian, type Gaussian } from '../../../src/distributions/gaussian.ts';
import { gaussianChiSquare, gaussianKL } from '../../../src/divergences/gaussian.ts';
import { idealPathEnergy } from '../../../src/energies/score-error-energy.ts';
import { symmetricEigen } from '../../../src/linalg/dense.ts';
import { exactEta, type ExactEta } from '../../../src/oracles/linear-gaussian-observability.ts';
import { outputDeviation } from '../../../src/oracles/linear-gaussian-deviation.ts';
import { linearGaussianProblem, marginalMoments } from '../../../src/oracles/linear-gaussian.ts';
import { Rng } from '../../../src/random/rng.ts';
import { affineField, injectedError, type AffineErrorField } from '../../../src/scores/injected-error.ts';
import { floatErrorBound } from '../../../src/verdict/compare.ts';
import type { Comparison } from '../../../src/verdict/types.ts';
import { spdFromFactor } from '../../support/spd.ts';
import { boundedDouble, vectorArb } from '../../support/arbitraries.ts';

export const SANDWICH_FAMILIES = ['aligned', 'random', 'time-oscillation', 'constant-shift', 'random-affine'] as const;
export type SandwichFamily = (typeof SANDWICH_FAMILIES)[number];

export interface LgCase {
  readonly d: number;
  readonly mean: readonly number[];
  /** d×d factor L of Σ = L Lᵀ + c I */
  readonly factor: readonly number[];
  readonly jitter: number;
  readonly T: number;
  readonly t0: number;
  readonly family: SandwichFamily;
  readonly seed: number;
  /** position of a held-out scale in [0, 1] (log-uniform in the check's ε⋆² range) */
  readonly u: number;
}

export interface LgCaseOptions {
  readonly dMin?: number;
  readonly dMax?: number;
  readonly families?: readonly SandwichFamily[];
}

/** Linear-Gaussian cases, valid by construction (no filtering). */
export function lgCaseArb(opts: LgCaseOptions = {}): fc.Arbitrary<LgCase> {
  const families = opts.families ?? SANDWICH_FAMILIES;
  return fc.integer({ min: opts.dMin ?? 1, max: opts.dMax ?? 4 }).chain((d) =>
    fc.record({
      d: fc.constant(d),
      mean: vectorArb(d, -2, 2),
      factor: vectorArb(d * d, -0.7, 0.7),
      jitter: boundedDouble(0.2, 1.2),
      T: boundedDouble(1, 5),
      t0: boundedDouble(0.01, 0.5),
      family: fc.constantFrom(...families),
      seed: fc.integer({ min: 0, max: 1_000_000 }),
      u: boundedDouble(0, 1),
    }),
  );
}

export function caseData(c: LgCase): Gaussian {
  return fullGaussian(c.mean, spdFromFactor(c.factor, c.jitter, c.d));
}

/** The error field λ e₀ of the case's family (module comment). */
export function scaledError(c: LgCase, lambda: number): AffineErrorField {
  const { d, t0, T } = c;
  if (c.family !== 'random-affine') return injectedError({ family: c.family, scale: lambda, seed: c.seed }, d, t0, T);
  const rng = Rng.fromPath('sandwich-random-affine', c.seed);
  const W = rng.normals(d * d);
  for (let i = 0; i < W.length; i++) W[i] = (lambda * W[i]!) / Math.sqrt(d);
  const u = rng.normals(d);
  const v = rng.normals(d);
  const b = new Float64Array(d);
  return affineField(d, () => W, (t) => {
    const s = Math.sin((2 * Math.PI * (t - t0)) / (T - t0));
    for (let i = 0; i < d; i++) b[i] = lambda * (u[i]! + v[i]! * s);
    return b;
  });
}

/** Ideal output P_{t0} q (closed form). */
export function idealOutput(c: LgCase): Gaussian {
  const m = marginalMoments(caseData(c), c.t0);
  return fullGaussian(m.mean, m.cov);
}

/** ε⋆² of the unit error λ = 1 (ε⋆²(λ) = λ² times this). */
export function unitEnergy(c: LgCase): number {
  return idealPathEnergy(caseData(c), scaledError(c, 1), c.t0, c.T).value;
}

/** Exact η of the family (independent of λ > 0: η is scale invariant for a scaling family). */
export function caseEta(c: LgCase): ExactEta {
  return exactEta(linearGaussianProblem(caseData(c), c.T, c.t0, null), scaledError(c, 1), { rtol: 1e-10 });
}

/** One round at the scale giving ε⋆² = eps2. */
export interface ScalePoint {
  readonly eps2: number;
  readonly lambda: number;
  readonly chi2: number;
  readonly kl: number;
  /** error bounds of chi2 and kl (ODE + rounding, doc of the allowances) */
  readonly chi2Error: number;
  readonly klError: number;
}

/**
 * Relative tolerance of the deviation ODE: δ to 1e-9 relative gives χ² ≈ O(δ²) to ≈ 2e-9 relative
 * at every scale (the allowance below uses the solver's own estimate, not this number).
 */
const DEVIATION_RTOL = 1e-9;

export function roundAt(c: LgCase, eps2: number, unit = unitEnergy(c)): ScalePoint {
  const lambda = Math.sqrt(eps2 / unit);
  const data = caseData(c);
  const sol = outputDeviation(data, scaledError(c, lambda), c.T, c.t0, { rtol: DEVIATION_RTOL });
  const out = fullGaussian(sol.final.mean, sol.final.cov);
  const ref = idealOutput(c);
  const chi2 = gaussianChiSquare(out, ref);
  const kl = gaussianKL(out, ref);
  return { eps2, lambda, chi2, kl, chi2Error: chiSquareAllowance(out, ref, chi2, sol.errorEstimate), klError: klAllowance(out, ref, sol.errorEstimate) };
}

/**
 * The ODE's error estimate is the asymptotic step-doubling estimate (measured ratio to the true
 * error ≤ 0.98 in this repository's oracle tests): ODE_SAFETY = 10 turns it into the allowance.
 */
export const ODE_SAFETY = 10;

function eigRange(S: Float64Array, d: number): { min: number; max: number } {
  const v = symmetricEigen(S, d).values;
  let lo = Infinity;
  let hi = 0;
  for (const x of v) {
    lo = Math.min(lo, x);
    hi = Math.max(hi, x);
  }
  return { min: lo, max: hi };
}

/**
 * Error bound of χ²(N(m̂, P̂) ‖ N(m, S)) when m̂, P̂ carry a max-abs error e (the ODE estimate, times
 * ODE_SAFETY). With G = 2S − P̂ and Δ = m̂ − m, log(1 + χ²) = ΔᵀG⁻¹Δ + log|S| − ½log|P̂| − ½log|G|.
 * First order in a perturbation E of P̂ (spectral norm ≤ d·e) and δ of m̂ (‖δ‖ ≤ √d e), with
 * s = min(λ_min(P̂), λ_min(G)):
 *   |δ log(1+χ²)| ≤ ½ d‖E‖/s + ½ d‖E‖/s + 2‖Δ‖‖δ‖/s + ‖Δ‖²‖E‖/s²,
 * and |δχ²| ≤ (1 + χ²)·|δ log(1+χ²)| (1.01 covers the second order: the bound is ≤ 1e-3 here).
 * Rounding: three Cholesky log-determinants, each with backward error |ΔA| ≤ γ_{d+1}|L||Lᵀ|
 * (Higham Thm 10.3), i.e. |Δ log|A|| ≤ d γ_{d+1} κ(A); plus the quadratic form and expm1:
 * 4 d γ_{d+1} κ (1 + χ²) with κ = λ_max/s over the three matrices: an ABSOLUTE term, so the bound
 * holds at every scale.
 */
export function chiSquareAllowance(out: Gaussian, ref: Gaussian, chi2: number, odeError: number): number {
  if (!Number.isFinite(chi2)) return 0;
  const d = out.dim;
  const G = new Float64Array(d * d);
  for (let i = 0; i < d * d; i++) G[i] = 2 * ref.cov[i]! - out.cov[i]!;
  const eP = eigRange(out.cov, d);
  const eG = eigRange(G, d);
  const eS = eigRange(ref.cov, d);
  const s = Math.min(eP.min, eG.min, eS.min);
  const kappa = Math.max(eP.max, eG.max, eS.max) / s;
  let dm = 0;
  for (let i = 0; i < d; i++) dm += (out.mean[i]! - ref.mean[i]!) ** 2;
  dm = Math.sqrt(dm);
  const e = ODE_SAFETY * odeError;
  const E = d * e;
  const dlog = (d * E) / s + (2 * dm * Math.sqrt(d) * e) / s + (dm * dm * E) / (s * s);
  return 1.01 * (1 + chi2) * dlog + floatErrorBound(4 * d * kappa * (1 + chi2), d + 1);
}

/**
 * Error bound of KL(N(m̂, P̂) ‖ N(m, S)) = ½[tr(S⁻¹P̂) + ΔᵀS⁻¹Δ − d + log|S| − log|P̂|] under the same
 * perturbation: ½[d‖E‖/λ_min(S) + 2‖Δ‖‖δ‖/λ_min(S) + d‖E‖/λ_min(P̂)] (first order; ×1.01 for the
 * second), plus rounding of the two log-determinants, the trace and the quadratic form:
 * 4 d γ_{d+1} κ (absolute; the terms are O(d) before they cancel to KL).
 */
export function klAllowance(out: Gaussian, ref: Gaussian, odeError: number): number {
  const d = out.dim;
  const eP = eigRange(out.cov, d);
  const eS = eigRange(ref.cov, d);
  const kappa = Math.max(eP.max, eS.max) / Math.min(eP.min, eS.min);
  let dm = 0;
  for (let i = 0; i < d; i++) dm += (out.mean[i]! - ref.mean[i]!) ** 2;
  dm = Math.sqrt(dm);
  const e = ODE_SAFETY * odeError;
  const E = d * e;
  const first = 0.5 * ((d * E) / eS.min + (2 * dm * Math.sqrt(d) * e) / eS.min + (d * E) / eP.min);
  return 1.01 * first + floatErrorBound(4 * d * kappa, d + 1);
}

/** Geometric grid of ε⋆² values from lo to hi with `perDecade` points per decade (both ends included). */
export function eps2Grid(lo: number, hi: number, perDecade: number): number[] {
  const k = Math.round(Math.log10(hi / lo) * perDecade);
  return Array.from({ length: k + 1 }, (_, i) => lo * (hi / lo) ** (i / k));
}

/** Log-uniform point of [lo, hi] at position u ∈ [0, 1]. */
export function logUniform(lo: number, hi: number, u: number): number {
  return lo * (hi / lo) ** u;
}

/**
 * Smallest remainder constants consistent with a sweep (P1-3.3 / P1-3.4 "fitted C and c"):
 *   C = max (κ_L η ε⋆² − χ²)⁺ / ε⋆⁴,   c = max (χ² − κ_U ε⋆²)⁺ / ε⋆⁴   over the points with finite χ²;
 * `firstInfinite`: the smallest ε⋆² of the sweep with χ² = +∞ (null if none): no finite c reaches it.
 */
export function fitRemainders(points: readonly ScalePoint[], eta: number, kappaLower = 0.25, kappaUpper = 4): { C: number; c: number; firstInfinite: number | null } {
  let C = 0;
  let c = 0;
  let firstInfinite: number | null = null;
  for (const p of points) {
    if (!Number.isFinite(p.chi2)) {
      if (firstInfinite === null || p.eps2 < firstInfinite) firstInfinite = p.eps2;
      continue;
    }
    const e4 = p.eps2 * p.eps2;
    C = Math.max(C, (kappaLower * eta * p.eps2 - p.chi2) / e4);
    c = Math.max(c, (p.chi2 - kappaUpper * p.eps2) / e4);
  }
  return { C, c, firstInfinite };
}


/**
 * Error bound of the exact η from its ODE's error estimate e (max-abs over c, H, ε⋆²; ×ODE_SAFETY):
 * with s = λ_min(S_{t0}), δ(cᵀP⁻¹c) ≤ (2‖c‖ + ‖δc‖)‖δc‖/s, ‖δc‖ ≤ √d e;
 * δ(½ tr(P⁻¹HP⁻¹H)) ≤ ‖H‖_F ‖δH‖_F / s² (+ its square), ‖δH‖_F ≤ d e; δη ≤ (δ numerator + η e)/(ε⋆² − e).
 */
export function etaAllowance(c: LgCase, x: ExactEta): number {
  if (x.energy === 0) return 0;
  const d = c.d;
  const s = eigRange(idealOutput(c).cov, d).min;
  const e = ODE_SAFETY * x.errorEstimate;
  let cn = 0;
  for (const v of x.cov) cn += v * v;
  cn = Math.sqrt(cn);
  let hn = 0;
  for (const v of x.secondMoment) hn += v * v;
  hn = Math.sqrt(hn);
  const dc = Math.sqrt(d) * e;
  const dH = d * e;
  const num = ((2 * cn + dc) * dc) / s + ((2 * hn + dH) * dH) / (2 * s * s);
  return (num + x.eta * e) / Math.max(x.energy - e, Number.MIN_VALUE) + floatErrorBound(x.eta, 8 * d * d);
}

/** The fixed case of the report plots (one per family): d = 3, full Σ, T = 3, t0 = 0.05. */
export function representativeCase(family: SandwichFamily): LgCase {
  return { d: 3, mean: [0.5, -1, 0.3], factor: [0.5, 0, 0, 0.2, 0.4, 0, -0.3, 0.1, 0.6], jitter: 0.4, T: 3, t0: 0.05, family, seed: 7, u: 0.5 };
}

/** Sweep of one case over ε⋆² values, with its exact η. */
export function sweep(c: LgCase, grid: readonly number[]): { eta: ExactEta; unit: number; points: ScalePoint[] } {
  const unit = unitEnergy(c);
  return { eta: caseEta(c), unit, points: grid.map((e) => roundAt(c, e, unit)) };
}

/** Comparisons are built by the property files; re-exported type for their helpers. */
export type { Comparison };
