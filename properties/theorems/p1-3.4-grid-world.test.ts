/**
 * P1-3.3 / P1-3.4 for NONLINEAR error fields (no closed form): the 1-D grid world (docs/theory.md §5.3).
 *
 * Data: a 1-D Gaussian mixture q (two components, generated). Errors (scaling families e = λ e₀):
 *   `sine`:  e₀(x, t) = sin(ω x)                     (time independent, nonlinear in x),
 *   `tanh`:  e₀(x, t) = tanh(x)·(1 + ½ sin(2π(t − t0)/(T − t0)))   (nonlinear in x, modulated in t).
 * Routes, all independent of each other:
 * - output p̂ and the ideal output: the Fokker–Planck grid oracle (src/oracles/fokker-planck-1d.ts,
 *   implicit Euler: positivity for every step, so no cell of the reference is 0 or negative;
 *   exponential-fitting flux, exact initial cell averages of P_T q) run WITH and
 *   WITHOUT the error on the same grid. The reference is the grid's ideal output (its L1 distance
 *   to the exact P_{t0} q is reported): both solves share the discretisation, so χ² of their ratio
 *   is accurate to O(h², Δτ²) RELATIVE to χ² even for tiny errors.
 *   χ²(p̂ ‖ ideal) = Σ_i h (ρ̂_i − ρ_i)²/ρ_i (no cancellation). Its error: the same χ² on the
 *   oracle's two coarse levels (2N, K) and (N, 2K) gives the Richardson estimate
 *   |χ²_fine − χ²_(2N,K)|/1 + |χ²_fine − χ²_(N,2K)|/3 (time order 1, space order 2), times
 *   GRID_SAFETY. A reference cell at 0 (underflow) while p̂ > 0 makes χ² = +∞ and fails loudly.
 * - ε⋆² = ∫_{t0}^{T} E_{P_t q}[e²] dt by Gauss–Legendre in t (panel doubling, score-error-energy.ts)
 *   and composite Simpson in x over the exact mixture density of P_t q.
 * - η (lower side only): NOT exact here. The regression estimator of src/energies/observability.ts
 *   with the polynomial basis (1, y, …, y⁶) estimates the projection of E[M|Y] on that basis, whose
 *   variance is ≤ Var E[M|Y]: its lower confidence bound is a valid LOWER bound of η (a restricted
 *   basis can only make the lower-bound check weaker, never falsely violated). The paths are
 *   Euler–Maruyama with 100 steps: η of the discretised functional differs from the continuous η by
 *   O(Δt) (≈ 1–3 % of η measured in the linear-Gaussian world at 40–50 steps), not charged: the check's
 *   margin is ≈ ¾ η ε⋆² (χ² ≈ η ε⋆², D-1).
 * Checks:
 * - P1-3.4 (exact): at ε⋆² ∈ {1e-4, 1e-3, 1e-2}: χ² ≤ 4ε⋆² (no remainder needed there).
 * - P1-3.3 (statistical, one comparison): at ε⋆² = 1e-3, ¼ η_proj ε⋆² ≤ χ² with η_proj's one-sided CLT
 *   bound at the planned δ (normal approximation, as for every regression η in this suite).
 * Reported beside: χ²/ε⋆² at ε⋆² = 1e-3 (D-1's grid estimate of η, to O(ε⋆)) against the regression η̂.
 */
import { describe, it } from 'vitest';
import fc from 'fast-check';
import { gaussianMixture, type GaussianMixture } from '../../src/distributions/gaussian-mixture.ts';
import { isotropicGaussian } from '../../src/distributions/gaussian.ts';
import { mixture1d } from '../../src/divergences/quadrature-1d.ts';
import { eta, polynomialBasis1d, simulateIdealPaths } from '../../src/energies/observability.ts';
import { adaptiveGaussLegendre } from '../../src/energies/score-error-energy.ts';
import { fokkerPlanck1d, type FokkerPlanckLevel } from '../../src/oracles/fokker-planck-1d.ts';
import { pushMixture } from '../../src/processes/ornstein-uhlenbeck.ts';
import { uniformGrid } from '../../src/processes/time-grid.ts';
import { rngForCase } from '../../src/random/rng.ts';
import { drawStart } from '../../src/samplers/start-law.ts';
import { gaussianMixtureScore } from '../../src/scores/gaussian-mixture-score.ts';
import type { VectorField } from '../../src/scores/vector-field.ts';
import type { MeanBound } from '../../src/statistics/bounds.ts';
import { zOneSided } from '../../src/statistics/normal.ts';
import { leqExact, leqStatistical } from '../../src/verdict/compare.ts';
import { checkProperty } from '../../src/verdict/engine.ts';
import { recordAndAssert } from '../../src/verdict/record.ts';
import { currentTier } from '../support/tier.ts';
import { boundedDouble } from '../support/arbitraries.ts';

