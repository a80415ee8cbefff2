/**
 * Paths of the recursion loop (src/recursion/recursion.ts) that no closed-form oracle reaches:
 *
 * 1. The finite-sample training set of particle mode: round i ≥ 1 trains a sample-based trainer on
 *    n draws of q_i = α p_data + (1−α) p̂^i, each row fresh from p_data with probability α, else a
 *    copy of one of the N particles of p̂^i. Observed through the KDE trainer, whose model law has
 *    one component per training row with the row as its mean (q̃ = empirical ∗ N(0, h²)); a capturing
 *    RecursionMetrics reads the model of round 1. Facts used (no Monte Carlo error):
 *    - fresh rows are continuous draws, so almost surely pairwise distinct and distinct from the
 *      particles; copies of particles take at most N distinct values. Hence, with F the number of
 *      fresh rows and D the number of distinct rows: F ≤ D ≤ F + N.
 *    - α = 1: every row is fresh, D = n; α = 0: no row is fresh, D ≤ N (n ≫ N).
 *    - 0 < α < 1: F ~ Binomial(n, α); the check asks D ∈ [lo, hi + N] with lo, hi the Chernoff
 *      bounds of Bin(n, α) at TAIL_DELTA = 1e-10 per side (P(Bin ≥ a) ≤ exp(−n kl(a/n ‖ α))).
 *      Swapping α ↔ 1 − α in the draw moves F by |1 − 2α| n (≥ 1 200 here) — far outside.
 *    The fresh rows must also follow p_data: at α = 1, the Kolmogorov distance of the rows to the
 *    data CDF is below the DKW radius at TAIL_DELTA.
 *    Random stream: FIXED root seeds (not COLLAPSE_SEED), so the check is deterministic and spends
 *    no false-alarm budget; thresholds were set a priori at 1e-10.
 * 2. The t0 schedules (src/recursion/t0-schedule.ts) against closed forms written here, both through
 *    t0At and through the t0 each record of runRecursion reports: constant t0; geometric t0·rⁱ;
 *    harmonic t0/(i+1); polynomial t0/(i+1)^p; explicit values[min(i, len−1)]. Generation i uses
 *    the i-th value (round 0 uses t0 itself), so an off-by-one in an exponent is caught.
 */
import { describe, expect, it } from 'vitest';
import { fc, test } from '../support/prop.ts';
import { gaussianMixture } from '../../src/distributions/gaussian-mixture.ts';
import { isotropicGaussian } from '../../src/distributions/gaussian.ts';
import { Rng } from '../../src/random/rng.ts';
import { runRecursion, type RecursionSpec } from '../../src/recursion/recursion.ts';
import type { RecursionMetrics, Estimate } from '../../src/recursion/metrics.ts';
import { t0At, type T0Schedule } from '../../src/recursion/t0-schedule.ts';
import { normalCdf } from '../../src/statistics/normal.ts';
import { dkwRadius, ksDistance } from '../support/kolmogorov.ts';
import { boundedDouble } from '../support/arbitraries.ts';

const TAIL_DELTA = 1e-10;
/** Training rows, particles per generation. n ≫ N so that resampled rows repeat. */
const ROWS = 2_000;
const PARTICLES = 20;
const DATA_MEAN = 3;
const DATA_VARIANCE = 0.5;

const dummy: Estimate = { value: 0, standardError: 0, method: 'exact' };

/** Runs two generations (rounds 0 and 1) in particle mode with a KDE trainer; returns round 1's training rows. */
function roundOneTrainingRows(alpha: number, seed: number): Float64Array {
  const captured: Float64Array[] = [];
  const metrics: RecursionMetrics = {
    chiSquared: () => dummy,
    round: (input) => {
      const rows = new Float64Array(input.model.law.components.length);
      input.model.law.components.forEach((c, k) => (rows[k] = c.mean[0]!));
      captured.push(rows);
      return { I: dummy, KL: dummy, epsStar2: null, epsHat2: null, eta: null };
    },
  };
  const spec: RecursionSpec = {
    data: gaussianMixture([1], [isotropicGaussian([DATA_MEAN], DATA_VARIANCE)]),
    alpha,
    generations: 2,
    T: 2,
    t0: { kind: 'constant', t0: 0.05 },
    trainer: { kind: 'kde', bandwidth: 0.2, samples: ROWS },
    sampling: { mode: 'particles', sampler: 'euler-maruyama', particles: PARTICLES, steps: 4, grid: 'uniform' },
    start: 'exact',
  };
  runRecursion(spec, Rng.fromSeed(seed), { metrics });
  expect(captured.length).toBe(2);
  return captured[1]!;
}

function distinct(rows: Float64Array): number {
  return new Set(rows).size;
}

function klBernoulli(a: number, p: number): number {
  const t1 = a === 0 ? 0 : a * Math.log(a / p);
  const t2 = a === 1 ? 0 : (1 - a) * Math.log((1 - a) / (1 - p));
  return t1 + t2;
}

