/**
 * The per-generation metrics of the recursion (src/recursion/recursion-metrics.ts; docs/theory.md
 * §1–§2, §5.2; the Estimate interface of src/recursion/metrics.ts) against oracles written here:
 *
 * - closed forms where the module uses them: χ²(p ‖ N(μ, s)) for a 1-D mixture p by the PRODUCT
 *   route of the pair integral (1 + χ² = Σ w_j w_k P_jk; not the module's information form),
 *   KL(N(m1, v1) ‖ N(m2, v2)) = ½ (v1/v2 + (m1 − m2)²/v2 − 1 + log(v2/v1)), +∞ for v_p ≥ 2 v_q;
 * - exact zeros: p = q gives importance weights exactly 1 and log-ratios exactly 0 (χ², KL and their
 *   standard errors exactly 0), a perfect model gives ε⋆² = ε̂² = η = 0 'exact';
 * - ε⋆² of a constant injected shift λ on the true law: e ≡ λ, so every Monte Carlo value is
 *   (T − t0) λ² up to the rounding of (s + λ) − s (see SHIFT_REL);
 * - Monte Carlo parts: the documented recipe (estimator, sample size, stream label) recomputed from
 *   the lower-level estimators it names, and the module's ε̂² mean and standard error recomputed by
 *   brute force (two-pass variance) from the simulated paths;
 * - the guards (non-RangeError rethrown, overflow reported as NaN with the reason) and the exact
 *   warning texts of nonNegativeDivergence.
 * Random streams: FIXED root seeds (deterministic; no false-alarm budget spent). Where a premise
 * depends on a stream (a negative Monte Carlo estimate), the test checks the premise first.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { gaussianMixture, type GaussianMixture } from '../../src/distributions/gaussian-mixture.ts';
import { isotropicGaussian } from '../../src/distributions/gaussian.ts';
import { chiSquareMonteCarlo, divergencesMonteCarlo, klMonteCarlo } from '../../src/divergences/monte-carlo.ts';
import { eta, quadraticBasis, simulateIdealPaths } from '../../src/energies/observability.ts';
import { monteCarloEnergy } from '../../src/energies/score-error-energy.ts';
import { uniformGrid } from '../../src/processes/time-grid.ts';
import { Rng } from '../../src/random/rng.ts';
import type { Estimate, RoundInput } from '../../src/recursion/metrics.ts';
import { chiSquaredAndKl, chiSquaredEstimate, defaultRecursionMetrics, nonNegativeDivergence } from '../../src/recursion/recursion-metrics.ts';
import { drawStart } from '../../src/samplers/start-law.ts';
import { injectedError } from '../../src/scores/injected-error.ts';
import { gaussianMixtureScore } from '../../src/scores/gaussian-mixture-score.ts';
import { modelScore, modelScoreError } from '../../src/scores/model-score-error.ts';
import type { TrainedModel } from '../../src/trainers/trainer.ts';

const U = 2 ** -53;
const gamma = (n: number): number => (n * U) / (1 - n * U);
const g = (m: number, v: number) => isotropicGaussian([m], v);

/** log ∫ N(m1, v1) N(m2, v2) / N(μ, s) by the product route; the sum of |its parts| as scale. */
function logPair(m1: number, v1: number, m2: number, v2: number, mu: number, s: number): { l: number; scale: number } {
  const vsum = v1 + v2;
  const vc = (v1 * v2) / vsum;
  const mc = (m1 * v2 + m2 * v1) / vsum;
  const A = 1 / vc - 1 / s;
  const B = mc / vc - mu / s;
  const parts = [-0.5 * Math.log(vsum), -((m1 - m2) * (m1 - m2)) / (2 * vsum), 0.5 * Math.log(s / (vc * A)), (0.5 * B * B) / A, -0.5 * (mc * mc) / vc, (0.5 * mu * mu) / s];
  return { l: parts.reduce((a, b) => a + b, 0), scale: parts.reduce((a, b) => a + Math.abs(b), 0) };
}

/**
 * log(1 + χ²(Σ w N(m, v) ‖ N(μ, s))) and its allowance: each pair's log carries ≤ 40 roundings
 * amplified by κ(A) ≤ 5 (variances here in [0.5, 2] against s = 2 or s ≥ v) on both routes; the
 * log-sum-exp of ≤ 4 terms adds γ_8. Charged γ_512 (L + 1), L = max |log w_j w_k| + scale.
 */
