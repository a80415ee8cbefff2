/**
 * P2-5 (docs/theory.md §4, constants [I]): one round Φ(p) = P_{t0}(α p_data + (1−α) p) is a W2 contraction
 * with κ = e^{−t0/2} √(1−α); with per-round W2 perturbations ≤ δ, limsup W2(p̃^i, p*) ≤ δ/(1−κ).
 *
 * Our analysis (checked here, not assumed). Upper bound: P_{t0} contracts W2 by e^{−t0/2}
 * (synchronous coupling X_t = a X + σ Z with the same Z); mixing with a common α p_data contracts W2²
 * by (1−α) (couple the common part identically, the rest optimally: joint convexity of W2²). So
 * κ = e^{−t0/2}√(1−α) is a valid factor. It is also sharp: μ = N(0, s²) = p_data, ν = N(L, s²) gives
 * W2(Φμ, Φν)/W2(μ, ν) → κ as L/σ_{t0} → ∞ (the moved mass (1−α) travels a·L), so the factor of W1,
 * (1−α)e^{−t0/2}, is NOT a W2 factor: the sharpness check establishes ratio > (1−α)e^{−t0/2} beyond
 * the quadrature errors (added to the smaller side: the strict inequality must be established). W1 itself contracts by (1−α)e^{−t0/2} (W1 is jointly convex and linear in mixing).
 * Ball: W2(p̃^{i+1}, p*) ≤ δ + κ W2(p̃^i, p*) ⇒ W2(p̃^i, p*) ≤ κ^i W2(p̃^0, p*) + δ(1−κ^i)/(1−κ).
 *
 * Oracles (1-D, δ = 0): W2 through quantile functions (`mixtureW2Distance1d`: trapezoid in z = Φ⁻¹(u) with
 * a rigorous tail bound and a step-halving estimate, method 'quadrature'); W1 = ∫|F − G|; exact GMM
 * round map; perturbations with exactly known W2 size: translation by δ (W2 = δ), dilation about the
 * mean by c (monotone map, optimal in 1-D: W2 = |c − 1| sd); and a learning error with a proven W2
 * bound: population KDE training with bandwidth h (W2 ≤ a h after the round).
 */
import { describe, it } from 'vitest';
import fc from 'fast-check'; // not @fast-check/vitest: its import costs ≈ 2 s per test file (only test.prop needs it)
import { boundedDouble, logUniformDouble } from '../support/arbitraries.ts';
import { checkProperty, type CaseOutcome } from '../../src/verdict/engine.ts';
import { recordAndAssert } from '../../src/verdict/record.ts';
import { leqExact, type Comparison } from '../../src/verdict/compare.ts';
import { smoothMixture, type GaussianMixture } from '../../src/distributions/gaussian-mixture.ts';
import { mixtureCovariance, mixtureMean } from '../../src/distributions/gaussian-mixture.ts';
import { isotropicGaussian } from '../../src/distributions/gaussian.ts';
import { iterateRecursion, limitLaw, roundMap, roundMapParameterError, translateMixture } from '../../src/oracles/gmm-recursion.ts';
import { gmm1d, mixtureW1Distance1d, mixtureW2Distance1d, type ParameterError } from '../../src/divergences/gaussian-mixture-1d.ts';
import { gamma } from '../../src/numerics/rounding.ts';
import { alphaArb, gmm1dArb, t0Arb } from './p2-support.ts';
import { describeDeep } from '../support/tier.ts';

const U = 2 ** -53;
/** Deep-tier tests run large sweeps on a shared machine: 30 min each (vitest's default here is 120 s). */
const DEEP_TIMEOUT_MS = 1_800_000;
/** Relative slack for products of a few computed numbers (≤ 64 roundings). */
const PRODUCT_SLACK = 64 * U;
/** Quadrature steps of W2 in the default tier (relative error estimate ≲ 1e-2 on separated mixtures, reported per case). */
const W2_STEPS = 600;

/**
 * Parameter errors of the compared laws against the exact laws they stand for, passed to the
 * distance routines so that their error bounds cover them (a violation below the rounding of its own
 * computation is not one). Inputs: gmm1dArb / gmm1d weights w/total with an exact integer total, one
 * division (γ_1); means and variances exact. Round-map outputs: roundMapParameterError for the
 * K_p + K_μ mixed components, one extra rounding for the inputs' weights (γ_1 on top).
 */
