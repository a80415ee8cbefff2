/**
 * The Monte Carlo χ² and KL estimators and the χ² finiteness criteria of
 * src/divergences/monte-carlo.ts (docs/theory.md §5.2, §5.4; claim D-3), against oracles written
 * here (issue 11, mutation item). Exact checks: no Monte Carlo error is charged, because every
 * estimate is compared with the same statistic recomputed from the same draws.
 *
 * Oracles:
 * - Estimators: the module documents its sample stream (block b of MC_BLOCK draws of p from
 *   rng.derive('mc-block', b)); the test draws the same points with `sampleMixture`, evaluates
 *   log p and log q with Gaussian log-densities written here (log-sum-exp over components), and
 *   recomputes the mean and the SE = sd/√n with simple-statistics' `mean` and
 *   `sampleStandardDeviation` (two-pass, not Welford). Identical laws give log p − log q = 0 for
 *   every draw, so KL and χ² estimates and SEs are exactly 0.
 * - Criterion (a)/(b) bounds: ∫ N(μ₁, a)² / N(μ₂, b) = b / √(a (2b − a)) · exp((μ₁ − μ₂)² / (2b − a))
 *   per coordinate (finite iff 2b > a), written here.
 * - Criterion (c) witnesses: a test-side check of the witness: for every q component k with
 *   v_k > 0, with Q_k = 2 S_j⁻¹ − S_k⁻¹ and b_k = 2 S_j⁻¹ m_j − S_k⁻¹ m_k from 2×2 (or 1×1) inverses
 *   written here, either uᵀ Q_k u < 0 (strict) or Q_k u = 0 and b_kᵀ u ≥ 0 (null direction). The
 *   verdicts 'unknown' are shown by hand in each case (no k has 2 S_k − S_j ≻ 0, and the cones
 *   {uᵀ Q_k u < 0} have no common direction, or the documented rounding margin rejects it).
 * - Guards: the exact error messages.
 */
import { describe, expect, it } from 'vitest';
import { mean as ssMean, sampleStandardDeviation } from 'simple-statistics';
import { fc, test } from '../support/prop.ts';
import { diagonalGaussian, fullGaussian, isotropicGaussian, type Gaussian } from '../../src/distributions/gaussian.ts';
import { gaussianMixture, sampleMixture, singleGaussianMixture, type GaussianMixture } from '../../src/distributions/gaussian-mixture.ts';
import {
  chiSquareInfinityWitness,
  chiSquareMonteCarlo,
  chiSquareStatus,
  criterionMargin,
  divergencesMonteCarlo,
  klMonteCarlo,
  MC_BLOCK,
  WITNESS_RANDOM_DIRECTIONS,
  type MonteCarloDivergence,
} from '../../src/divergences/monte-carlo.ts';
import { rngForCase, type Rng } from '../../src/random/rng.ts';
import { UNIT_ROUNDOFF as U } from '../../src/numerics/rounding.ts';
import { boundedDouble as dbl, caseSeed } from '../support/arbitraries.ts';

const EPS = Number.EPSILON;
const LOG_2PI = Math.log(2 * Math.PI);

// ------------------------------------------------------------------------------------------
// test-side densities and statistics

/** log N(x; m, S) for S diagonal as stored (isotropic/diagonal kinds) or 2×2 / 1×1 full. */
function logGaussian(g: Gaussian, x: ArrayLike<number>, off: number): number {
  const d = g.dim;
  const inv = inverse(g.cov, d);
  const det = d === 1 ? g.cov[0]! : g.cov[0]! * g.cov[3]! - g.cov[1]! * g.cov[2]!;
  let qf = 0;
  for (let i = 0; i < d; i++) for (let k = 0; k < d; k++) qf += (x[off + i]! - g.mean[i]!) * inv[i * d + k]! * (x[off + k]! - g.mean[k]!);
  return -0.5 * (d * LOG_2PI + Math.log(det) + qf);
}

function logMixture(m: GaussianMixture, x: ArrayLike<number>, off: number): number {
  const terms: number[] = [];
  m.components.forEach((c, k) => {
    if (m.weights[k]! > 0) terms.push(Math.log(m.weights[k]!) + logGaussian(c, x, off));
  });
  const top = Math.max(...terms);
  return top + Math.log(terms.reduce((s, t) => s + Math.exp(t - top), 0));
}

/** S⁻¹ for d = 1 or 2 (closed form). */
function inverse(s: ArrayLike<number>, d: number): Float64Array {
  if (d === 1) return Float64Array.of(1 / s[0]!);
  const det = s[0]! * s[3]! - s[1]! * s[2]!;
  return Float64Array.of(s[3]! / det, -s[1]! / det, -s[2]! / det, s[0]! / det);
}

/** The draws of the module's documented stream: block b = MC_BLOCK draws from rng.derive('mc-block', b). */
function documentedDraws(p: GaussianMixture, n: number, rng: Rng): Float64Array {
  const d = p.dim;
  const out = new Float64Array(n * d);
  for (let b = 0, done = 0; done < n; b++) {
    const m = Math.min(MC_BLOCK, n - done);
    out.set(sampleMixture(p, m, rng.derive('mc-block', b)), done * d);
    done += m;
  }
  return out;
}

interface Reference {
  logRatios: number[];
  /** per-draw bound on |(log p − log q)_module − (log p − log q)_test| */
  maxLogRatioError: number;
}

/**
 * Log-ratio per draw and its rounding bound. Each log-density (module and test) is a sum of
 * ≤ 4 terms (log w_k, ½ d log 2π, ½ log det, ½ quadratic form) of magnitude ≤ A = |log w| +
 * d·|log 2π| + |log det| + qf, each term after ≤ 8 roundings or libm calls (≤ 2u each), plus the
 * log-sum-exp (≤ 4 more): |error| ≤ 32u·(A + 1) per density and route, so the difference of the
 * two routes' log-ratios is ≤ 2·32u·(A_p + A_q + 2). A_p, A_q are bounded here by
 * |log p| + |log q| + 2·d·|log 2π| + 2·max|log det| + 2·max|log w| + 8 (qf ≤ 2|log N| + d|log 2π| + |log det|).
 */
