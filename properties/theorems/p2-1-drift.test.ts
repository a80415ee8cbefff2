/**
 * P2-1 (docs/theory.md §4, formula [I]): with a perfect score and exact sampling,
 *   p̂^{i+1} = P_{t0}(α p_data + (1−α) p̂^i)
 * drifts away from p_data whenever t0 > 0 (and not at t0 = 0).
 *
 * Checks:
 * (E) exact GMM recursion (1-D): D_i = χ²(p̂^i ‖ p_data) (+∞ when the closed-form criterion says so),
 *     KL and L1 by quadrature. Drift is established when L1(p̂^i, p_data) exceeds its error estimate for
 *     every i ≥ 1; consistency L1² ≤ χ² (TV ≤ ½√χ²) ties the two oracles. At t0 = 0 every iterate is
 *     p_data up to weight rounding: L1 ≤ G·4u.
 * (S) particles, generation 1, every sampler × start law ('exact' P_T q vs 'standard-normal'), Gaussian
 *     data N(m, v) (q_0 = p_data since p̂^0 = p_data). Oracle: every step rule is affine in y for the
 *     affine exact score, so the DISCRETE chain's output is exactly Gaussian with mean and variance given
 *     by a closed-form moment recursion written in this file from the step formulas (chainMoments; no
 *     sampler code is run for the oracle). Particle mean by the exact z-test with the oracle's σ
 *     ('gaussian-exact'), particle variance by the exact χ²_{n−1} law ('chi-squared-exact'), both
 *     two-sided at the engine's δ (certified, no normal approximation). Reported alongside: the continuous-time prediction a_{t0} m (exact start) / its
 *     standard-normal-start counterpart (closed form), the discretisation bias, the drift m − mean, and the
 *     start error KL(N(0,1) ‖ P_T q) in closed form. Power: the minimum detectable mean error is
 *     recorded; it is far below the drift (1 − a_{t0})|m|, so a non-drifting sampler would fail.
 * (B) both drifts at once (exact): learning error = population KDE with bandwidth h (q̃_i = q_i ∗ N(0, h²)),
 *     p̂^{i+1} = P_{t0} q̃_i. KDE keeps means, so the mean of the two-drift iterate equals the mean of the
 *     truncation-only iterate (truncation drift, Hermite mode 1: μ_{i+1} = a(αm + (1−α)μ_i)), and the
 *     learning drift is exactly the variance excess ΔV_{i+1} = a²((1−α)ΔV_i + h²), ΔV_0 = 0. KL to
 *     p_data of truncation-only, learning-only (t0 = 0) and both are plotted.
 */
import { describe, it } from 'vitest';
import fc from 'fast-check'; // not @fast-check/vitest: its import costs ≈ 2 s per test file (only test.prop needs it)
import { boundedDouble } from '../support/arbitraries.ts';
import { checkProperty, type CaseOutcome } from '../../src/verdict/engine.ts';
import { recordAndAssert } from '../../src/verdict/record.ts';
import { eqExact, eqStatistical, leqExact, type Comparison } from '../../src/verdict/compare.ts';
import { sampleStats, type MeanBound } from '../../src/statistics/bounds.ts';
import { zTwoSided } from '../../src/statistics/normal.ts';
import { chiSquareQuantile } from '../../src/statistics/chi-square.ts';
import { mixtureCovariance, mixtureMean, smoothMixture, type GaussianMixture } from '../../src/distributions/gaussian-mixture.ts';
import { ouMeanFactor } from '../../src/processes/ornstein-uhlenbeck.ts';
import { geometricGrid } from '../../src/processes/time-grid.ts';
import { SAMPLER_NAMES, sampler, type SamplerName } from '../../src/samplers/reverse-sde.ts';
import { drawStart, START_LAWS, type StartLaw } from '../../src/samplers/start-law.ts';
import { gaussianMixtureScore } from '../../src/scores/gaussian-mixture-score.ts';
import { rngForCase } from '../../src/random/rng.ts';
import { iterateRecursion } from '../../src/oracles/gmm-recursion.ts';
import { mixtureChiSquare1d, gmm1d, mixtureKl1d, mixtureL1Distance1d } from '../../src/divergences/gaussian-mixture-1d.ts';
import { alphaArb, describeGmm1d, gmm1dArb, t0Arb } from './p2-support.ts';
import { describeDeep } from '../support/tier.ts';

