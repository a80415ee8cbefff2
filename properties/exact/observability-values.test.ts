/**
 * Exact tier: src/energies/observability.ts (claim P1-3.2) against oracles written HERE, cheap enough
 * for mutation testing (the theorem files p1-3.2-*.test.ts cost tens of seconds).
 *
 * Independent oracles used:
 * - `simulateIdealPaths(Many)`: a scripted noise source (a stand-in for `Rng` whose `derive(b)`
 *   stream fills quarter-integers from a fixed rule) and an explicit grid whose steps are 1/4, 1/16,
 *   1/4, 1/64 (√h = 1/2, 1/4, 1/2, 1/8 exactly), with dyadic score and error fields: every number is
 *   a dyadic rational with few bits, so the per-path Euler–Maruyama / Itô recursion written here
 *   (one path at a time, no blocks) gives the SAME binary64 values and the comparison is exact;
 * - `eta`: hand-built paths; the 2-fold cross-fit with simple linear regression in closed form
 *   (slope = S_xy/S_xx, not the module's Cholesky normal equations) and the influence / sandwich
 *   formulas of the file comment written out; exactly-fitting data (M affine or quadratic in Y:
 *   the out-of-fold prediction is M itself, so η̂ = (n − 1)/n with the sample variance);
 * - `etaCombinationStandardError`: hand-built estimates with integer influence values;
 * - closed forms `etaConstantShiftStationary` / `etaOscillationStationary` at s = 2 ln 2
 *   (e^{−s/2} = 1/2) written with Math.exp instead of expm1;
 * - `timeOnlyEtaDiscrete`: the 1-D Euler–Maruyama recursion by hand (C_{k+1} = m_k C_k − h b,
 *   P_{k+1} = m_k² P_k + h, m_k = 1 + h(½ − 1/S_{t_k})), and a rotated 2-D problem whose η is that of
 *   two decoupled 1-D problems (orthogonal invariance), evaluated with the scalar recursion.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  eta,
  etaCombinationStandardError,
  etaConstantShiftStationary,
  etaOscillationStationary,
  linearBasis,
  polynomialBasis1d,
  quadraticBasis,
  simulateIdealPaths,
  simulateIdealPathsMany,
  timeOnlyEtaDiscrete,
  type EtaEstimate,
  type IdealPaths,
} from '../../src/energies/observability.ts';
import { fullGaussian, isotropicGaussian, standardGaussian } from '../../src/distributions/gaussian.ts';
import { linearGaussianProblem } from '../../src/oracles/linear-gaussian.ts';
import { explicitGrid, uniformGrid, type TimeGrid } from '../../src/processes/time-grid.ts';
import { Rng } from '../../src/random/rng.ts';
import { affineField } from '../../src/scores/injected-error.ts';
import type { VectorField } from '../../src/scores/vector-field.ts';

const EPS = Number.EPSILON;

// ---------------------------------------------------------------------------------------------
// simulateIdealPaths / simulateIdealPathsMany

/** The noise rule of the scripted stream: quarter-integers in [−1, 1], by block and position in its stream. */
function scriptedValue(block: number, position: number): number {
  return ((block * 5 + position * 7 + Math.floor(position / 3)) % 9) / 4 - 1;
}

/** Stand-in for Rng: `derive(b)` gives a stream whose numbers are scriptedValue(b, 0), (b, 1), … in the order drawn. */
function scriptedNoise(): Rng {
  return {
    derive(block: number) {
      let position = 0;
      return {
        fillNormal(out: Float64Array) {
          for (let i = 0; i < out.length; i++) out[i] = scriptedValue(block, position++);
        },
      };
    },
  } as unknown as Rng;
}

const BLOCK = 256; // BLOCK_SIZE of src/samplers/noise-blocks.ts (the documented noise layout)