function reference(p: GaussianMixture, q: GaussianMixture, xs: Float64Array, n: number): Reference {
  const d = p.dim;
  const logDetMax = Math.max(...[...p.components, ...q.components].map((c) => Math.abs(Math.log(d === 1 ? c.cov[0]! : c.cov[0]! * c.cov[3]! - c.cov[1]! * c.cov[2]!))));
  const logWMax = Math.max(...[...p.weights, ...q.weights].filter((w) => w > 0).map((w) => Math.abs(Math.log(w))));
  const logRatios: number[] = [];
  let maxErr = 0;
  for (let i = 0; i < n; i++) {
    const lp = logMixture(p, xs, i * d);
    const lq = logMixture(q, xs, i * d);
    logRatios.push(lp - lq);
    const a = 3 * (Math.abs(lp) + Math.abs(lq)) + 2 * d * LOG_2PI + 4 * logDetMax + 4 * logWMax + 8;
    maxErr = Math.max(maxErr, 64 * U * (a + 2));
  }
  return { logRatios, maxLogRatioError: maxErr };
}

/**
 * |mean_module − mean_test|: per-value error e (from `reference`) plus the rounding of the two
 * summations: Welford's mean after n updates is within 3n·u·max|v| of the exact mean (each update
 * adds ≤ 3 roundings of magnitude ≤ max|v|), simple-statistics' sum/n within (n+1)·u·max|v|.
 */
function meanTolerance(values: readonly number[], e: number): number {
  const n = values.length;
  const big = Math.max(...values.map(Math.abs));
  return e + (4 * n + 1) * U * big;
}

/**
 * |sd_module − sd_test|: sd is √(n/(n−1))-Lipschitz in the max norm, so the per-value error e adds
 * ≤ 2e; rounding of Welford's M2 and of the two-pass sum of squares, first order (Chan, Golub &
 * LeVeque 1983): relative ≤ 4n·u·(1 + |mean|/sd) each, in sd half of it: 4n·u·(sd + |mean|) covers both.
 */
function sdTolerance(values: readonly number[], e: number): number {
  const n = values.length;
  return 2 * e + 4 * n * U * (sampleStandardDeviation([...values]) + Math.abs(ssMean([...values])));
}

function expectEstimator(r: MonteCarloDivergence, values: readonly number[], e: number, shift: number): void {
  const n = values.length;
  expect(r.n).toBe(n);
  expect(Math.abs(r.estimate - (ssMean([...values]) + shift))).toBeLessThanOrEqual(meanTolerance(values, e) + U * Math.abs(r.estimate));
  const sd = sampleStandardDeviation([...values]);
  // SE = sd/√n: one more division and a square root (≤ 2 roundings of SE)
  expect(Math.abs(r.standardError - sd / Math.sqrt(n))).toBeLessThanOrEqual(sdTolerance(values, e) / Math.sqrt(n) + 4 * U * (sd / Math.sqrt(n)));
}

/** importance weights exp(log p − log q) and their error bound: |Δ exp(t)| ≤ exp(t)·(e^{e} − 1 + 2u). */
function weights(ref: Reference): { values: number[]; error: number } {
  const values = ref.logRatios.map(Math.exp);
  const big = Math.max(...values);
  return { values, error: big * (Math.expm1(ref.maxLogRatioError) + 4 * U) };
}

// ------------------------------------------------------------------------------------------
// laws used below

/** q with two components, both qualifying for criterion (b) against p (2·1 > 1.2, 2·2 > 1.2) and 3S_k − 2S_p ≻ 0. */
const P1 = singleGaussianMixture(isotropicGaussian([0.3], 1.2));
const Q1 = gaussianMixture([0.4, 0.6], [isotropicGaussian([-0.5], 1), isotropicGaussian([1], 2)]);

const KL_KEYS = ['estimate', 'finiteness', 'heavyTail', 'method', 'n', 'standardError', 'varianceFinite'];
const CHI_KEYS = [...KL_KEYS, 'reason'].sort();

const REASON_A_FINITE = 'q is one Gaussian and 2 S_q − S_j ≻ 0 for every j (exact criterion)';
const REASON_A_INFINITE = (j: number) => `q is one Gaussian and 2 S_q − S_${j} is not positive definite (D-3 criterion)`;
const REASON_B = 'some component k of q has 2 S_k − S_j ≻ 0 for all j, so ∫p²/q ≤ (1+χ²(p‖N_k))/v_k';
const REASON_C = (j: number, c: string) => `component ${j} of p: along u every component of q has a tail no heavier than N_${j}² (criterion (c), case ${c})`;
const REASON_UNKNOWN = 'neither the finiteness criterion (b) nor the infiniteness criterion (c) applies';
const WARNING_FINITE =
  'χ² is proven finite but E_p[(p/q)²] is not: the estimator may have infinite variance, so the standard error is not a valid error bar (the running mean converges slower than 1/√n and mostly underestimates)';
const WARNING_UNKNOWN =
  'χ² finiteness is not proven either way: the divergence may be infinite (then this finite estimate is meaningless) and the estimator variance may be infinite (then the standard error is not a valid error bar)';

// ------------------------------------------------------------------------------------------

