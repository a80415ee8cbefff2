/**
 * P1-E1 (P1 §5 [V]/[S]): in the 10-D GMM experiment with a KDE score (h = σ = 0.6, T = 4,
 * t0 = 0.02, 20 generations), "α = 0.1 keeps spreading, 0.5 widens but keeps structure, 0.9 is
 * stable". Checked statement: the dispersion at generation 20 decreases strictly in α,
 * 0.1 > 0.5 > 0.9.
 *
 * Small version of `collapse-check reproduce p1-e1` (same data law, h, T, t0, G, α; N = 48 particles
 * and KDE training draws per generation instead of 100 000; exact sampling of the KDE output law,
 * src/experiments/kde-particle-recursion.ts). Dispersion statistic: the fraction of particles
 * farther than r = 3 from every data mean (src/experiments/dispersion.ts), bounded in [0, 1].
 *
 * Statistics. R independent replicate experiments; in replicate r the three α runs give
 * Δ1_r = out_r(0.5) − out_r(0.1) and Δ2_r = out_r(0.9) − out_r(0.5), i.i.d. over r with range
 * [−1, 1] (width 2). Empirical-Bernstein bounds (Maurer–Pontil, finite-sample valid) on E Δ at δ
 * per comparison; the ordering HOLDS when the upper bounds of E Δ1 and E Δ2 are < 0 (allowed
 * violation 0: an undecided case is `weak`, which fails the run). Measured gaps (population law,
 * 20 000 draws): E Δ1 ≈ −0.37, E Δ2 ≈ −0.19; the power (minimum detectable |E Δ|) is printed in the
 * ledger and is ≈ 0.12 at R = 900.
 * Exact part: the population laws (N → ∞, closed-form GMM recursion of the library, an independent
 * route: mixtures smoothed and pushed, no particles) have tr Cov decreasing in α at generation 20.
 */
import { describe, it } from 'vitest';
import fc from 'fast-check';
import { mixMixtures, mixtureCovariance, sampleMixtureInto, smoothMixture, type GaussianMixture } from '../../src/distributions/gaussian-mixture.ts';
import { pushMixture } from '../../src/processes/ornstein-uhlenbeck.ts';
import { rngForCase } from '../../src/random/rng.ts';
import { meanBound } from '../../src/statistics/bounds.ts';
import { claimComparisonDelta } from '../../src/statistics/budget.ts';
import { floatErrorBound, leqExact, leqStatistical } from '../../src/verdict/compare.ts';
import { checkProperty } from '../../src/verdict/engine.ts';
import { recordAndAssert } from '../../src/verdict/record.ts';
import { dispersion } from '../../src/experiments/dispersion.ts';
import { runKdeRecursion } from '../../src/experiments/kde-particle-recursion.ts';
import { dataCentres, P1E1_PAPER, p1e1Data } from '../../src/experiments/p1-e1-gmm.ts';

/** Replicate experiments (each: three α runs of 20 generations with N particles). */
const REPLICATES = 900;
const PARTICLES = 48;
const ALPHAS = [0.1, 0.5, 0.9] as const;
/** Statistical comparisons per evaluation (Δ1, Δ2); one evaluation, no shrinking (a fixed design). */
const COMPARISONS = 2;
const MAX_SHRINK = 0;
/** Range width of Δ = difference of two fractions in [0, 1]. */
const DELTA_RANGE = 2;
/**
 * Float bound of tr Cov of the population law: each component parameter went through ≤ 20 rounds
 * of smoothing + push (≤ 4 roundings each: 80 u relative), and mixtureCovariance sums ≤ 105
 * components × 3 operations per entry plus the trace over 10 entries (≤ 4 000 roundings): 8 192 u
 * relative covers both, applied to each side (absolute term 1e-300 for the degenerate scale 0).
 */
const TRACE_ROUNDINGS = 8192;

function populationTrace(data: GaussianMixture, alpha: number): number {
  let p = data;
  for (let i = 0; i < P1E1_PAPER.generations; i++) p = pushMixture(smoothMixture(mixMixtures(alpha, data, p), P1E1_PAPER.bandwidth), P1E1_PAPER.t0);
  const c = mixtureCovariance(p);
  let tr = 0;
  for (let j = 0; j < data.dim; j++) tr += c[j * data.dim + j]!;
  return tr;
}

describe('P1-E1 dispersion ordering α = 0.1 > 0.5 > 0.9 (10-D GMM, KDE h = σ)', () => {
  it('finite-sample KDE recursion, 20 generations, exact sampling of the model output', () => {
    const data = p1e1Data(P1E1_PAPER);
    const centres = dataCentres(data);
    const d = data.dim;
    const delta = claimComparisonDelta('P1-E1', (1 + MAX_SHRINK) * COMPARISONS);
    const { entry } = checkProperty({
      claimId: 'P1-E1',
      check: 'dispersion ordering at generation 20 (N = 48, 900 replicates)',
      expected: 'holds',
      arbitrary: fc.record({ seed: fc.integer() }),
      numRuns: 1,
      statistical: { comparisonsPerEvaluation: COMPARISONS, maxShrinkEvaluations: MAX_SHRINK, deltaPerComparison: delta },
      evaluate: ({ seed }, ctx) => {
        const out = ALPHAS.map(() => new Float64Array(REPLICATES));
        for (let r = 0; r < REPLICATES; r++) {
          ALPHAS.forEach((alpha, k) => {
            runKdeRecursion(
              { dim: d, alpha, bandwidth: P1E1_PAPER.bandwidth, t0: P1E1_PAPER.t0, generations: P1E1_PAPER.generations, particles: PARTICLES, fresh: (c, rng, o) => sampleMixtureInto(data, c, rng, o) },
              rngForCase(seed, 'p1-e1', r, alpha),
              { onGeneration: (i, x) => { if (i === P1E1_PAPER.generations) out[k]![r] = dispersion(x, PARTICLES, d, centres, P1E1_PAPER.outsideRadius).outside; } },
            );
          });
        }
        const d1 = out[1]!.map((v, r) => v - out[0]![r]!);
        const d2 = out[2]!.map((v, r) => v - out[1]![r]!);
        const b1 = meanBound(d1, { method: 'empirical-bernstein', range: DELTA_RANGE, delta: ctx.delta, sided: 'one' });
        const b2 = meanBound(d2, { method: 'empirical-bernstein', range: DELTA_RANGE, delta: ctx.delta, sided: 'one' });
        const tr = ALPHAS.map((a) => populationTrace(data, a));
        return {
          comparisons: [
            leqStatistical('E[out(α=0.5) − out(α=0.1)] < 0 at generation 20', b1, 0, 0),
            leqStatistical('E[out(α=0.9) − out(α=0.5)] < 0 at generation 20', b2, 0, 0),
            leqExact('population tr Cov(α=0.5) ≤ tr Cov(α=0.1)', tr[1]!, tr[0]!, floatErrorBound(tr[0]! + tr[1]!, TRACE_ROUNDINGS) + 1e-300),
            leqExact('population tr Cov(α=0.9) ≤ tr Cov(α=0.5)', tr[2]!, tr[1]!, floatErrorBound(tr[1]! + tr[2]!, TRACE_ROUNDINGS) + 1e-300),
          ],
          statistics: { meanDelta1: b1.mean, meanDelta2: b2.mean, trace01: tr[0]!, trace05: tr[1]!, trace09: tr[2]! },
        };
      },
    });
    recordAndAssert(entry);
    if (entry.verdict !== 'holds') throw new Error(`P1-E1: verdict ${entry.verdict}, expected holds (${(entry.notes ?? []).join('; ')})`);
  }, 60_000);
});
