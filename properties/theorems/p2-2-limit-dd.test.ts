/**
 * P2-2 in d dimensions (d = 2, Monte Carlo with bounds): TV(p̂^i, p*) ≤ (1−α)^i TV(p̂^0, p*).
 *
 * Oracle: exact 2-D GMM recursion (diagonal components) and the truncated limit p*_K (proven
 * TV(p*_K, p*) ≤ ε = (1−α)^K). TV(p, q) = E_{X∼p}[(1 − q(X)/p(X))_+] with exact GMM densities, so
 * each term lies in [0, 1]. For the inequality at generation i we sample W_j = Y_j − r Z_j with
 * Y_j the TV term of (p̂^i, p*_K), Z_j that of (p̂^0, p*_K) (independent draws), r = (1−α)^i:
 * E W = TV_i − r TV_0, W ∈ [−r, 1] (width 1 + r). One-sided empirical-Bernstein bound (Maurer–Pontil,
 * valid for bounded terms at any n) at δ = ASSERTION_DELTA; violated iff its lower bound exceeds the
 * truncation slack ε(1 + r). `allowed` = 0.05 (absolute TV): the check must resolve a 0.05 excess;
 * the recorded power is the smallest excess detected with probability 0.99.
 */
import { describe, it } from 'vitest';
import fc from 'fast-check'; // not @fast-check/vitest: its import costs ≈ 2 s per test file (only test.prop needs it)
import { boundedDouble } from '../support/arbitraries.ts';
import { checkProperty, type CaseOutcome } from '../../src/verdict/engine.ts';
import { recordAndAssert } from '../../src/verdict/record.ts';
import { leqStatistical, type Comparison } from '../../src/verdict/compare.ts';
import { meanBound } from '../../src/statistics/bounds.ts';
import { gaussianMixture, sampleMixture, type GaussianMixture } from '../../src/distributions/gaussian-mixture.ts';
import { diagonalGaussian } from '../../src/distributions/gaussian.ts';
import { rngForCase } from '../../src/random/rng.ts';
import { iterateRecursion, limitLaw } from '../../src/oracles/gmm-recursion.ts';
import { gmm1d, mixtureDensity1d } from '../../src/divergences/gaussian-mixture-1d.ts';
import { alphaArb, t0Arb } from './p2-support.ts';

/** Samples per TV estimate: empirical-Bernstein half-width ≈ √(2·0.25·23/n) + 7·2·23/(3n) ≈ 0.025 at n = 20 000. */
const SAMPLES = 20_000;
/** TV excess the check must resolve (absolute). */
const ALLOWED_TV_EXCESS = 0.05;
const GENERATIONS = [1, 2, 3];

/** log-density of a diagonal GMM at row `row` of x (d-D), log-sum-exp, no allocation. */
function diagLogDensity(p: GaussianMixture, x: Float64Array, row: number, terms: Float64Array): number {
  const d = p.dim;
  let max = -Infinity;
  for (let k = 0; k < p.components.length; k++) {
    const c = p.components[k]!;
    let s = Math.log(p.weights[k]!);
    for (let j = 0; j < d; j++) {
      const v = c.cov[j * d + j]!;
      const z = x[row * d + j]! - c.mean[j]!;
      s += -0.5 * (z * z) / v - 0.5 * Math.log(2 * Math.PI * v);
    }
    terms[k] = s;
    if (s > max) max = s;
  }
  let sum = 0;
  for (let k = 0; k < p.components.length; k++) sum += Math.exp(terms[k]! - max);
  return max + Math.log(sum);
}

/** n draws of (1 − q(X)/p(X))_+, X ∼ p. */
function tvTerms(p: GaussianMixture, q: GaussianMixture, n: number, seed: number, label: string): Float64Array {
  const x = sampleMixture(p, n, rngForCase(seed, 'p2-2-dd', label));
  const tp = new Float64Array(p.components.length);
  const tq = new Float64Array(q.components.length);
  const out = new Float64Array(n);
  for (let r = 0; r < n; r++) {
    const lr = diagLogDensity(q, x, r, tq) - diagLogDensity(p, x, r, tp);
    out[r] = lr >= 0 ? 0 : -Math.expm1(lr);
  }
  return out;
}

interface Case {
  readonly parts: readonly (readonly [number, number, number, number, number])[];
  readonly start: readonly (readonly [number, number, number, number, number])[];
  readonly alpha: number;
  readonly t0: number;
  readonly seed: number;
}
const compArb = fc.tuple(
  fc.integer({ min: 1, max: 10 }),
  boundedDouble(-3, 3),
  boundedDouble(-3, 3),
  boundedDouble(0.05, 1.5),
  boundedDouble(0.05, 1.5),
);
const caseArb: fc.Arbitrary<Case> = fc.record({
  parts: fc.array(compArb, { minLength: 1, maxLength: 2 }),
  start: fc.array(compArb, { minLength: 1, maxLength: 2 }),
  alpha: alphaArb(0.2, 0.8),
  t0: t0Arb(0.1, 1),
  seed: fc.integer(),
});