function logChiOracle(cs: readonly [number, number, number][], mu: number, s: number): { log: number; err: number } {
  let sum = 0;
  let L = 0;
  for (const [wa, ma, va] of cs)
    for (const [wb, mb, vb] of cs) {
      const { l, scale } = logPair(ma, va, mb, vb, mu, s);
      sum += wa * wb * Math.exp(l);
      L = Math.max(L, Math.abs(Math.log(wa * wb)) + scale);
    }
  return { log: Math.log(sum), err: gamma(512) * (L + 1) };
}

const klGauss = (m1: number, v1: number, m2: number, v2: number) => 0.5 * (v1 / v2 + ((m1 - m2) * (m1 - m2)) / v2 - 1 + Math.log(v2 / v1));

const OVERFLOW_MESSAGE =
  'chiSquareMonteCarlo: importance weights p/q overflow a double (the divergence is astronomically large); use the closed-form bound logUpperBoundPlusOne of chiSquareStatus';

describe('nonNegativeDivergence: a negative divergence is reported as 0 with the computed value and a warning', () => {
  it('values ≥ 0 (and −0, NaN) pass unchanged: the same object', () => {
    for (const value of [0, -0, 1e-300, 2.5, Infinity, Number.NaN]) {
      const e: Estimate = { value, standardError: 0.5, method: 'monte-carlo' };
      expect(nonNegativeDivergence(e, 'χ²')).toBe(e);
    }
  });

  it('closed-form rounding below 0: value 0, raw kept, "rounding" in the warning, other fields kept', () => {
    const e: Estimate = { value: -3.3e-16, standardError: 0, method: 'closed-form', logOnePlus: 7 };
    expect(nonNegativeDivergence(e, 'χ²')).toEqual({
      value: 0,
      standardError: 0,
      method: 'closed-form',
      logOnePlus: 7,
      raw: -3.3e-16,
      warning: 'χ² computed as -3.30e-16 (rounding); reported as 0, a divergence is ≥ 0',
    });
    expect(nonNegativeDivergence({ value: -Number.MIN_VALUE, standardError: 0, method: 'exact' }, 'KL').warning).toBe('KL computed as -4.94e-324 (rounding); reported as 0, a divergence is ≥ 0');
  });

  it('Monte Carlo noise below 0: the standard error in the warning, appended to an existing warning', () => {
    expect(nonNegativeDivergence({ value: -0.0123, standardError: 0.0456, method: 'monte-carlo' }, 'KL')).toEqual({
      value: 0,
      standardError: 0.0456,
      method: 'monte-carlo',
      raw: -0.0123,
      warning: 'KL computed as -1.23e-2 ± 4.6e-2 (Monte Carlo noise around 0); reported as 0, a divergence is ≥ 0',
    });
    expect(nonNegativeDivergence({ value: -2, standardError: 3, method: 'regression', warning: 'heavy tail' }, 'η').warning).toBe(
      'heavy tail; η computed as -2.00e+0 ± 3.0e+0 (rounding); reported as 0, a divergence is ≥ 0',
    );
  });
});

