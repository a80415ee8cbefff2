/**
 * Exact tier: the generated doubles of claim checks (src/verdict/arbitraries.ts) stay inside their
 * range, are finite, spread over the VALUES of the range (the point of them: fast-check's `fc.double`
 * on [0, 1] draws > 0.01 in ≈ 7 % of cases), shrink to the boundary of a failure, and refuse invalid
 * ranges. The distribution checks count draws from `fc.sample` (seeded by the run's seed) and compare
 * with the mixture's guaranteed share minus a Hoeffding deviation at the suite's δ per comparison.
 */
import { describe, expect, it } from 'vitest';
import { fc, test } from '../support/prop.ts';
import { boundedDouble, logUniformDouble, representableDouble } from '../../src/verdict/arbitraries.ts';
import { ASSERTION_DELTA } from '../../src/statistics/budget.ts';

/** Draws per distribution check. */
const DRAWS = 10_000;
/**
 * Hoeffding: a share of n independent Bernoulli draws falls below its mean by more than
 * √(ln(1/δ)/(2n)) with probability ≤ δ. At δ = ASSERTION_DELTA = 1e-10, n = 10 000: 0.0339. (fast-check's
 * draws are a deterministic function of the seed, not independent coins: the bound is the statement
 * for a random seed, which is how each run picks it.)
 */
const HOEFFDING = Math.sqrt(Math.log(1 / ASSERTION_DELTA) / (2 * DRAWS));
/** Share of `boundedDouble`'s value-uniform branch (weight 3 of 4). */
const UNIFORM_SHARE = 0.75;

/** A finite range [min, max] from any two doubles (all of fast-check's, edge cases included). */
const rangeArb = fc.tuple(representableDouble(-Number.MAX_VALUE, Number.MAX_VALUE), representableDouble(-Number.MAX_VALUE, Number.MAX_VALUE)).map(([a, b]) => (a <= b ? { min: a, max: b } : { min: b, max: a }));
const positiveRangeArb = fc.tuple(representableDouble(Number.MIN_VALUE, Number.MAX_VALUE), representableDouble(Number.MIN_VALUE, Number.MAX_VALUE)).map(([a, b]) => (a <= b ? { min: a, max: b } : { min: b, max: a }));

function share(xs: readonly number[], pred: (x: number) => boolean): number {
  return xs.filter(pred).length / xs.length;
}

describe('generated doubles stay finite and inside [min, max] on every finite range', () => {
  test.prop([rangeArb, fc.integer()], { numRuns: 300 })('boundedDouble and representableDouble', (r, seed) => {
    for (const arb of [boundedDouble(r.min, r.max), representableDouble(r.min, r.max)]) {
      for (const x of fc.sample(arb, { numRuns: 20, seed })) {
        expect(Number.isFinite(x)).toBe(true);
        expect(x).toBeGreaterThanOrEqual(r.min);
        expect(x).toBeLessThanOrEqual(r.max);
      }
    }
  });
  test.prop([positiveRangeArb, fc.integer()], { numRuns: 300 })('logUniformDouble', (r, seed) => {
    for (const x of fc.sample(logUniformDouble(r.min, r.max), { numRuns: 20, seed })) {
      expect(Number.isFinite(x)).toBe(true);
      expect(x).toBeGreaterThanOrEqual(r.min);
      expect(x).toBeLessThanOrEqual(r.max);
    }
  });
  it('a one-point range gives its point', () => {
    expect(new Set(fc.sample(boundedDouble(2.5, 2.5), 50))).toEqual(new Set([2.5]));
    expect(new Set(fc.sample(logUniformDouble(3, 3), 50))).toEqual(new Set([3]));
  });
});

