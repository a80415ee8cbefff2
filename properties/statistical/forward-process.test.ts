/**
 * Forward OU process (docs/theory.md §1): the exact push-forward `pushMixture(q, t)` against a simulation of
 * the forward SDE dX = −½ X dt + dB by many small Euler–Maruyama steps (NOT the exact transition
 * `forwardStepInPlace`), and the semigroup identity P_s P_t = P_{s+t} (exact, float bound).
 *
 * Euler bias is not a tolerance knob: on this linear SDE the K-step Euler chain with step Δ is
 * exactly X_K = c^K X_0 + √v_E Z with c = 1 − Δ/2, v_E = Δ (1 − c^{2K}) / (1 − c²), so its law is
 * the GMM with components N(a_E m_k, a_E² S_k + v_E I), a_E = c^K. The bias of every compared
 * statistic against P_t q (a_t = e^{−t/2}, σ_t² = 1 − e^{−t}) is therefore known in closed form:
 *   mean:        |a_E − a_t| · |E X_0|
 *   covariance:  |a_E² − a_t²| · |Cov X_0| + |v_E − σ_t²| (diagonal)
 *   projected CDF: sup_x |F_E − F| ≤ max_k [ |Δμ_k| / (√(2π) s_min,k) + |Δs_k| / (√(2πe) s_min,k) ]
 *     (∂Φ((x−μ)/s)/∂μ ≤ 1/(s√(2π)), |∂Φ((x−μ)/s)/∂s| ≤ max_z |z|φ(z)/s = 1/(s√(2πe))).
 * With K = STEPS = 200 and t ≤ 2 the biases are ≤ 1e-3, small next to the statistical terms.
 *
 * The bias allowances use a_t, σ_t² written in closed form in this file (not the module's
 * ouMeanFactor/ouVariance), so an error in the module's transition cannot widen its own allowance.
 *
 * Statistical bounds at δ = ASSERTION_DELTA per comparison (src/statistics/budget.ts):
 * - means: median of means (src/statistics/median-of-means.ts) with the EXACT variance of each
 *   coordinate of the Euler chain, a_E² Cov0_jj + v_E: certified at δ (radius ≈ 21 σ/√n ≈ 0.15 σ);
 * - covariance entries: CLT, |ĉ − c| ≤ z·SE, SE from the sample (a NORMAL APPROXIMATION: GMM
 *   summands have all moments, but the level at z ≈ 6.5, n = 20 000 is not certified; method class
 *   'normal-approximation' in src/statistics/bound-method.ts);
 * - projection u·X: Kolmogorov–Smirnov with the DKW inequality P(D_n > ε) ≤ 2 e^{−2nε²}
 *   (Massart's constant, exact, no asymptotics): ε = √(ln(2/δ) / (2n)) ≈ 0.0243.
 * Power: mean errors ≳ 0.3·sd (2 × the MoM radius), covariance errors ≳ 2z·SE ≈ 0.1·sd, CDF errors
 * ≳ 0.05 are detected with prob. ≈ 1.
 */
import { describe, expect } from 'vitest';
import { test } from '../support/prop.ts';
import { isotropicGaussian } from '../../src/distributions/gaussian.ts';
import { gaussianMixture, mixtureCovariance, mixtureMean, sampleMixture } from '../../src/distributions/gaussian-mixture.ts';
import { mixture1d } from '../../src/divergences/quadrature-1d.ts';
import { pushMixture } from '../../src/processes/ornstein-uhlenbeck.ts';
import { rngForCase } from '../../src/random/rng.ts';
import { ASSERTION_DELTA, EvaluationBudget } from '../../src/statistics/budget.ts';
import { zTwoSided } from '../../src/statistics/normal.ts';
import { medianOfMeansBound } from '../../src/statistics/median-of-means.ts';
import { chargePipeline } from '../support/pipeline-spend.ts';
import { boundedDouble, caseSeed, gaussianMixtureArb, vectorArb } from '../support/arbitraries.ts';
import { expectKsAgainstLaw } from '../support/contracts.ts';
import { projectMoments, projectParticles } from '../support/projection.ts';