describe('monte-carlo.ts estimators: mean and SE = the same statistics recomputed from the same draws', () => {
  it('two noise blocks (n = MC_BLOCK + 3): KL, χ² and the shared-sample pair', () => {
    const n = MC_BLOCK + 3;
    const rng = rngForCase(11, 'mc-two-blocks');
    const ref = reference(P1, Q1, documentedDraws(P1, n, rng), n);
    const kl = klMonteCarlo(P1, Q1, n, rng);
    expectEstimator(kl, ref.logRatios, ref.maxLogRatioError, 0);
    expect(Object.keys(kl).sort()).toEqual(KL_KEYS);
    expect(kl).toMatchObject({ method: 'log-ratio-kl', heavyTail: false, finiteness: 'finite', varianceFinite: true });
    const w = weights(ref);
    const chi = chiSquareMonteCarlo(P1, Q1, n, rng);
    expectEstimator(chi, w.values, w.error, -1);
    expect(Object.keys(chi).sort()).toEqual(CHI_KEYS);
    expect(chi).toMatchObject({ method: 'importance-chi-square', heavyTail: false, finiteness: 'finite', varianceFinite: true, reason: REASON_B });
    // one sample for both: the same numbers as the two separate calls, bit for bit
    const both = divergencesMonteCarlo(P1, Q1, n, rng);
    expect(both.kl).toStrictEqual(kl);
    expect(both.chiSquare).toStrictEqual(chi);
  });

  test.prop([fc.record({ seed: caseSeed(), n: fc.integer({ min: 2, max: 300 }), mp: dbl(-1, 1), vp: dbl(0.3, 1.3), mq: dbl(-1, 1), vq: dbl(0.8, 2) })], { numRuns: 20 })(
    'one block, 1-D Gaussian p against a 2-component q: KL and χ² from the documented stream',
    ({ seed, n, mp, vp, mq, vq }) => {
      // q's components have variances ≥ 0.8 > vp/2 and 3·0.8 > 2·1.3 is not needed: the SE is compared as a number
      const p = singleGaussianMixture(isotropicGaussian([mp], vp));
      const q = gaussianMixture([0.5, 0.5], [isotropicGaussian([mq], vq), isotropicGaussian([mq + 1], 1)]);
      const rng = rngForCase(seed, 'mc-one-block');
      const ref = reference(p, q, documentedDraws(p, n, rng), n);
      const both = divergencesMonteCarlo(p, q, n, rng);
      expectEstimator(both.kl, ref.logRatios, ref.maxLogRatioError, 0);
      const w = weights(ref);
      expectEstimator(both.chiSquare, w.values, w.error, -1);
      expect(both.chiSquare.finiteness).toBe('finite');
    },
  );

  it('identical laws: every log-ratio is 0, so KL = χ² = 0 and SE = 0 exactly (2-D, full and diagonal components)', () => {
    const p = gaussianMixture([0.25, 0.75], [fullGaussian([0.5, -1], [1.5, 0.3, 0.3, 0.8]), diagonalGaussian([-1, 2], [0.4, 2.2])]);
    for (const n of [2, 37]) {
      const r = divergencesMonteCarlo(p, p, n, rngForCase(5, 'identical'));
      expect(r.kl.estimate).toBe(0);
      expect(r.kl.standardError).toBe(0);
      expect(r.chiSquare.estimate).toBe(0);
      expect(r.chiSquare.standardError).toBe(0);
      expect(klMonteCarlo(p, p, n, rngForCase(5, 'identical')).estimate).toBe(0);
      expect(chiSquareMonteCarlo(p, p, n, rngForCase(5, 'identical')).estimate).toBe(0);
    }
  });

  it('n = 2 is the smallest sample: mean of two values and SE = |v₁ − v₂|/2', () => {
    const rng = rngForCase(3, 'n2');
    const ref = reference(P1, Q1, documentedDraws(P1, 2, rng), 2);
    const [a, b] = ref.logRatios as [number, number];
    const kl = klMonteCarlo(P1, Q1, 2, rng);
    const e = ref.maxLogRatioError + 4 * U * (Math.abs(a) + Math.abs(b));
    expect(Math.abs(kl.estimate - (a + b) / 2)).toBeLessThanOrEqual(e);
    // sd of two values = |a − b|/√2, SE = sd/√2 = |a − b|/2
    expect(Math.abs(kl.standardError - Math.abs(a - b) / 2)).toBeLessThanOrEqual(2 * e);
  });

  it('n must be an integer ≥ 2: exact message for 1, 0, 2.5, NaN; checked before sampling', () => {
    for (const n of [1, 0, -3, 2.5, Number.NaN]) {
      const msg = `monte-carlo: n = ${n} must be an integer ≥ 2`;
      expect(() => klMonteCarlo(P1, Q1, n, rngForCase(1, 'n'))).toThrow(msg);
      expect(() => chiSquareMonteCarlo(P1, Q1, n, rngForCase(1, 'n'))).toThrow(msg);
      expect(() => divergencesMonteCarlo(P1, Q1, n, rngForCase(1, 'n'))).toThrow(msg);
    }
  });

  it('dimension mismatch: exact messages of the three entry points', () => {
    const p2 = singleGaussianMixture(isotropicGaussian([0, 0], 1));
    expect(() => klMonteCarlo(P1, p2, 10, rngForCase(1, 'dim'))).toThrow('klMonteCarlo: dimensions 1 and 2 differ');
    expect(() => divergencesMonteCarlo(p2, P1, 10, rngForCase(1, 'dim'))).toThrow('divergencesMonteCarlo: dimensions 2 and 1 differ');
    expect(() => chiSquareMonteCarlo(P1, p2, 10, rngForCase(1, 'dim'))).toThrow('chiSquareStatus: dimensions 1 and 2 differ');
  });

  it('heavyTail and warnings: finite with finite variance (no warning), finite with infinite variance, unknown', () => {
    // N(0, 1.7) vs N(0, 1): 2·1 > 1.7 (finite), 3·1 < 2·1.7 (variance not finite)
    const heavy = chiSquareMonteCarlo(singleGaussianMixture(isotropicGaussian([0], 1.7)), singleGaussianMixture(isotropicGaussian([0], 1)), 50, rngForCase(2, 'heavy'));
    expect(heavy).toMatchObject({ heavyTail: true, finiteness: 'finite', varianceFinite: false, warning: WARNING_FINITE, reason: REASON_A_FINITE });
    expect(Number.isFinite(heavy.estimate)).toBe(true);
    // unknown (the 2-D case of the criterion (c) block below): finite estimate, both flags
    const unknown = chiSquareMonteCarlo(UNKNOWN_P, UNKNOWN_Q, 50, rngForCase(2, 'unknown'));
    expect(unknown).toMatchObject({ heavyTail: true, finiteness: 'unknown', varianceFinite: false, warning: WARNING_UNKNOWN, reason: REASON_UNKNOWN });
    expect(Object.keys(unknown).sort()).toEqual([...CHI_KEYS, 'warning'].sort());
    // the estimate is still the documented importance mean
    const rng = rngForCase(2, 'unknown');
    const w = weights(reference(UNKNOWN_P, UNKNOWN_Q, documentedDraws(UNKNOWN_P, 50, rng), 50));
    expectEstimator(unknown, w.values, w.error, -1);
    // finite with finite variance: no warning key at all
    const light = chiSquareMonteCarlo(singleGaussianMixture(isotropicGaussian([0], 1.2)), singleGaussianMixture(isotropicGaussian([0.5], 1)), 50, rngForCase(2, 'light'));
    expect(light).toMatchObject({ heavyTail: false, finiteness: 'finite', varianceFinite: true, reason: REASON_A_FINITE });
    expect('warning' in light).toBe(false);
  });

  it('χ² = +∞ proven: exactly +∞ with SE 0 and n 0 (no sampling); the shared-sample KL is still estimated', () => {
    // N(0.2, 2.5) vs N(0, 1): 2·1 − 2.5 < 0
    const p = singleGaussianMixture(isotropicGaussian([0.2], 2.5));
    const q = singleGaussianMixture(isotropicGaussian([0], 1));
    const expected = { estimate: Infinity, standardError: 0, n: 0, method: 'closed-form-infinite', heavyTail: false, finiteness: 'infinite', varianceFinite: false, reason: REASON_A_INFINITE(0) };
    expect(chiSquareMonteCarlo(p, q, 64, rngForCase(4, 'inf'))).toStrictEqual(expected);
    const rng = rngForCase(4, 'inf');
    const both = divergencesMonteCarlo(p, q, 64, rng);
    expect(both.chiSquare).toStrictEqual(expected);
    const ref = reference(p, q, documentedDraws(p, 64, rng), 64);
    expectEstimator(both.kl, ref.logRatios, ref.maxLogRatioError, 0);
    expect(both.kl).toStrictEqual(klMonteCarlo(p, q, 64, rng));
  });

  it('importance weights beyond double range throw a RangeError (mean overflow; mean finite but Σ(w − w̄)² overflow)', () => {
    const msg =
      'chiSquareMonteCarlo: importance weights p/q overflow a double (the divergence is astronomically large); use the closed-form bound logUpperBoundPlusOne of chiSquareStatus';
    const p = singleGaussianMixture(isotropicGaussian([0], 1));
    // q = N(40, 1): log w = 800 − 40x > 709.8 for x < 2.25: w = +∞ for nearly every draw
    expect(() => chiSquareMonteCarlo(p, singleGaussianMixture(isotropicGaussian([40], 1)), 64, rngForCase(6, 'ovf'))).toThrow(msg);
    // q = N(26, 1): log w = 338 − 26x: every w finite (< e^{709} for |x| < 14), the mean finite, but
    // (w − w̄)² overflows: only the SD check catches it. The test checks that premise on the draws.
    const q = singleGaussianMixture(isotropicGaussian([26], 1));
    const rng = rngForCase(6, 'ovf-sd');
    const ws = documentedDraws(p, 64, rng).map((x) => Math.exp(338 - 26 * x));
    const wBar = ssMean([...ws]);
    expect(Number.isFinite(wBar)).toBe(true);
    expect(Math.max(...ws.map((w) => Math.abs(w - wBar))) ** 2).toBe(Infinity);
    expect(() => chiSquareMonteCarlo(p, q, 64, rng)).toThrow(msg);
    expect(() => chiSquareMonteCarlo(p, q, 64, rng)).toThrow(RangeError);
    expect(() => divergencesMonteCarlo(p, q, 64, rng)).toThrow(msg);
  });
});

