/**
 * P1-12 (P1 Eq. 12 [V]): sample complexity ε⋆² ≲ polylog(n) · n⁻¹ · t0^{−d/2} for minimax score
 * estimators built from n samples.
 *
 * What is measured. The smoothed-sample (empirical optimal) score of n samples of the data law
 * (src/estimators/smoothed-empirical-score.ts: the exact score of P_t applied to the empirical law,
 * a GMM with n components) on data N(0, I_d), d = 1..4, T = 4. ε⋆² = ∫_{t0}^T E_{P_t q}‖ŝ − s‖² dt by
 * Monte Carlo, unbiased given the sample (t log-uniform, X ~ P_t q exactly, s the exact score); the
 * estimate for one (d, n, t0) is the mean over R independent sample sets (each with M points) of the
 * per-set means, its standard error from the between-set spread.
 *
 * The check (holds): the exponent of n. For each d, log E[ε⋆²] is fitted against log n on
 * the design's n grid at t0 = 1 (inside the variance regime n·t0^{d/2} ≥ 128 where the n⁻¹ law applies),
 * and the slope must satisfy slope ≤ −1 + 1/ln n_min, the local log-log slope of
 * (log n)^k n⁻¹ with k = 1 at the smallest n (the paper's polylog power is not given; k = 1 is our
 * reading). Confidence: the slope's standard error by the delta method on the per-n log means,
 * half-width z(δ_k)·se at sequential look k (fresh sample sets, up to SLOPE_MAX_LOOKS looks). This is a NORMAL APPROXIMATION at δ = ASSERTION_DELTA (the set means are
 * averages of heavy-tailed terms; no finite-sample bound is claimed): stated, not hidden.
 *
 * Reported, not asserted: the exponent of t0 (fitted on the design's t0 grid at fixed n), with its
 * normal-approximation interval, against −d/2. The minimax rate assumes a density bounded below on a
 * compact support; Gaussian data violate it in the tails, where the 1/p-weighted variance of the
 * empirical score grows faster as t0 → 0, and the empirical score is not the minimax estimator:
 * measured exponents steeper than −d/2 in low d are therefore not a counterexample to P1-12.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { singleGaussianMixture } from '../../src/distributions/gaussian-mixture.ts';
import { standardGaussian } from '../../src/distributions/gaussian.ts';
import { smoothedEmpiricalScoreEnergyTerms } from '../../src/estimators/smoothed-empirical-score.ts';
import { rngForCase } from '../../src/random/rng.ts';
import { zOneSided, zTwoSided } from '../../src/statistics/normal.ts';
import { sequentialEstimate, stageSize, stageDelta } from '../../src/statistics/bounds.ts';
import { fromSequential, sequentialDecision } from '../../src/verdict/compare.ts';
import { claimComparisonDelta } from '../../src/statistics/budget.ts';
import { checkProperty } from '../../src/verdict/engine.ts';
import { recordAndAssert } from '../../src/verdict/record.ts';
import type { PlotHint } from '../../src/verdict/types.ts';
import { describeDeep } from '../support/tier.ts';

const T = 4;
const DIMS = [1, 2, 3, 4];

/** One sweep's design (default tier: ≈ 2 s of CPU; deep tier: finer and larger). */
interface Design {
  readonly tier: string;
  readonly nGrid: readonly number[];
  /**
   * t0 of the n-sweep, deep in the variance regime: n·t0^{d/2} ≥ 128 at t0 = 1 (at t0 = 0.5, where
   * n·t0^{d/2} = 32 for d = 4, the fitted d = 4 slope sat at −0.74…−0.96 over six seeds: pre-asymptotic)
   */
  readonly t0ForN: number;
  readonly t0Grid: readonly number[];
  readonly nForT0: number;
  /** independent sample sets per (d, n, t0) and Monte Carlo points per set */
  readonly sets: number;
  readonly points: number;
}
const DEFAULT_DESIGN: Design = { tier: 'default', nGrid: [128, 512, 2048], t0ForN: 1, t0Grid: [0.1, 0.2, 0.4, 0.8], nForT0: 512, sets: 40, points: 40 };
const DEEP_DESIGN: Design = { tier: 'deep', nGrid: [128, 256, 512, 1024, 2048, 4096], t0ForN: 1, t0Grid: [0.05, 0.1, 0.2, 0.4, 0.8], nForT0: 2048, sets: 96, points: 50 };
/**
 * δ per slope comparison: this is P1-12's only statistical check in the default tier, so it spends
 * the claim's whole allocation on its DIMS.length comparisons (one evaluation, no shrinking).
 */
