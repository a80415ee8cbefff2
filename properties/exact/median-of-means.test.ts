/**
 * Median-of-means confidence bound (src/statistics/median-of-means.ts) against oracles written here
 * (issue 11, mutation item):
 * - the radius: for every block count k = 1..⌊n/2⌋ the test solves the certificate
 *   (4p(1 − p))^{k/2} = δ for p ∈ (0, ½) by bisection on ln p (no closed form shared with the module),
 *   forms r_k = √(v / (⌊n/k⌋ p_k)) and takes the smallest (brute force over k); ties (v = 0) go to
 *   the smallest k, as the module's scan keeps the first minimiser;
 * - the estimate: block means of integer samples (exact sums, one rounding per mean, the same as the
 *   module's), median by a comparison sort written here, the even case as the mean of the two
 *   middle values;
 * - the guarantee P(|μ̂ − μ| ≥ r) ≤ δ, by enumerating every outcome of n Bernoulli(q) terms
 *   (Var = q(1 − q) = v): a check that finds no violation, whose power is the margin between the
 *   module's radius and the exact (1 − δ)-quantile of |μ̂ − μ|: the radius is 4.2–6.9 times that
 *   quantile in the four cases (the bound is certified, hence conservative), so a radius shrunk by a
 *   factor > 4.2 fails at least one case; smaller shrinks are left to the brute-force radius checks.
 *
 * Tolerance RADIUS_REL_TOL(δ) = 16u · (10 + 2|ln δ|): the module computes δ^{2/k} as exp(2 ln δ / k)
 * (an exponent of size ≤ 2|ln δ| with ≤ 3 roundings: relative error ≤ 4u · 2|ln δ| in p_k), then
 * ≤ 6 roundings to r (p ↦ √(v/(m p)) halves relative errors); the bisection here ends at the
 * rounding of ln p (|ln p| ≤ 2|ln δ| + 2, so ≤ 2u · (2|ln δ| + 2) relative in p, plus ≤ 4 roundings in
 * its log/exp). Sum ≤ 8u·(10 + 2|ln δ|); 16u leaves a factor 2.
 */
import { describe, expect, it } from 'vitest';
import { fc, test } from '../support/prop.ts';
import { boundedDouble, logUniformDouble } from '../support/arbitraries.ts';
import { medianOfMeansBound, medianOfMeansRadius } from '../../src/statistics/median-of-means.ts';

const U = 2 ** -53;

function radiusRelTol(delta: number): number {
  return 16 * U * (10 + 2 * Math.abs(Math.log(delta)));
}

/** p ∈ (0, ½) with (k/2) ln(4p(1 − p)) = ln δ, by bisection on t = ln p (the left side increases in p). */
function certificateP(k: number, delta: number): number {
  const target = Math.log(delta);
  let lo = -1500; // ln p far below any root here (δ ≥ 1e-300, k ≥ 1: ln p ≥ 2 ln δ − ln 4 > −1383)
  let hi = Math.log(0.5);
  // 80 halvings: width 1500 · 2⁻⁸⁰ ≈ 1e-21, below the rounding of ln p
  for (let i = 0; i < 80; i++) {
    const mid = 0.5 * (lo + hi);
    const p = Math.exp(mid);
    const g = (k / 2) * (Math.log(4 * p) + Math.log1p(-p));
    if (g < target) lo = mid;
    else hi = mid;
  }
  return Math.exp(0.5 * (lo + hi));
}

interface OracleRadius {
  radius: number;
  /** every k whose radius is within the tolerance of the minimum (one k unless nearly tied) */
  candidates: number[];
}

/** Brute force over k = 1..⌊n/2⌋ of r_k = √(v / (⌊n/k⌋ p_k)). */
function oracleRadius(n: number, v: number, delta: number): OracleRadius {
  const radii: number[] = [];
  for (let k = 1; k <= Math.floor(n / 2); k++) radii.push(Math.sqrt(v / (Math.floor(n / k) * certificateP(k, delta))));
  const min = Math.min(...radii);
  const slack = 2 * radiusRelTol(delta) * min;
  const candidates: number[] = [];
  radii.forEach((r, i) => {
    if (r <= min + slack) candidates.push(i + 1);
  });
  return { radius: min, candidates };
}

/** Median of block means of the first k·m terms, written here (insertion sort, mean of the middle pair). */
function oracleMedianOfMeans(x: readonly number[], k: number, m: number): number {
  const y: number[] = [];
  for (let j = 0; j < k; j++) {
    let s = 0;
    for (let i = 0; i < m; i++) s += x[j * m + i]!;
    y.push(s / m);
  }
  for (let i = 1; i < y.length; i++) {
    for (let j = i; j > 0 && y[j - 1]! > y[j]!; j--) [y[j - 1], y[j]] = [y[j]!, y[j - 1]!];
  }
  return k % 2 === 1 ? y[(k - 1) / 2]! : (y[k / 2 - 1]! + y[k / 2]!) / 2;
}