// ------------------------------------------------------------------------------------------
// criteria (a), (b)

/** ∫ N(μ₁, a)² / N(μ₂, b) in 1-D (finite iff 2b > a). */
function pairIntegral1d(m1: number, a: number, m2: number, b: number): number {
  return (b / Math.sqrt(a * (2 * b - a))) * Math.exp(((m1 - m2) * (m1 - m2)) / (2 * b - a));
}

/**
 * Closed-form tolerance for log(1 + χ²) of the module (mixture-vs-gaussian.ts route) against
 * `pairIntegral1d` here: both are ≤ 10 roundings / libm calls of terms of magnitude ≤ T (the log of
 * the value plus |log| of its factors): 40u·(1 + T), T ≤ 10 in these cases: CLOSED_FORM_LOG_ABS.
 */
const CLOSED_FORM_LOG_ABS = 40 * U * 11;

describe('monte-carlo.ts chiSquareStatus: criteria (a) and (b), bounds, reasons, guards', () => {
  it('criterionMargin = 10·d·ε·(κ_j + κ_k), exactly', () => {
    expect(criterionMargin(2, 3, 5)).toBe(160 * EPS);
    expect(criterionMargin(1, 1, 1)).toBe(20 * EPS);
    expect(criterionMargin(3, 0.5, 0)).toBe(15 * EPS);
    expect(WITNESS_RANDOM_DIRECTIONS).toBe(32);
  });

  it('(a) q one Gaussian, finite: exact bound = closed form; varianceFinite iff 3 S_q − 2 S_j ≻ 0; bound: false skips it', () => {
    const q = singleGaussianMixture(isotropicGaussian([-0.2], 1));
    for (const [m, a, varFinite] of [[0.3, 1.2, true], [0.1, 1.7, false], [-1, 0.4, true]] as const) {
      const st = chiSquareStatus(singleGaussianMixture(isotropicGaussian([m], a)), q);
      const J = pairIntegral1d(m, a, -0.2, 1);
      expect(st.finiteness).toBe('finite');
      expect(st.varianceFinite).toBe(varFinite);
      expect(Math.abs(st.logUpperBoundPlusOne! - Math.log(J))).toBeLessThanOrEqual(CLOSED_FORM_LOG_ABS);
      expect(Math.abs(st.upperBound! - (J - 1))).toBeLessThanOrEqual(2 * CLOSED_FORM_LOG_ABS * J);
      expect(st.witness).toBe(null);
      expect(st.reason).toBe(REASON_A_FINITE);
      const noBound = chiSquareStatus(singleGaussianMixture(isotropicGaussian([m], a)), q, { bound: false });
      expect(noBound).toStrictEqual({ ...st, upperBound: null, logUpperBoundPlusOne: null });
    }
    // variance: every j must satisfy it (one p component with 3·1 − 2·1.7 < 0)
    const mixed = gaussianMixture([0.5, 0.5], [isotropicGaussian([0], 1), isotropicGaussian([0], 1.7)]);
    expect(chiSquareStatus(mixed, singleGaussianMixture(isotropicGaussian([0], 1)))).toMatchObject({ finiteness: 'finite', varianceFinite: false });
    const both = gaussianMixture([0.5, 0.5], [isotropicGaussian([0], 1), isotropicGaussian([0], 1.4)]);
    expect(chiSquareStatus(both, singleGaussianMixture(isotropicGaussian([0], 1)))).toMatchObject({ finiteness: 'finite', varianceFinite: true });
  });

  it('(a) q one Gaussian, infinite: the first offending p component is the witness; zero weights are ignored', () => {
    const q = singleGaussianMixture(isotropicGaussian([0], 1));
    const p = gaussianMixture([0.3, 0.4, 0.3], [isotropicGaussian([0], 1), isotropicGaussian([1], 2.5), isotropicGaussian([0], 3)]);
    const st = chiSquareStatus(p, q);
    expect(st).toStrictEqual({ finiteness: 'infinite', varianceFinite: false, upperBound: null, logUpperBoundPlusOne: null, witness: { j: 1, u: new Float64Array(0), case: 'single-gaussian' }, reason: REASON_A_INFINITE(1) });
    // a zero-weight p component that would be infinite does not count
    const pz = gaussianMixture([0, 1], [isotropicGaussian([0], 10), isotropicGaussian([0.3], 1.2)]);
    expect(chiSquareStatus(pz, q)).toMatchObject({ finiteness: 'finite', varianceFinite: true, reason: REASON_A_FINITE });
    // a zero-weight q component is not a component of q: q is one Gaussian (criterion (a), its reason)
    const qz = gaussianMixture([0, 1], [isotropicGaussian([5], 0.1), isotropicGaussian([-0.2], 1)]);
    const st2 = chiSquareStatus(P1, qz);
    expect(st2.reason).toBe(REASON_A_FINITE);
    expect(Math.abs(st2.logUpperBoundPlusOne! - Math.log(pairIntegral1d(0.3, 1.2, -0.2, 1)))).toBeLessThanOrEqual(CLOSED_FORM_LOG_ABS);
    expect(chiSquareStatus(pz, qz).finiteness).toBe('finite');
  });

  it('(b) bound from the qualifying component of largest weight: (1 + χ²(p‖N_k))/v_k − 1 (either order)', () => {
    const p = singleGaussianMixture(isotropicGaussian([0.1], 1.2));
    const a = isotropicGaussian([0.2], 1);
    const b = isotropicGaussian([-0.4], 1.4);
    const J = pairIntegral1d(0.1, 1.2, -0.4, 1.4) / 0.7;
    for (const q of [gaussianMixture([0.3, 0.7], [a, b]), gaussianMixture([0.7, 0.3], [b, a])]) {
      const st = chiSquareStatus(p, q);
      expect(st.finiteness).toBe('finite');
      expect(st.varianceFinite).toBe(true);
      expect(st.witness).toBe(null);
      expect(st.reason).toBe(REASON_B);
      // − log 0.7: one more libm call (2u·|log 0.7|)
      expect(Math.abs(st.logUpperBoundPlusOne! - Math.log(J))).toBeLessThanOrEqual(CLOSED_FORM_LOG_ABS + 4 * U);
      expect(Math.abs(st.upperBound! - (J - 1))).toBeLessThanOrEqual(2 * (CLOSED_FORM_LOG_ABS + 4 * U) * J);
      expect(chiSquareStatus(p, q, { bound: false })).toStrictEqual({ ...st, upperBound: null, logUpperBoundPlusOne: null });
    }
  });

  it('(b) a component qualifies only if 2 S_k − S_j ≻ 0 for EVERY j; variance finite only if 3 S_k − 2 S_j ≻ 0 for every j', () => {
    // p components 1 and 2.5; q: k0 (var 1) fails for j = 1 (2 − 2.5 < 0), k1 (var 1.5) qualifies (3 > 2.5);
    // variance: k0: 3 − 5 < 0, k1: 4.5 − 5 < 0 → not finite
    const p = gaussianMixture([0.5, 0.5], [isotropicGaussian([0], 1), isotropicGaussian([0.5], 2.5)]);
    const q = gaussianMixture([0.5, 0.5], [isotropicGaussian([0], 1), isotropicGaussian([0.3], 1.5)]);
    const st = chiSquareStatus(p, q);
    expect(st.finiteness).toBe('finite');
    expect(st.varianceFinite).toBe(false);
    // ∫p²/N_k1 = Σ_ij w_i w_j ∫N_i N_j / N_k1 (closed form for i ≠ j below), bound = that / 0.5 − 1
    const cross = (m1: number, a1: number, m2: number, a2: number, m: number, s: number) => {
      // ∫ N(m1,a1) N(m2,a2) / N(m,s): Gaussian integral with precision A = 1/a1 + 1/a2 − 1/s
      const A = 1 / a1 + 1 / a2 - 1 / s;
      const B = m1 / a1 + m2 / a2 - m / s;
      const C = (m1 * m1) / a1 + (m2 * m2) / a2 - (m * m) / s;
      // (2π)^{-1/2}·√(s/(a1 a2)) · √(2π/A) · e^{½(B²/A − C)}
      return Math.sqrt(s / (a1 * a2 * A)) * Math.exp(0.5 * ((B * B) / A - C));
    };
    const I = 0.25 * (pairIntegral1d(0, 1, 0.3, 1.5) + pairIntegral1d(0.5, 2.5, 0.3, 1.5) + 2 * cross(0, 1, 0.5, 2.5, 0.3, 1.5));
    // cross term: ≤ 12 roundings of terms ≤ 10: inside CLOSED_FORM_LOG_ABS·2
    expect(Math.abs(st.logUpperBoundPlusOne! - Math.log(I / 0.5))).toBeLessThanOrEqual(2 * CLOSED_FORM_LOG_ABS);
  });

  it('guards: dimensions differ; a mixture without a positive weight (exact messages)', () => {
    expect(() => chiSquareStatus(P1, singleGaussianMixture(isotropicGaussian([0, 0], 1)))).toThrow('chiSquareStatus: dimensions 1 and 2 differ');
    const none: GaussianMixture = { dim: 1, weights: Float64Array.of(0), components: [isotropicGaussian([0], 1)] };
    expect(() => chiSquareStatus(none, Q1)).toThrow('chiSquareStatus: a mixture has no positive weight');
    expect(() => chiSquareStatus(P1, none)).toThrow('chiSquareStatus: a mixture has no positive weight');
    // a hand-built full component that is not SPD (the constructors refuse it): the inverse names the module
    const bad: Gaussian = { dim: 2, mean: Float64Array.of(0, 0), cov: Float64Array.of(1, 2, 2, 1), kind: 'full' };
    const q2 = gaussianMixture([0.5, 0.5], [bad, isotropicGaussian([0, 0], 1)]);
    expect(() => chiSquareInfinityWitness(singleGaussianMixture(isotropicGaussian([0, 0], 1)), q2)).toThrow('monte-carlo: component covariance is not positive definite');
  });
});

