/**
 * Exact tier: the linear-Gaussian reverse-SDE oracle (docs/theory.md §5.1) against closed forms, and the
 * exact moment recursions of the discretised samplers against the ODE (deterministic: no δ spent).
 *
 * Claims: §5.1 oracle anchor (`P_{t0} q` reproduced, docs/theory.md §1), sampler weak orders (data in
 * src/samplers/reverse-sde.ts).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { standardGaussian, type Gaussian } from '../../src/distributions/gaussian.ts';
import { singleGaussianMixture } from '../../src/distributions/gaussian-mixture.ts';
import {
  chainMoments,
  linearGaussianProblem,
  marginalMoments,
  samplerStepMap,
  solveMomentOde,
  type GaussianMoments,
  type MomentStart,
} from '../../src/oracles/linear-gaussian.ts';
import { gaussianMixtureScore } from '../../src/scores/gaussian-mixture-score.ts';
import { sumFields } from '../../src/scores/vector-field.ts';
import { WORK_PER_PARTICLE } from '../../src/samplers/reverse-sde.ts';
import { uniformGrid } from '../../src/processes/time-grid.ts';
import { SAMPLER_NAMES, STEP_RULES } from '../../src/samplers/reverse-sde.ts';
import { ERROR_FAMILIES, injectedError, type ErrorFamily } from '../../src/scores/injected-error.ts';
import { boundedDouble as dbl, linearGaussianSettingArb, ouWindow, settingGaussian, vectorArb, type LinearGaussianSetting } from '../support/arbitraries.ts';

const EPS = Number.EPSILON;

/**
 * Safety factor on the oracle's step-doubling error estimate. The estimate |y_N − y_2N|/15 equals
 * the true error of y_2N up to a relative O(h) term (RK4's error expansion C h⁴ + O(h⁵)); the
 * measured ratio true/estimate was 0.99–1.01 on d = 1..6 (scratch sweep), so 4 leaves a factor ≥ 3
 * for the O(h) term at the coarsest accepted N.
 */
const ODE_ESTIMATE_SAFETY = 4;
/** A loose ODE tolerance at which truncation error ≫ rounding, so the estimate is exercised. */
const LOOSE_RTOL = 1e-7;

/**
 * Rounding bound of N RK4 steps on the (d + d²)-dimensional moment state: each step evaluates
 * 4 right-hand sides of ≤ 2d+1 products per entry and one weighted sum, ≤ 16(d+1) roundings of
 * size ε·scale per entry; errors add at most linearly over N steps of a non-expanding flow (the
 * covariance ODE can expand by e^{2‖F‖τ}; the generated Σ keep ‖F‖ τ ≲ 12, so we multiply by 8
 * for the closed-form side and safety). Bound: 128 (d+1) N ε · scale.
 */
function roundingBound(steps: number, d: number, scale: number): number {
  return 128 * (d + 1) * steps * EPS * scale;
}

/**
 * Weak-order check: the statement is the limit, not one observed ratio. The chain moments are
 * m_K = m + A h^p + B h^{p+1} + C h^{p+2} + … (h = (T − t0)/K), so the three-level Richardson value
 * of K = 200, 400, 800 that cancels the h^p and h^{p+1} terms,
 *   p = 1: R = (8 m_800 − 6 m_400 + m_200)/3,   p = 2: R = (32 m_800 − 12 m_400 + m_200)/21,
 * sits at O(h^{p+2}) from the limit: ‖R − m‖ ≈ (C/A) h² · ‖m_800 − m‖ ≪ ‖m_800 − m‖. We require
 * ‖R − m‖ ≤ RICHARDSON_SHARE · ‖m_800 − m‖ (+ the reference's error and the chain's rounding).
 * A rule of lower order than its data (order p − 1, or p − ½) leaves ≥ 0.57 of the finest error
 * (for p = 2 and a true order 1: (32 − 24 + 4)/21) and fails; the worst ratio seen is 7.6e-4
 * (campaign seed 9300032's case: Euler–Maruyama, aligned error at scale 0.8, c = 0.2, T − t0 = 5.0),
 * so 0.1 leaves a factor 130 for the O(h²) term. A rule of HIGHER order than its data would pass
 * the limit check, so the finest observed order must also be below p + ½ (ORDER_CEILING: a true
 * order p + 1 shows log2(e_400/e_800) → p + 1; the measured worst for a true order p is p − 0.10).
 * (An earlier version required |log2(e_400/e_800) − p| ≤ 0.1 and failed at 9300032 with
 * 0.1000000000322: that case's second-order term is large, its observed orders 0.40, 0.78, 0.90,
 * 0.95, 0.98 at K = 100 … 3200 converge to 1; the order is not the statement, the limit is.)
 * Asymptotic, deterministic: no δ.
 */