function expectRadius(n: number, v: number, delta: number): void {
  const got = medianOfMeansRadius(n, v, delta);
  const want = oracleRadius(n, v, delta);
  expect(Math.abs(got.radius - want.radius), `n = ${n}, v = ${v}, δ = ${delta}`).toBeLessThanOrEqual(radiusRelTol(delta) * want.radius);
  expect(want.candidates, `n = ${n}, v = ${v}, δ = ${delta}: k = ${got.blocks}`).toContain(got.blocks);
  expect(got.blockSize).toBe(Math.floor(n / got.blocks));
}

describe('median of means: the radius is the smallest certified r_k over k = 1..⌊n/2⌋', () => {
  it('brute force over k on a grid of n and δ (odd and even optimal k, single-block cases)', () => {
    for (const n of [2, 3, 4, 5, 6, 7, 8, 10, 12, 13, 20, 50, 100, 1001]) {
      for (const delta of [0.5, 0.2, 0.05, 1e-2, 1e-10, 1e-100]) expectRadius(n, 0.7, delta);
    }
  });
  // the variance bound v is a scale over 5 decades: log-uniform; the mantissa f of δ: uniform
  test.prop([fc.integer({ min: 2, max: 1000 }), logUniformDouble(1e-3, 100), fc.integer({ min: -100, max: -1 }), boundedDouble(0.1, 0.9)], { numRuns: 30 })(
    'brute force over k: n in 2..1000, v in [1e-3, 100], δ = f · 10^e in [1e-101, 0.09]',
    (n, v, e, f) => {
      expectRadius(n, v, f * 10 ** e);
    },
  );
  it('v = 0: every r_k is 0 and the first minimiser k = 1 is kept (blocks 1, blockSize n)', () => {
    for (const n of [2, 9, 100]) {
      expect(medianOfMeansRadius(n, 0, 0.01)).toEqual({ radius: 0, blocks: 1, blockSize: n });
    }
  });
  it('δ = 1e-300: p_1 = δ²/4 underflows to 0 and that k is skipped (n = 2: radius +∞, a valid radius; n = 4: k = 2)', () => {
    expect(medianOfMeansRadius(2, 1, 1e-300)).toEqual({ radius: Infinity, blocks: 1, blockSize: 2 });
    // k = 2: 4p(1 − p) = δ ⇒ p = δ/4 (1 + O(δ)), r = √(1 / (2 · δ/4)) = √2 · 1e150
    const r = medianOfMeansRadius(4, 1, 1e-300);
    expect(r.blocks).toBe(2);
    expect(r.blockSize).toBe(2);
    expect(Math.abs(r.radius - Math.SQRT2 * 1e150)).toBeLessThanOrEqual(radiusRelTol(1e-300) * Math.SQRT2 * 1e150);
  });
  it('n < 2, a non-integer n, δ ∉ (0, 1), a negative or non-finite variance bound throw naming the value', () => {
    expect(() => medianOfMeansRadius(1, 1, 0.1)).toThrow('medianOfMeansRadius: n = 1');
    expect(() => medianOfMeansRadius(2.5, 1, 0.1)).toThrow('medianOfMeansRadius: n = 2.5');
    expect(() => medianOfMeansRadius(Number.NaN, 1, 0.1)).toThrow('medianOfMeansRadius: n = NaN');
    for (const d of [0, 1, -0.1, 1.5, Number.NaN]) expect(() => medianOfMeansRadius(10, 1, d)).toThrow(`medianOfMeansRadius: δ = ${d} not in (0, 1)`);
    for (const v of [-1, -1e-300, Infinity, Number.NaN]) expect(() => medianOfMeansRadius(10, v, 0.1)).toThrow(`medianOfMeansRadius: variance bound ${v}`);
    expect(medianOfMeansRadius(2, 1, 0.1).blocks).toBe(1);
  });
});