describe('chiSquaredEstimate: closed form against one Gaussian, Monte Carlo otherwise', () => {
  it('q with one positive weight: closed form against that component (product-route oracle)', () => {
    const p = gaussianMixture([0.25, 0.75], [g(-0.5, 0.5), g(1, 1.5)]);
    // the zero-weight first component of q must be ignored
    const q = gaussianMixture([0, 1], [g(5, 0.1), g(0.5, 2)]);
    const got = chiSquaredEstimate(p, q, 10, Rng.fromSeed(1));
    const o = logChiOracle([
      [0.25, -0.5, 0.5],
      [0.75, 1, 1.5],
    ], 0.5, 2);
    expect(got.method).toBe('closed-form');
    expect(got.standardError).toBe(0);
    expect(Object.keys(got).sort()).toEqual(['method', 'standardError', 'value']);
    // value = e^{log} − 1: |Δ| ≤ (1 + χ²)(e^{err} − 1) ≤ 2 (1 + χ²) err
    expect(Math.abs(got.value - Math.expm1(o.log))).toBeLessThanOrEqual(2 * Math.exp(o.log) * o.err);
  });

  it('+∞ exactly when the component of p is twice as wide as q (D-3)', () => {
    expect(chiSquaredEstimate(gaussianMixture([1], [g(0, 2)]), gaussianMixture([1], [g(3, 1)]), 10, Rng.fromSeed(1))).toEqual({ value: Infinity, standardError: 0, method: 'infinite' });
  });

  it('finite but beyond the double range: MAX_VALUE, log(1 + χ²) kept, warning with the log', () => {
    // N(40, 1) vs N(0, 1): log(1 + χ²) = 40² = 1600 > log MAX_VALUE ≈ 709.8
    const got = chiSquaredEstimate(gaussianMixture([1], [g(40, 1)]), gaussianMixture([1], [g(0, 1)]), 10, Rng.fromSeed(1));
    expect(got.value).toBe(Number.MAX_VALUE);
    expect(got.standardError).toBe(0);
    expect(got.method).toBe('closed-form');
    expect(Math.abs(got.logOnePlus! - 1600)).toBeLessThanOrEqual(gamma(64) * 1600);
    expect(got.warning).toBe(`χ² is finite but exceeds the double range: log(1 + χ²) = ${got.logOnePlus}`);
    // just below the range: log(1 + χ²) = 26.6² = 707.56 < 709.78 is returned as a number
    const below = chiSquaredEstimate(gaussianMixture([1], [g(26.6, 1)]), gaussianMixture([1], [g(0, 1)]), 10, Rng.fromSeed(1));
    expect(below.method).toBe('closed-form');
    expect(Math.abs(Math.log(below.value) - 26.6 * 26.6)).toBeLessThanOrEqual(gamma(64) * 708);
  });

  it('q a true mixture, p = q: importance weights exactly 1, so χ² = 0 and SE = 0 exactly (Monte Carlo)', () => {
    const q = gaussianMixture([0.5, 0.5], [g(-1, 1), g(1, 1)]);
    expect(chiSquaredEstimate(q, q, 50, Rng.fromSeed(3))).toEqual({ value: 0, standardError: 0, method: 'monte-carlo' });
    // two positive weights on equal components are still a mixture for the module (Monte Carlo route)
    const twin = gaussianMixture([0.5, 0.5], [g(0, 1), g(0, 1)]);
    expect(chiSquaredEstimate(twin, twin, 20, Rng.fromSeed(3)).method).toBe('monte-carlo');
  });

  it('Monte Carlo with heavy tails: the estimator\'s value, SE and warning, from the same stream', () => {
    const q = gaussianMixture([0.5, 0.5], [g(-1, 1), g(1, 1)]);
    const p = gaussianMixture([1], [g(0, 1.5)]);
    const r = chiSquareMonteCarlo(p, q, 50, Rng.fromSeed(4));
    expect(r.heavyTail).toBe(true);
    expect(chiSquaredEstimate(p, q, 50, Rng.fromSeed(4))).toEqual({ value: r.estimate, standardError: r.standardError, method: 'monte-carlo', warning: r.warning });
    // without heavy tails: no warning key
    const near = gaussianMixture([0.5, 0.5], [g(-1, 1), g(1.01, 1)]);
    const r2 = chiSquareMonteCarlo(near, q, 50, Rng.fromSeed(4));
    expect(r2.heavyTail).toBe(false);
    expect(chiSquaredEstimate(near, q, 50, Rng.fromSeed(4))).toEqual({ value: r2.estimate, standardError: r2.standardError, method: 'monte-carlo' });
  });

  it('Monte Carlo route, +∞ proven by a criterion: infinite exactly', () => {
    const q = gaussianMixture([0.5, 0.5], [g(-1, 1), g(1, 1)]);
    expect(chiSquaredEstimate(gaussianMixture([1], [g(0, 5)]), q, 50, Rng.fromSeed(5))).toEqual({ value: Infinity, standardError: 0, method: 'infinite' });
  });

  it('importance weights overflow: NaN with the reason; any other error is rethrown', () => {
    const p = gaussianMixture([1], [g(0, 1)]);
    const q = gaussianMixture([0.5, 0.5], [g(-60, 1), g(60, 1)]);
    expect(chiSquaredEstimate(p, q, 50, Rng.fromSeed(6))).toEqual({ value: Number.NaN, standardError: Number.NaN, method: 'monte-carlo', warning: OVERFLOW_MESSAGE });
    expect(() => chiSquaredEstimate(p, q, 1, Rng.fromSeed(6))).toThrow('monte-carlo: n = 1 must be an integer ≥ 2');
  });
});