/** Cases per check: 3 in the default tier (CPU budget), 20 in the deep tier. */
const RUNS = currentTier() === 'deep' ? 20 : 3;

const CELLS = 200;
const STEPS = 100;
/** Richardson estimates are asymptotic (measured actual/estimate ∈ [0.88, 1.08] for this oracle): ×10. */
const GRID_SAFETY = 10;
/** x-quadrature of ε⋆²: Simpson on this many intervals over the window (smooth integrand, error ≪ 1e-10). */
const X_INTERVALS = 2000;
const PATHS = 20000;
const PATH_STEPS = 100;
const POLY_DEGREE = 6;

type Field = 'sine' | 'tanh';

const caseArb = fc.record({
  m1: boundedDouble(-2, -0.3),
  m2: boundedDouble(0.3, 2),
  v1: boundedDouble(0.1, 0.8),
  v2: boundedDouble(0.1, 0.8),
  w: boundedDouble(0.2, 0.8),
  T: boundedDouble(1.5, 4),
  t0: boundedDouble(0.02, 0.3),
  field: fc.constantFrom<Field>('sine', 'tanh'),
  omega: boundedDouble(0.5, 3),
  seed: fc.integer({ min: 0, max: 1_000_000 }),
});
type Case = typeof caseArb extends fc.Arbitrary<infer U> ? U : never;

function law(c: Case): GaussianMixture {
  return gaussianMixture([c.w, 1 - c.w], [isotropicGaussian([c.m1], c.v1), isotropicGaussian([c.m2], c.v2)]);
}

function field(c: Case, lambda: number): VectorField {
  const g = (t: number) => (c.field === 'sine' ? 1 : 1 + 0.5 * Math.sin((2 * Math.PI * (t - c.t0)) / (c.T - c.t0)));
  return {
    dim: 1,
    evaluate(t, x, m, out) {
      const s = lambda * g(t);
      for (let i = 0; i < m; i++) out[i] = s * (c.field === 'sine' ? Math.sin(c.omega * x[i]!) : Math.tanh(x[i]!));
    },
  };
}

function window(c: Case): { lower: number; upper: number } {
  const reach = Math.max(Math.abs(c.m1), Math.abs(c.m2)) + 9 * Math.max(1, Math.sqrt(Math.max(c.v1, c.v2)));
  return { lower: -reach, upper: reach };
}

/** ε⋆²(λ = 1) = ∫ E_{P_t q} e₀² dt (module comment). */
function unitEnergy(c: Case): number {
  const q = law(c);
  const { lower, upper } = window(c);
  const e0 = field(c, 1);
  const xs = new Float64Array(X_INTERVALS + 1);
  for (let i = 0; i <= X_INTERVALS; i++) xs[i] = lower + ((upper - lower) * i) / X_INTERVALS;
  const ev = new Float64Array(X_INTERVALS + 1);
  const hx = (upper - lower) / X_INTERVALS;
  return adaptiveGaussLegendre((t) => {
    const pdf = mixture1d(pushMixture(q, t)).pdf;
    e0.evaluate(t, xs, xs.length, ev);
    let s = 0;
    for (let i = 0; i <= X_INTERVALS; i++) s += (i === 0 || i === X_INTERVALS ? 1 : i % 2 === 1 ? 4 : 2) * ev[i]! * ev[i]! * pdf(xs[i]!);
    return (s * hx) / 3;
  }, c.t0, c.T, 1e-10).value;
}

function chiSquareOnLevel(a: FokkerPlanckLevel, b: FokkerPlanckLevel): number {
  let s = 0;
  for (let i = 0; i < a.cells; i++) {
    const r = b.density[i]!;
    if (r > 0) s += ((a.density[i]! - r) ** 2) / r;
    else if (a.density[i]! > 0) return Infinity;
  }
  return s * a.h;
}

interface GridRound {
  readonly eps2: number;
  readonly chi2: number;
  readonly chi2Error: number;
}

function solve(c: Case, error: VectorField | null) {
  const q = law(c);
  const start = mixture1d(pushMixture(q, c.T));
  return fokkerPlanck1d({ ...window(c), cells: CELLS, steps: STEPS, T: c.T, t0: c.t0, score: gaussianMixtureScore(q), error, initial: start.pdf, initialCdf: start.cdf, theta: 1 });
}