/** Dyadic fields: s(y, t) = (−y₀ + y₁/4 + t/2, −y₁ + y₀/4 − t/2) in d = 2, −y + t/2 in d = 1. */
function field(d: number, f: (t: number, y: Float64Array) => number[]): VectorField {
  return {
    dim: d,
    evaluate(t, x, m, out) {
      for (let i = 0; i < m; i++) {
        const v = f(t, x.subarray(i * d, i * d + d));
        for (let j = 0; j < d; j++) out[i * d + j] = v[j]!;
      }
    },
  };
}
const score2 = field(2, (t, y) => [-y[0]! + y[1]! / 4 + t / 2, -y[1]! + y[0]! / 4 - t / 2]);
const errorA2 = field(2, (t, y) => [t * y[1]! + 0.5, y[0]! / 2 - t]);
const errorB2 = field(2, (t, y) => [y[0]! * 2 - 1, t * 4]);
const score1 = field(1, (t, y) => [-y[0]! + t / 2]);
const error1 = field(1, (t, y) => [t * y[0]! + 0.25]);

/** Steps 1/4, 1/16, 1/4, 1/64: √h = 1/2, 1/4, 1/2, 1/8 exactly. */
const TIMES = [1, 0.75, 0.6875, 0.4375, 0.421875];

/**
 * One path at a time: Itô sum at the left point, then the Euler–Maruyama move (file comment). Noise
 * layout (src/samplers/noise-blocks.ts): block b = ⌊i/256⌋ draws from `noise.derive(b)`, each step
 * the m·d normals of its m paths, path-major: path i, coordinate j, step k takes position
 * k·m·d + (i − 256b)·d + j of the block's stream.
 */
function referencePaths(score: VectorField, errors: VectorField[], start: Float64Array, n: number, times: number[]): { Y: Float64Array; Ms: Float64Array[] } {
  const d = score.dim;
  const Y = Float64Array.from(start);
  const Ms = errors.map(() => new Float64Array(n));
  for (let i = 0; i < n; i++) {
    const block = Math.floor(i / BLOCK);
    const within = i - block * BLOCK;
    const m = Math.min(BLOCK, n - block * BLOCK);
    const y = Y.subarray(i * d, i * d + d);
    for (let k = 0; k + 1 < times.length; k++) {
      const t = times[k]!;
      const h = t - times[k + 1]!;
      const sh = Math.sqrt(h);
      const z = Array.from({ length: d }, (_, j) => scriptedValue(block, k * m * d + within * d + j));
      const s = new Float64Array(d);
      score.evaluate(t, y, 1, s);
      errors.forEach((err, q) => {
        const e = new Float64Array(d);
        err.evaluate(t, y, 1, e);
        for (let j = 0; j < d; j++) Ms[q]![i]! -= e[j]! * sh * z[j]!;
      });
      for (let j = 0; j < d; j++) y[j] = y[j]! + h * (y[j]! / 2 + s[j]!) + sh * z[j]!;
    }
  }
  return { Y, Ms };
}

function startPoints(n: number, d: number): Float64Array {
  return Float64Array.from({ length: n * d }, (_, i) => ((i * 3) % 7) / 2 - 1.5);
}