describe('chiSquaredAndKl: closed forms for single Gaussians, one shared Monte Carlo sample otherwise', () => {
  it('p and q single Gaussians: both closed form', () => {
    const p = gaussianMixture([1], [g(1, 0.5)]);
    const q = gaussianMixture([0, 1], [g(9, 9), g(0.5, 1)]);
    const { chiSquare, kl } = chiSquaredAndKl(p, q, 10, Rng.fromSeed(1));
    const o = logChiOracle([[1, 1, 0.5]], 0.5, 1);
    expect(chiSquare.method).toBe('closed-form');
    expect(Math.abs(chiSquare.value - Math.expm1(o.log))).toBeLessThanOrEqual(2 * Math.exp(o.log) * o.err);
    const want = klGauss(1, 0.5, 0.5, 1);
    expect(kl).toEqual({ value: kl.value, standardError: 0, method: 'closed-form' });
    // ½(0.5 + 0.25 − 1 + log 2): 6 operations and a log
    expect(Math.abs(kl.value - want)).toBeLessThanOrEqual(gamma(16) * 2);
  });

  it('q single, p a mixture: χ² closed form, KL by Monte Carlo on the given stream', () => {
    const p = gaussianMixture([0.5, 0.5], [g(-1, 1), g(1, 1)]);
    const q = gaussianMixture([1], [g(0, 2)]);
    const { chiSquare, kl } = chiSquaredAndKl(p, q, 40, Rng.fromSeed(7));
    expect(chiSquare.method).toBe('closed-form');
    const r = klMonteCarlo(p, q, 40, Rng.fromSeed(7));
    expect(kl).toEqual({ value: r.estimate, standardError: r.standardError, method: 'monte-carlo' });
    expect(r.standardError).toBeGreaterThan(0);
  });

  it('q a mixture: one shared sample (divergencesMonteCarlo); p = q gives exact zeros', () => {
    const q = gaussianMixture([0.5, 0.5], [g(-1, 1), g(1, 1)]);
    expect(chiSquaredAndKl(q, q, 30, Rng.fromSeed(8))).toEqual({ chiSquare: { value: 0, standardError: 0, method: 'monte-carlo' }, kl: { value: 0, standardError: 0, method: 'monte-carlo' } });
    const p = gaussianMixture([1], [g(0, 1.5)]);
    const both = divergencesMonteCarlo(p, q, 30, Rng.fromSeed(8));
    expect(chiSquaredAndKl(p, q, 30, Rng.fromSeed(8))).toEqual({
      chiSquare: { value: both.chiSquare.estimate, standardError: both.chiSquare.standardError, method: 'monte-carlo', warning: both.chiSquare.warning },
      kl: { value: both.kl.estimate, standardError: both.kl.standardError, method: 'monte-carlo' },
    });
    // χ² proven infinite: KL still estimated
    const wide = gaussianMixture([1], [g(0, 5)]);
    const res = chiSquaredAndKl(wide, q, 30, Rng.fromSeed(8));
    expect(res.chiSquare).toEqual({ value: Infinity, standardError: 0, method: 'infinite' });
    expect(res.kl.value).toBe(divergencesMonteCarlo(wide, q, 30, Rng.fromSeed(8)).kl.estimate);
  });

  it('importance weights overflow: χ² NaN with the reason, KL on the derived stream "kl-only"; other errors rethrown', () => {
    const p = gaussianMixture([1], [g(0, 1)]);
    const q = gaussianMixture([0.5, 0.5], [g(-60, 1), g(60, 1)]);
    const r = klMonteCarlo(p, q, 30, Rng.fromSeed(9).derive('kl-only'));
    expect(chiSquaredAndKl(p, q, 30, Rng.fromSeed(9))).toEqual({
      chiSquare: { value: Number.NaN, standardError: Number.NaN, method: 'monte-carlo', warning: OVERFLOW_MESSAGE },
      kl: { value: r.estimate, standardError: r.standardError, method: 'monte-carlo' },
    });
    expect(r.estimate).not.toBe(klMonteCarlo(p, q, 30, Rng.fromSeed(9)).estimate);
    // a dimension mismatch is divergencesMonteCarlo's own error, not retried as KL
    const q2 = gaussianMixture([0.5, 0.5], [isotropicGaussian([0, 0], 1), isotropicGaussian([1, 1], 1)]);
    expect(() => chiSquaredAndKl(p, q2, 30, Rng.fromSeed(9))).toThrow('divergencesMonteCarlo: dimensions 1 and 2 differ');
  });
});

