/**
 * P2-2 (docs/theory.md §4, formula [I]): unique limit reached geometrically,
 *   p* = Σ_{k≥1} α (1−α)^{k−1} P_{k t0} p_data,  p̂^i − p* = (1−α)^i P_{i t0}(p̂^0 − p*),
 *   TV(p̂^i, p*) ≤ (1−α)^i TV(p̂^0, p*);  α = 0: p̂^i → N(0, I);  Gaussian data N(m, ·):
 *   limit mean α e^{−t0/2} m / (1 − (1−α) e^{−t0/2}).
 *
 * Oracles: the exact GMM recursion (mixMixtures + pushMixture) for p̂^i; the truncated series p*_K
 * (remainder (1−α)^K on N(0, 1), proven TV(p*_K, p*) ≤ (1−α)^K =: ε, src/oracles/gmm-recursion.ts);
 * 1-D L1 by the sign-change partition with closed-form CDFs (`mixtureL1Distance1d`, method 'quadrature':
 * exact up to roots missed by the grid, estimated by grid halving). δ = 0 throughout.
 * Every comparison adds the L1 estimates' error and 2ε (L1 = 2 TV) where p*_K stands in for p*.
 */
import { describe, it } from 'vitest';
import fc from 'fast-check'; // not @fast-check/vitest: its import costs ≈ 2 s per test file (only test.prop needs it)
import { boundedDouble } from '../support/arbitraries.ts';
import { checkProperty, type CaseOutcome } from '../../src/verdict/engine.ts';
import { recordAndAssert } from '../../src/verdict/record.ts';
import { eqExact, leqExact, type Comparison } from '../../src/verdict/compare.ts';
import type { GaussianMixture } from '../../src/distributions/gaussian-mixture.ts';
import { mixtureMean } from '../../src/distributions/gaussian-mixture.ts';
import { pushMixture } from '../../src/processes/ornstein-uhlenbeck.ts';
import { gaussianDataLimitMean, iterateRecursion, limitLaw, roundMap, roundMapParameterError } from '../../src/oracles/gmm-recursion.ts';
import { gamma } from '../../src/numerics/rounding.ts';
import { gmm1d, mixtureKl1d, mixtureL1Distance1d, mixtureDensity1d } from '../../src/divergences/gaussian-mixture-1d.ts';
import { hermiteValues, limitAttenuation, mixtureHermiteCoefficients, modeContraction } from '../../src/oracles/hermite.ts';
import { alphaArb, describeGmm1d, gmm1dArb, t0Arb } from './p2-support.ts';
import { describeDeep } from '../support/tier.ts';

const U = 2 ** -53;
/** Deep-tier tests run large sweeps on a shared machine: 30 min each (vitest's default here is 120 s). */
const DEEP_TIMEOUT_MS = 1_800_000;
const STANDARD = gmm1d([[1, 0, 1]]);
/** Relative float slack on products/sums of a few L1 values and powers (≤ 64 roundings). */
const PRODUCT_SLACK = 64 * U;
/** Subnormal range: ≤ 10^5 operations of absolute error ≤ 2.5e-324 each. */
const UNDERFLOW_FLOOR = 1e-318;
/** Default tier keeps α ≥ ALPHA_MIN_DEFAULT (K ≤ 263 limit terms at ε = 1e-12); the deep tier goes to 0.02. */
const ALPHA_MIN_DEFAULT = 0.1;

interface Case {
  readonly p: GaussianMixture;
  readonly alpha: number;
  readonly t0: number;
}
const caseArb: fc.Arbitrary<Case> = fc.record({ p: gmm1dArb(3, 0.05, 2), alpha: alphaArb(0.05, 0.95), t0: t0Arb(0.05, 1) });

/**
 * L1 between a stored 1-D mixture and any law whose parameters lie within relative errors `rel(k)` of
 * component k's (weight, variance, mean): Σ_k w_k (rel.w + 3 rel.v + rel.m |m_k|/s_k). Triangle
 * inequality over the components (|Δw_k| ≤ rel.w w_k) and, per component, Devroye, Mehrabian & Reddad
 * (2018, Thm 1.3): 2 TV(N(m, v), N(m', v')) ≤ 3|v − v'|/v + |m − m'|/√v. First order in errors ≤ 1e-11
 * (the second-order terms are far below PRODUCT_SLACK of the compared values).
 */