const INPUT_PARAMETER_ERROR: ParameterError = { weight: gamma(1), mean: 0, sd: 0 };
function afterParameterError(c: PairCase): ParameterError {
  const k = c.p.components.length + Math.max(c.mu.components.length, c.nu.components.length);
  return roundMapParameterError(k + 1);
}

const kappa = (alpha: number, t0: number) => Math.exp(-0.5 * t0) * Math.sqrt(1 - alpha);
const w1Factor = (alpha: number, t0: number) => (1 - alpha) * Math.exp(-0.5 * t0);

interface PairCase {
  readonly p: GaussianMixture;
  readonly mu: GaussianMixture;
  readonly nu: GaussianMixture;
  readonly alpha: number;
  readonly t0: number;
}
const pairArb: fc.Arbitrary<PairCase> = fc.record({ p: gmm1dArb(2), mu: gmm1dArb(2), nu: gmm1dArb(2), alpha: alphaArb(0.05, 0.95), t0: t0Arb(0.02, 1.5) });

/** The sharp family: μ = p_data = N(0, s²), ν = N(L, s²); s² log-uniform: it spans 2.7 decades and
 * the family is sharp as s → 0, so each decade gets equal weight (fc.double's by-index draw was ≈ log-uniform here too). */
const tightArb: fc.Arbitrary<PairCase> = fc
  .record({ L: boundedDouble(5, 40), s2: logUniformDouble(1e-4, 0.05), alpha: alphaArb(0.05, 0.7), t0: t0Arb(0.02, 0.5) })
  .map((r) => ({ p: gmm1d([[1, 0, r.s2]]), mu: gmm1d([[1, 0, r.s2]]), nu: gmm1d([[1, r.L, r.s2]]), alpha: r.alpha, t0: r.t0 }));

function contraction(factor: (alpha: number, t0: number) => number, label: string) {
  return (c: PairCase): CaseOutcome => {
    const before = mixtureW2Distance1d(c.mu, c.nu, W2_STEPS, INPUT_PARAMETER_ERROR);
    const after = mixtureW2Distance1d(roundMap(c.p, c.mu, c.alpha, c.t0), roundMap(c.p, c.nu, c.alpha, c.t0), W2_STEPS, afterParameterError(c));
    const f = factor(c.alpha, c.t0);
    const err = after.errorEstimate + f * before.errorEstimate + PRODUCT_SLACK * after.value;
    return {
      comparisons: [leqExact(`W2(Φμ, Φν) ≤ ${label} W2(μ, ν)`, after.value, f * before.value, err, 'quadrature')],
      statistics: { ratio: before.value > 0 ? after.value / before.value : 0, factor: f, kappa: kappa(c.alpha, c.t0), ratioOverKappa: before.value > 0 ? after.value / before.value / kappa(c.alpha, c.t0) : 0, relativeQuadratureError: after.value > 0 ? after.errorEstimate / after.value : 0 },
    };
  };
}

function w1Contraction(c: PairCase): CaseOutcome {
  const before = mixtureW1Distance1d(c.mu, c.nu, undefined, INPUT_PARAMETER_ERROR);
  const after = mixtureW1Distance1d(roundMap(c.p, c.mu, c.alpha, c.t0), roundMap(c.p, c.nu, c.alpha, c.t0), undefined, afterParameterError(c));
  const f = w1Factor(c.alpha, c.t0);
  return {
    comparisons: [leqExact('W1(Φμ, Φν) ≤ (1−α)e^{−t0/2} W1(μ, ν)', after.value, f * before.value, after.errorEstimate + f * before.errorEstimate + PRODUCT_SLACK * after.value, 'quadrature')],
    statistics: { ratio: before.value > 0 ? after.value / before.value : 0, factor: f },
  };
}

/** Dilation about the mean by c: component means m̄ + c(m − m̄), variances c² v; W2 to the original = |c − 1| sd exactly. */
function dilate(p: GaussianMixture, c: number): GaussianMixture {
  const mbar = mixtureMean(p)[0]!;
  return { dim: 1, weights: p.weights, components: p.components.map((g) => isotropicGaussian([mbar + c * (g.mean[0]! - mbar)], c * c * g.cov[0]!)) };
}