describe('simulateIdealPaths: Euler–Maruyama ideal paths and the Itô functional M', () => {
  let grid: TimeGrid;
  beforeAll(() => {
    grid = explicitGrid(TIMES);
  });

  it('d = 2, 300 paths (two noise blocks, the second partial): M and Y equal the per-path recursion exactly', () => {
    const n = 300;
    const start = startPoints(n, 2);
    const startCopy = Float64Array.from(start);
    const out = simulateIdealPaths({ score: score2, error: errorA2, start, n, grid, noise: scriptedNoise() });
    const ref = referencePaths(score2, [errorA2], start, n, TIMES);
    expect(out.n).toBe(n);
    expect(out.dim).toBe(2);
    expect(Array.from(out.Y)).toEqual(Array.from(ref.Y));
    expect(Array.from(out.M)).toEqual(Array.from(ref.Ms[0]!));
    expect(Array.from(start)).toEqual(Array.from(startCopy)); // the start is copied, not moved
    // not vacuous: M and Y moved, and the two blocks differ
    expect(out.M.some((v) => v !== 0)).toBe(true);
    expect(out.M[0]).not.toBe(out.M[BLOCK]);
  });

  it('d = 1, 5 paths: exact per-path recursion', () => {
    const n = 5;
    const start = startPoints(n, 1);
    const out = simulateIdealPaths({ score: score1, error: error1, start, n, grid, noise: scriptedNoise() });
    const ref = referencePaths(score1, [error1], start, n, TIMES);
    expect(Array.from(out.Y)).toEqual(Array.from(ref.Y));
    expect(Array.from(out.M)).toEqual(Array.from(ref.Ms[0]!));
  });

  it('Many: one functional per error on the same paths, each equal to the per-path recursion and to simulateIdealPaths', () => {
    const n = 260;
    const start = startPoints(n, 2);
    const many = simulateIdealPathsMany({ score: score2, errors: [errorA2, errorB2], start, n, grid, noise: scriptedNoise() });
    const ref = referencePaths(score2, [errorA2, errorB2], start, n, TIMES);
    expect(Array.from(many.Y)).toEqual(Array.from(ref.Y));
    expect(Array.from(many.Ms[0]!)).toEqual(Array.from(ref.Ms[0]!));
    expect(Array.from(many.Ms[1]!)).toEqual(Array.from(ref.Ms[1]!));
    const rng = () => Rng.fromPath('observability-values', 1);
    const single = simulateIdealPaths({ score: score2, error: errorB2, start, n, grid: uniformGrid(1, 0.5, 3), noise: rng() });
    const pair = simulateIdealPathsMany({ score: score2, errors: [errorA2, errorB2], start, n, grid: uniformGrid(1, 0.5, 3), noise: rng() });
    expect(Array.from(pair.Ms[1]!)).toEqual(Array.from(single.M));
    expect(Array.from(pair.Y)).toEqual(Array.from(single.Y));
  });

  it('refusals: no error, an error of another dimension, a start of the wrong length', () => {
    const start = startPoints(3, 2);
    expect(() => simulateIdealPathsMany({ score: score2, errors: [], start, n: 3, grid, noise: scriptedNoise() })).toThrow(new Error('simulateIdealPathsMany: no error'));
    expect(() => simulateIdealPathsMany({ score: score2, errors: [errorA2, error1], start, n: 3, grid, noise: scriptedNoise() })).toThrow(
      new Error('simulateIdealPaths: error dimension 1 ≠ 2'),
    );
    expect(() => simulateIdealPaths({ score: score2, error: errorA2, start: startPoints(5, 1), n: 3, grid, noise: scriptedNoise() })).toThrow(
      new Error('simulateIdealPaths: 5 start numbers for 3 paths of dimension 2'),
    );
  });
});

// ---------------------------------------------------------------------------------------------
// feature bases

describe('feature bases', () => {
  it('quadraticBasis(2): (1, y1, y2, y1², y1 y2, y2²) at an offset', () => {
    const b = quadraticBasis(2);
    expect(b.name).toBe('quadratic');
    expect(b.size).toBe(6);
    const out = new Float64Array(9).fill(-7);
    b.fill(Float64Array.from([9, 9, 3, -2, 9]), 2, out, 1);
    expect(Array.from(out)).toEqual([-7, 1, 3, -2, 9, -6, 4, -7, -7]);
    expect(quadraticBasis(3).size).toBe(10);
    expect(quadraticBasis(1).size).toBe(3);
  });

  it('polynomialBasis1d(3): (1, y, y², y³); refuses degree < 1 or not an integer', () => {
    const b = polynomialBasis1d(3);
    expect(b.name).toBe('polynomial-3');
    expect(b.size).toBe(4);
    const out = new Float64Array(6).fill(-7);
    b.fill(Float64Array.from([5, -2]), 1, out, 2);
    expect(Array.from(out)).toEqual([-7, -7, 1, -2, 4, -8]);
    expect(polynomialBasis1d(1).size).toBe(2);
    expect(() => polynomialBasis1d(0)).toThrow(new Error('polynomialBasis1d: degree 0 must be an integer ≥ 1'));
    expect(() => polynomialBasis1d(1.5)).toThrow(new Error('polynomialBasis1d: degree 1.5 must be an integer ≥ 1'));
  });

  it('linearBasis(2): (1, y1, y2) at an offset', () => {
    const b = linearBasis(2);
    expect(b.name).toBe('linear');
    expect(b.size).toBe(3);
    const out = new Float64Array(5).fill(-7);
    b.fill(Float64Array.from([9, 4, -3]), 1, out, 1);
    expect(Array.from(out)).toEqual([-7, 1, 4, -3, -7]);
  });
});