function l1ParameterAllowance(law: GaussianMixture, rel: (k: number) => { w: number; v: number; m: number }): number {
  let total = 0;
  law.components.forEach((g, k) => {
    const r = rel(k);
    total += law.weights[k]! * (r.w + 3 * r.v + (r.m * Math.abs(g.mean[0]!)) / Math.sqrt(g.cov[0]!));
  });
  return total;
}

/**
 * Relative parameter errors of limitLaw's stored p*_K against the exact truncated series of the stored
 * p_data, α, t0 (derived from its code): component (k, j) = P_{k t0} p_data's j-th with weight
 * α·(1−α)^{k−1}·w_j: 1 − α (u), the power ((k − 1)u inherited + 2u libm), two products: γ_{K+3}; time
 * T̂ = k·t0 (u for k > 1) moves a = e^{−T/2} by uT/2, exp adds 2u, a·m one more: mean γ_{3 + ⌈T/2⌉};
 * variance a²v + σ² with a² (5u + uT), ·v (u), σ² = −expm1(−T) (2u + u T e^{−T}/(1 − e^{−T}) ≤ 3u), one
 * addition of positives (u): γ_{7 + ⌈T⌉}. The remainder N(0, 1) is exact; its weight (1−α)^K: γ_{K+2}.
 */
function limitLawAllowance(c: Case, lim: ReturnType<typeof limitLaw>): number {
  const Kp = c.p.components.length;
  return l1ParameterAllowance(lim.law, (idx) => {
    if (idx >= lim.terms * Kp) return { w: gamma(lim.terms + 2), v: 0, m: 0 };
    const T = (Math.floor(idx / Kp) + 1) * c.t0;
    return { w: gamma(lim.terms + 3), v: gamma(7 + Math.ceil(T)), m: gamma(3 + Math.ceil(T / 2)) };
  });
}

/**
 * Φ(p*_K) vs p*_K: exact identity Φ(p*_K) − p*_K = α(1−α)^K (P_{(K+1)t0} p_data − N(0,1)), and the bound
 * 2α(1−α)^K on L1. The identity is exact for the exact laws; the stored ones carry parameter rounding
 * (components that should cancel can differ in the last bit of a variance: campaign seed 9800002, a gap
 * of 3.0e-15 read 5.9e-18 off the formula), so both comparisons add what the parameter errors can move
 * an L1: the computed Φ against the exact Φ of the stored p*_K (roundMapParameterError), and the stored
 * p*_K against the exact one, counted twice (directly, and through Φ, an L1 contraction).
 */
function fixedPoint(c: Case & { readonly tolerance: number }): CaseOutcome {
  const lim = limitLaw(c.p, c.alpha, c.t0, { tolerance: c.tolerance });
  const phi = roundMap(c.p, lim.law, c.alpha, c.t0);
  const gap = mixtureL1Distance1d(phi, lim.law);
  const pushedLaw = pushMixture(c.p, (lim.terms + 1) * c.t0);
  const pushed = mixtureL1Distance1d(pushedLaw, STANDARD);
  const predicted = c.alpha * lim.tvBound * pushed.value;
  const pe = roundMapParameterError(c.p.components.length + lim.law.components.length);
  const phiAllowance = l1ParameterAllowance(phi, () => ({ w: pe.weight, v: 2 * pe.sd + pe.sd * pe.sd, m: pe.mean }));
  const T = (lim.terms + 1) * c.t0;
  const pushedAllowance = l1ParameterAllowance(pushedLaw, () => ({ w: 0, v: gamma(7 + Math.ceil(T)), m: gamma(3 + Math.ceil(T / 2)) }));
  const parameters = phiAllowance + 2 * limitLawAllowance(c, lim);
  const err = gap.errorEstimate + parameters + c.alpha * lim.tvBound * (pushed.errorEstimate + pushedAllowance) + PRODUCT_SLACK * (gap.value + predicted);
  return {
    comparisons: [
      eqExact('L1(Φ p*_K, p*_K) = α(1−α)^K L1(P_{(K+1)t0} p_data, N(0,1))', gap.value, predicted, err, 'quadrature'),
      leqExact('L1(Φ p*_K, p*_K) ≤ 2α(1−α)^K (fixed point up to the proven truncation)', gap.value, 2 * c.alpha * lim.tvBound, gap.errorEstimate + parameters + PRODUCT_SLACK * gap.value, 'quadrature'),
    ],
    statistics: { terms: lim.terms, l1Gap: gap.value, predictedGap: predicted, parameterAllowance: parameters },
  };
}