function gridRounds(c: Case, eps2s: readonly number[]): { rounds: GridRound[]; idealL1: number } {
  const unit = unitEnergy(c);
  const ideal = solve(c, null);
  const target = mixture1d(pushMixture(law(c), c.t0));
  let idealL1 = 0;
  for (let i = 0; i < ideal.x.length; i++) {
    const a = ideal.x[i]! - 0.5 * ideal.h;
    idealL1 += Math.abs(ideal.density[i]! * ideal.h - (target.cdf(a + ideal.h) - target.cdf(a)));
  }
  const rounds = eps2s.map((eps2) => {
    const s = solve(c, field(c, Math.sqrt(eps2 / unit)));
    const fine = chiSquareOnLevel(s.levels.output, ideal.levels.output);
    const tc = chiSquareOnLevel(s.levels.timeCoarse!, ideal.levels.timeCoarse!);
    const sc = chiSquareOnLevel(s.levels.spaceCoarse!, ideal.levels.spaceCoarse!);
    // implicit Euler: time order 1 (2¹ − 1 = 1), space order 2 (2² − 1 = 3)
    return { eps2, chi2: fine, chi2Error: GRID_SAFETY * (Math.abs(fine - tc) + Math.abs(fine - sc) / 3) };
  });
  return { rounds, idealL1 };
}

describe('P1-3.3 / P1-3.4 nonlinear error fields, 1-D grid oracle', () => {
  it('P1-3.4: χ² ≤ 4ε⋆² at ε⋆² ∈ {1e-4, 1e-3, 1e-2} for λ sin(ωx) and λ tanh(x)·g(t)', () => {
    const { entry } = checkProperty({
      claimId: 'P1-3.4',
      check: 'nonlinear errors λ sin(ωx), λ tanh(x)·g(t) on 1-D GMM data (Fokker–Planck grid): χ²(p̂‖ideal) ≤ 4ε⋆²',
      expected: 'holds',
      arbitrary: caseArb,
      numRuns: RUNS,
      evaluate: (c) => {
        const { rounds, idealL1 } = gridRounds(c, [1e-4, 1e-3, 1e-2]);
        return {
          comparisons: rounds.map((r) => leqExact(`χ² ≤ 4ε⋆² at ε⋆² = ${r.eps2}`, r.chi2, 4 * r.eps2, r.chi2Error, 'quadrature')),
          statistics: Object.fromEntries([...rounds.map((r) => [`ratio@${r.eps2}`, r.chi2 / r.eps2]), ['idealL1VsExact', idealL1]]),
        };
      },
    });
    recordAndAssert(entry);
  });

  it('P1-3.3: ¼ η ε⋆² ≤ χ² at ε⋆² = 1e-3 with η bounded below by polynomial regression', () => {
    const { entry } = checkProperty({
      claimId: 'P1-3.3',
      check: 'nonlinear errors on 1-D GMM data (grid χ²): ¼ η_proj ε⋆² ≤ χ², η_proj ≤ η from cross-fitted regression on (1, y, …, y⁶)',
      expected: 'holds',
      arbitrary: caseArb,
      numRuns: RUNS,
      statistical: { comparisonsPerEvaluation: 1, maxShrinkEvaluations: 5 },
      evaluate: (c, { delta }) => {
        const { rounds } = gridRounds(c, [1e-3]);
        const r = rounds[0]!;
        const q = law(c);
        const grid = uniformGrid(c.T, c.t0, PATH_STEPS);
        const paths = simulateIdealPaths({
          score: gaussianMixtureScore(q),
          error: field(c, 1),
          start: drawStart('exact', q, c.T, PATHS, rngForCase(c.seed, 'p1-3.3-grid', 'start')),
          n: PATHS,
          grid,
          noise: rngForCase(c.seed, 'p1-3.3-grid', 'noise'),
        });
        const est = eta({ paths, features: polynomialBasis1d(POLY_DEGREE) });
        const k = 0.25 * r.eps2;
        const bound: MeanBound = { n: PATHS, mean: k * est.eta, sd: k * est.standardError * Math.sqrt(PATHS), halfWidth: k * zOneSided(delta) * est.standardError, method: 'clt', delta };
        return {
          comparisons: [leqStatistical('¼ η_proj ε⋆² ≤ χ²(p̂‖ideal)', bound, r.chi2, 0.25 * k, r.chi2Error)],
          statistics: { etaRegression: est.eta, etaStandardError: est.standardError, gridRatioAt1e3: r.chi2 / r.eps2 },
        };
      },
    });
    recordAndAssert(entry);
  });
});