describe('median of means: the estimate is the median of the block means', () => {
  it('odd k (n = 14, δ = 0.2: 7 blocks of 2), even k (n = 16, δ = 0.05: 8 of 2), k = 4 blocks of 3, unsorted blocks', () => {
    const cases: [number[], number, number, number][] = [
      // [samples, δ, expected blocks, expected block size]
      [[9, 7, 5, 3, -1, -1, 8, 8, 0, 2, -10, -20, 4, 4], 0.2, 7, 2],
      [[9, 7, 5, 3, -1, -1, 8, 8, 0, 2, -10, -20, 4, 4, 100, 60], 0.05, 8, 2],
      [[5, 5, 6, -3, -3, -3, 10, 11, 13, 1, 2, 2], 0.2, 4, 3],
    ];
    for (const [x, delta, k, m] of cases) {
      const b = medianOfMeansBound(x, { varianceBound: 2, delta });
      expect(b.blocks).toBe(k);
      expect(b.blockSize).toBe(m);
      expect(b.mean).toBe(oracleMedianOfMeans(x, k, m));
      expect(b.n).toBe(x.length);
      expect(b.method).toBe('median-of-means');
      expect(b.delta).toBe(delta);
      expect(b.sd).toBe(Math.SQRT2);
      expect(b.halfWidth).toBe(medianOfMeansRadius(x.length, 2, delta).radius);
    }
    // by hand: 7 block means 8, 4, −1, 8, 1, −15, 4 → sorted −15, −1, 1, 4, 4, 8, 8 → median 4
    expect(medianOfMeansBound(cases[0]![0], { varianceBound: 2, delta: 0.2 }).mean).toBe(4);
    // 8 block means 8, 4, −1, 8, 1, −15, 4, 80 → middle pair 4, 4 → 4; change one: middle 1 and 4 → 2.5
    expect(medianOfMeansBound([9, 7, 5, 3, -1, -1, 8, 8, 0, 2, -10, -20, 0, 2, 100, 60], { varianceBound: 2, delta: 0.05 }).mean).toBe(2.5);
  });
  it('only the first k·m terms enter (n = 7, δ = 0.2: 3 blocks of 2, the last term ignored)', () => {
    const b = medianOfMeansBound([1, 3, 10, 12, -4, -2, 1e9], { varianceBound: 1, delta: 0.2 });
    expect([b.blocks, b.blockSize]).toEqual([3, 2]);
    expect(b.mean).toBe(2); // block means 2, 11, −3
  });
  // v: a variance-bound scale over 6 decades (log-uniform)
  test.prop([fc.array(fc.integer({ min: -1000, max: 1000 }), { minLength: 2, maxLength: 300 }), fc.constantFrom(0.5, 0.2, 0.05, 1e-2, 1e-10), logUniformDouble(0.01, 1e4)], { numRuns: 60 })(
    'integer samples: the median of block means written here, for the (k, m) the radius chose',
    (x, delta, v) => {
      const b = medianOfMeansBound(x, { varianceBound: v, delta });
      expect(b.blockSize).toBe(Math.floor(x.length / b.blocks));
      expect(b.mean).toBe(oracleMedianOfMeans(x, b.blocks, b.blockSize));
      expect(b.sd).toBe(Math.sqrt(v));
    },
  );
  it('a non-finite sample among the first k·m throws naming it and its index; a short sample throws', () => {
    expect(() => medianOfMeansBound([1, 2, 3, Number.NaN, 5, 6], { varianceBound: 1, delta: 0.2 })).toThrow('medianOfMeansBound: non-finite sample NaN at 3');
    expect(() => medianOfMeansBound([Infinity, 2, 3, 4], { varianceBound: 1, delta: 0.2 })).toThrow('medianOfMeansBound: non-finite sample Infinity at 0');
    expect(() => medianOfMeansBound([1, 2, 3, -Infinity], { varianceBound: 1, delta: 0.2 })).toThrow('medianOfMeansBound: non-finite sample -Infinity at 3');
    expect(() => medianOfMeansBound([1], { varianceBound: 1, delta: 0.2 })).toThrow('medianOfMeansRadius: n = 1');
  });
});

describe('median of means: the certified level, by exact enumeration of Bernoulli samples', () => {
  // Every outcome of n Bernoulli(q) terms (2ⁿ of them) with its probability; the module's estimate
  // and radius at v = q(1 − q); the miss probability P(|μ̂ − q| ≥ r) must be ≤ δ.
  const cases: [number, number, number][] = [
    [12, 0.5, 0.2],
    [12, 0.3, 0.5],
    [13, 0.1, 0.5],
    [14, 0.5, 0.5],
  ];
  for (const [n, q, delta] of cases) {
    it(`n = ${n}, q = ${q}, δ = ${delta}: exact miss probability ≤ δ, and the radius exceeds the exact (1 − δ)-quantile of |μ̂ − q|`, () => {
      const v = q * (1 - q);
      const x = new Array<number>(n);
      const errors: [number, number][] = [];
      let radius = NaN;
      for (let mask = 0; mask < 1 << n; mask++) {
        let ones = 0;
        for (let i = 0; i < n; i++) {
          x[i] = (mask >> i) & 1;
          ones += x[i]!;
        }
        const b = medianOfMeansBound(x, { varianceBound: v, delta });
        radius = b.halfWidth;
        errors.push([Math.abs(b.mean - q), q ** ones * (1 - q) ** (n - ones)]);
      }
      const miss = errors.reduce((s, [e, w]) => (e >= radius ? s + w : s), 0);
      expect(miss).toBeLessThanOrEqual(delta);
      // exact (1 − δ)-quantile of |μ̂ − q|: the smallest e with P(|μ̂ − q| > e) ≤ δ
      errors.sort((a, b) => b[0] - a[0]);
      let tail = 0;
      let quantile = 0;
      for (const [e, w] of errors) {
        if (tail + w > delta) {
          quantile = e;
          break;
        }
        tail += w;
      }
      expect(radius).toBeGreaterThan(quantile);
    });
  }
});