/**
 * What parameter rounding can move an L1 involving the computed iterate p̂^i of `run` (run[0] an exact
 * input): each round computes the exact Φ of the stored previous law within roundMapParameterError,
 * and Φ is an L1 contraction, so the errors of rounds 1..i add up (l1ParameterAllowance each).
 */
function iterateAllowances(c: Case, run: readonly GaussianMixture[]): number[] {
  const out = [0];
  for (let j = 1; j < run.length; j++) {
    const pe = roundMapParameterError(c.p.components.length + run[j - 1]!.components.length);
    out.push(out[j - 1]! + l1ParameterAllowance(run[j]!, () => ({ w: pe.weight, v: 2 * pe.sd + pe.sd * pe.sd, m: pe.mean })));
  }
  return out;
}

/**
 * TV rate and uniqueness: L1(p̂^i, p*) ≤ (1−α)^i L1(p̂^0, p*) for two starts; the starts' iterates merge
 * at rate (1−α)^i. Each comparison adds what the stored laws' parameter rounding can move its L1s
 * (iterateAllowances, limitLawAllowance): at α near 1 and i = 12, (1−α)^i L1 is ≈ 1e-16, the size of
 * the rounding of the iterates' weights, where a computed excess is not a violation.
 */
function rateAndUniqueness(c: Case & { readonly q: GaussianMixture }): CaseOutcome {
  const G = 12;
  const lim = limitLaw(c.p, c.alpha, c.t0, { tolerance: 1e-12 });
  const eps2 = 2 * lim.tvBound;
  const a = iterateRecursion(c.p, { alpha: c.alpha, schedule: { kind: 'constant', t0: c.t0 }, generations: G });
  const b = iterateRecursion(c.p, { alpha: c.alpha, schedule: { kind: 'constant', t0: c.t0 }, generations: G, start: c.q });
  const allowA = iterateAllowances(c, a);
  const allowB = iterateAllowances(c, b);
  const allowLim = limitLawAllowance(c, lim);
  const out: Comparison[] = [];
  const a0 = mixtureL1Distance1d(a[0]!, lim.law);
  const b0 = mixtureL1Distance1d(b[0]!, lim.law);
  const ab0 = mixtureL1Distance1d(a[0]!, b[0]!);
  let worstRatio = 0;
  for (const i of [1, 3, 6, G]) {
    const r = (1 - c.alpha) ** i;
    const ai = mixtureL1Distance1d(a[i]!, lim.law);
    const bi = mixtureL1Distance1d(b[i]!, lim.law);
    const abi = mixtureL1Distance1d(a[i]!, b[i]!);
    out.push(leqExact(`L1(p̂^${i}, p*) ≤ (1−α)^${i} L1(p̂^0, p*) [start p_data]`, ai.value, r * a0.value + eps2 * (1 + r), ai.errorEstimate + r * a0.errorEstimate + allowA[i]! + allowLim * (1 + r) + PRODUCT_SLACK * ai.value, 'quadrature'));
    out.push(leqExact(`L1(p̂^${i}, p*) ≤ (1−α)^${i} L1(p̂^0, p*) [start q]`, bi.value, r * b0.value + eps2 * (1 + r), bi.errorEstimate + r * b0.errorEstimate + allowB[i]! + allowLim * (1 + r) + PRODUCT_SLACK * bi.value, 'quadrature'));
    out.push(leqExact(`uniqueness: L1(p̂^${i}_p, p̂^${i}_q) ≤ (1−α)^${i} L1(p_data, q)`, abi.value, r * ab0.value, abi.errorEstimate + r * ab0.errorEstimate + allowA[i]! + allowB[i]! + PRODUCT_SLACK * abi.value, 'quadrature'));
    if (a0.value > 0) worstRatio = Math.max(worstRatio, ai.value / (r * a0.value));
  }
  return { comparisons: out, statistics: { worstRatioToBound: worstRatio } };
}