function law(parts: Case['parts']): GaussianMixture {
  const total = parts.reduce((s, p) => s + p[0], 0);
  return gaussianMixture(
    parts.map((p) => p[0] / total),
    parts.map((p) => diagonalGaussian([p[1], p[2]], [p[3], p[4]])),
  );
}

function rate2d(c: Case, delta: number): CaseOutcome {
  const pd = law(c.parts);
  const lim = limitLaw(pd, c.alpha, c.t0, { tolerance: 1e-6 });
  const it = iterateRecursion(pd, { alpha: c.alpha, schedule: { kind: 'constant', t0: c.t0 }, generations: 3, start: law(c.start) });
  const z = tvTerms(it[0]!, lim.law, SAMPLES, c.seed, 'tv0');
  let tv0 = 0;
  for (const v of z) tv0 += v / SAMPLES;
  const out: Comparison[] = [];
  const stats: Record<string, number> = { tv0Estimate: tv0 };
  for (const i of GENERATIONS) {
    const r = (1 - c.alpha) ** i;
    const y = tvTerms(it[i]!, lim.law, SAMPLES, c.seed, `tv${i}`);
    const w = Float64Array.from(y, (v, j) => v - r * z[j]!);
    const b = meanBound(w, { method: 'empirical-bernstein', delta, sided: 'one', range: 1 + r });
    out.push(leqStatistical(`TV(p̂^${i}, p*) − (1−α)^${i} TV(p̂^0, p*) ≤ ε(1 + (1−α)^${i}) [2-D]`, b, lim.tvBound * (1 + r), ALLOWED_TV_EXCESS));
    let tvi = 0;
    for (const v of y) tvi += v / SAMPLES;
    stats[`tv${i}Estimate`] = tvi;
    stats[`ratio${i}OverBound`] = tv0 > 0 ? tvi / (r * tv0) : 0;
  }
  return { comparisons: out, statistics: stats };
}

/** 2-D pictures: densities of p_data, p̂^2 and p* along the slice y = 1 and the x-marginals (exact). */
function pictures2d() {
  const pd = gaussianMixture([0.4, 0.6], [diagonalGaussian([-2, 1], [0.2, 0.3]), diagonalGaussian([1.5, -1], [0.4, 0.15])]);
  const alpha = 0.3;
  const t0 = 0.3;
  const lim = limitLaw(pd, alpha, t0, { tolerance: 1e-10 });
  const it = iterateRecursion(pd, { alpha, schedule: { kind: 'constant', t0 }, generations: 2 });
  const xs = Array.from({ length: 161 }, (_, j) => -5 + j * 0.0625);
  const slice = (p: GaussianMixture) => {
    const pts = new Float64Array(xs.length * 2);
    xs.forEach((x, j) => {
      pts[2 * j] = x;
      pts[2 * j + 1] = 1;
    });
    const t = new Float64Array(p.components.length);
    return xs.map((_, j) => Math.exp(diagLogDensity(p, pts, j, t)));
  };
  const marginal = (p: GaussianMixture) => [...mixtureDensity1d(gmm1d(p.components.map((c, k) => [p.weights[k]!, c.mean[0]!, c.cov[0]!] as const)), xs)];
  return {
    series: {
      'slice/x': xs,
      'slice/p_data(x, y=1)': slice(pd),
      'slice/p̂^2(x, y=1)': slice(it[2]!),
      'slice/p*(x, y=1)': slice(lim.law),
      'marginal/x': xs,
      'marginal/p_data x-marginal': marginal(pd),
      'marginal/p̂^2 x-marginal': marginal(it[2]!),
      'marginal/p* x-marginal': marginal(lim.law),
    },
    plots: [
      { panel: 'slice', kind: 'density' as const, title: '2-D: densities on the slice y = 1 (α = 0.3, t0 = 0.3)', x: 'x', xLabel: 'x (y = 1)', yLabel: 'density' },
      { panel: 'marginal', kind: 'density' as const, title: '2-D: x-marginals of p_data, p̂^2, p*', x: 'x', xLabel: 'x', yLabel: 'marginal density' },
    ],
    notes: ['2-D p_data = 0.4 N((−2, 1), diag(0.2, 0.3)) + 0.6 N((1.5, −1), diag(0.4, 0.15)); p* truncated at TV ≤ 1e-10'],
  };
}

describe('P2-2 geometric TV rate in 2-D (Monte Carlo with empirical-Bernstein bounds)', () => {
  it('TV(p̂^i, p*) ≤ (1−α)^i TV(p̂^0, p*) for random 2-D GMM data and starts', () => {
    const { entry } = checkProperty({
      claimId: 'P2-2',
      check: 'TV rate (1−α)^i in 2-D (Monte Carlo, empirical Bernstein)',
      expected: 'holds',
      arbitrary: caseArb,
      numRuns: 3,
      statistical: { comparisonsPerEvaluation: GENERATIONS.length, maxShrinkEvaluations: 4 },
      evaluate: (c, { delta }) => rate2d(c, delta),
      ...pictures2d(),
    });
    recordAndAssert(entry);
  });
});