interface BallCase {
  readonly p: GaussianMixture;
  readonly alpha: number;
  readonly t0: number;
  readonly kind: 'translation' | 'dilation' | 'kde';
  readonly size: number;
}
const ballArb: fc.Arbitrary<Omit<BallCase, 'kind'>> = fc.record({
  p: gmm1dArb(2, 0.1, 1.5),
  alpha: alphaArb(0.2, 0.9),
  t0: t0Arb(0.1, 1),
  size: boundedDouble(0.01, 0.3),
});

const BALL_GENERATIONS = 30;
/** Limit truncation for the ball: W2(p*_K, p*) ≤ w2Bound (proven, gmm-recursion.ts) at TV tolerance 1e-10. */
const BALL_LIMIT_TOLERANCE = 1e-10;

function ballRun(c: BallCase) {
  // translation: W2 size = size exactly; dilation by c = 1 + size: W2 size = size · sd(Φ p̃^i) per round
  const sizes: number[] = [];
  const a = Math.exp(-0.5 * c.t0);
  const perturb = (law: GaussianMixture) => {
    if (c.kind === 'kde') {
      // learning error: population KDE with bandwidth h = size before the round, P_{t0}(q ∗ N(0,h²)) = P_{t0}q ∗ N(0, a²h²);
      // W2(q ∗ N(0, s²), q) ≤ s (coupling X + sZ): δ ≤ a·h (an upper bound is all the ball needs)
      sizes.push(a * c.size);
      return smoothMixture(law, a * c.size);
    }
    if (c.kind === 'translation') {
      sizes.push(c.size);
      return translateMixture(law, [c.size]);
    }
    sizes.push(c.size * Math.sqrt(mixtureCovariance(law)[0]!));
    return dilate(law, 1 + c.size);
  };
  const it = iterateRecursion(c.p, { alpha: c.alpha, schedule: { kind: 'constant', t0: c.t0 }, generations: BALL_GENERATIONS, perturb });
  return { it, delta: Math.max(...sizes) };
}

/**
 * Parameter error of the iterates p̃^i (i ≤ G) and of the truncated limit law against the exact laws
 * they stand for (a derived allowance, so that the ball check is sound at every scale). Per round:
 * roundMap's γ_{K+2} weights (K ≤ Kmax components), γ_3 means, γ_8 variances (roundMapParameterError),
 * then the perturbation: translation m + δ (one rounding, relative), KDE v + (ah)² (two), dilation
 * m̄ + c(m − m̄) with m̄ = Σ w m (K products and sums) — an ABSOLUTE mean error ≤ γ_{K+4}(1 + 2c)·M,
 * M = max|m|; relative errors compound over G rounds (γ_n terms add), absolute ones are carried
 * (and shrunk by a < 1) into the next rounds. The limit law: weights α(1−α)^{k−1}w (pow within
 * LIBM_RELATIVE, 2 products: γ_4), pushed components as roundMap.
 */
function ballParameterError(iterates: readonly GaussianMixture[], generations: number, dilation: number): ParameterError {
  let kMax = 1;
  let mMax = 0;
  for (const law of iterates) {
    kMax = Math.max(kMax, law.components.length);
    for (const g of law.components) mMax = Math.max(mMax, Math.abs(g.mean[0]!));
  }
  const G = generations;
  return {
    weight: gamma(G * (kMax + 3) + 4),
    mean: gamma(4 * G + 3),
    sd: gamma(5 * G + 4),
    meanAbsolute: G * gamma(kMax + 4) * (1 + 2 * dilation) * mMax,
  };
}

type BallKind = BallCase['kind'];
const BALL_KINDS: readonly BallKind[] = ['translation', 'dilation', 'kde'];