/** ∫|He_n| φ by trapezoid on [−40, 40] (h = 1e-3; kinks at the n roots cost O(h²) each, estimate by halving). */
function absHermiteNorm(n: number): { value: number; err: number } {
  const He = new Float64Array(n + 1);
  const run = (h: number) => {
    let s = 0;
    const N = Math.round(80 / h);
    for (let j = 0; j <= N; j++) {
      const x = -40 + j * h;
      hermiteValues(n, x, He);
      s += (j === 0 || j === N ? 0.5 : 1) * Math.abs(He[n]!) * Math.exp(-0.5 * x * x);
    }
    return (s * h) / Math.sqrt(2 * Math.PI);
  };
  const fine = run(1e-3);
  const coarse = run(2e-3);
  return { value: fine, err: Math.abs(fine - coarse) };
}

/** Highest Hermite order in the rate envelope; terms beyond are below e^{−(60−n) i t0 / 2} × the (decaying) coefficient scale. */
const ENVELOPE_ORDER = 60;
/** Decay target of the measured window: the last iterate is ≈ 1e-9 of the first distance (well above the L1 precision ≈ 1e-13). */
const RATE_WINDOW_DECAY = 1e-9;

type Family = 'generic' | 'symmetric' | 'symmetric-unit-variance';
interface RateCase {
  readonly family: Family;
  readonly p: GaussianMixture;
  readonly alpha: number;
  readonly t0: number;
}
const rateCaseArb: fc.Arbitrary<RateCase> = fc.oneof(
  fc.record({ family: fc.constant('generic' as Family), p: gmm1dArb(2, 0.3, 1.5), alpha: alphaArb(0.05, 0.4), t0: t0Arb(0.3, 0.8) }),
  fc.record({ family: fc.constant('symmetric' as Family), mu: boundedDouble(0.5, 2), v: boundedDouble(0.3, 1.5), alpha: alphaArb(0.05, 0.4), t0: t0Arb(0.3, 0.8) }).map(
    (r) => ({ family: r.family, p: gmm1d([[0.5, -r.mu, r.v], [0.5, r.mu, r.v]]), alpha: r.alpha, t0: r.t0 }),
  ),
  fc.record({ family: fc.constant('symmetric-unit-variance' as Family), mu: boundedDouble(0.4, 0.9), alpha: alphaArb(0.05, 0.4), t0: t0Arb(0.3, 0.8) }).map(
    // c_2 = (μ² + v − 1)/2 = 0 with v = 1 − μ² ⇒ the slowest active mode is n = 4
    (r) => ({ family: r.family, p: gmm1d([[0.5, -r.mu, 1 - r.mu * r.mu], [0.5, r.mu, 1 - r.mu * r.mu]]), alpha: r.alpha, t0: r.t0 }),
  ),
);

/**
 * Measured 1-D rate vs the slowest active Hermite mode. δ_i = p̂^i − p* = Σ_m ρ_m^i d_m φ He_m with
 * d_m = c_m(p_data) − c_m(p*) (P2-2 ⊗ Mehler). With n the smallest m ≥ 1 with d_m ≠ 0 and
 * A = |d_n| ∫|He_n|φ, r_i = Σ_{m>n} (ρ_m/ρ_n)^i |d_m| √(m!) (‖φ He_m‖₁ ≤ √(m!)):
 *   ρ_n^i (A − r_i) ≤ ‖δ_i‖₁ ≤ ρ_n^i (A + r_i),
 * so the measured ratio (‖δ_N‖/‖δ_{N−k}‖)^{1/k} lies in ρ_n·[((A − r_N)/(A + r_{N−k}))^{1/k}, ((A + r_N)/(A − r_{N−k}))^{1/k}]
 * (widened by the L1 errors and 2ε). The window N is chosen so ρ_n^N ≈ RATE_WINDOW_DECAY, k = ⌈N/3⌉.
 * Statistics record which mode is slowest and the neighbouring predicted rates (what the test separates).
 */