const RICHARDSON_SHARE = 0.1;
const ORDER_CEILING = 0.5;
/** Richardson weights on (m_800, m_400, m_200) cancelling h^p and h^{p+1}; they sum to 1 (|·| sum 5 and 45/21). */
const RICHARDSON_WEIGHTS: Record<1 | 2, readonly [number, number, number]> = { 1: [8 / 3, -6 / 3, 1 / 3], 2: [32 / 21, -12 / 21, 1 / 21] };
const ORDER_STEPS = [100, 200, 400, 800] as const;
/**
 * Windows T − t0 ≥ 0.5 for the order check: on shorter windows the chain error at 800 steps falls
 * towards the ODE's own error (≈ 1e-12) and rounding, where ratios measure noise, not the order.
 */
const ORDER_MIN_WINDOW = 0.5;
/** Largest admitted ODE reference error relative to the finest chain error (see use). */
const REFERENCE_SHARE = 1e-2;

type ProblemInput = LinearGaussianSetting;

/** d ∈ [dMin, dMax], μ ∈ [−3, 3]^d, L ∈ [−1, 1]^{d×d}, c ∈ [cMin, 1], t0 ∈ (0, 1), T ∈ (t0, 6] (the seed is unused: exact checks). */
function problemArb(dMin: number, dMax: number, cMin: number): fc.Arbitrary<ProblemInput> {
  return linearGaussianSettingArb({ dims: { min: dMin, max: dMax }, mean: 3, factor: 1, jitter: { min: cMin, max: 1 }, t0: { min: 0.001, max: 0.999 } });
}

/** Data and window; T − t0 ≥ minWindow (T ≤ 6). */
function buildData(p: ProblemInput, minWindow = 0.01): { data: Gaussian; t0: number; T: number } {
  return { data: settingGaussian(p), ...ouWindow(p.t0, p.u, minWindow, 6) };
}

function maxAbsDiff(a: GaussianMoments, b: GaussianMoments): number {
  let e = 0;
  for (let i = 0; i < a.mean.length; i++) e = Math.max(e, Math.abs(a.mean[i]! - b.mean[i]!));
  for (let i = 0; i < a.cov.length; i++) e = Math.max(e, Math.abs(a.cov[i]! - b.cov[i]!));
  return e;
}

function maxAbs(m: GaussianMoments): number {
  let e = 0;
  for (const v of m.mean) e = Math.max(e, Math.abs(v));
  for (const v of m.cov) e = Math.max(e, Math.abs(v));
  return e;
}

describe('§5.1 oracle anchor: moment ODE with no error and exact start reproduces P_{t0} q', () => {
  it('matches N(a μ, a²Σ + σ² I) within the integrator error estimate, d = 1..6', () => {
    let worstRatio = 0;
    let worstDigits = Infinity;
    fc.assert(
      fc.property(problemArb(1, 6, 0.05), (input) => {
        const { data, t0, T } = buildData(input);
        const problem = linearGaussianProblem(data, T, t0, null);
        const closed = marginalMoments(data, t0);
        const scale = Math.max(1, maxAbs(closed));
        // default tolerance (≈ 11 digits) and a loose one (1e-7) where truncation dominates
        // rounding, so that the error estimate itself is put to the test
        for (const rtol of [undefined, LOOSE_RTOL]) {
          const sol = solveMomentOde(problem, { start: 'exact', ...(rtol ? { rtol } : {}) });
          const err = maxAbsDiff(sol.final, closed);
          const rounding = roundingBound(sol.steps, input.d, scale);
          if (rtol) {
            if (err > rounding) worstRatio = Math.max(worstRatio, err / sol.errorEstimate);
          } else worstDigits = Math.min(worstDigits, -Math.log10(Math.max(err, EPS) / scale));
          expect(err).toBeLessThanOrEqual(ODE_ESTIMATE_SAFETY * sol.errorEstimate + rounding);
        }
      }),
      { numRuns: 60 },
    );
    console.info(`[oracle anchor] default rtol: agreement ≥ ${worstDigits.toFixed(1)} digits (max-abs / max(1, max|entry|)); rtol ${LOOSE_RTOL}: worst |ODE − closed| / errorEstimate = ${worstRatio.toFixed(3)}`);
  });
});