// ---------------------------------------------------------------------------------------------
// eta

/**
 * Tolerance of η̂, its numerator and its SE against the closed-form simple regression, relative to
 * max(1, |value|). Both sides sum ≤ n = 13 products of numbers ≤ 4 in magnitude (γ_13 ≈ 13 ε per
 * sum, ≤ 6 chained sums/ratios); the module solves 2×2 normal equations by Cholesky (relative error
 * ≤ 8κε with κ(XᵀX) ≤ 50 for the Y used here, 1 ∉ span-degenerate), the test divides S_xy/S_xx.
 * Together ≤ 6·13 ε + 8·50 ε + 13 ε ≈ 500 ε; ETA_TOL = 1e-12 ≈ 4500 ε leaves a factor 9. Every
 * formula slip checked here (a swapped fold, a missing term) moves a value by ≥ 1e-3.
 */
const ETA_TOL = 1e-12;

function close(actual: number, expected: number, tol = ETA_TOL): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(expected)));
}

function paths1d(Y: number[], M: number[]): IdealPaths {
  return { n: Y.length, dim: 1, Y: Float64Array.from(Y), M: Float64Array.from(M) };
}

/** Reference η̂ with the linear basis in d = 1 (file comment of observability.ts, written out). */
function referenceEta(Y: number[], M: number[], energy?: number) {
  const n = Y.length;
  const half = Math.floor(n / 2);
  const folds: [number, number][] = [[0, half], [half, n]];
  const fits = folds.map(([a, b]) => {
    const ys = Y.slice(a, b);
    const ms = M.slice(a, b);
    const yBar = ys.reduce((u, v) => u + v, 0) / ys.length;
    const mB = ms.reduce((u, v) => u + v, 0) / ms.length;
    let sxy = 0;
    let sxx = 0;
    for (let i = 0; i < ys.length; i++) {
      sxy += (ys[i]! - yBar) * (ms[i]! - mB);
      sxx += (ys[i]! - yBar) ** 2;
    }
    const slope = sxy / sxx;
    return (y: number) => mB + slope * (y - yBar);
  });
  const f = Y.map((y, i) => (i < half ? fits[1]!(y) : fits[0]!(y)));
  const mBar = M.reduce((u, v) => u + v, 0) / n;
  const fBar = f.reduce((u, v) => u + v, 0) / n;
  const varM = M.reduce((u, v) => u + (v - mBar) ** 2, 0) / (n - 1);
  const den = energy ?? varM;
  const num = M.reduce((u, v, i) => u + (v - mBar) * (f[i]! - fBar), 0) / n;
  const est = num / den;
  const psi = M.map((v, i) => ((v - mBar) * (f[i]! - fBar) - (energy === undefined ? est * (v - mBar) ** 2 : 0)) / den);
  const psiBar = psi.reduce((u, v) => u + v, 0) / n;
  const varPsi = psi.reduce((u, v) => u + (v - psiBar) ** 2, 0) / n;
  let first = 0;
  folds.forEach(([a, b], fi) => {
    const inFold = Y.slice(a, b).map(fits[fi]!);
    const fa = inFold.reduce((u, v) => u + v, 0) / (b - a);
    let s = 0;
    inFold.forEach((fv, j) => (s += (M[a + j]! - fv) ** 2 * (fv - fa) ** 2));
    first += s / (b - a) ** 2;
  });
  const firstStageVariance = first / 4 / den ** 2;
  return { est, num, den, psi, firstStageVariance, se: Math.sqrt(varPsi / n + firstStageVariance) };
}

// 13 paths (odd: folds of 6 and 7), M = Y + residual in fold A, M = 2Y + residual in fold B
const Y13 = [-2, -1.5, -1, -0.25, 0.5, 1.75, -1.75, -0.5, 0, 0.75, 1, 1.5, 2];
const M13 = [-1.5, -2, -0.75, -0.5, 1, 1.5, -3, -1.25, 0.5, 1, 2.5, 3.25, 3.5];