function measuredRate(c: RateCase): CaseOutcome {
  const lim = limitLaw(c.p, c.alpha, c.t0, { tolerance: 1e-16 });
  const cd = mixtureHermiteCoefficients(c.p, ENVELOPE_ORDER).coefficients;
  const cs = mixtureHermiteCoefficients(lim.law, ENVELOPE_ORDER).coefficients;
  const d = Float64Array.from(cd, (v, m) => v - cs[m]!);
  let scale = 0;
  for (let m = 1; m <= ENVELOPE_ORDER; m++) scale = Math.max(scale, Math.abs(d[m]!));
  let n = 1;
  // a mode is "active" when |d_m| exceeds 1e-12 of the largest: exact zeros (symmetry) are ~1e-17
  while (n < ENVELOPE_ORDER && !(Math.abs(d[n]!) > 1e-12 * scale)) n++;
  const rho = modeContraction(n, c.alpha, c.t0);
  const N = Math.max(4, Math.ceil(Math.log(RATE_WINDOW_DECAY) / Math.log(rho)));
  const k = Math.ceil(N / 3);
  const it = iterateRecursion(c.p, { alpha: c.alpha, schedule: { kind: 'constant', t0: c.t0 }, generations: N });
  const hi = mixtureL1Distance1d(it[N]!, lim.law);
  const lo = mixtureL1Distance1d(it[N - k]!, lim.law);
  const A = Math.abs(d[n]!) * absHermiteNorm(n).value;
  const r = (i: number) => {
    let s = 0;
    let logFact = 0;
    for (let m = 1; m <= ENVELOPE_ORDER; m++) {
      logFact += Math.log(m);
      if (m > n) s += Math.exp(-0.5 * (m - n) * c.t0 * i) * Math.abs(d[m]!) * Math.exp(0.5 * logFact);
    }
    return s;
  };
  const eps2 = 2 * lim.tvBound;
  const rN = r(N) + (hi.errorEstimate + eps2) / rho ** N;
  const rNk = r(N - k) + (lo.errorEstimate + eps2) / rho ** (N - k);
  const measured = (hi.value / lo.value) ** (1 / k);
  // envelope valid only while the slowest mode dominates (A > r); otherwise the bound is vacuous (0, ∞)
  const lowerF = A > rNk && A > rN ? ((A - rN) / (A + rNk)) ** (1 / k) : 0;
  const upperF = A > rNk ? ((A + rN) / (A - rNk)) ** (1 / k) : Infinity;
  const slack = PRODUCT_SLACK * rho;
  return {
    comparisons: [
      leqExact(`measured rate ≥ ρ_${n} × envelope`, rho * lowerF, measured, slack, 'quadrature'),
      leqExact(`measured rate ≤ ρ_${n} × envelope`, measured, rho * upperF, slack, 'quadrature'),
    ],
    statistics: {
      slowestMode: n,
      predictedRate: rho,
      measuredRate: measured,
      relativeDeviation: measured / rho - 1,
      envelopeHalfWidth: (upperF - lowerF) / 2,
      nextModeRate: modeContraction(n + 1, c.alpha, c.t0),
      alphaOnlyRate: 1 - c.alpha,
      window: N,
    },
  };
}

/** α = 0: p̂^i = P_{i t0} p_data → N(0,1), with L1 ≤ 2 √(e^{−i t0} KL(p_data ‖ N(0,1)) / 2) (entropy decay of OU + Pinsker). */
function alphaZero(c: Case): CaseOutcome {
  const G = 10;
  const lim = limitLaw(c.p, 0, c.t0);
  const it = iterateRecursion(c.p, { alpha: 0, schedule: { kind: 'constant', t0: c.t0 }, generations: G });
  const kl0 = mixtureKl1d(c.p, STANDARD);
  const out: Comparison[] = [eqExact('limitLaw(α = 0) = N(0, 1)', mixtureL1Distance1d(lim.law, STANDARD).value, 0, 0)];
  for (const i of [1, 4, G]) {
    const l1 = mixtureL1Distance1d(it[i]!, STANDARD);
    const bound = 2 * Math.sqrt((Math.exp(-i * c.t0) * (kl0.value + kl0.errorEstimate)) / 2);
    out.push(leqExact(`α = 0: L1(p̂^${i}, N(0,1)) ≤ 2√(e^{−i t0} KL(p_data‖N(0,1))/2)`, l1.value, bound, l1.errorEstimate + PRODUCT_SLACK * bound, 'quadrature'));
  }
  return { comparisons: out };
}

