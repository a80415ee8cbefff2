/**
 * Fuzz target P1-3.3/3.4 (the χ² sandwich), Gaussian world (targets/gaussian-round.ts).
 *
 * Convention (the constants C, c of P1 are not given): the LEADING-ORDER forms are fuzzed,
 *   upper  χ²(p̂ ‖ ref) ≤ 4 ε⋆²          (P1-3.4 with c = 0),
 *   lower  χ²(p̂ ‖ ref) ≥ ¼ η ε⋆²        (P1-3.3 with C = 0),
 * so a violation at ε⋆² ≤ 1 may be one that a large enough c (or C) would absorb — unless χ² is
 * +∞, which no finite c absorbs. The reference law is a parameter: 'ideal' = P_t0 q (the reading
 * under which the sandwich is registered, D-2) or 'data' = q itself (as P1 writes it).
 * The lower side is evaluated only for time-only errors (constant shift, oscillation), where η is
 * exact (src/fuzz/time-only-eta.ts); for state-dependent errors η needs Monte Carlo and is skipped.
 *
 * χ² error: the certified interval expm1(L ± a) around expm1(L), L = log(1 + χ²) from the closed
 * form, a = divergenceAllowance (ODE error); each comparison charges the side that could hide a
 * violation. L above ln(MAX_VALUE) is kept as the lower bound MAX_VALUE (never a fake +∞).
 */
import { gaussianLogChiSquarePlusOne, LOG_MAX_VALUE } from '../../divergences/gaussian.ts';
import { leqExact } from '../../verdict/compare.ts';
import type { Comparison } from '../../verdict/types.ts';
import type { FuzzConfig } from '../space.ts';
import type { AssumptionStatus, Evaluation, FuzzTarget } from '../target.ts';
import { timeOnlyEta } from '../time-only-eta.ts';
import { divergenceAllowance, gaussianRound, GAUSSIAN_ROUND_SPACE, type GaussianRound } from './gaussian-round.ts';

/** "η bounded below": the floor used by the fuzzer (stated convention). */
export const ETA_FLOOR = 0.05;

/** χ² with a certified interval [lower, upper] from L = log(1 + χ²) ± allowance. */
export function chiInterval(L: number, allowance: number): { central: number; lower: number; upper: number } {
  if (L === Infinity) return { central: Infinity, lower: Infinity, upper: Infinity };
  const e = (x: number) => (x > LOG_MAX_VALUE ? Number.MAX_VALUE : Math.expm1(x));
  return { central: e(L), lower: Math.max(0, e(L - allowance)), upper: L + allowance > LOG_MAX_VALUE ? Infinity : e(L + allowance) };
}

/** Truncation divergence χ²(P_t0 q ‖ q) of the round (closed form, finite when 2v > a²v + 1 − a²). */
function truncation(r: GaussianRound): number {
  const L = gaussianLogChiSquarePlusOne(r.ideal, r.data);
  return L === Infinity ? Infinity : L > LOG_MAX_VALUE ? Number.MAX_VALUE : Math.expm1(L);
}

export function sharedAssumptions(c: FuzzConfig, r: GaussianRound, epsStar2: number, chiFinite: boolean): AssumptionStatus[] {
  const trunc = truncation(r);
  return [
    { id: 'small-error', label: 'ε⋆² ≤ 1', holds: epsStar2 <= 1, stated: true, detail: `ε⋆² = ${epsStar2.toPrecision(4)}` },
    { id: 'reference-law', label: 'reference = ideal output P_t0 q (D-2)', holds: c.reference !== 'data', stated: true, detail: `reference ${c.reference === 'data' ? 'q (as P1 writes it)' : 'P_t0 q'}` },
    { id: 'equal-start', label: 'start law P_T q for both paths', holds: c.start === 'exact', stated: true, detail: `start ${String(c.start)}` },
    {
      id: 't0-small',
      label: 't0 small against the error: χ²(P_t0 q‖q) ≤ ε⋆² (matters only against q)',
      holds: c.reference !== 'data' || trunc <= epsStar2,
      stated: false,
      detail: `χ²(P_t0 q‖q) = ${trunc.toPrecision(4)}, ε⋆² = ${epsStar2.toPrecision(4)}`,
    },
    { id: 'finite-chi2', label: 'χ²(p̂ ‖ reference) < ∞ (tails; not among P1\'s stated assumptions)', holds: chiFinite, stated: false, detail: chiFinite ? 'finite' : '+∞ (Gaussian criterion 2 S_ref − S_out not positive definite)' },
  ];
}