const SLOPE_DELTA = claimComparisonDelta('P1-12', DIMS.length);
/**
 * Sequential looks of the slope check (src/statistics/bounds.ts sequentialEstimate): look k refits
 * the slope on 40 · 2^{k−1} fresh sample sets per n at δ_k = δ/(k(k+1)) (Σ δ_k < δ: one comparison's
 * δ however many looks). Why: the set means are heavy-tailed, so the fitted slope's standard error
 * is too. Measured over 230 seeds of the default design (look 1, 40 sets): se of the slope, median
 * / 99th percentile / max: d = 1 0.081 / 0.116 / 0.165, d = 2 0.051 / 0.094 / 0.185, d = 3 0.041 /
 * 0.061 / 0.100, d = 4 0.036 / 0.083 / 0.106. The look decides 'satisfied' when slope + z(δ_1) se ≤
 * 0 (z(δ_1) = 5.65 at δ = 8e-9), i.e. se ≲ 0.18 at slope −1: 3 of the 400 seeds 1–400 left one
 * dimension undecided at look 1 (seeds 90, 96: d = 2, se 0.185, 0.170; 337: d = 4, se 0.162), and a
 * one-look run was `weak` (campaign seed 9400047). A second look halves the variance (se/√2 on fresh sets, z(δ/6) = 5.9),
 * a third halves it again; later looks run only for the undecided dimension.
 */
const SLOPE_MAX_LOOKS = 3;

interface Point {
  readonly x: number;
  readonly mean: number;
  /** standard error of the mean (between-set) */
  readonly se: number;
}

/**
 * ε⋆² at (d, n, t0) from `sets` independent sample sets. Look 1 keeps the original streams; look k > 1
 * (a sequential look, see sampleComplexityCheck) draws fresh, independent sets.
 */
function estimate(design: Design, d: number, n: number, t0: number, seed: number, sets = design.sets, look = 1): Point {
  const { points } = design;
  const lookLabel = look === 1 ? [] : [`look-${look}`];
  const data = singleGaussianMixture(standardGaussian(d));
  const means = new Float64Array(sets);
  for (let r = 0; r < sets; r++) {
    const terms = smoothedEmpiricalScoreEnergyTerms({ data, n, bandwidth: 0, t0, T, points, rng: rngForCase(seed, 'P1-12', design.tier, d, n, t0, r, ...lookLabel) });
    let m = 0;
    for (const v of terms) m += v;
    means[r] = m / points;
  }
  let mean = 0;
  for (const v of means) mean += v;
  mean /= sets;
  let ss = 0;
  for (const v of means) ss += (v - mean) ** 2;
  return { x: n, mean, se: Math.sqrt(ss / (sets - 1) / sets) };
}

/** OLS slope of log mean on log x, with its delta-method standard error (var log mean ≈ (se/mean)²). */
function logLogSlope(points: readonly Point[]): { slope: number; se: number; intercept: number } {
  const xs = points.map((p) => Math.log(p.x));
  const ys = points.map((p) => Math.log(p.mean));
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  let sxx = 0;
  for (const x of xs) sxx += (x - mx) ** 2;
  let slope = 0;
  let v = 0;
  xs.forEach((x, k) => {
    const c = (x - mx) / sxx;
    slope += c * ys[k]!;
    v += c * c * (points[k]!.se / points[k]!.mean) ** 2;
  });
  return { slope, se: Math.sqrt(v), intercept: my - slope * mx };
}