/** Gaussian data N(m, v): mean of p*_K vs the closed form, and vs the scalar mean recursion iterated to convergence. */
function gaussianMean(c: { m: number; v: number; alpha: number; t0: number }): CaseOutcome {
  const pd = gmm1d([[1, c.m, c.v]]);
  const lim = limitLaw(pd, c.alpha, c.t0, { tolerance: 1e-18 });
  const got = mixtureMean(lim.law)[0]!;
  const formula = gaussianDataLimitMean(c.m, c.alpha, c.t0);
  // scalar recursion μ ← e^{−t0/2}(α m + (1−α) μ) from μ = m: contraction (1−α)e^{−t0/2}; iterate until the step is below u|m|
  let mu = c.m;
  for (let i = 0; i < 100000; i++) {
    const next = Math.exp(-0.5 * c.t0) * (c.alpha * c.m + (1 - c.alpha) * mu);
    if (Math.abs(next - mu) <= U * Math.abs(c.m) * 1e-3) {
      mu = next;
      break;
    }
    mu = next;
  }
  const rho = modeContraction(1, c.alpha, c.t0);
  // float: Σ of K terms each with ≤ 6 roundings: γ_{K+6}|m|; truncation (1−α)^K |m| ≤ 1e-18 |m|;
  // formula: ≤ 8 roundings amplified by 1/(1 − ρ) (denominator αe − expm1): 8u|m|/(1 − ρ)
  const tol = (lim.terms + 6) * U * Math.abs(c.m) + lim.tvBound * Math.abs(c.m) + (8 * U * Math.abs(c.m)) / (1 - rho);
  // scalar recursion: fixed-point error ≤ step/(1−ρ) + accumulated rounding 4u|m|/(1−ρ)
  const tolRec = (5 * U * Math.abs(c.m)) / (1 - rho);
  return {
    comparisons: [
      eqExact('mean(p*) = α e^{−t0/2} m / (1 − (1−α) e^{−t0/2})', got, formula, tol + UNDERFLOW_FLOOR),
      eqExact('scalar mean recursion limit = formula', mu, formula, tolRec + (8 * U * Math.abs(c.m)) / (1 - rho) + UNDERFLOW_FLOOR),
      eqExact('mean(p*) = λ_1 m (Hermite mode 1)', got, limitAttenuation(1, c.alpha, c.t0) * c.m, tol + UNDERFLOW_FLOOR),
    ],
    statistics: { relativeError: Math.abs(formula) > 1e-300 ? Math.abs(got - formula) / Math.abs(formula) : 0 },
  };
}

/** Representative pictures: densities of p_data, iterates and p*; convergence curves with the predicted rates. */
function pictures() {
  const pd = gmm1d([[0.3, -2, 0.25], [0.7, 1.5, 0.5]]);
  const alpha = 0.3;
  const t0 = 0.2;
  const lim = limitLaw(pd, alpha, t0, { tolerance: 1e-16 });
  const G = 30;
  const it = iterateRecursion(pd, { alpha, schedule: { kind: 'constant', t0 }, generations: G });
  const xs = Array.from({ length: 241 }, (_, j) => -6 + j * 0.05);
  const dens = (p: GaussianMixture) => [...mixtureDensity1d(p, xs)];
  const l1 = it.map((p) => mixtureL1Distance1d(p, lim.law).value);
  const gens = it.map((_, i) => i);
  return {
    series: {
      'density/x': xs,
      'density/p_data': dens(pd),
      'density/p̂^1': dens(it[1]!),
      'density/p̂^5': dens(it[5]!),
      'density/p* (limit)': dens(lim.law),
      'convergence/generation': gens,
      'convergence/L1(p̂^i, p*)': l1.map((v) => (v > 0 ? v : null)),
      'convergence/(1−α)^i L1(p̂^0, p*) (P2-2 bound)': gens.map((i) => (1 - alpha) ** i * l1[0]!),
      'convergence/slowest mode ((1−α)e^{−t0/2})^i L1_0': gens.map((i) => modeContraction(1, alpha, t0) ** i * l1[0]!),
    },
    plots: [
      { panel: 'density', kind: 'density' as const, title: 'p_data, iterates and the limit p* (α=0.3, t0=0.2)', x: 'x', xLabel: 'x', yLabel: 'density' },
      { panel: 'convergence', kind: 'per-generation' as const, title: 'Convergence to p*: measured L1 vs predicted rates', x: 'generation', yScale: 'log' as const, xLabel: 'generation i', yLabel: 'L1 = 2 TV' },
    ],
    notes: [`representative case p_data = ${JSON.stringify(describeGmm1d(pd))}, α = ${alpha}, t0 = ${t0}`],
  };
}

