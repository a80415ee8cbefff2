/**
 * Time grids of the reverse sampler (src/processes/time-grid.ts): values by definition, written here.
 *
 *   uniform:   t_k = T − k (T − t0)/K,  k = 0..K
 *   geometric: t_k = t0 · (T/t0)^{1 − k/K}, i.e. log t_k is affine in k (constant ratio t_k / t_{k+1} = (T/t0)^{1/K})
 *   both:      t_0 = T and t_K = t0 exactly (no rounding drift at the ends), strictly decreasing
 *   explicit:  a copy of the given list; refused unless finite, ≥ 0, strictly decreasing, ≥ 2 points
 *
 * Oracles: the formulas above evaluated here by a different arithmetic path (t0 + (K−k)/K·(T − t0) for
 * the uniform grid, exp2/log2 for the geometric one) and hand grids exact in binary64.
 */
import { describe, expect } from 'vitest';
import { fc, test } from '../support/prop.ts';
import { boundedDouble, logUniformDouble } from '../support/arbitraries.ts';
import { explicitGrid, geometricGrid, gridEnd, gridStart, gridSteps, uniformGrid } from '../../src/processes/time-grid.ts';

const U = Number.EPSILON / 2;

/**
 * Uniform grid: the module's T − k·h and the oracle's t0 + (K − k)·h' each take ≤ 4 roundings of
 * quantities bounded by |T| + |t0| (h = (T − t0)/K: 2 roundings; k·h: 1; the subtraction: 1), so
 * they differ by ≤ 8 u (|T| + |t0|); charged 16 u (|T| + |t0|) + 2⁻¹⁰⁷⁴ (absolute term, T = t0 + tiny).
 */
const uniformAllowance = (T: number, t0: number): number => 16 * U * (Math.abs(T) + Math.abs(t0)) + Number.MIN_VALUE;

/**
 * Geometric grid: both sides evaluate t0 · e^{a}, a = (1 − k/K) log(T/t0), with a computed to
 * ≤ 4 u |log(T/t0)| + u (log, division, subtraction, product); e^{a} amplifies an absolute error in
 * a into the same relative error, plus ≤ 2 roundings for exp and the product. Two sides: relative
 * 2 (4 u |log(T/t0)| + 3 u) ≤ 16 u (1 + |log(T/t0)|). Charged that, times t_k, plus 2⁻¹⁰⁷⁴.
 */
const geometricAllowance = (T: number, t0: number, tk: number): number =>
  16 * U * (1 + Math.abs(Math.log(T / t0))) * tk + Number.MIN_VALUE;

const stepsArb = fc.integer({ min: 1, max: 60 });
/** 0 ≤ t0 < T ≤ 100 with T − t0 ≥ 1e-3 (a gap of many ulps, so every step is representable). */
const endsArb = fc
  .record({ t0: boundedDouble(0, 10), gap: logUniformDouble(1e-3, 90) })
  .map(({ t0, gap }) => ({ t0, T: t0 + gap }));

describe('uniform grid: t_k = T − k (T − t0)/K, ends exact', () => {
  test.prop([endsArb, stepsArb])('values, ends, strict decrease, accessors', ({ T, t0 }, K) => {
    const g = uniformGrid(T, t0, K);
    expect(g.kind).toBe('uniform');
    expect(g.times.length).toBe(K + 1);
    expect(g.times[0]).toBe(T);
    expect(g.times[K]).toBe(t0);
    for (let k = 0; k <= K; k++) {
      const oracle = t0 + ((K - k) / K) * (T - t0);
      expect(Math.abs(g.times[k]! - oracle)).toBeLessThanOrEqual(uniformAllowance(T, t0));
      if (k > 0) expect(g.times[k]!).toBeLessThan(g.times[k - 1]!);
    }
    expect(gridSteps(g)).toBe(K);
    expect(gridStart(g)).toBe(T);
    expect(gridEnd(g)).toBe(t0);
  });

  test('hand grids exact in binary64: (2, 0.5, 3) → 2, 1.5, 1, 0.5; (1, 0, 4) → 1, 0.75, 0.5, 0.25, 0', () => {
    expect(Array.from(uniformGrid(2, 0.5, 3).times)).toEqual([2, 1.5, 1, 0.5]);
    expect(Array.from(uniformGrid(1, 0, 4).times)).toEqual([1, 0.75, 0.5, 0.25, 0]);
    expect(Array.from(uniformGrid(1, 0, 1).times)).toEqual([1, 0]);
  });

  test('the last point is t0 exactly even when T − K·h rounds elsewhere', () => {
    // T = 1, t0 = 0.1, K = 3: h = 0.3 (rounded), 1 − 3·h = 0.10000000000000009 ≠ 0.1 in binary64
    // (checked in this test), so t_K = t0 must be set explicitly.
    const h = (1 - 0.1) / 3;
    expect(1 - 3 * h).not.toBe(0.1);
    expect(uniformGrid(1, 0.1, 3).times[3]).toBe(0.1);
  });
});