describe('§5.1 oracle with an affine error: closed forms on stationary N(0, I) data', () => {
  // Data N(0, I): S_t = I, so F = (λ − ½) I for the aligned error A = λ I (g = 0):
  // P(s) = e^{2κs} + (e^{2κs} − 1)/(2κ), κ = λ − ½ (limit s at κ = 0), m ≡ 0.
  // Constant shift e = b: F = −½ I, g = b: m(s) = 2 b (1 − e^{−s/2}), P ≡ I.
  const inputs = fc.record({
    d: fc.integer({ min: 1, max: 6 }),
    lambda: dbl(0, 1.5),
    t0: dbl(0.001, 0.999),
    u: dbl(0, 1),
    family: fc.constantFrom<ErrorFamily>('aligned', 'constant-shift'),
  });
  it('aligned λI and constant shift b', () => {
    fc.assert(
      fc.property(inputs, ({ d, lambda, t0, u, family }) => {
        const { T } = ouWindow(t0, u, 0.01, 6);
        const s = T - t0;
        const error = injectedError({ family, scale: lambda }, d, t0, T);
        const problem = linearGaussianProblem(standardGaussian(d), T, t0, error);
        const sol = solveMomentOde(problem, { start: 'exact' });
        const expected: GaussianMoments = { mean: new Float64Array(d), cov: new Float64Array(d * d) };
        if (family === 'aligned') {
          const k = lambda - 0.5;
          const growth = Math.exp(2 * k * s);
          const integral = k === 0 ? s : Math.expm1(2 * k * s) / (2 * k);
          for (let i = 0; i < d; i++) expected.cov[i * d + i] = growth + integral;
        } else {
          const shift = (2 * lambda * -Math.expm1(-s / 2)) / Math.sqrt(d); // b = λ (1,…,1)/√d
          for (let i = 0; i < d; i++) {
            expected.mean[i] = shift;
            expected.cov[i * d + i] = 1;
          }
        }
        const err = maxAbsDiff(sol.final, expected);
        expect(err).toBeLessThanOrEqual(ODE_ESTIMATE_SAFETY * sol.errorEstimate + roundingBound(sol.steps, d, Math.max(1, maxAbs(expected))));
      }),
      { numRuns: 40 },
    );
  });
});

describe('sampler weak orders: exact chain moments converge to the ODE moments at rate 2^{weakOrder}', () => {
  const inputs = fc.record({
    problem: problemArb(1, 4, 0.2),
    family: fc.constantFrom<ErrorFamily | 'none'>('none', ...ERROR_FAMILIES),
    scale: dbl(0.1, 0.8),
    errorSeed: fc.integer({ min: 0, max: 1000 }),
    start: fc.constantFrom<MomentStart>('exact', 'standard-normal'),
  });
  it('the three-level Richardson limit of order p of K = 200, 400, 800 lands on the ODE moments, and the order is not higher; measured orders printed', () => {
    const measured: Record<string, number[]> = {};
    fc.assert(
      fc.property(inputs, ({ problem: input, family, scale, errorSeed, start }) => {
        const { data, t0, T } = buildData(input, ORDER_MIN_WINDOW);
        const error = family === 'none' ? null : injectedError({ family, scale, seed: errorSeed, cycles: 2 }, input.d, t0, T);
        const problem = linearGaussianProblem(data, T, t0, error);
        const coarseRef = solveMomentOde(problem, { start, rtol: 1e-12 });
        // a reference tightened once (rtol 1e-14, atol 1e-16) when the chain's finest error is too
        // small for the first one (campaign seed 5000005: e_800 ≈ 2e-10, the rtol-1e-12 reference
        // missed REFERENCE_SHARE by 1e-5 relative); computed lazily, only when needed
        let fineRef: typeof coarseRef | null = null;
        const refFor = (eFinest: number) => {
          if (ODE_ESTIMATE_SAFETY * coarseRef.errorEstimate <= REFERENCE_SHARE * eFinest) return coarseRef;
          fineRef ??= solveMomentOde(problem, { start, rtol: 1e-14, atol: 1e-16 });
          return fineRef;
        };
        for (const name of SAMPLER_NAMES) {
          const chains = ORDER_STEPS.map((K) => chainMoments(problem, name, uniformGrid(T, t0, K), start).final);
          const ode = refFor(maxAbsDiff(chains[chains.length - 1]!, coarseRef.final));
          const errs = chains.map((c) => maxAbsDiff(c, ode.final));
          const orders = errs.slice(1).map((e, i) => Math.log2(errs[i]! / e));
          (measured[name] ??= []).push(orders[orders.length - 1]!);
          const finest = errs[errs.length - 1]!;
          // the reference error δ ≤ REFERENCE_SHARE·e_800 enters ‖R − m‖ once (the weights sum to 1)
          expect(ODE_ESTIMATE_SAFETY * ode.errorEstimate).toBeLessThanOrEqual(REFERENCE_SHARE * finest);
          const p = STEP_RULES[name].weakOrder;
          if (p !== 1 && p !== 2) throw new Error(`no Richardson weights for weak order ${p} (${name})`);
          const [w800, w400, w200] = RICHARDSON_WEIGHTS[p];
          const [m200, m400, m800] = chains.slice(-3) as [GaussianMoments, GaussianMoments, GaussianMoments];
          const richardson: GaussianMoments = {
            mean: m800.mean.map((v, i) => w800 * v + w400 * m400.mean[i]! + w200 * m200.mean[i]!),
            cov: m800.cov.map((v, i) => w800 * v + w400 * m400.cov[i]! + w200 * m200.cov[i]!),
          };
          // rounding: each chain's 800 steps (roundingBound) times the weights' absolute sum ≤ 5
          const allowance = RICHARDSON_SHARE * finest + ODE_ESTIMATE_SAFETY * ode.errorEstimate + 5 * roundingBound(800, input.d, Math.max(1, maxAbs(ode.final)));
          expect(maxAbsDiff(richardson, ode.final)).toBeLessThanOrEqual(allowance);
          expect(orders[orders.length - 1]!).toBeLessThan(p + ORDER_CEILING);
        }
      }),
      { numRuns: 30 },
    );
    for (const [name, o] of Object.entries(measured)) {
      console.info(`[weak order] ${name}: log2(e_400/e_800) ∈ [${Math.min(...o).toFixed(4)}, ${Math.max(...o).toFixed(4)}] over ${o.length} problems (data: ${STEP_RULES[name as keyof typeof STEP_RULES].weakOrder})`);
    }
  });
});