describe('eta: 2-fold cross-fitted regression', () => {
  it('linear basis, sample variance: η̂, numerator, denominator, influence, first stage and SE equal the closed-form reference', () => {
    const est = eta({ paths: paths1d(Y13, M13), features: linearBasis(1) });
    const ref = referenceEta(Y13, M13);
    close(est.eta, ref.est);
    close(est.numerator, ref.num);
    close(est.denominator, ref.den);
    close(est.firstStageVariance, ref.firstStageVariance);
    close(est.standardError, ref.se);
    expect(est.n).toBe(13);
    expect(est.influence.length).toBe(13);
    est.influence.forEach((v, i) => close(v, ref.psi[i]!));
    expect(est.etaReported).toBe(est.eta); // inside [0, 1] here
    expect(est.eta).toBeGreaterThan(0.3);
    expect(est.eta).toBeLessThan(1);
    expect(est.firstStageVariance).toBeGreaterThan(1e-4); // the residuals are not zero
  });

  it('linear basis, stated energy: the denominator is the energy and ψ has no ratio term', () => {
    const est = eta({ paths: paths1d(Y13, M13), features: linearBasis(1), energy: 5 });
    const ref = referenceEta(Y13, M13, 5);
    expect(est.denominator).toBe(5);
    close(est.eta, ref.est);
    close(est.numerator, ref.num);
    close(est.standardError, ref.se);
    close(est.firstStageVariance, ref.firstStageVariance);
    est.influence.forEach((v, i) => close(v, ref.psi[i]!));
  });

  it('M affine in Y (d = 1) and quadratic in Y (d = 2): out-of-fold prediction is exact, η̂ = (n − 1)/n, no first-stage noise', () => {
    const Y = [-2, -1, 0, 1, 2, 0.5, -0.5, 1.5, -1.5, 3];
    const M = Y.map((y) => 3 - 2 * y);
    const a = eta({ paths: paths1d(Y, M), features: linearBasis(1) });
    close(a.eta, 9 / 10);
    expect(a.firstStageVariance).toBeLessThan(1e-24);
    // d = 2, quadratic: 24 paths, M = 1 + y1 − y2 + y1² + 2 y1 y2 − y2²
    const n = 24;
    const Y2 = Float64Array.from({ length: 2 * n }, (_, i) => ((i * 7) % 11) / 4 - 1.25 + (i % 3) / 8);
    const M2 = Float64Array.from({ length: n }, (_, i) => {
      const u = Y2[2 * i]!;
      const v = Y2[2 * i + 1]!;
      return 1 + u - v + u * u + 2 * u * v - v * v;
    });
    const q = eta({ paths: { n, dim: 2, Y: Y2, M: M2 }, features: quadraticBasis(2) });
    close(q.eta, (n - 1) / n, 1e-10); // a 6×6 fit (κ ≲ 1e4): 1e-10 ≫ 8κε ≈ 2e-11
    const l = eta({ paths: { n, dim: 2, Y: Y2, M: M2 }, features: linearBasis(2) });
    expect(l.eta).toBeLessThan(0.9); // the linear basis misses the quadratic part
  });

  it('etaReported clamps to [0, 1]; η̂ itself is kept raw', () => {
    const high = eta({ paths: paths1d(Y13, M13), features: linearBasis(1), energy: 0.5 });
    expect(high.eta).toBeGreaterThan(1);
    expect(high.etaReported).toBe(1);
    // fold A: M = Y, fold B: M = −Y: each fold's fit predicts the other with the wrong sign
    const Y = [-2, -1, 0.5, 1, 2, -1.5, -0.5, 0, 1.5, 2.5];
    const M = Y.map((y, i) => (i < 5 ? y : -y));
    const low = eta({ paths: paths1d(Y, M), features: linearBasis(1) });
    expect(low.eta).toBeLessThan(0);
    expect(low.etaReported).toBe(0);
  });

  it('zero energy (stated, or a constant M): η = 0 and a zero estimate', () => {
    const zero = (e: EtaEstimate, n: number) => {
      expect(e.eta).toBe(0);
      expect(e.etaReported).toBe(0);
      expect(e.standardError).toBe(0);
      expect(e.numerator).toBe(0);
      expect(e.denominator).toBe(0);
      expect(e.firstStageVariance).toBe(0);
      expect(e.n).toBe(n);
      expect(Array.from(e.influence)).toEqual(new Array(n).fill(0));
    };
    zero(eta({ paths: paths1d(Y13, M13), features: linearBasis(1), energy: 0 }), 13);
    zero(eta({ paths: paths1d(Y13, M13), features: linearBasis(1), energy: -1 }), 13);
    zero(eta({ paths: paths1d(Y13, new Array(13).fill(0.75)), features: linearBasis(1) }), 13);
  });

  it('refuses a fold smaller than 2·features: n = 7 with 2 features (fold 3 < 4); n = 8 is accepted', () => {
    const Y = [-1, 0, 1, 2, -2, 0.5, 1.5];
    expect(() => eta({ paths: paths1d(Y, Y), features: linearBasis(1) })).toThrow(new Error('eta: 7 paths are too few for 2 features'));
    const Y8 = [...Y, -0.5];
    expect(eta({ paths: paths1d(Y8, Y8), features: linearBasis(1) }).eta).toBeGreaterThan(0.8);
  });
});