// ------------------------------------------------------------------------------------------
// criterion (c)

/**
 * Test-side rounding allowance of the witness check, relative to the scale 2 uᵀS_j⁻¹u + uᵀS_k⁻¹u:
 * the 2×2 inverses have entries within 4u·κ relative (κ = condition number, the determinant's
 * cancellation) of magnitude ≤ κ/λ_max, while the scale is ≥ 1/λ_max: one quadratic form
 * (≤ 8 more roundings) is within 16u·κ² of the scale: witnessTolerance = 16u·(κ_j + κ_k)².
 * The module's own margin rejects |uᵀQu| below 10·d·ε·(κ_j + κ_k)·scale, and every 2-D case here
 * is decided by a margin ≥ 1e-4 relative (or along an axis, exactly: see checkWitness).
 */
function condition(g: Gaussian): number {
  if (g.dim === 1) return 1;
  const [a, b, , c] = g.cov as unknown as [number, number, number, number];
  const h = 0.5 * (a + c);
  const r = Math.hypot(0.5 * (a - c), b);
  return (h + r) / (h - r);
}
const witnessTolerance = (a: Gaussian, b: Gaussian) => 16 * U * (condition(a) + condition(b)) ** 2;

function checkWitness(p: GaussianMixture, q: GaussianMixture, w: { j: number; u: Float64Array; case: string }): void {
  const d = p.dim;
  const u = w.u;
  const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from({ length: d }, (_, i) => a[i]! * b[i]!).reduce((s, t) => s + t, 0);
  const mul = (m: Float64Array, v: ArrayLike<number>) => Float64Array.from({ length: d }, (_, i) => dot(m.subarray(i * d, i * d + d), v));
  expect(p.weights[w.j]!).toBeGreaterThan(0);
  expect(Math.abs(Math.hypot(...u) - 1)).toBeLessThanOrEqual(4 * d * U);
  const sj = p.components[w.j]!;
  const sjInv = inverse(sj.cov, d);
  let anyStrict = false;
  q.components.forEach((c, k) => {
    if (!(q.weights[k]! > 0)) return;
    const skInv = inverse(c.cov, d);
    const Q = Float64Array.from(sjInv, (v, i) => 2 * v - skInv[i]!);
    const scale = 2 * dot(u, mul(sjInv, u)) + dot(u, mul(skInv, u));
    const val = dot(u, mul(Q, u));
    // diagonal covariances along an axis e_i: uᵀQ_k u = 2/S_j,ii − 1/S_k,ii has the sign of
    // 2 S_k,ii − S_j,ii, decided exactly on the stored doubles (the 1-ulp cases below need it)
    const axis = u.findIndex((x) => x !== 0);
    const isAxis = u.every((x, i) => i === axis || x === 0);
    const diag = (m: Float64Array) => m.every((x, i) => i % (d + 1) === 0 || x === 0);
    if (isAxis && diag(sj.cov) && diag(c.cov)) {
      const a = sj.cov[axis * (d + 1)]!;
      const b = 2 * c.cov[axis * (d + 1)]!;
      if (a > b) {
        anyStrict = true;
        return;
      }
      expect(a, `component ${k}: S_j,ii < 2 S_k,ii along the axis witness`).toBe(b);
    } else if (val < -witnessTolerance(sj, c) * scale) {
      anyStrict = true;
      return;
    }
    // null direction: Q u = 0 (to rounding) and b_kᵀu ≥ 0
    const Qu = mul(Q, u);
    expect(Math.hypot(...Qu), `component ${k}: neither uᵀQu < 0 nor Qu = 0`).toBeLessThanOrEqual(witnessTolerance(sj, c) * scale);
    const bk = Float64Array.from({ length: d }, (_, i) => 2 * dot(sjInv.subarray(i * d, i * d + d), sj.mean) - dot(skInv.subarray(i * d, i * d + d), c.mean));
    expect(dot(bk, u), `component ${k}: b_kᵀu < 0 on a null direction`).toBeGreaterThanOrEqual(-witnessTolerance(sj, c) * (Math.hypot(...bk) + 1));
  });
  expect(w.case).toBe(anyStrict ? 'strict' : 'null-direction');
}