function heavyChecks(tier: 'default' | 'deep') {
  const aMin = tier === 'deep' ? 0.02 : ALPHA_MIN_DEFAULT;
  const runs = (n: number) => (tier === 'deep' ? 5 * n : n);
  const suffix = tier === 'deep' ? ' [deep]' : '';
  it('Φ(p*_K) = p*_K up to the proven truncation (and the exact gap formula)', () => {
    const { entry } = checkProperty({
      claimId: 'P2-2',
      check: 'fixed point of the round map (1-D, quadrature)' + suffix,
      expected: 'holds',
      arbitrary: fc.record({ p: gmm1dArb(tier === 'deep' ? 3 : 2, 0.05, 2), alpha: alphaArb(tier === 'deep' ? 0.05 : aMin, 0.95), t0: t0Arb(0.05, 1), tolerance: fc.constantFrom(1e-2, 1e-4, tier === 'deep' ? 1e-8 : 1e-12) }),
      numRuns: runs(10),
      evaluate: fixedPoint,
    });
    recordAndAssert(entry);
  }, tier === 'deep' ? DEEP_TIMEOUT_MS : undefined);

  it('two starts converge to the same law, L1 decays at least like (1−α)^i', () => {
    const { entry } = checkProperty({
      claimId: 'P2-2',
      check: 'TV rate (1−α)^i and uniqueness from two starts (1-D)' + suffix,
      expected: 'holds',
      arbitrary: fc.record({ p: gmm1dArb(2, 0.1, 2), q: gmm1dArb(2, 0.1, 2), alpha: alphaArb(aMin, 0.95), t0: t0Arb(0.05, 1) }),
      numRuns: runs(4),
      evaluate: rateAndUniqueness,
      ...(tier === 'default' ? pictures() : {}),
    });
    recordAndAssert(entry);
  }, tier === 'deep' ? DEEP_TIMEOUT_MS : undefined);

  it('measured 1-D rate matches the slowest active Hermite mode (1−α) e^{−n t0/2}', () => {
    const { entry } = checkProperty({
      claimId: 'P2-2',
      check: 'measured rate = slowest active Hermite mode (generic n=1, symmetric n=2, symmetric unit variance n=4)' + suffix,
      expected: 'holds',
      arbitrary: rateCaseArb,
      numRuns: runs(4),
      evaluate: measuredRate,
    });
    recordAndAssert(entry);
  }, tier === 'deep' ? DEEP_TIMEOUT_MS : undefined);
}

describe('P2-2 fixed point, uniqueness, geometric TV rate, slowest-mode rate (1-D)', () => heavyChecks('default'));
describeDeep('P2-2 deep sweep (α down to 0.02, 3-component data, 5× cases)', () => heavyChecks('deep'));

describe('P2-2 special cases', () => {
  it('α = 0 converges to N(0, 1)', () => {
    const { entry } = checkProperty({ claimId: 'P2-2', check: 'α = 0 → N(0,1) (entropy-decay bound)', expected: 'holds', arbitrary: caseArb, numRuns: 10, evaluate: alphaZero });
    recordAndAssert(entry);
  });

  it('Gaussian data: limit mean formula to float accuracy', () => {
    const { entry } = checkProperty({
      claimId: 'P2-2',
      check: 'Gaussian-data limit mean α e^{−t0/2} m / (1 − (1−α) e^{−t0/2})',
      expected: 'holds',
      arbitrary: fc.record({ m: boundedDouble(-5, 5), v: boundedDouble(0.05, 3), alpha: alphaArb(0.05, 0.95), t0: t0Arb(0.01, 2) }),
      numRuns: 60,
      evaluate: gaussianMean,
    });
    recordAndAssert(entry);
  });
});