const Z = zTwoSided(ASSERTION_DELTA);
const N = 20_000;
const STEPS = 200;
const NUM_RUNS = 10;
/** Rounding of a block mean of ≤ N = 20 000 terms of size ≤ 20: N · 20 · u ≈ 4.4e-11, rounded up. */
const MEAN_ROUNDING = 1e-10;

/** d ≤ maxD, K ≤ 4 components, isotropic (variance ∈ [0.05, 2]) or full (L Lᵀ + cI, L ∈ [−1, 1], c ∈ [0.05, 1]), means in [−3, 3]. */
const mixtureArb = (maxD: number) =>
  gaussianMixtureArb({ dims: { min: 1, max: maxD }, components: { min: 1, max: 4 }, kinds: ['isotropic', 'full'], mean: 3, variance: { min: 0.05, max: 2 }, factor: 1, jitter: { min: 0.05, max: 1 }, weight: { min: 0.05, max: 1 } });

describe('§1 OU push-forward pushMixture = forward SDE simulated by small Euler steps', () => {
  const maxD = 3;
  // comparisons per evaluation: d means + d(d+1)/2 covariance entries + 1 KS ≤ 3 + 6 + 1, each
  // counted (chargePipeline) as it is made; the budget caps evaluations at 10 runs + 50 shrinks
  const budget = new EvaluationBudget({ numRuns: NUM_RUNS, comparisonsPerEvaluation: 10 });
  test.prop([mixtureArb(maxD), boundedDouble(0.05, 2), vectorArb(maxD, -1, 1), caseSeed()], { numRuns: NUM_RUNS })('mean, covariance, projected KS (DKW)', (q, t, uRaw, seed) => {
    if (!budget.tryEvaluate()) return;
    const d = q.dim;
    const rng = rngForCase(seed, 'forward-euler');
    const x = sampleMixture(q, N, rng.derive('x0'));
    const dt = t / STEPS;
    const c = 1 - 0.5 * dt;
    const sdt = Math.sqrt(dt);
    const z = new Float64Array(N * d);
    const noise = rng.derive('noise');
    for (let s = 0; s < STEPS; s++) {
      noise.fillNormal(z);
      for (let i = 0; i < x.length; i++) x[i] = c * x[i]! + sdt * z[i]!;
    }
    const pt = pushMixture(q, t);
    const mu = mixtureMean(pt);
    const cov = mixtureCovariance(pt);
    const m0 = mixtureMean(q);
    const cov0 = mixtureCovariance(q);
    // closed forms of the exact OU transition written here (not ouMeanFactor/ouVariance of the module
    // under test): a_t = e^{−t/2}, σ_t² = 1 − e^{−t}
    const a = Math.exp(-t / 2);
    const s2 = -Math.expm1(-t);
    const aE = c ** STEPS;
    const vE = (dt * (1 - c ** (2 * STEPS))) / (1 - c * c);
    // sample moments
    const xbar = new Float64Array(d);
    for (let i = 0; i < N; i++) for (let j = 0; j < d; j++) xbar[j]! += x[i * d + j]! / N;
    const column = new Float64Array(N);
    for (let j = 0; j < d; j++) {
      // certified: median of means with the Euler chain's exact coordinate variance a_E² Cov0_jj + v_E
      for (let i = 0; i < N; i++) column[i] = x[i * d + j]!;
      const mom = medianOfMeansBound(column, { varianceBound: aE * aE * cov0[j * d + j]! + vE, delta: ASSERTION_DELTA });
      const bias = Math.abs(aE - a) * Math.abs(m0[j]!);
      chargePipeline('forward-process.test.ts');
      // float: the mean of N terms and the closed-form mean, ≤ N u relative to max |x| ≤ 20 (|m| ≤ 3, sd ≤ 3)
      expect(Math.abs(mom.mean - mu[j]!)).toBeLessThanOrEqual(mom.halfWidth + bias + MEAN_ROUNDING);
    }
    for (let j = 0; j < d; j++)
      for (let k = 0; k <= j; k++) {
        let sum = 0;
        let sum2 = 0;
        for (let i = 0; i < N; i++) {
          const v = (x[i * d + j]! - xbar[j]!) * (x[i * d + k]! - xbar[k]!);
          sum += v;
          sum2 += v * v;
        }
        const mean = sum / N;
        const se = Math.sqrt(Math.max(sum2 / N - mean * mean, 0) / (N - 1));
        // centring at x̄ instead of μ changes the estimate by O(1/N) relative: (|Cov_jk| + ...)/N
        const centring = (Math.sqrt(cov[j * d + j]! * cov[k * d + k]!) * 2) / N;
        const bias = Math.abs(aE * aE - a * a) * Math.abs(cov0[j * d + k]!) + (j === k ? Math.abs(vE - s2) : 0);
        chargePipeline('forward-process.test.ts');
        expect(Math.abs(mean - cov[j * d + k]!)).toBeLessThanOrEqual(Z * se + bias + centring);
      }
    // projection u·X against the exact projected mixture CDF
    const u = Float64Array.from(uRaw.slice(0, d));
    let nu = 0;
    for (const v of u) nu += v * v;
    const DEGENERATE_DIRECTION = 1e-6; // a generated direction this short is replaced by (1,…,1)/√d (not a tolerance)
    if (!(nu > DEGENERATE_DIRECTION)) u.fill(1 / Math.sqrt(d));
    else for (let j = 0; j < d; j++) u[j] = u[j]! / Math.sqrt(nu);
    const proj = projectParticles(x, N, d, u).sort();
    const projComps = pt.components.map((g) => {
      const p = projectMoments(g, u, d);
      return isotropicGaussian([p.mean], p.variance);
    });
    const F = mixture1d(gaussianMixture(pt.weights, projComps));
    let ksBias = 0;
    q.components.forEach((g) => {
      const { mean: m, variance: v } = projectMoments(g, u, d);
      const sEx = Math.sqrt(a * a * v + s2);
      const sEu = Math.sqrt(aE * aE * v + vE);
      const sMin = Math.min(sEx, sEu);
      ksBias = Math.max(ksBias, Math.abs((aE - a) * m) / (Math.sqrt(2 * Math.PI) * sMin) + Math.abs(sEu - sEx) / (Math.sqrt(2 * Math.PI * Math.E) * sMin));
    });
    chargePipeline('forward-process.test.ts');
    expectKsAgainstLaw(proj, F.cdf, ASSERTION_DELTA, ksBias, 'projection u·X vs P_t q');
  });
});