function expectInfinite(p: GaussianMixture, q: GaussianMixture, j: number, c: 'strict' | 'null-direction'): Float64Array {
  const st = chiSquareStatus(p, q);
  expect(st.finiteness).toBe('infinite');
  expect(st.varianceFinite).toBe(false);
  expect(st.upperBound).toBe(null);
  expect(st.logUpperBoundPlusOne).toBe(null);
  expect(st.witness!.j).toBe(j);
  expect(st.witness!.case).toBe(c);
  expect(st.reason).toBe(REASON_C(j, c));
  checkWitness(p, q, st.witness!);
  const w = chiSquareInfinityWitness(p, q)!;
  expect(w.j).toBe(j);
  expect(Array.from(w.u)).toEqual(Array.from(st.witness!.u));
  return st.witness!.u;
}

function expectUnknown(p: GaussianMixture, q: GaussianMixture): void {
  expect(chiSquareStatus(p, q)).toStrictEqual({ finiteness: 'unknown', varianceFinite: false, upperBound: null, logUpperBoundPlusOne: null, witness: null, reason: REASON_UNKNOWN });
  expect(chiSquareInfinityWitness(p, q)).toBe(null);
}

/**
 * 2-D, no common direction: Q_k1 = 2/1.5 − diag(1/0.7, 1/2) = diag(−0.095, 0.833), Q_k2 the mirror:
 * uᵀQ_k1u < 0 needs u₂²/u₁² < 0.114, uᵀQ_k2u < 0 needs u₂²/u₁² > 8.77 (disjoint); both Q_k are
 * nonsingular (no null direction); 2 S_k − S_j = diag(−0.1, 2.5) and mirror are indefinite.
 */
const UNKNOWN_P = singleGaussianMixture(isotropicGaussian([0, 0], 1.5));
const UNKNOWN_Q = gaussianMixture([0.5, 0.5], [diagonalGaussian([0, 0], [0.7, 2]), diagonalGaussian([0, 0], [2, 0.7])]);