/** Every perturbation kind on the same data (so each kind is exercised in every case). */
function ball(c0: Omit<BallCase, 'kind'>): CaseOutcome {
  const k = kappa(c0.alpha, c0.t0);
  const lim = limitLaw(c0.p, c0.alpha, c0.t0, { tolerance: BALL_LIMIT_TOLERANCE });
  const out: Comparison[] = [];
  const stats: Record<string, number> = { kappa: k };
  for (const kind of BALL_KINDS) {
    const c: BallCase = { ...c0, kind };
    const { it, delta } = ballRun(c);
    const pe = ballParameterError([...it, lim.law], BALL_GENERATIONS, 1 + c.size);
    const w0 = mixtureW2Distance1d(it[0]!, lim.law, W2_STEPS, pe);
    let last = 0;
    for (const i of [1, 5, BALL_GENERATIONS]) {
      const wi = mixtureW2Distance1d(it[i]!, lim.law, W2_STEPS, pe);
      const bound = k ** i * (w0.value + lim.w2Bound) + (delta * (1 - k ** i)) / (1 - k) + lim.w2Bound;
      out.push(leqExact(`${kind}: W2(p̃^${i}, p*) ≤ κ^i W2(p̃^0, p*) + δ(1−κ^i)/(1−κ)`, wi.value, bound, wi.errorEstimate + k ** i * w0.errorEstimate + PRODUCT_SLACK * bound, 'quadrature'));
      last = wi.value;
    }
    // limsup: the transient κ^G W2_0 is the only slack over δ/(1−κ) at generation G
    stats[`${kind}/delta`] = delta;
    stats[`${kind}/measuredRadius`] = last;
    stats[`${kind}/ballRadius δ/(1−κ)`] = delta / (1 - k);
    stats[`${kind}/radiusOverBound`] = last / (delta / (1 - k));
    stats[`${kind}/transient κ^G W2_0`] = k ** BALL_GENERATIONS * w0.value;
  }
  return { comparisons: out, statistics: stats };
}

function ballPictures() {
  const p = gmm1d([[0.3, -2, 0.25], [0.7, 1.5, 0.5]]);
  const c: BallCase = { p, alpha: 0.3, t0: 0.3, kind: 'translation', size: 0.1 };
  const k = kappa(c.alpha, c.t0);
  const lim = limitLaw(p, c.alpha, c.t0, { tolerance: BALL_LIMIT_TOLERANCE });
  const { it, delta } = ballRun(c);
  const gens = [0, 1, 2, 3, 5, 10, 20, 30];
  const w = gens.map((i) => mixtureW2Distance1d(it[i]!, lim.law, W2_STEPS).value);
  const alphas = Array.from({ length: 9 }, (_, j) => 0.1 * (j + 1));
  const tight = alphas.map((a) => {
    const mu = gmm1d([[1, 0, 0.001]]);
    const nu = gmm1d([[1, 20, 0.001]]);
    return mixtureW2Distance1d(roundMap(mu, mu, a, 0.2), roundMap(mu, nu, a, 0.2), W2_STEPS).value / mixtureW2Distance1d(mu, nu, W2_STEPS).value;
  });
  return {
    series: {
      'ball/generation': gens,
      'ball/W2(p̃^i, p*) measured': w,
      'ball/κ^i W2_0 + δ(1−κ^i)/(1−κ) (bound)': gens.map((i) => k ** i * w[0]! + (delta * (1 - k ** i)) / (1 - k)),
      'ball/δ/(1−κ) (ball radius)': gens.map(() => delta / (1 - k)),
      'contraction/α': alphas,
      'contraction/measured W2 ratio (sharp family L=20, t0=0.2)': tight,
      'contraction/κ = e^{−t0/2}√(1−α)': alphas.map((a) => kappa(a, 0.2)),
      'contraction/(1−α)e^{−t0/2} (W1 factor)': alphas.map((a) => w1Factor(a, 0.2)),
    },
    plots: [
      { panel: 'ball', kind: 'per-generation' as const, title: 'W2 ball: perturbed recursion (translation δ = 0.1, α = 0.3, t0 = 0.3)', x: 'generation', xLabel: 'generation i', yLabel: 'W2 to p*' },
      { panel: 'contraction', kind: 'ratio-vs-scale' as const, title: 'One-round W2 ratio on the sharp family vs κ and the W1 factor', x: 'α', xLabel: 'α', yLabel: 'W2(Φμ,Φν)/W2(μ,ν)' },
    ],
  };
}

/** Sharp family restricted to α ∈ [0.3, 0.7] (κ / W1-factor = 1/√(1−α) ≥ 1.19, far above the quadrature error). */
const sharpArb: fc.Arbitrary<PairCase> = fc
  .record({ L: boundedDouble(5, 40), s2: logUniformDouble(1e-4, 0.05), alpha: alphaArb(0.3, 0.7), t0: t0Arb(0.02, 0.5) })
  .map((r) => ({ p: gmm1d([[1, 0, r.s2]]), mu: gmm1d([[1, 0, r.s2]]), nu: gmm1d([[1, r.L, r.s2]]), alpha: r.alpha, t0: r.t0 }));