describe('geometric grid: log t_k affine in k, ends exact, needs t0 > 0', () => {
  const positiveEndsArb = fc
    .record({ t0: logUniformDouble(1e-4, 1), factor: logUniformDouble(1.01, 1e4) })
    .map(({ t0, factor }) => ({ t0, T: t0 * factor }));

  test.prop([positiveEndsArb, stepsArb])('values by exp2/log2, ends, strict decrease, accessors', ({ T, t0 }, K) => {
    const g = geometricGrid(T, t0, K);
    expect(g.kind).toBe('geometric');
    expect(g.times.length).toBe(K + 1);
    expect(g.times[0]).toBe(T);
    expect(g.times[K]).toBe(t0);
    for (let k = 0; k <= K; k++) {
      const oracle = t0 * Math.pow(2, ((K - k) / K) * Math.log2(T / t0));
      expect(Math.abs(g.times[k]! - oracle)).toBeLessThanOrEqual(geometricAllowance(T, t0, oracle));
      if (k > 0) expect(g.times[k]!).toBeLessThan(g.times[k - 1]!);
    }
    expect(gridSteps(g)).toBe(K);
    expect(gridStart(g)).toBe(T);
    expect(gridEnd(g)).toBe(t0);
  });

  test('hand grid (8, 1, 3) → 8, 4, 2, 1 within rounding; ends exact where exp(log) does not round-trip', () => {
    const g = geometricGrid(8, 1, 3);
    [8, 4, 2, 1].forEach((v, k) => expect(Math.abs(g.times[k]! - v)).toBeLessThanOrEqual(geometricAllowance(8, 1, v)));
    // 0.1 · exp(log(3 / 0.1)) = 3.0000000000000004 ≠ 3 in binary64 (checked here): t_0 must be set to T
    expect(0.1 * Math.exp(Math.log(3 / 0.1))).not.toBe(3);
    expect(geometricGrid(3, 0.1, 5).times[0]).toBe(3);
  });

  test('t0 = 0 is refused with its own message (the uniform grid accepts it)', () => {
    expect(() => geometricGrid(1, 0, 3)).toThrow('geometricGrid: t0 must be > 0 for a log-spaced grid');
    expect(uniformGrid(1, 0, 3).times[3]).toBe(0);
  });
});

describe('grid arguments are validated with exact messages (both grids share the check)', () => {
  for (const [name, make] of [
    ['uniformGrid', uniformGrid],
    ['geometricGrid', geometricGrid],
  ] as const) {
    test(`${name}: non-finite ends, t0 < 0, t0 ≥ T, steps not a positive integer`, () => {
      expect(() => make(Infinity, 0.1, 2)).toThrow(`${name}: T and t0 must be finite`);
      expect(() => make(NaN, 0.1, 2)).toThrow(`${name}: T and t0 must be finite`);
      expect(() => make(1, -Infinity, 2)).toThrow(`${name}: T and t0 must be finite`);
      expect(() => make(1, NaN, 2)).toThrow(`${name}: T and t0 must be finite`);
      expect(() => make(1, -0.5, 2)).toThrow(`${name}: t0 = -0.5 must be ≥ 0`);
      expect(() => make(1, 1, 2)).toThrow(`${name}: need t0 < T (got t0 = 1, T = 1)`);
      expect(() => make(1, 2, 2)).toThrow(`${name}: need t0 < T (got t0 = 2, T = 1)`);
      expect(() => make(1, 0.5, 0)).toThrow(`${name}: steps = 0 must be a positive integer`);
      expect(() => make(1, 0.5, -1)).toThrow(`${name}: steps = -1 must be a positive integer`);
      expect(() => make(1, 0.5, 2.5)).toThrow(`${name}: steps = 2.5 must be a positive integer`);
      expect(() => make(1, 0.5, NaN)).toThrow(`${name}: steps = NaN must be a positive integer`);
      // boundaries that are accepted: one step; t0 just below T
      expect(make(1, 0.5, 1).times.length).toBe(2);
      expect(make(1, 1 - 2 ** -20, 1).times[1]).toBe(1 - 2 ** -20);
    });
  }
});

describe('explicit grid: a copy of a finite, non-negative, strictly decreasing list of ≥ 2 times', () => {
  test('accepted lists (0 allowed as the last time), copied not aliased, accessors', () => {
    const src = [3, 1, 0.25, 0];
    const g = explicitGrid(src);
    expect(g.kind).toBe('explicit');
    expect(Array.from(g.times)).toEqual([3, 1, 0.25, 0]);
    src[0] = 99;
    expect(g.times[0]).toBe(3);
    expect(gridSteps(g)).toBe(3);
    expect(gridStart(g)).toBe(3);
    expect(gridEnd(g)).toBe(0);
    expect(Array.from(explicitGrid(Float64Array.of(2, 1)).times)).toEqual([2, 1]);
  });

  test('refused lists, with the offending index in the message', () => {
    expect(() => explicitGrid([1])).toThrow('explicitGrid: need at least two times');
    expect(() => explicitGrid([])).toThrow('explicitGrid: need at least two times');
    expect(() => explicitGrid([2, Infinity, 0])).toThrow('explicitGrid: times[1] = Infinity must be finite and ≥ 0');
    expect(() => explicitGrid([NaN, 1])).toThrow('explicitGrid: times[0] = NaN must be finite and ≥ 0');
    expect(() => explicitGrid([2, 1, -0.5])).toThrow('explicitGrid: times[2] = -0.5 must be finite and ≥ 0');
    expect(() => explicitGrid([2, 1, 1])).toThrow('explicitGrid: times must decrease strictly (times[2] = 1 ≥ times[1] = 1)');
    expect(() => explicitGrid([2, 3])).toThrow('explicitGrid: times must decrease strictly (times[1] = 3 ≥ times[0] = 2)');
    expect(() => explicitGrid([3, 2, 2.5, 1])).toThrow('explicitGrid: times must decrease strictly (times[2] = 2.5 ≥ times[1] = 2)');
  });
});