describe('monte-carlo.ts criterion (c): witnesses checked by a test-side criterion; unknown where no criterion applies', () => {
  it('1-D exact boundary S_j = 2 S_k (null direction): u points away from both q means; between them: unknown', () => {
    const q = gaussianMixture([0.5, 0.5], [isotropicGaussian([-1], 0.5), isotropicGaussian([1], 0.5)]);
    // p mean right of both q means: b_k = (m_j − m_k)/s_k > 0 for both: u = +1
    expect(Array.from(expectInfinite(singleGaussianMixture(isotropicGaussian([2], 1)), q, 0, 'null-direction'))).toEqual([1]);
    // left of both: u = −1
    expect(Array.from(expectInfinite(singleGaussianMixture(isotropicGaussian([-1.5], 1)), q, 0, 'null-direction'))).toEqual([-1]);
    // on one q mean (b = 0 for it, exactly: the constant case) and right of the other: u = +1
    expect(Array.from(expectInfinite(singleGaussianMixture(isotropicGaussian([1], 1)), q, 0, 'null-direction'))).toEqual([1]);
    // on the left q mean: b_k1 = 0, b_k2 < 0: u = −1 (not +1)
    expect(Array.from(expectInfinite(singleGaussianMixture(isotropicGaussian([-1], 1)), q, 0, 'null-direction'))).toEqual([-1]);
    // strictly between: b_k1 > 0 > b_k2: no direction, and 2 S_k − S_j = 0 is not ≻ 0: unknown
    expectUnknown(singleGaussianMixture(isotropicGaussian([0.25], 1)), q);
    // the same with full 1×1 covariances (the stored S_j = 2 S_k exactly: Q_k = 0 used exactly)
    const qf = gaussianMixture([0.5, 0.5], [fullGaussian([-1], [0.3]), fullGaussian([1], [0.3])]);
    expect(Array.from(expectInfinite(singleGaussianMixture(fullGaussian([3], [0.6])), qf, 0, 'null-direction'))).toEqual([1]);
    expectUnknown(singleGaussianMixture(fullGaussian([0.5], [0.6])), qf);
  });

  it('1-D strict: S_j > 2 S_k for every k (all means equal, no b direction): the axis; the witness component j', () => {
    const q = gaussianMixture([0.5, 0.5], [isotropicGaussian([0], 1), isotropicGaussian([0], 1.2)]);
    expect(Array.from(expectInfinite(singleGaussianMixture(isotropicGaussian([0], 3)), q, 0, 'strict'))).toEqual([1]);
    // p = 0.5 N(0, 1) + 0.5 N(0, 3): only j = 1 is a witness; (b): k = 1.2 → 2.4 − 3 < 0, k = 1 → 2 − 3 < 0
    const p = gaussianMixture([0.5, 0.5], [isotropicGaussian([0], 1), isotropicGaussian([0], 3)]);
    expectInfinite(p, q, 1, 'strict');
    // a zero-weight p component that would be the witness does not count
    const pz = gaussianMixture([0, 0.5, 0.5], [isotropicGaussian([0], 30), isotropicGaussian([0], 1), isotropicGaussian([0], 3)]);
    expectInfinite(pz, q, 2, 'strict');
    // a zero-weight q component that would block every direction does not count
    const qz = gaussianMixture([0.5, 0, 0.5], [isotropicGaussian([0], 1), isotropicGaussian([0], 100), isotropicGaussian([0], 1.2)]);
    expectInfinite(singleGaussianMixture(isotropicGaussian([0], 3)), qz, 0, 'strict');
    // full 1×1 covariances take the rounding-margin route: same verdict
    const qf = gaussianMixture([0.5, 0.5], [fullGaussian([0], [1]), fullGaussian([0.5], [1.2])]);
    expectInfinite(singleGaussianMixture(fullGaussian([0], [3])), qf, 0, 'strict');
  });

  it('1 ulp beyond the boundary: exact on diagonal kinds (axis comparison of stored doubles); full kinds respect the rounding margin', () => {
    const q = gaussianMixture([0.5, 0.5], [isotropicGaussian([-1], 1), isotropicGaussian([1], 1)]);
    // p between the q means (no null direction), S_j = 2 + 2ε (1 ulp above 2 S_k)
    const sj = 2 + 2 * EPS;
    expectInfinite(singleGaussianMixture(isotropicGaussian([0.25], sj)), q, 0, 'strict');
    // full kinds: uᵀQ_k u = 2/S_j − 1/S_k ≈ −ε relative to the scale 2/S_j + 1/S_k ≈ 2: inside the
    // margin 10·1·ε·(1 + 1) (κ = 1 in 1-D): unknown, never +∞ by rounding
    const qf = gaussianMixture([0.5, 0.5], [fullGaussian([-1], [1]), fullGaussian([1], [1])]);
    expectUnknown(singleGaussianMixture(fullGaussian([0.25], [sj])), qf);
    // δ = 400ε relative: uᵀQu/scale ≈ −δ/2 = −200ε < −20ε: strict (κ = 1 for every variance)
    expectInfinite(singleGaussianMixture(fullGaussian([0.25], [2 * (1 + 400 * EPS)])), qf, 0, 'strict');
    const big = 1024;
    const qb = gaussianMixture([0.5, 0.5], [fullGaussian([-1], [big]), fullGaussian([1], [big])]);
    expectInfinite(singleGaussianMixture(fullGaussian([0.25], [2 * big * (1 + 400 * EPS)])), qb, 0, 'strict');
    // and on the boundary itself, diagonal: not strict (2 S_k = S_j is not >) and between the means: unknown
    expectUnknown(singleGaussianMixture(isotropicGaussian([0.25], 2)), q);
  });

  it('1-D null direction off the stored boundary: Q_k u = 0 computed exactly (diag(2, 5) vs I), b_k = m_j − m_k decides', () => {
    // S_j = diag(2, 5), S_k = I: Q_k = diag(2/2 − 1, 2/5 − 1) = diag(0, −0.6) exactly; along e₁ a null
    // direction with b_k,1 = 2·(1/2)·m_j,1 − m_k,1; along e₂ strict. (b): 2I − S_j indefinite.
    const p = singleGaussianMixture(diagonalGaussian([1, 0], [2, 5]));
    // b = (1 − (−3), …) = 4 and (1 − 0.5) = 0.5 > 0: e₁ is a null-direction witness
    const qa = gaussianMixture([0.5, 0.5], [diagonalGaussian([-3, 0], [1, 1]), diagonalGaussian([0.5, 0.3], [1, 1])]);
    expect(Array.from(expectInfinite(p, qa, 0, 'null-direction'))).toEqual([1, 0]);
    // one b_k,1 < 0 and the other > 0: ±e₁ fail, e₂ is strict for both
    const qb = gaussianMixture([0.5, 0.5], [diagonalGaussian([-3, 0], [1, 1]), diagonalGaussian([1.5, 0.3], [1, 1])]);
    expect(Array.from(expectInfinite(p, qb, 0, 'strict'))).toEqual([0, 1]);
    // b_k1,1 = 2·(1/2)·1 − (1 + 2ε) = −2ε EXACTLY (every step exact): e₁ is NOT a witness for k1, although
    // the computed value is far inside the rounding scale |2·½·1| + |1 + 2ε| ≈ 2; the witness must be
    // e₂ (strict by the exact axis rule 5 > 2·1), never e₁ (a negative b_kᵀu accepted as ≥ 0)
    const qc = gaussianMixture([0.5, 0.5], [diagonalGaussian([1 + 2 * EPS, 0.3], [1, 1]), diagonalGaussian([-3, 0], [1, 1])]);
    expect(Array.from(expectInfinite(p, qc, 0, 'strict'))).toEqual([0, 1]);
  });

  it('2-D strict cone off the axes and off the b directions: found among the fixed pseudo-random directions', () => {
    // S_j = 4I, k1 = diag(1, 4), k2 = diag(4, 1): Q_k1 = diag(−0.5, 0.25), Q_k2 = diag(0.25, −0.5);
    // both negative iff u₂²/u₁² ∈ (0.5, 2); the axes fail; b_k = −S_k⁻¹ m_k lie on the e₁ axis.
    const p = singleGaussianMixture(isotropicGaussian([0, 0], 4));
    const q = gaussianMixture([0.5, 0.5], [diagonalGaussian([1, 0], [1, 4]), diagonalGaussian([2, 0], [4, 1])]);
    const u = expectInfinite(p, q, 0, 'strict');
    expect(u[0]! * u[1]!).not.toBe(0);
    expectUnknown(UNKNOWN_P, UNKNOWN_Q);
  });

  it('rounding margin of (c)(i) off the axes: a common direction inside the margin is rejected, outside accepted', () => {
    // S_j = 2(1 + δ)s·I, k1 = s·I: uᵀQ_k1u / scale ≈ −δ/2 for EVERY u; k2, k3 = s·diag(½, 4), s·diag(4, ½)
    // make the axes fail and leave the cone u₂²/u₁² ∈ (0.75, 1.33); k1's mean puts b_k1 on (1, 1)/√2.
    // Margin 10·2·ε·(1 + 1) = 40ε (κ = 1 for p and k1): δ = 20ε gives −10ε (inside: unknown),
    // δ = 4000ε gives −2000ε (outside: +∞ along (1, 1)/√2).
    const s = 0.25;
    const q = gaussianMixture([1 / 3, 1 / 3, 1 / 3], [diagonalGaussian([-s, -s], [s, s]), diagonalGaussian([0, 0], [0.5 * s, 4 * s]), diagonalGaussian([0, 0], [4 * s, 0.5 * s])]);
    expectUnknown(singleGaussianMixture(isotropicGaussian([0, 0], 2 * (1 + 20 * EPS) * s)), q);
    const u = expectInfinite(singleGaussianMixture(isotropicGaussian([0, 0], 2 * (1 + 4000 * EPS) * s)), q, 0, 'strict');
    expect(Math.abs(u[0]! - Math.SQRT1_2)).toBeLessThanOrEqual(4 * U);
    expect(Math.abs(u[1]! - Math.SQRT1_2)).toBeLessThanOrEqual(4 * U);
  });

  it('full covariances: a large diagonal entry of S_j along an axis is not a witness (the axis shortcut is for diagonal kinds only)', () => {
    // S_j = [[3, 1.7], [1.7, 1]]: S_j,11 = 3 > 2·1, but (S_j⁻¹)₁₁ = 1/0.11: uᵀQu = 2/0.11 − 1 > 0 along e₁.
    // Along S_j's major eigenvector (eigenvalue 3.97) uᵀQu = 2/3.97 − 1 < 0 for both isotropic q components.
    const p = singleGaussianMixture(fullGaussian([0, 0], [3, 1.7, 1.7, 1]));
    const q = gaussianMixture([0.5, 0.5], [isotropicGaussian([0, 0], 1), isotropicGaussian([0.5, 0], 1)]);
    const u = expectInfinite(p, q, 0, 'strict');
    expect(Math.abs(u[0]!)).not.toBe(1);
  });

  it('thin cones around eigenvectors: of Q_k (q full, p isotropic) and of S_j (p full, q full tilted ±1°)', () => {
    // q components S = R diag(1, 4) Rᵀ at 35°, p = s I with 2/s = 1 − 1e-4: uᵀS⁻¹u > 2/s only within
    // ≈ 0.66° of the minor axis (35°): axes, b (all means 0) and the fixed random directions miss it.
    const rot = (deg: number, l1: number, l2: number) => {
      const c = Math.cos((deg * Math.PI) / 180);
      const s = Math.sin((deg * Math.PI) / 180);
      const off = (l1 - l2) * c * s;
      return [l1 * c * c + l2 * s * s, off, off, l1 * s * s + l2 * c * c];
    };
    const S = rot(35, 1, 4);
    const q = gaussianMixture([0.5, 0.5], [fullGaussian([0, 0], S), fullGaussian([0, 0], S)]);
    const u = expectInfinite(singleGaussianMixture(isotropicGaussian([0, 0], 2 / (1 - 1e-4))), q, 0, 'strict');
    const angle = (Math.atan2(u[1]!, u[0]!) * 180) / Math.PI;
    expect(Math.min(Math.abs(angle - 35), Math.abs(angle + 145))).toBeLessThan(0.66);
    // p full with eigenvalues 4 (at 50°) and 0.05; Q_k = 2 S_j⁻¹ − S_k⁻¹ chosen as R(50 ± 1°) diag(−0.01, c) with
    // c = 0.01/tan²(1.5°): the two cones (half-width 1.5° around 49° and 51°) meet only within 0.5° of 50°,
    // where S_j's eigenvector lies and Q_k's do not; S_k = (2 S_j⁻¹ − Q_k)⁻¹ (SPD: 2S_j⁻¹ has eigenvalues 0.5, 40).
    const sj = rot(50, 4, 0.05);
    const sjInv = inverse(sj, 2);
    const cc = 0.01 / Math.tan((1.5 * Math.PI) / 180) ** 2;
    const comp = (deg: number) => {
      const Q = rot(deg, -0.01, cc);
      const skInv = Array.from(sjInv, (v, i) => 2 * v - Q[i]!);
      const sk = inverse(skInv, 2);
      const sym = 0.5 * (sk[1]! + sk[2]!);
      return fullGaussian([0, 0], [sk[0]!, sym, sym, sk[3]!]);
    };
    const q2 = gaussianMixture([0.5, 0.5], [comp(49), comp(51)]);
    const u2 = expectInfinite(singleGaussianMixture(fullGaussian([0, 0], sj)), q2, 0, 'strict');
    const a2 = (Math.atan2(u2[1]!, u2[0]!) * 180) / Math.PI;
    expect(Math.min(Math.abs(a2 - 50), Math.abs(a2 + 130))).toBeLessThan(0.5);
  });
});