function sharpness(c: PairCase): CaseOutcome {
  const before = mixtureW2Distance1d(c.mu, c.nu, W2_STEPS, INPUT_PARAMETER_ERROR);
  const after = mixtureW2Distance1d(roundMap(c.p, c.mu, c.alpha, c.t0), roundMap(c.p, c.nu, c.alpha, c.t0), W2_STEPS, afterParameterError(c));
  const f = w1Factor(c.alpha, c.t0);
  return {
    // strict inequality established: the quadrature errors are added to the smaller side (error bound 0)
    comparisons: [leqExact('(1−α)e^{−t0/2} W2(μ, ν) + errors < W2(Φμ, Φν)', f * before.value + after.errorEstimate + f * before.errorEstimate, after.value, 0, 'quadrature')],
    statistics: { ratioOverKappa: after.value / before.value / kappa(c.alpha, c.t0), ratioOverW1Factor: after.value / before.value / f },
  };
}

function contractionChecks(tier: 'default' | 'deep') {
  const runs = (n: number) => (tier === 'deep' ? 6 * n : n);
  const sfx = tier === 'deep' ? ' [deep]' : '';
  it('W2(Φμ, Φν) ≤ κ W2(μ, ν), κ = e^{−t0/2}√(1−α) (random laws and the sharp family)', () => {
    const { entry } = checkProperty({
      claimId: 'P2-5',
      check: 'one-round W2 contraction by κ (random 1-D GMMs)' + sfx,
      expected: 'holds',
      arbitrary: pairArb,
      numRuns: runs(15),
      evaluate: contraction(kappa, 'κ'),
      ...(tier === 'default' ? ballPictures() : {}),
    });
    recordAndAssert(entry);
    const sharp = checkProperty({ claimId: 'P2-5', check: 'one-round W2 contraction by κ (sharp family: ratio → κ)' + sfx, expected: 'holds', arbitrary: tightArb, numRuns: runs(8), evaluate: contraction(kappa, 'κ') });
    recordAndAssert(sharp.entry);
  }, tier === 'deep' ? DEEP_TIMEOUT_MS : undefined);

  it('κ is sharp: on the sharp family the W2 ratio exceeds the W1 factor (1−α)e^{−t0/2}', () => {
    const { entry } = checkProperty({
      claimId: 'P2-5',
      check: 'sharpness of κ: W2 ratio > (1−α)e^{−t0/2} on μ = p_data = N(0,s²), ν = N(L,s²)' + sfx,
      expected: 'holds',
      arbitrary: sharpArb,
      numRuns: runs(8),
      evaluate: sharpness,
      notes: ['so the W1 factor (1−α)e^{−t0/2} is NOT a valid W2 factor; the measured ratio/κ on this family is recorded (→ 1 as L/σ → ∞)'],
    });
    recordAndAssert(entry);
  }, tier === 'deep' ? DEEP_TIMEOUT_MS : undefined);

  it('W1 contracts by (1−α)e^{−t0/2}', () => {
    const { entry } = checkProperty({ claimId: 'P2-5', check: 'one-round W1 contraction by (1−α)e^{−t0/2}' + sfx, expected: 'holds', arbitrary: pairArb, numRuns: runs(15), evaluate: w1Contraction });
    recordAndAssert(entry);
  }, tier === 'deep' ? DEEP_TIMEOUT_MS : undefined);

  it('perturbed rounds stay in the ball δ/(1−κ) around p*', () => {
    const { entry } = checkProperty({ claimId: 'P2-5', check: 'W2 ball limsup ≤ δ/(1−κ) (translation / dilation / KDE learning-error perturbations)' + sfx, expected: 'holds', arbitrary: ballArb, numRuns: runs(2), evaluate: ball });
    recordAndAssert(entry);
  }, tier === 'deep' ? DEEP_TIMEOUT_MS : undefined);
}

describe('P2-5 W2 robustness (1-D, quadrature)', () => contractionChecks('default'));
describeDeep('P2-5 deep sweep (6× cases)', () => contractionChecks('deep'));