/** Chernoff acceptance region [lo, hi] of Bin(n, p) at level δ per side. */
function binomialRegion(n: number, p: number, delta: number): { lo: number; hi: number } {
  let hi = Math.ceil(n * p);
  while (hi < n && Math.exp(-n * klBernoulli((hi + 1) / n, p)) > delta) hi++;
  let lo = Math.floor(n * p);
  while (lo > 0 && Math.exp(-n * klBernoulli((lo - 1) / n, p)) > delta) lo--;
  return { lo, hi };
}

describe('recursion, particle mode: the training set of round i ≥ 1 mixes fresh data (prob. α) and particles', () => {
  it('α = 1: every row is fresh (all distinct) and follows p_data (DKW)', () => {
    const rows = roundOneTrainingRows(1, 101);
    expect(distinct(rows)).toBe(ROWS);
    const sorted = Float64Array.from(rows).sort();
    const D = ksDistance(sorted, (x) => normalCdf((x - DATA_MEAN) / Math.sqrt(DATA_VARIANCE)));
    expect(D).toBeLessThanOrEqual(dkwRadius(ROWS, TAIL_DELTA));
  });

  it('α = 0: every row is a copy of one of the N particles (≤ N distinct values)', () => {
    expect(distinct(roundOneTrainingRows(0, 102))).toBeLessThanOrEqual(PARTICLES);
  });

  for (const [alpha, seed] of [[0.2, 103], [0.5, 104], [0.8, 105]] as const) {
    it(`α = ${alpha}: distinct rows D within [lo, hi + N] of Bin(${ROWS}, α) (F ≤ D ≤ F + N)`, () => {
      const { lo, hi } = binomialRegion(ROWS, alpha, TAIL_DELTA);
      const D = distinct(roundOneTrainingRows(alpha, seed));
      expect(D).toBeGreaterThanOrEqual(lo);
      expect(D).toBeLessThanOrEqual(hi + PARTICLES);
    });
  }
});

/** Closed forms of the schedules, written here (see file comment). */
function closedFormT0(s: T0Schedule, i: number): number {
  switch (s.kind) {
    case 'constant':
      return s.t0;
    case 'geometric':
      return s.t0 * Math.pow(s.ratio, i);
    case 'harmonic':
      return s.t0 / (i + 1);
    case 'polynomial':
      return s.t0 / Math.pow(i + 1, s.power);
    case 'explicit':
      return s.values[Math.min(i, s.values.length - 1)]!;
  }
}

const scheduleArb: fc.Arbitrary<T0Schedule> = fc.oneof(
  fc.record({ kind: fc.constant('constant' as const), t0: boundedDouble(0.01, 1) }),
  fc.record({ kind: fc.constant('geometric' as const), t0: boundedDouble(0.01, 1), ratio: boundedDouble(0.3, 0.95) }),
  fc.record({ kind: fc.constant('harmonic' as const), t0: boundedDouble(0.01, 1) }),
  fc.record({ kind: fc.constant('polynomial' as const), t0: boundedDouble(0.01, 1), power: boundedDouble(0.5, 3) }),
  fc.record({ kind: fc.constant('explicit' as const), values: fc.array(boundedDouble(0.01, 1), { minLength: 1, maxLength: 4 }) }),
);

/** Relative float slack: a power and a product or quotient, each ≤ 2 ulp (pow within 1 ulp in V8) → 8 u. */
const SCHEDULE_REL = 8 * 2 ** -53;

describe('t0 schedules t0^{(i)} match their closed forms (P2-4 annealing)', () => {
  test.prop([scheduleArb, fc.integer({ min: 2, max: 7 })], { numRuns: 60 })('t0At and the t0 of every recorded round', (schedule, generations) => {
    for (let i = 0; i < generations; i++) {
      const want = closedFormT0(schedule, i);
      expect(Math.abs(t0At(schedule, i) - want)).toBeLessThanOrEqual(SCHEDULE_REL * want);
    }
    const spec: RecursionSpec = {
      data: gaussianMixture([1], [isotropicGaussian([0.5], 0.7)]),
      alpha: 0.5,
      generations,
      T: 2,
      t0: schedule,
      trainer: { kind: 'exact' },
      sampling: { mode: 'population' },
      start: 'exact',
    };
    const records = runRecursion(spec, Rng.fromSeed(7), { metrics: { chiSquared: () => dummy, round: () => ({ I: dummy, KL: dummy, epsStar2: null, epsHat2: null, eta: null }) } });
    for (let i = 0; i < generations; i++) {
      const want = closedFormT0(schedule, i);
      expect(Math.abs(records[i]!.t0! - want)).toBeLessThanOrEqual(SCHEDULE_REL * want);
    }
  });

  it('round 0 uses t0 itself and round 1 one factor of r (geometric, fixed values)', () => {
    const s: T0Schedule = { kind: 'geometric', t0: 0.5, ratio: 0.5 };
    expect(t0At(s, 0)).toBe(0.5);
    expect(t0At(s, 1)).toBe(0.25);
    expect(t0At(s, 3)).toBe(0.0625);
  });
});