describe('defaultRecursionMetrics: divergences clamped at 0 (names in the warnings)', () => {
  let q: GaussianMixture;
  let near: GaussianMixture;
  beforeAll(() => {
    q = gaussianMixture([0.5, 0.5], [g(-1, 1), g(1, 1)]);
    near = gaussianMixture([0.5, 0.5], [g(-1, 1), g(1.01, 1)]);
  });

  it('chiSquared: a negative Monte Carlo estimate is reported as 0 with raw and "χ²" warning', () => {
    const raw = chiSquareMonteCarlo(near, q, 50, Rng.fromSeed(2));
    expect(raw.estimate).toBeLessThan(0); // premise (fixed stream)
    const m = defaultRecursionMetrics({ divergenceSamples: 50, energySamples: 0, etaPaths: 0, etaSteps: 4 });
    const got = m.chiSquared(near, q, Rng.fromSeed(2));
    expect(got).toEqual({
      value: 0,
      standardError: raw.standardError,
      method: 'monte-carlo',
      raw: raw.estimate,
      warning: `χ² computed as ${raw.estimate.toExponential(2)} ± ${raw.standardError.toExponential(1)} (Monte Carlo noise around 0); reported as 0, a divergence is ≥ 0`,
    });
    // a positive estimate passes
    const pos = chiSquareMonteCarlo(gaussianMixture([1], [g(0, 1.5)]), q, 50, Rng.fromSeed(2));
    expect(m.chiSquared(gaussianMixture([1], [g(0, 1.5)]), q, Rng.fromSeed(2)).value).toBe(pos.estimate);
  });

  it('round: I and KL negative ⇒ 0 with "χ²" and "KL" warnings; the stream is rng.derive("I-KL")', () => {
    const both = divergencesMonteCarlo(near, q, 50, Rng.fromSeed(3).derive('I-KL'));
    expect(both.chiSquare.estimate).toBeLessThan(0); // premises (fixed stream)
    expect(both.kl.estimate).toBeLessThan(0);
    const m = defaultRecursionMetrics({ divergenceSamples: 50, energySamples: 0, etaPaths: 0, etaSteps: 4 });
    const model: TrainedModel = { law: q, error: null, description: 'exact' };
    const r = m.round({ q, model, output: near, t0: 0.1, T: 2, rng: Rng.fromSeed(3) });
    expect(r.I).toEqual({ value: 0, standardError: both.chiSquare.standardError, method: 'monte-carlo', raw: both.chiSquare.estimate, warning: `χ² computed as ${both.chiSquare.estimate.toExponential(2)} ± ${both.chiSquare.standardError.toExponential(1)} (Monte Carlo noise around 0); reported as 0, a divergence is ≥ 0` });
    expect(r.KL).toEqual({ value: 0, standardError: both.kl.standardError, method: 'monte-carlo', raw: both.kl.estimate, warning: `KL computed as ${both.kl.estimate.toExponential(2)} ± ${both.kl.standardError.toExponential(1)} (Monte Carlo noise around 0); reported as 0, a divergence is ≥ 0` });
    // a perfect model (law === q, no injected error): every energy and η exactly 0
    const zero = { value: 0, standardError: 0, method: 'exact' };
    expect(r.epsStar2).toEqual(zero);
    expect(r.epsHat2).toEqual(zero);
    expect(r.eta).toEqual(zero);
  });
});