const U = 2 ** -53;
/** Deep-tier tests run large sweeps on a shared machine: 30 min each (vitest's default here is 120 s). */
const DEEP_TIMEOUT_MS = 1_800_000;
const PRODUCT_SLACK = 64 * U;
/**
 * Generated particle cases in the default tier: each case runs 6 chains × 12 000 particles × 100 steps
 * (≈ 0.4 s); 4 cases cover both start laws on 4 independent (m, v, t0, seed) draws per run seed.
 */
const PARTICLE_RUNS = 4;
const DRIFT_GENERATIONS = 8;

function exactDrift(c: { p: GaussianMixture; alpha: number; t0: number }): CaseOutcome {
  const it = iterateRecursion(c.p, { alpha: c.alpha, schedule: { kind: 'constant', t0: c.t0 }, generations: DRIFT_GENERATIONS });
  const out: Comparison[] = [eqExact('D_0 = χ²(p̂^0 ‖ p_data) = 0', mixtureL1Distance1d(it[0]!, c.p).value, 0, 0)];
  let minL1 = Infinity;
  let infinite = 0;
  for (let i = 1; i <= DRIFT_GENERATIONS; i++) {
    const l1 = mixtureL1Distance1d(it[i]!, c.p);
    minL1 = Math.min(minL1, l1.value);
    out.push(leqExact(`drift established at generation ${i}: error < L1(p̂^${i}, p_data)`, l1.errorEstimate, l1.value, 0, 'quadrature'));
    if (i <= 3) {
      const chi = mixtureChiSquare1d(it[i]!, c.p);
      if (chi.value === Infinity) infinite++;
      else out.push(leqExact(`L1² ≤ χ² at generation ${i} (TV ≤ ½√χ²)`, l1.value * l1.value, chi.value, 2 * l1.value * l1.errorEstimate + chi.errorEstimate + PRODUCT_SLACK * chi.value, 'quadrature'));
    }
  }
  return { comparisons: out, statistics: { minL1: minL1, infiniteChi2Generations: infinite } };
}

function noDriftAtZero(c: { p: GaussianMixture; alpha: number }): CaseOutcome {
  const G = 20;
  const it = iterateRecursion(c.p, { alpha: c.alpha, schedule: { kind: 'constant', t0: 0 }, generations: G });
  const out: Comparison[] = [];
  for (const i of [1, 5, G]) {
    const l1 = mixtureL1Distance1d(it[i]!, c.p);
    // identical components cancel exactly; the weights α w + (1−α) w carry ≤ 2 roundings per round: Σ|Δw| ≤ 4u i
    out.push(leqExact(`t0 = 0: L1(p̂^${i}, p_data) ≤ 4u·i (no drift)`, l1.value, 4 * U * i, l1.errorEstimate, 'float'));
  }
  return { comparisons: out };
}

function driftPictures() {
  const pd = gmm1d([[0.3, -2, 0.25], [0.7, 1.5, 0.5]]);
  const gens = Array.from({ length: 13 }, (_, i) => i);
  const series: Record<string, (number | null)[]> = { 'drift/generation': gens };
  for (const [alpha, t0] of [[0.1, 0.2], [0.5, 0.2], [0.9, 0.2], [0.5, 0.05]] as const) {
    const it = iterateRecursion(pd, { alpha, schedule: { kind: 'constant', t0 }, generations: 12 });
    series[`drift/KL(p̂^i‖p_data) α=${alpha} t0=${t0}`] = it.map((p, i) => (i === 0 ? null : mixtureKl1d(p, pd).value));
    series[`drift/χ²(p̂^i‖p_data) α=${alpha} t0=${t0}`] = it.map((p, i) => (i === 0 ? null : mixtureChiSquare1d(p, pd).value));
  }
  return {
    series,
    plots: [{ panel: 'drift', kind: 'per-generation' as const, title: 'P2-1 drift with a perfect score (exact GMM recursion)', x: 'generation', yScale: 'log' as const, xLabel: 'generation i', yLabel: 'divergence to p_data' }],
    notes: [`p_data = ${JSON.stringify(describeGmm1d(pd))}; χ² becomes +∞ once a component variance reaches 2× the widest data variance (D-3 criterion): such points are +Infinity in the series (counted on the chart, never drawn as finite)`],
  };
}