// ---------------------------------------------------------------------------------------------
// etaCombinationStandardError

function estimate(influence: number[], firstStageVariance: number, standardError = 0): EtaEstimate {
  const n = influence.length;
  return { eta: 0, etaReported: 0, standardError, numerator: 0, denominator: 1, n, influence: Float64Array.from(influence), firstStageVariance };
}

describe('etaCombinationStandardError', () => {
  it('hand case: ψ = ψ₁ − 2ψ₂ = (−1, −3, 3, 1): Var = 5, /n = 5/4; first stage (1·½ + 2·¼)² = 1; SE = 3/2', () => {
    const e1 = estimate([1, -1, 1, -1], 0.25);
    const e2 = estimate([1, 1, -1, -1], 0.0625);
    expect(etaCombinationStandardError([{ estimate: e1, weight: 1 }, { estimate: e2, weight: -2 }])).toBe(1.5);
    // a mean-shifted combination: ψ = (2, 0, 2, 0) + 1: Var = 1, /n = 1/4, no first stage: SE = 1/2
    expect(etaCombinationStandardError([{ estimate: estimate([3, 1, 3, 1], 0), weight: 1 }])).toBe(0.5);
  });

  it('a single estimate with weight 1 gives back its own SE', () => {
    const est = eta({ paths: paths1d(Y13, M13), features: linearBasis(1) });
    close(etaCombinationStandardError([{ estimate: est, weight: 1 }]), est.standardError);
  });

  it('a constant influence whose rounded variance is negative gives 0, not NaN', () => {
    // Σ 0.7² / 7 − (Σ 0.7 / 7)² rounds to −2.2e-16 in binary64 (checked here as a precondition)
    let sq = 0;
    let m = 0;
    for (let i = 0; i < 7; i++) {
      sq += 0.7 * 0.7;
      m += 0.7;
    }
    m /= 7;
    expect(sq / 7 - m * m).toBeLessThan(0);
    expect(etaCombinationStandardError([{ estimate: estimate(new Array(7).fill(0.7), 0), weight: 1 }])).toBe(0);
  });

  it('refusals: no terms; estimates on different path sets (n, or the influence length)', () => {
    expect(() => etaCombinationStandardError([])).toThrow(new Error('etaCombinationStandardError: no terms'));
    const a = estimate([1, 2, 3, 4], 0);
    expect(() => etaCombinationStandardError([{ estimate: a, weight: 1 }, { estimate: estimate([1, 2, 3], 0), weight: 1 }])).toThrow(
      new Error('etaCombinationStandardError: estimates on different path sets'),
    );
    const bad = { ...estimate([1, 2, 3], 0), n: 4 };
    expect(() => etaCombinationStandardError([{ estimate: a, weight: 1 }, { estimate: bad, weight: 1 }])).toThrow(
      new Error('etaCombinationStandardError: estimates on different path sets'),
    );
    const otherN = { ...estimate([1, 2, 3, 4], 0), n: 5 }; // same influence length, another n
    expect(() => etaCombinationStandardError([{ estimate: a, weight: 1 }, { estimate: otherN, weight: 1 }])).toThrow(
      new Error('etaCombinationStandardError: estimates on different path sets'),
    );
  });
});

// ---------------------------------------------------------------------------------------------
// stationary closed forms