describe('boundedDouble spreads over the values of its range; fc.double does not', () => {
  const seed = fc.readConfigureGlobal().seed ?? 0;
  it('on [0, 1]: the share above 0.01 is ≥ ¾ · 0.99 − Hoeffding (fc.double: ≈ 7 %)', () => {
    const xs = fc.sample(boundedDouble(0, 1), { numRuns: DRAWS, seed });
    // the uniform branch puts 0.99 of its mass above 0.01; the other branch ≥ 0
    expect(share(xs, (x) => x > 0.01)).toBeGreaterThanOrEqual(UNIFORM_SHARE * 0.99 - HOEFFDING);
  });
  it('on [−3, 3]: each third of the range gets ≥ ¾ · ⅓ − Hoeffding of the draws', () => {
    const xs = fc.sample(boundedDouble(-3, 3), { numRuns: DRAWS, seed });
    // the uniform branch: k uniform on [−2⁵², 2⁵²], x = 3k/2⁵²: each third has mass ≥ ⅓ − 2⁻⁵¹
    for (const [lo, hi] of [[-3, -1], [-1, 1], [1, 3]] as const) {
      expect(share(xs, (x) => x >= lo && x <= hi)).toBeGreaterThanOrEqual(UNIFORM_SHARE / 3 - 2 ** -51 - HOEFFDING);
    }
    expect(share(xs, (x) => x > 1)).toBeGreaterThan(0); // not only tiny values (fc.double: median ≈ 1e-160)
  });
  it('logUniformDouble on [1e-3, 1e3]: each of the six decades gets ≥ ¾ · ⅙ − Hoeffding', () => {
    const xs = fc.sample(logUniformDouble(1e-3, 1e3), { numRuns: DRAWS, seed });
    // ln x = boundedDouble(ln 1e-3, ln 1e3): its uniform branch gives each decade ≥ ⅙ of its mass
    // (up to the exp/log rounding at the decade edges, ≤ 1e-15 in share)
    for (let e = -3; e < 3; e++) expect(share(xs, (x) => x >= 10 ** e && x <= 10 ** (e + 1))).toBeGreaterThanOrEqual(UNIFORM_SHARE / 6 - 1e-15 - HOEFFDING);
  });
});

describe('generated doubles shrink to the boundary of a failure', () => {
  it('boundedDouble(0, 1) with "x < ½" failing: the counterexample is ½ (to 1e-9)', () => {
    const out = fc.check(fc.property(boundedDouble(0, 1), (x) => x < 0.5));
    expect(out.failed).toBe(true);
    const x = out.counterexample![0];
    expect(x).toBeGreaterThanOrEqual(0.5);
    expect(x - 0.5).toBeLessThanOrEqual(1e-9);
  });
  it('boundedDouble(−3, 3) with "|x| < 1" failing: the counterexample is ±1 (to 1e-9)', () => {
    const out = fc.check(fc.property(boundedDouble(-3, 3), (x) => Math.abs(x) < 1));
    expect(out.failed).toBe(true);
    expect(Math.abs(out.counterexample![0]) - 1).toBeLessThanOrEqual(1e-9);
  });
});

describe('invalid ranges are refused with a RangeError naming the function and the range', () => {
  it.each([
    [Number.NaN, 1],
    [0, Number.NaN],
    [2, 1],
    [0, Number.POSITIVE_INFINITY],
    [Number.NEGATIVE_INFINITY, 0],
  ])('boundedDouble and representableDouble refuse [%s, %s]', (min, max) => {
    expect(() => boundedDouble(min, max)).toThrow(/^boundedDouble: need finite min ≤ max/);
    expect(() => representableDouble(min, max)).toThrow(RangeError);
  });
  it.each([
    [0, 1],
    [-1, 1],
    [2, 1],
    [1, Number.POSITIVE_INFINITY],
    [Number.NaN, 1],
  ])('logUniformDouble refuses [%s, %s]', (min, max) => {
    expect(() => logUniformDouble(min, max)).toThrow(/^logUniformDouble: need 0 < min ≤ max < ∞/);
  });
});