// ───────────── particles

interface ParticleCase {
  readonly m: number;
  readonly v: number;
  readonly t0: number;
  readonly seed: number;
}
const particleArb: fc.Arbitrary<ParticleCase> = fc.record({
  m: boundedDouble(1.5, 3),
  v: boundedDouble(0.1, 0.6),
  t0: t0Arb(0.2, 0.6),
  seed: fc.integer(),
});
const T = 3;
const STEPS = 100;
/**
 * Particles per sampler × start law. The output of every chain is EXACTLY Gaussian (affine steps,
 * Gaussian start and noise), with mean μ_K and variance σ²_K from chainMoments, so the mean check is
 * the exact z-test: half-width z_{δ/2} σ_K/√n (method 'gaussian-exact', certified). σ_K ≤ 0.9 here,
 * so at δ = 1e-10 the half-width is ≤ 6.47 · 0.9 / √12000 = 0.053 and the power (0.99) ≤ 0.053 +
 * 2.33 · 0.9/√12000 = 0.072 < half the smallest truncation drift 1.5 (1 − e^{−0.1}) / 2 = 0.071…
 * (the `allowed` below is half the case's own drift, ≥ 0.071).
 */
const PARTICLES = 12000;
/**
 * Variance of the chain output: (n − 1) s² / σ²_K ~ χ²_{n−1} exactly (Gaussian output); the interval
 * [σ²_K χ²_{δ/2} / (n−1), σ²_K χ²_{1−δ/2} / (n−1)] (method 'chi-squared-exact'), used as a symmetric
 * half-width max(upper − σ², σ² − lower) around σ²_K. At n = 12 000, δ = 1e-10 the relative
 * half-width is ≈ 6.5 √(2/n) ≈ 0.084: a sampler whose noise or contraction were off by 10 % in
 * variance is caught.
 */
const VARIANCE_ALLOWED_REL = 0.2;

/**
 * Exact mean and variance of the DISCRETE chain for Gaussian data N(m, v), written out here from the
 * step-rule formulas (independent of src/samplers: no step code is run). With V_t = e^{−t} v + 1 − e^{−t},
 * μ_t = e^{−t/2} m, the exact score is s(y, t) = −(y − μ_t)/V_t, so f(y, t) = ½y + s = λ_t y + c_t with
 * λ_t = ½ − 1/V_t, c_t = μ_t/V_t. Each step is y ← A y + B + C z:
 *   Euler–Maruyama: A = 1 + hλ_t, B = h c_t, C² = h;
 *   exponential integrator (y ← e^{h/2} y + 2(e^{h/2}−1) s(y,t) + √(e^h−1) z): A = e^{h/2} − 2(e^{h/2}−1)/V_t,
 *     B = 2(e^{h/2}−1) c_t, C² = e^h − 1;
 *   stochastic Heun (ỹ = y + h f(y,t) + √h z; y ← y + ½h(f(y,t) + f(ỹ,t−h)) + √h z), with (λ₀, c₀) at t and
 *     (λ₁, c₁) at t − h: A = 1 + ½h(λ₀ + λ₁(1 + hλ₀)), B = ½h(c₀ + λ₁ h c₀ + c₁), C = √h (1 + ½hλ₁).
 * Moments: μ ← Aμ + B, σ² ← A²σ² + C².
 */