export function evaluateSandwich(c: FuzzConfig): Evaluation {
  const r = gaussianRound(c);
  const eps = r.epsStar2;
  const allow = divergenceAllowance(r);
  const L = gaussianLogChiSquarePlusOne(r.output, r.reference);
  const chi = chiInterval(L, allow);
  const comparisons: Comparison[] = [leqExact('upper: χ²(p̂‖ref) ≤ 4ε⋆² (P1-3.4, c = 0)', chi.central, 4 * eps.value, (chi.central === Infinity ? 0 : chi.central - chi.lower) + 4 * eps.errorEstimate)];
  let eta: number | null = null;
  let etaHolds = true;
  let etaDetail = 'η not computed (state-dependent error): lower side not checked';
  if (r.timeOnly) {
    const e = timeOnlyEta(r.error, Number(c.variance), r.t0, r.T, eps);
    eta = e.eta;
    etaHolds = e.eta >= ETA_FLOOR;
    etaDetail = `η = ${e.eta.toPrecision(4)} (floor ${ETA_FLOOR})`;
    const low = 0.25 * e.eta * eps.value;
    const lowErr = 0.25 * (e.errorBound * eps.value + e.eta * eps.errorEstimate);
    comparisons.push(leqExact('lower: ¼ηε⋆² ≤ χ²(p̂‖ref) (P1-3.3, C = 0)', low, chi.central, (chi.upper === Infinity ? 0 : chi.upper - chi.central) + lowErr));
  }
  const assumptions = [...sharedAssumptions(c, r, eps.value, L !== Infinity), { id: 'eta-floor', label: `η ≥ ${ETA_FLOOR} (η bounded below)`, holds: etaHolds, stated: true, detail: etaDetail }];
  return {
    comparisons,
    assumptions,
    statistics: { chi2: chi.central, logOnePlusChi2: L, epsStar2: eps.value, eta, odeError: r.odeError, truncationChi2: truncation(r) },
  };
}

export const sandwichTarget: FuzzTarget = {
  id: 'P1-3.3/3.4',
  aliases: ['P1-3.3', 'P1-3.4', 'sandwich', 'D-2'],
  claimIds: ['P1-3.3', 'P1-3.4', 'D-2'],
  title: 'χ² sandwich ¼ηε⋆² ≤ χ²(p̂‖q_i) ≤ 4ε⋆²',
  statement: 'for ε⋆² ≤ 1: ¼ η ε⋆² − C ε⋆⁴ ≤ χ²(p̂^{i+1} ‖ q_i) ≤ 4 ε⋆² + c ε⋆⁴',
  convention: 'leading-order forms (C = c = 0): a violation at ε⋆² ≤ 1 with finite χ² could be absorbed by a large enough c or C; a +∞ χ² cannot. Lower side for time-only errors only (exact η).',
  oracle: 'linear-Gaussian moment ODE (RK4, step doubling) for p̂, closed-form Gaussian χ², ε⋆² by adaptive Gauss–Legendre, η by the Cov(Y_t0, M) ODE',
  expectedAsStated: 'holds',
  space: GAUSSIAN_ROUND_SPACE,
  evaluate: evaluateSandwich,
  map: {
    title: 'P1-3.4 upper side against q_i (as P1 writes it): error scale × t0',
    x: { param: 'scale', label: 'error scale λ (constant shift)', steps: 24, min: 1e-3, max: 3 },
    y: { param: 't0', label: 't0', steps: 20, min: 1e-3, max: 1 },
    base: { d: 1, mean: 1, variance: 1, T: 4, t0: 0.1, family: 'constant-shift', scale: 0.1, sign: '+', start: 'exact', reference: 'data' },
    comparison: 'upper: χ²(p̂‖ref) ≤ 4ε⋆² (P1-3.4, c = 0)',
    boundaries: ['small-error', 't0-small'],
    note: 'data N(1, 1), T = 4, reference q (D-2); whole plane breaks reference-law; lines: ε⋆² = 1 and χ²(P_t0 q‖q) = ε⋆²',
  },
  defaultBudget: { evaluations: 3000, seconds: 60 },
};