describe('sampler moment maps reproduce the step rules of src/samplers/reverse-sde.ts exactly', () => {
  /**
   * One step of each rule applied to 1 + d particles: x with z = 0 gives M x + v; x with z = e_j
   * gives M x + v + N e_j. So the map's (M, v) and Q = N Nᵀ are read off the implementation and
   * compared with `samplerStepMap` (which builds them from S_t⁻¹ by Cholesky, independently of the
   * mixture-score code). Tolerance: both sides invert the same S_t (condition ≤ (d + 1)/0.05 ≤ 140
   * here) and do O(d) further operations: error ≲ 140 · 8d · ε ≈ 1.5e-12 relative; STEP_MAP_REL =
   * 1e-10 (relative to max(1, scale)) leaves margin for the accumulation over the score's sums.
   */
  const STEP_MAP_REL = 1e-10;
  it('(M, v) from z = 0 and Q = N Nᵀ from unit noises, all samplers and error families', () => {
    fc.assert(
      fc.property(
        problemArb(1, 5, 0.05),
        fc.constantFrom<ErrorFamily | 'none'>('none', ...ERROR_FAMILIES),
        vectorArb(5, -3, 3),
        dbl(0.001, 0.5),
        dbl(0, 1),
        (input, family, x0, hFrac, where) => {
          const { data, t0, T } = buildData(input);
          const d = input.d;
          const error = family === 'none' ? null : injectedError({ family, scale: 0.7, seed: 5, cycles: 2 }, d, t0, T);
          const problem = linearGaussianProblem(data, T, t0, error);
          const score = error ? sumFields(gaussianMixtureScore(singleGaussianMixture(data)), error) : gaussianMixtureScore(singleGaussianMixture(data));
          const h = hFrac * (T - t0);
          const t = t0 + h + where * (T - t0 - h);
          const m = d + 1;
          for (const name of SAMPLER_NAMES) {
            const x = new Float64Array(m * d);
            for (let r = 0; r < m; r++) for (let j = 0; j < d; j++) x[r * d + j] = x0[j]!;
            const z = new Float64Array(m * d);
            for (let j = 0; j < d; j++) z[(j + 1) * d + j] = 1;
            STEP_RULES[name].step(x, m, d, t, h, score, z, new Float64Array(WORK_PER_PARTICLE * m * d));
            const map = samplerStepMap(problem, name, t, h);
            let scale = 1;
            for (const v of x) scale = Math.max(scale, Math.abs(v));
            for (let i = 0; i < d; i++) {
              let mv = map.v[i]!;
              for (let j = 0; j < d; j++) mv += map.M[i * d + j]! * x0[j]!;
              expect(Math.abs(x[i]! - mv)).toBeLessThanOrEqual(STEP_MAP_REL * scale);
            }
            // N e_j = x(z = e_j) − x(z = 0); Q_ik = Σ_j N_ij N_kj
            for (let i = 0; i < d; i++)
              for (let k = 0; k < d; k++) {
                let q = 0;
                for (let j = 0; j < d; j++) q += (x[(j + 1) * d + i]! - x[i]!) * (x[(j + 1) * d + k]! - x[k]!);
                expect(Math.abs(q - map.Q[i * d + k]!)).toBeLessThanOrEqual(STEP_MAP_REL * scale * scale);
              }
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});