function chainMoments(name: SamplerName, startMean: number, startVar: number, m: number, v: number, times: Float64Array): { mean: number; variance: number } {
  const lam = (t: number) => 0.5 - 1 / (Math.exp(-t) * v + 1 - Math.exp(-t));
  const cst = (t: number) => (Math.exp(-t / 2) * m) / (Math.exp(-t) * v + 1 - Math.exp(-t));
  let mu = startMean;
  let s2 = startVar;
  for (let k = 0; k < times.length - 1; k++) {
    const t = times[k]!;
    const h = t - times[k + 1]!;
    let A: number;
    let B: number;
    let C2: number;
    if (name === 'euler-maruyama') {
      A = 1 + h * lam(t);
      B = h * cst(t);
      C2 = h;
    } else if (name === 'exponential-integrator') {
      const e = Math.exp(h / 2) - 1;
      const Vt = Math.exp(-t) * v + 1 - Math.exp(-t);
      A = Math.exp(h / 2) - (2 * e) / Vt;
      B = 2 * e * cst(t);
      C2 = Math.exp(h) - 1;
    } else {
      const l0 = lam(t);
      const l1 = lam(t - h);
      const c0 = cst(t);
      const c1 = cst(t - h);
      A = 1 + 0.5 * h * (l0 + l1 * (1 + h * l0));
      B = 0.5 * h * (c0 + l1 * h * c0 + c1);
      C2 = h * (1 + 0.5 * h * l1) ** 2;
    }
    mu = A * mu + B;
    s2 = A * A * s2 + C2;
  }
  return { mean: mu, variance: s2 };
}

/** Continuous-time output mean from a start mean μ_T (Gaussian data N(m, v)): A μ_T + a_{t0} m − A a_T m, A = e^{(T−t0)/2}(e^{t0}+b)/(e^T+b), b = v − 1. */
function continuousMean(start: number, m: number, v: number, t0: number): number {
  const b = v - 1;
  const A = (Math.exp(0.5 * (T - t0)) * (Math.exp(t0) + b)) / (Math.exp(T) + b);
  return A * start + Math.exp(-t0 / 2) * m - A * Math.exp(-T / 2) * m;
}

function particleDrift(c: ParticleCase, delta: number): CaseOutcome {
  const q = gmm1d([[1, c.m, c.v]]);
  const out: Comparison[] = [];
  const stats: Record<string, number> = {};
  const aT = Math.exp(-T / 2);
  const vT = aT * aT * c.v + 1 - aT * aT;
  stats.startKL = 0.5 * (1 / vT - 1 + (aT * c.m) ** 2 / vT + Math.log(vT)); // KL(N(0,1) ‖ P_T q)
  stats.truncationDrift = c.m * (1 - Math.exp(-c.t0 / 2));
  const grid = geometricGrid(T, c.t0, STEPS);
  const n = PARTICLES;
  const z = zTwoSided(delta);
  // χ² interval of the sample variance at δ (δ/2 per side), relative to σ²
  const lo = chiSquareQuantile(delta / 2, n - 1) / (n - 1);
  const hi = chiSquareQuantile(1 - delta / 2, n - 1) / (n - 1);
  for (const name of SAMPLER_NAMES) {
    for (const law of START_LAWS) {
      const rng = rngForCase(c.seed, 'p2-1-particles', name, law);
      const x = drawStart(law as StartLaw, q, T, n, rng.derive('start'));
      sampler(name).run(x, { dim: 1, n, grid, score: gaussianMixtureScore(q), noise: rng.derive('noise') });
      const startMean = law === 'exact' ? aT * c.m : 0;
      const startVar = law === 'exact' ? vT : 1;
      const chain = chainMoments(name, startMean, startVar, c.m, c.v, grid.times);
      const st = sampleStats(x);
      const sd = Math.sqrt(chain.variance);
      const meanB: MeanBound = { n, mean: st.mean, sd, halfWidth: (z * sd) / Math.sqrt(n), method: 'gaussian-exact', delta };
      // rhs float error: 100 affine steps of O(1) numbers, ≤ 8 roundings each, |μ| ≤ 3 ⇒ 800 u (|μ| + 1)
      const rhsErr = 800 * U * (Math.abs(chain.mean) + 1);
      // allowed: the check must resolve half the truncation drift (a sampler that drifted only half as far fails)
      out.push(eqStatistical(`${name}/${law}: particle mean = discrete-chain mean (closed form)`, meanB, chain.mean, 0.5 * stats.truncationDrift!, rhsErr));
      const varHalf = chain.variance * Math.max(hi - 1, 1 - lo);
      const varB: MeanBound = { n, mean: st.variance, sd: chain.variance * Math.sqrt(2), halfWidth: varHalf, method: 'chi-squared-exact', delta };
      out.push(eqStatistical(`${name}/${law}: particle variance = discrete-chain variance (closed form)`, varB, chain.variance, VARIANCE_ALLOWED_REL * chain.variance, 800 * U * (chain.variance + 1)));
      const cont = continuousMean(startMean, c.m, c.v, c.t0);
      stats[`${name}/${law}/drift m − mean`] = c.m - st.mean;
      stats[`${name}/${law}/discretisation bias`] = chain.mean - cont;
      stats[`${name}/${law}/continuous prediction`] = cont;
    }
  }
  return { comparisons: out, statistics: stats };
}