describe('§1 semigroup P_s P_t = P_{s+t} (exact up to rounding)', () => {
  /**
   * a_s a_t vs a_{s+t}: each Math.exp within 1 ulp (V8's ieee754 exp is < 1 ulp), products 1 rounding
   * each: relative ≤ 6ε on means. Covariances a_t²(a_s² S + σ_s²) + σ_t² vs a_{s+t}² S + σ_{s+t}²:
   * ≤ 12 roundings of terms bounded by |S_ij| + 1 each: SEMIGROUP_ROUNDING = 16ε·(|S_ij| + |m_i| + 1).
   */
  const SEMIGROUP_ROUNDING = 16 * Number.EPSILON;
  test.prop([mixtureArb(4), boundedDouble(0, 5), boundedDouble(0, 5)])('component means and covariances', (q, s, t) => {
    const twice = pushMixture(pushMixture(q, s), t);
    const once = pushMixture(q, s + t);
    const d = q.dim;
    q.components.forEach((g, k) => {
      for (let i = 0; i < d; i++) expect(Math.abs(twice.components[k]!.mean[i]! - once.components[k]!.mean[i]!)).toBeLessThanOrEqual(SEMIGROUP_ROUNDING * (Math.abs(g.mean[i]!) + 1));
      for (let i = 0; i < d * d; i++) expect(Math.abs(twice.components[k]!.cov[i]! - once.components[k]!.cov[i]!)).toBeLessThanOrEqual(SEMIGROUP_ROUNDING * (Math.abs(g.cov[i]!) + 1));
      expect(twice.weights[k]).toBe(once.weights[k]);
    });
  });
});