/** Closed forms evaluated with Math.exp (≤ 4 roundings each side, |terms| ≤ 2): 64 ε relative. */
const CLOSED_TOL = 64 * EPS;

describe('stationary closed forms (docs/theory.md §2 [I])', () => {
  it('constant shift: 4(1 − e^{−s/2})²/s; at s = 2 ln 2 it is 1/(2 ln 2)', () => {
    close(etaConstantShiftStationary(2 * Math.LN2), 1 / (2 * Math.LN2), CLOSED_TOL);
    for (const s of [0.1, 1, 3.5, 20]) close(etaConstantShiftStationary(s), (4 * (1 - Math.exp(-s / 2)) ** 2) / s, CLOSED_TOL);
  });

  it('oscillation: 2ω²(1 − e^{−s/2})²/((ω² + ¼)² s), ω = 2πc/s', () => {
    for (const [s, c] of [[2 * Math.LN2, 1], [1, 3], [5, 2]] as const) {
      const w = (2 * Math.PI * c) / s;
      close(etaOscillationStationary(s, c), (2 * w * w * (1 - Math.exp(-s / 2)) ** 2) / ((w * w + 0.25) ** 2 * s), CLOSED_TOL);
    }
  });

  it('refuse s ≤ 0 and NaN', () => {
    for (const s of [0, -1, Number.NaN]) {
      expect(() => etaConstantShiftStationary(s)).toThrow(new Error(`etaConstantShiftStationary: s = ${s} must be > 0`));
      expect(() => etaOscillationStationary(s, 1)).toThrow(new Error(`etaOscillationStationary: s = ${s} must be > 0`));
    }
  });
});

// ---------------------------------------------------------------------------------------------
// timeOnlyEtaDiscrete

/** The scalar recursion of a 1-D component: data variance v, start variance p0, offsets b_k. */
function scalarChain(v: number, p0: number, times: number[], b: (t: number) => number): { C: number; P: number; varM: number } {
  let C = 0;
  let P = p0;
  let varM = 0;
  for (let k = 0; k + 1 < times.length; k++) {
    const t = times[k]!;
    const h = t - times[k + 1]!;
    const S = Math.exp(-t) * v + 1 - Math.exp(-t);
    const m = 1 + h * (0.5 - 1 / S);
    C = m * C - h * b(t);
    P = m * m * P + h;
    varM += h * b(t) ** 2;
  }
  return { C, P, varM };
}

/**
 * Tolerance of timeOnlyEtaDiscrete against the scalar recursion, relative: ≤ 4 steps of ≤ 6
 * roundings on each side with factors ≤ 2 (≈ 50 ε per side), the module's 2×2 Cholesky inverse of
 * P_K (κ ≤ 10: ≤ 80 ε) and the rotation (entries 0.6, 0.8, rounded: ≤ 4 ε per product): ≈ 200 ε;
 * TIME_ONLY_TOL = 1e-13 ≈ 450 ε. A wrong index or sign moves η by ≥ 1e-2 here.
 */
const TIME_ONLY_TOL = 1e-13;