// ───────────── both drifts

interface BothCase {
  readonly p: GaussianMixture;
  readonly alpha: number;
  readonly t0: number;
  readonly h: number;
}
const bothArb: fc.Arbitrary<BothCase> = fc.record({ p: gmm1dArb(3), alpha: alphaArb(0.05, 0.95), t0: t0Arb(0.02, 1), h: boundedDouble(0.05, 0.8) });

function bothRuns(c: BothCase, G: number) {
  const a = ouMeanFactor(c.t0);
  const trunc = iterateRecursion(c.p, { alpha: c.alpha, schedule: { kind: 'constant', t0: c.t0 }, generations: G });
  // P_{t0}(q ∗ N(0,h²)) = (P_{t0} q) ∗ N(0, a²h²): the KDE error applied after the round
  const both = iterateRecursion(c.p, { alpha: c.alpha, schedule: { kind: 'constant', t0: c.t0 }, generations: G, perturb: (law) => smoothMixture(law, a * c.h) });
  const learn = iterateRecursion(c.p, { alpha: c.alpha, schedule: { kind: 'constant', t0: 0 }, generations: G, perturb: (law) => smoothMixture(law, c.h) });
  return { a, trunc, both, learn };
}

function bothDrifts(c: BothCase): CaseOutcome {
  const G = 12;
  const { a, trunc, both } = bothRuns(c, G);
  const out: Comparison[] = [];
  let dV = 0;
  let mu = mixtureMean(c.p)[0]!;
  const m = mu;
  let scale = Math.abs(m) + 1;
  for (let i = 1; i <= G; i++) {
    dV = a * a * ((1 - c.alpha) * dV + c.h * c.h);
    mu = a * (c.alpha * m + (1 - c.alpha) * mu);
    if (i % 3 !== 0) continue;
    const mb = mixtureMean(both[i]!)[0]!;
    const mt = mixtureMean(trunc[i]!)[0]!;
    const vb = mixtureCovariance(both[i]!)[0]!;
    const vt = mixtureCovariance(trunc[i]!)[0]!;
    scale = Math.max(scale, vb + mb * mb);
    // float: means/variances of mixtures with ≤ 3(i+1) components, ≤ 6 roundings per component per round
    const fl = (6 * 3 * (i + 1) + 6 * i + 16) * U * scale;
    out.push(eqExact(`mean(two drifts) = mean(truncation only) at i=${i} (KDE keeps means)`, mb, mt, fl));
    out.push(eqExact(`truncation drift of the mean: μ_i = a(αm + (1−α)μ_{i−1}) at i=${i}`, mt, mu, fl));
    out.push(eqExact(`learning drift = variance excess a²((1−α)ΔV + h²) at i=${i}`, vb - vt, dV, 2 * fl));
  }
  return { comparisons: out, statistics: { varianceExcessLimit: (a * a * c.h * c.h) / (1 - (1 - c.alpha) * a * a), meanLimitBias: m - mu } };
}