/**
 * Runs the sweep of one design through the engine and records it (see file comment). The polylog
 * allowance is the local log-log slope of (log n)·n⁻¹ at the smallest n of the grid: 1/ln n_min.
 */
function sampleComplexityCheck(design: Design): void {
  const { nGrid, t0ForN, t0Grid, nForT0, sets, points } = design;
  const polylogAllowance = 1 / Math.log(nGrid[0]!);
  // Resolution the check must have: separate the claimed law from "ε⋆² does not decay with n"
  // (slope 0), i.e. an excess of 1 − 1/ln n_min over the bound. Finer violations (e.g. n^{−1/2}) are
  // beyond this budget's power (reported as `power`); the 95% intervals in the notes are the finer evidence.
  const allowedExcess = 1 - polylogAllowance;
  const perDim: { d: number; nPoints: Point[]; tPoints: Point[]; nFit: ReturnType<typeof logLogSlope>; tFit: ReturnType<typeof logLogSlope>; looks: number }[] = [];
  const { entry } = checkProperty({
    claimId: 'P1-12',
    check: `exponent of n of ε⋆² for the smoothed-sample score of n samples, N(0, I_d), d = 1..4, t0 = ${t0ForN}, n ∈ {${nGrid.join(', ')}} (normal-approximation slope interval${design.tier === 'deep' ? ', deep tier' : ''})`,
    expected: 'holds',
    arbitrary: fc.record({ seed: fc.integer() }),
    numRuns: 1,
    statistical: { comparisonsPerEvaluation: DIMS.length, maxShrinkEvaluations: 0, deltaPerComparison: SLOPE_DELTA },
    evaluate: ({ seed }, { delta }) => {
      perDim.length = 0;
      const comparisons = DIMS.map((d) => {
        const rhs = -1 + polylogAllowance;
        const res = sequentialEstimate({
          maxLooks: SLOPE_MAX_LOOKS,
          delta,
          sided: 'one',
          estimate: (k) => {
            const setsK = stageSize(sets, k);
            const nPoints = nGrid.map((n) => estimate(design, d, n, t0ForN, seed, setsK, k));
            const nFit = logLogSlope(nPoints);
            return { mean: nFit.slope, standardError: nFit.se, n: setsK, detail: { nPoints, nFit } };
          },
          decide: sequentialDecision('leq', rhs, allowedExcess),
        });
        const { nPoints, nFit } = res.detail;
        const tPoints = t0Grid.map((t0) => ({ ...estimate(design, d, nForT0, t0, seed), x: t0 }));
        const tFit = logLogSlope(tPoints);
        perDim.push({ d, nPoints, tPoints, nFit, tFit, looks: res.stages });
        return fromSequential(`d = ${d}: slope of log ε⋆² in log n ≤ −1 + 1/ln ${nGrid[0]}`, res, rhs, 'leq', allowedExcess, delta);
      });
      return { comparisons, statistics: Object.fromEntries(perDim.flatMap((p) => [[`slopeN.d${p.d}`, p.nFit.slope], [`slopeT0.d${p.d}`, p.tFit.slope]])) };
    },
  });
  expect(entry.verdict).toBe('holds');
  const z95 = zTwoSided(0.05);
  const deltaPerComparison = entry.statistics.deltaPerComparison as number;
  const series: Record<string, number[]> = {};
  const plots: PlotHint[] = [];
  const statistics: Record<string, number> = {};
  const notes: string[] = [];
  for (const p of perDim) {
    const zd = zOneSided(stageDelta(deltaPerComparison, p.looks));
    const nTag = `n, d=${p.d}`;
    series[`${nTag}/n`] = p.nPoints.map((q) => q.x);
    series[`${nTag}/ε⋆²`] = p.nPoints.map((q) => q.mean);
    series[`${nTag}/ε⋆².lo`] = p.nPoints.map((q) => q.mean - z95 * q.se);
    series[`${nTag}/ε⋆².hi`] = p.nPoints.map((q) => q.mean + z95 * q.se);
    series[`${nTag}/fit`] = p.nPoints.map((q) => Math.exp(p.nFit.intercept + p.nFit.slope * Math.log(q.x)));
    plots.push({ panel: nTag, kind: 'series', x: 'n', title: `P1-12, d = ${p.d}: ε⋆² against n (t0 = ${t0ForN}), fitted slope ${p.nFit.slope.toFixed(3)} ± ${(z95 * p.nFit.se).toFixed(3)}`, xScale: 'log', yScale: 'log', xLabel: 'n', yLabel: 'ε⋆²' });
    const tTag = `t0, d=${p.d}`;
    series[`${tTag}/t`] = p.tPoints.map((q) => q.x);
    series[`${tTag}/ε⋆²`] = p.tPoints.map((q) => q.mean);
    series[`${tTag}/ε⋆².lo`] = p.tPoints.map((q) => q.mean - z95 * q.se);
    series[`${tTag}/ε⋆².hi`] = p.tPoints.map((q) => q.mean + z95 * q.se);
    series[`${tTag}/theory t0^{-d/2} (matched at t0 = ${t0Grid[0]})`] = p.tPoints.map((q) => p.tPoints[0]!.mean * (q.x / t0Grid[0]!) ** (-p.d / 2));
    plots.push({ panel: tTag, kind: 'series', x: 't', title: `P1-12, d = ${p.d}: ε⋆² against t0 (n = ${nForT0}), fitted slope ${p.tFit.slope.toFixed(3)} ± ${(z95 * p.tFit.se).toFixed(3)} vs −d/2 = ${-p.d / 2}`, xScale: 'log', yScale: 'log', xLabel: 't0', yLabel: 'ε⋆²' });
    statistics[`slopeN.d${p.d}`] = p.nFit.slope;
    statistics[`slopeN.d${p.d}.se`] = p.nFit.se;
    statistics[`slopeN.d${p.d}.looks`] = p.looks;
    statistics[`slopeT0.d${p.d}`] = p.tFit.slope;
    statistics[`slopeT0.d${p.d}.se`] = p.tFit.se;
    notes.push(
      `d = ${p.d}: slope in n ${p.nFit.slope.toFixed(3)}, 95% [${(p.nFit.slope - z95 * p.nFit.se).toFixed(3)}, ${(p.nFit.slope + z95 * p.nFit.se).toFixed(3)}], at the deciding look ${p.looks} (δ_k = δ/(k(k+1))) [${(p.nFit.slope - zd * p.nFit.se).toFixed(3)}, ${(p.nFit.slope + zd * p.nFit.se).toFixed(3)}] (claim −1, polylog allowance +${polylogAllowance.toFixed(3)}); slope in t0 ${p.tFit.slope.toFixed(3)}, 95% [${(p.tFit.slope - z95 * p.tFit.se).toFixed(3)}, ${(p.tFit.slope + z95 * p.tFit.se).toFixed(3)}] against −d/2 = ${-p.d / 2} (reported only)`,
    );
  }
  notes.push(`intervals are normal approximations over ${sets} independent sample sets × ${points} points per (d, n, t0); n ∈ {${nGrid.join(', ')}} at t0 = ${t0ForN}, t0 ∈ {${t0Grid.join(', ')}} at n = ${nForT0}, T = ${T}, bandwidth 0 (smoothing by P_t only)`);
  recordAndAssert({ ...entry, statistics: { ...entry.statistics, ...statistics }, series, plots, notes: [...(entry.notes ?? []), ...notes] });
}

describe('P1-12 sample complexity ε⋆² ≲ polylog(n) n⁻¹ t0^{−d/2}', () => {
  it('smoothed-sample score: exponent of n ≤ −1 + polylog allowance (d = 1..4), exponent of t0 reported', () => {
    sampleComplexityCheck(DEFAULT_DESIGN);
  });
});

describeDeep('P1-12 sample complexity, deep sweep', () => {
  it('smoothed-sample score, 6 sample sizes, 5 truncation times, 4× the sample sets', () => {
    sampleComplexityCheck(DEEP_DESIGN);
  });
});