describe('timeOnlyEtaDiscrete: exact η of a time-only error on the Euler–Maruyama chain', () => {
  it('one step on N(0, 1) from N(0, 1): η = h/(1 + h²/4) = 8/17 at h = ½; from N(0, 2): η = 4/13', () => {
    const problem = linearGaussianProblem(standardGaussian(1), 1, 0.5);
    const err = affineField(1, () => null, () => Float64Array.of(3));
    const grid = uniformGrid(1, 0.5, 1);
    const std = timeOnlyEtaDiscrete(problem, err, grid, 'standard-normal');
    close(std.eta, 8 / 17, TIME_ONLY_TOL);
    close(std.varM, 4.5, TIME_ONLY_TOL);
    close(std.cov[0]!, -1.5, TIME_ONLY_TOL);
    close(timeOnlyEtaDiscrete(problem, err, grid).eta, 8 / 17, TIME_ONLY_TOL); // exact start = N(0, 1) too
    const two = timeOnlyEtaDiscrete(problem, err, grid, { mean: Float64Array.of(0), cov: Float64Array.of(2) });
    close(two.eta, 4 / 13, TIME_ONLY_TOL);
    // an invalid explicit start (variance −2): P₁ = (9/16)(−2) + ½ = −5/8 is named in the refusal
    expect(() => timeOnlyEtaDiscrete(problem, err, grid, { mean: Float64Array.of(0), cov: Float64Array.of(-2) })).toThrow(new Error('P_K is not positive definite'));
  });

  it('1-D, N(0, 3) data, 4 unequal steps, b(t) = t − ½: the scalar recursion', () => {
    const times = [2, 1.5, 1.25, 0.5, 0.25];
    const problem = linearGaussianProblem(isotropicGaussian([0], 3), 2, 0.25);
    const err = affineField(1, () => null, (t) => Float64Array.of(t - 0.5));
    const out = timeOnlyEtaDiscrete(problem, err, explicitGrid(times));
    const ref = scalarChain(3, Math.exp(-2) * 3 + 1 - Math.exp(-2), times, (t) => t - 0.5);
    close(out.varM, ref.varM, TIME_ONLY_TOL);
    close(out.cov[0]!, ref.C, TIME_ONLY_TOL);
    close(out.eta, (ref.C * ref.C) / ref.P / ref.varM, TIME_ONLY_TOL);
  });

  it('2-D rotated problem (R = [[0.6, −0.8], [0.8, 0.6]]): η of two decoupled 1-D chains', () => {
    const R = [0.6, -0.8, 0.8, 0.6];
    const v = [3, 0.5];
    const cov = [0, 1, 2, 3].map((ij) => {
      const i = ij >> 1;
      const j = ij & 1;
      return R[i * 2]! * v[0]! * R[j * 2]! + R[i * 2 + 1]! * v[1]! * R[j * 2 + 1]!;
    });
    const times = [1.5, 1, 0.75, 0.25];
    const problem = linearGaussianProblem(fullGaussian([0, 0], cov), 1.5, 0.25);
    const bRot = (t: number) => [1 - t, 0.5 + t]; // in the rotated coordinates
    const err = affineField(2, () => null, (t) => {
      const [a, c] = bRot(t);
      return Float64Array.of(R[0]! * a! + R[1]! * c!, R[2]! * a! + R[3]! * c!);
    });
    const out = timeOnlyEtaDiscrete(problem, err, explicitGrid(times));
    const parts = [0, 1].map((i) => scalarChain(v[i]!, Math.exp(-1.5) * v[i]! + 1 - Math.exp(-1.5), times, (t) => bRot(t)[i]!));
    const varM = parts[0]!.varM + parts[1]!.varM;
    close(out.varM, varM, TIME_ONLY_TOL);
    close(out.eta, parts.reduce((u, p) => u + (p.C * p.C) / p.P, 0) / varM, TIME_ONLY_TOL);
    close(out.cov[0]!, R[0]! * parts[0]!.C + R[1]! * parts[1]!.C, TIME_ONLY_TOL);
    close(out.cov[1]!, R[2]! * parts[0]!.C + R[3]! * parts[1]!.C, TIME_ONLY_TOL);
  });

  it('no offset (ε⋆² = 0): η = 0; refusals: an error on the ideal path, a state-dependent error', () => {
    const problem = linearGaussianProblem(standardGaussian(2), 1, 0.5);
    const none = timeOnlyEtaDiscrete(problem, affineField(2, () => null, () => null), uniformGrid(1, 0.5, 2));
    expect(none.eta).toBe(0);
    expect(none.varM).toBe(0);
    expect(Array.from(none.cov)).toEqual([0, 0]);
    const shift = affineField(2, () => null, () => Float64Array.of(1, 0));
    expect(() => timeOnlyEtaDiscrete(linearGaussianProblem(standardGaussian(2), 1, 0.5, shift), shift, uniformGrid(1, 0.5, 2))).toThrow(
      new Error('timeOnlyEtaDiscrete: the ideal path has no error (problem.error must be null)'),
    );
    const aligned = affineField(2, () => Float64Array.of(1, 0, 0, 1), () => null);
    expect(() => timeOnlyEtaDiscrete(problem, aligned, uniformGrid(1, 0.5, 2))).toThrow(new Error('timeOnlyEtaDiscrete: error has a state-dependent part'));
  });
});