function bothPictures() {
  const c: BothCase = { p: gmm1d([[0.3, -2, 0.25], [0.7, 1.5, 0.5]]), alpha: 0.5, t0: 0.2, h: 0.3 };
  const G = 12;
  const { trunc, both, learn } = bothRuns(c, G);
  const gens = Array.from({ length: G + 1 }, (_, i) => i);
  const kl = (laws: GaussianMixture[]) => laws.map((p, i) => (i === 0 ? null : mixtureKl1d(p, c.p).value));
  return {
    series: {
      'two-drifts/generation': gens,
      'two-drifts/KL truncation only (t0=0.2, h=0)': kl(trunc),
      'two-drifts/KL learning only (t0=0, KDE h=0.3)': kl(learn),
      'two-drifts/KL both': kl(both),
    },
    plots: [{ panel: 'two-drifts', kind: 'per-generation' as const, title: 'Truncation drift vs learning drift (α = 0.5)', x: 'generation', yScale: 'log' as const, xLabel: 'generation i', yLabel: 'KL(p̂^i ‖ p_data)' }],
  };
}

function driftChecks(tier: 'default' | 'deep') {
  const runs = (n: number) => (tier === 'deep' ? 6 * n : n);
  const sfx = tier === 'deep' ? ' [deep]' : '';
  it('exact recursion: D_i > 0 for every i ≥ 1 when t0 > 0', () => {
    const { entry } = checkProperty({
      claimId: 'P2-1',
      check: 'drift of the exact GMM recursion (t0 > 0)' + sfx,
      expected: 'holds',
      arbitrary: fc.record({ p: gmm1dArb(3), alpha: alphaArb(0.05, 0.95), t0: t0Arb(0.01, 1) }),
      numRuns: runs(10),
      evaluate: exactDrift,
      ...(tier === 'default' ? driftPictures() : {}),
    });
    recordAndAssert(entry);
  }, tier === 'deep' ? DEEP_TIMEOUT_MS : undefined);

  it('exact recursion: no drift at t0 = 0', () => {
    const { entry } = checkProperty({ claimId: 'P2-1', check: 'no drift at t0 = 0 (exact)' + sfx, expected: 'holds', arbitrary: fc.record({ p: gmm1dArb(3), alpha: alphaArb(0, 1) }), numRuns: runs(20), evaluate: noDriftAtZero });
    recordAndAssert(entry);
  }, tier === 'deep' ? DEEP_TIMEOUT_MS : undefined);

  it('particles from every sampler and start law follow the drifting chain', () => {
    const { entry } = checkProperty({
      claimId: 'P2-1',
      check: 'particle drift, every sampler × start law (generation 1, Gaussian data)' + sfx,
      expected: 'holds',
      arbitrary: particleArb,
      numRuns: runs(PARTICLE_RUNS),
      statistical: { comparisonsPerEvaluation: 2 * SAMPLER_NAMES.length * START_LAWS.length, maxShrinkEvaluations: 4 },
      evaluate: (c, { delta }) => particleDrift(c, delta),
    });
    recordAndAssert(entry);
  }, tier === 'deep' ? DEEP_TIMEOUT_MS : undefined);

  it('both drifts at once: truncation drift (mean) and learning drift (variance excess) separate exactly', () => {
    const { entry } = checkProperty({
      claimId: 'P2-1',
      check: 'truncation drift + KDE learning drift, separated (exact)' + sfx,
      expected: 'holds',
      arbitrary: bothArb,
      numRuns: runs(20),
      evaluate: bothDrifts,
      ...(tier === 'default' ? bothPictures() : {}),
    });
    recordAndAssert(entry);
  }, tier === 'deep' ? DEEP_TIMEOUT_MS : undefined);
}

describe('P2-1 drift with a perfect score', () => driftChecks('default'));
describeDeep('P2-1 deep sweep (6× cases)', () => driftChecks('deep'));