describe('round: the score-error energies and η', () => {
  const T = 2;
  const t0 = 0.25;
  const LAMBDA = 0.5;
  /**
   * e = (s + λ) − s with s = −x the score of N(0, 1) (P_t N(0, 1) = N(0, 1)): |e − λ| ≤ 2u(|x| + λ)
   * (two roundings of magnitude ≤ |x| + λ); the 64 draws of the fixed stream lie in |x| ≤ 10 (a
   * standard normal beyond 10 has probability < 1e-22), so each value (T − t0) e² is within
   * 2 · 2u(10.5)/λ + u ≈ 85 u relative of (T − t0) λ², and so is their mean (+ γ_64 for the sum).
   */
  const SHIFT_REL = gamma(85 + 64);
  let q: GaussianMixture;
  let shift: TrainedModel;
  beforeAll(() => {
    q = gaussianMixture([1], [g(0, 1)]);
    shift = { law: q, error: injectedError({ family: 'constant-shift', scale: LAMBDA }, 1, t0, T), description: 'shift' };
  });
  const input = (model: TrainedModel, seed: number): RoundInput => ({ q, model, output: q, t0, T, rng: Rng.fromSeed(seed) });
  /**
   * The learned-path replay of ε̂² (score of q̃ plus the error, from P_T q̃, M̂ = −∫ e·dB) on the
   * documented streams rng.derive('eps-hat', 'start' | 'noise') of round seed `seed`: M̂² per path.
   * `start` replaces the start stream (to show that the stream matters).
   */
  const learnedM2 = (model: TrainedModel, seed: number, n: number, steps: number, start = Rng.fromSeed(seed).derive('eps-hat', 'start')): number[] => {
    const paths = simulateIdealPaths({
      score: modelScore(q, model.error),
      error: modelScoreError(q, q, model.error),
      start: drawStart('exact', q, T, n, start),
      n,
      grid: uniformGrid(T, t0, steps),
      noise: Rng.fromSeed(seed).derive('eps-hat', 'noise'),
    });
    return Array.from(paths.M, (x) => x * x);
  };

  it('constant injected shift λ on the true law: ε⋆² = (T − t0) λ² (to rounding), ε̂² = E M̂² by brute force', () => {
    const o = { divergenceSamples: 20, energySamples: 64, etaPaths: 0, etaSteps: 8 };
    const r = defaultRecursionMetrics(o).round(input(shift, 11));
    const want = (T - t0) * LAMBDA * LAMBDA;
    expect(r.epsStar2!.method).toBe('monte-carlo');
    expect(Math.abs(r.epsStar2!.value - want)).toBeLessThanOrEqual(SHIFT_REL * want);
    expect(r.epsStar2!.standardError).toBeLessThanOrEqual(SHIFT_REL * want);
    const err = modelScoreError(q, q, shift.error);
    const star = monteCarloEnergy(err, q, t0, T, 64, Rng.fromSeed(11).derive('eps-star'));
    expect(r.epsStar2).toEqual({ value: star.estimate, standardError: star.standardError, method: 'monte-carlo' });
    expect(r.eta).toBeNull();
    const m2 = learnedM2(shift, 11, 64, 8);
    const mean = m2.reduce((a, b) => a + b, 0) / 64;
    const variance = m2.reduce((a, b) => a + (b - mean) ** 2, 0) / 63;
    const se = Math.sqrt(variance / 64);
    expect(r.epsHat2!.method).toBe('monte-carlo');
    // mean: the same sum in the same order up to γ_64; SE: one-pass vs two-pass variance, the
    // one-pass form loses γ_{2n+4} (Σ m2² / n + mean²) absolutely, then √ halves the relative error
    expect(Math.abs(r.epsHat2!.value - mean)).toBeLessThanOrEqual(gamma(64) * mean);
    const m4 = m2.reduce((a, b) => a + b * b, 0) / 64;
    expect(Math.abs(r.epsHat2!.standardError - se)).toBeLessThanOrEqual((gamma(2 * 64 + 8) * (m4 + mean * mean) * (64 / 63)) / 64 / (2 * se) + gamma(4) * se);
    // E M̂² = λ² (T − t0): 64 paths, M̂ ~ N(0, λ²(T − t0)) per path, so 64 · mean / want ~ χ²_64;
    // P(χ²_64 ∉ [20, 150]) < 1e-9 (fixed stream: a deterministic check of the scale)
    expect(mean / want).toBeGreaterThan(20 / 64);
    expect(mean / want).toBeLessThan(150 / 64);
  });

  it('energySamples = 1 is refused by the ε⋆² estimator; energySamples ≥ 2 use exactly that many paths for ε̂²', () => {
    expect(() => defaultRecursionMetrics({ divergenceSamples: 20, energySamples: 1, etaPaths: 0, etaSteps: 4 }).round(input(shift, 12))).toThrow('monteCarloEnergy: n = 1 must be an integer ≥ 2');
    const r = defaultRecursionMetrics({ divergenceSamples: 20, energySamples: 3, etaPaths: 0, etaSteps: 4 }).round(input(shift, 12));
    const m2 = learnedM2(shift, 12, 3, 4);
    const mean = (m2[0]! + m2[1]! + m2[2]!) / 3;
    expect(Math.abs(r.epsHat2!.value - mean)).toBeLessThanOrEqual(gamma(4) * mean);
    const variance = m2.reduce((a, b) => a + (b - mean) ** 2, 0) / 2;
    expect(Math.abs(r.epsHat2!.standardError - Math.sqrt(variance / 3))).toBeLessThanOrEqual(1e-12 * Math.sqrt(m2.reduce((a, b) => a + b * b, 0)));
  });

  it('a model law ≠ q without injected error: ε̂² by Monte Carlo under q̃ on stream "eps-hat"; η by regression on stream "eta"', () => {
    const law = gaussianMixture([1], [g(0, 1.5)]);
    const model: TrainedModel = { law, error: null, description: 'kde' };
    const o = { divergenceSamples: 20, energySamples: 32, etaPaths: 40, etaSteps: 6 };
    const r = defaultRecursionMetrics(o).round(input(model, 13));
    const err = modelScoreError(law, q, null);
    const star = monteCarloEnergy(err, q, t0, T, 32, Rng.fromSeed(13).derive('eps-star'));
    const hat = monteCarloEnergy(err, law, t0, T, 32, Rng.fromSeed(13).derive('eps-hat'));
    expect(r.epsStar2).toEqual({ value: star.estimate, standardError: star.standardError, method: 'monte-carlo' });
    expect(r.epsHat2).toEqual({ value: hat.estimate, standardError: hat.standardError, method: 'monte-carlo' });
    expect(hat.estimate).toBeGreaterThan(0);
    expect(hat.estimate).not.toBe(star.estimate);
    const paths = simulateIdealPaths({
      score: gaussianMixtureScore(q),
      error: err,
      start: drawStart('exact', q, T, 40, Rng.fromSeed(13).derive('eta', 'start')),
      n: 40,
      grid: uniformGrid(T, t0, 6),
      noise: Rng.fromSeed(13).derive('eta', 'noise'),
    });
    const e = eta({ paths, features: quadraticBasis(1) });
    expect(r.eta).toEqual({ value: e.etaReported, raw: e.eta, standardError: e.standardError, method: 'regression' });
    // I and KL of output = q against q (single Gaussians): closed form 0
    expect(r.I.value).toBe(0);
    expect(r.KL).toEqual({ value: 0, standardError: 0, method: 'closed-form' });
  });

  it('an error that depends on x (aligned, W = λ I): ε̂² replays the start stream derive("eps-hat", "start") too', () => {
    // with the constant shift M̂ = −∫ λ·dB ignores the start; here e(x, t) = λ x, so M̂ depends on
    // the whole path and a start drawn from any other stream gives other numbers (checked below)
    const aligned: TrainedModel = { law: q, error: injectedError({ family: 'aligned', scale: LAMBDA }, 1, t0, T), description: 'aligned' };
    const r = defaultRecursionMetrics({ divergenceSamples: 20, energySamples: 4, etaPaths: 0, etaSteps: 4 }).round(input(aligned, 14));
    const meanWith = (start: Rng): number => learnedM2(aligned, 14, 4, 4, start).reduce((a, b) => a + b, 0) / 4;
    const mean = meanWith(Rng.fromSeed(14).derive('eps-hat', 'start'));
    expect(Math.abs(r.epsHat2!.value - mean)).toBeLessThanOrEqual(gamma(4) * mean);
    for (const other of [Rng.fromSeed(14).derive('', 'start'), Rng.fromSeed(14).derive('eps-hat', ''), Rng.fromSeed(14).derive('eta', 'start')]) {
      expect(Math.abs(meanWith(other) - mean)).toBeGreaterThan(1e3 * gamma(4) * mean);
    }
  });

  it('energySamples = 0 skips the energies and η (null) unless the model is perfect', () => {
    const o = { divergenceSamples: 20, energySamples: 0, etaPaths: 40, etaSteps: 6 };
    const r = defaultRecursionMetrics(o).round(input(shift, 14));
    expect(r.epsStar2).toBeNull();
    expect(r.epsHat2).toBeNull();
    expect(r.eta).toBeNull();
    const kde: TrainedModel = { law: gaussianMixture([1], [g(0, 1.5)]), error: null, description: 'kde' };
    expect(defaultRecursionMetrics(o).round(input(kde, 14)).epsStar2).toBeNull();
    const perfect = defaultRecursionMetrics(o).round(input({ law: q, error: null, description: 'exact' }, 14));
    expect(perfect.eta).toEqual({ value: 0, standardError: 0, method: 'exact' });
  });
});
