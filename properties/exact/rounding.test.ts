/**
 * Floating-point error bounds (src/numerics/rounding.ts) against their definitions written here
 * (issue 11, mutation item):
 *
 * - the constants by IEEE-754 binary64 facts: u = 2⁻⁵³ = ε/2 (1 + u rounds to 1 by ties-to-even,
 *   1 + 2u does not), the smallest subnormal 2⁻¹⁰⁷⁴ = Number.MIN_VALUE (half of it rounds to 0), one
 *   libm ulp relative = 2u = ε;
 * - γ_n = n u / (1 − n u) = n / (2⁵³ − n): both forms are one correctly rounded division of the same
 *   exact numbers (n u and 1 − n u are exact for integer n < 2⁵³), so they agree bit for bit;
 * - each bound's closed form at inputs where every term is far above rounding (n = 1000: γ ≈ 1.1e-13,
 *   so a change of a term by γ or by 2u shows at 1e-3 relative), and its absolute underflow term in
 *   isolation (the other terms 0), which is exact;
 * - soundness of the summation and dot-product bounds on random data against the exact result
 *   (BigInt arithmetic on the binary64 bits). Those two properties only show "no violation found".
 */
import { describe, expect, it } from 'vitest';
import { fc, test } from '../support/prop.ts';
import { boundedDouble } from '../support/arbitraries.ts';
import {
  dotRoundingBound,
  gamma,
  LIBM_RELATIVE,
  LIBM_ULPS,
  normPerturbationBound,
  ONE_ROUNDING_UP,
  quadratureRoundingBound,
  sumRoundingBound,
  UNDERFLOW_UNIT,
  UNIT_ROUNDOFF,
} from '../../src/numerics/rounding.ts';

const EPS = Number.EPSILON; // 2⁻⁵², the spacing of binary64 at 1
const MIN = Number.MIN_VALUE; // 2⁻¹⁰⁷⁴
/** γ_n written here as n / (2⁵³ − n). */
const gammaRef = (n: number): number => n / (2 ** 53 - n);
/**
 * Value checks of products and sums of ≤ 4 operations against the closed form evaluated in another
 * order: each side ≤ 4 roundings (relative ≤ 4u each, no cancellation: all terms ≥ 0), so ≤ 8u = 4ε
 * relative.
 */
const REL = 4 * EPS;
const expectClose = (actual: number, expected: number): void => {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(REL * Math.abs(expected));
};

describe('binary64 constants', () => {
  it('u = 2⁻⁵³ = ε/2: 1 + u rounds to 1, 1 + 2u does not', () => {
    expect(UNIT_ROUNDOFF).toBe(EPS / 2);
    expect(1 + UNIT_ROUNDOFF).toBe(1);
    expect(1 + 2 * UNIT_ROUNDOFF).toBeGreaterThan(1);
  });
  it('ONE_ROUNDING_UP is the double above 1 (1 + ε), so x·ONE_ROUNDING_UP > x for every normal x > 0', () => {
    expect(ONE_ROUNDING_UP).toBe(1 + EPS);
    for (const x of [1, 1.5, 2 - EPS, 3e-300, 1e300]) expect(x * ONE_ROUNDING_UP).toBeGreaterThan(x);
  });
  it('underflow unit = smallest subnormal 2⁻¹⁰⁷⁴; libm: 1 ulp = 2u relative', () => {
    expect(UNDERFLOW_UNIT).toBe(MIN);
    expect(UNDERFLOW_UNIT / 2).toBe(0);
    expect(LIBM_ULPS).toBe(1);
    expect(LIBM_RELATIVE).toBe(EPS);
  });
});

describe('γ_n = n u / (1 − n u) (Higham Lemma 3.1)', () => {
  it('γ_0 = 0; γ_1 = 1/(2⁵³ − 1); γ_n = n/(2⁵³ − n) bit for bit for n up to 10⁹', () => {
    expect(gamma(0)).toBe(0);
    expect(gamma(1)).toBe(1 / (2 ** 53 - 1));
    for (const n of [2, 3, 7, 16, 100, 1000, 123457, 1e6, 1e9]) expect(gamma(n)).toBe(gammaRef(n));
  });
  test.prop([fc.integer({ min: 0, max: 2 ** 40 })])('any integer n ≤ 2⁴⁰: bit for bit, and n u < γ_n ≤ n u (1 + 2 n u) for n ≥ 1', (n) => {
    expect(gamma(n)).toBe(gammaRef(n));
    if (n >= 1) {
      expect(gamma(n)).toBeGreaterThan(n * UNIT_ROUNDOFF);
      expect(gamma(n)).toBeLessThanOrEqual(n * UNIT_ROUNDOFF * (1 + 2 * n * UNIT_ROUNDOFF) * (1 + EPS));
    }
  });
});

describe('bound formulas, closed forms written here', () => {
  it('sum of n terms: γ_{n−1} Σ|x_i|, and 0 for n ≤ 1', () => {
    expect(sumRoundingBound(0, 5)).toBe(0);
    expect(sumRoundingBound(1, 5)).toBe(0);
    // one term is summed without rounding whatever its size: 0 even for an infinite Σ|x| (γ_0 · ∞ would be NaN)
    expect(sumRoundingBound(1, Infinity)).toBe(0);
    expectClose(sumRoundingBound(2, 3), 3 / (2 ** 53 - 1));
    expectClose(sumRoundingBound(1001, 2.5), 2.5 * gammaRef(1000));
  });
  it('dot product of n products: γ_n Σ|a_i b_i| + n · 2⁻¹⁰⁷⁴', () => {
    expect(dotRoundingBound(3, 0)).toBe(3 * MIN);
    expect(dotRoundingBound(1000, 0)).toBe(1000 * MIN);
    expectClose(dotRoundingBound(1000, 1024), 1024 * gammaRef(1000));
    expectClose(dotRoundingBound(1, 1), gammaRef(1));
  });
  it('quadrature: c (E (1 + γ_{n+1}) + γ_{n+1} A) + (n + 1) · 2⁻¹⁰⁷⁴', () => {
    // underflow term alone (c = 0): exact
    expect(quadratureRoundingBound(1000, 0, 5, 7)).toBe(1001 * MIN);
    expect(quadratureRoundingBound(0, 0, 1, 1)).toBe(MIN);
    const g = gammaRef(1001);
    // node errors alone: c E (1 + γ) = 2 + 2γ; (1 − γ) instead would be off by 4γ ≈ 4.4e-13 ≫ 4ε · 2
    expectClose(quadratureRoundingBound(1000, 0.5, 4, 0), 2 + 2 * g);
    // values alone: c γ A (γ_{999} or γ_{1000} instead of γ_{1001} would be off by ≥ 1e-3 relative)
    expectClose(quadratureRoundingBound(1000, 0.5, 0, 8), 4 * g);
    // both, and the step factor multiplies both: 3 (1 (1 + γ) + 2 γ) = 3 + 9γ
    expectClose(quadratureRoundingBound(1000, 3, 1, 2), 3 + 9 * g);
  });
  it('weighted norm perturbation: √(Σ ω e²) (1 + γ_2)', () => {
    expectClose(normPerturbationBound(4), 2 * (1 + gammaRef(2)));
    // the factor (1 + γ₂) rounds to 1 + ε: strictly above √w (a factor 1 − γ₂ or none would not be)
    expect(normPerturbationBound(4)).toBe(2 + 2 * EPS);
    expectClose(normPerturbationBound(2.25e-20), 1.5e-10 * (1 + gammaRef(2)));
    expect(normPerturbationBound(0)).toBe(0);
  });
});

/** A binary64 as exact BigInt numerator over 2¹⁰⁷⁴. */
function exactScaled(x: number): bigint {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  const sign = bits >> 63n ? -1n : 1n;
  const exp = Number((bits >> 52n) & 0x7ffn);
  const frac = bits & ((1n << 52n) - 1n);
  const mant = exp === 0 ? frac : frac | (1n << 52n);
  return sign * (mant << BigInt(Math.max(exp - 1, 0)));
}
/** |a − b| for BigInt numerators over 2¹⁰⁷⁴, compared with a binary64 bound exactly. */
function withinScaled(diff: bigint, bound: number): boolean {
  const d = diff < 0n ? -diff : diff;
  return d <= exactScaled(bound);
}

describe('soundness of the bounds on random data (exact BigInt reference; no violation found)', () => {
  // value-spread terms (boundedDouble): ¾ of the terms of similar magnitude, where rounding errors accumulate towards
  // the bound, ¼ fast-check's representable doubles (tiny, subnormal, ±1e6), so an array mixes magnitudes; with
  // fast-check's double alone almost every term is tiny and one large term dominates each sum (a weak test of the bound)
  const term = boundedDouble(-1e6, 1e6);
  test.prop([fc.array(term, { minLength: 0, maxLength: 40 })])('recursive summation: |ŝ − Σx| ≤ γ_{n−1} Σ|x|', (xs) => {
    let s = 0;
    let exact = 0n;
    let sAbsExact = 0n;
    for (const x of xs) {
      s += x;
      exact += exactScaled(x);
      sAbsExact += exactScaled(Math.abs(x));
    }
    // the bound needs Σ|x| exactly; pass the largest double ≥ it (the rounded sum, nudged up by 2ε relative
    // if it fell below; the nudge is ≤ γ_{n−1} and weakens the check by that factor only)
    let sAbs = 0;
    for (const x of xs) sAbs += Math.abs(x);
    while (exactScaled(sAbs) < sAbsExact) sAbs = sAbs * (1 + EPS) + MIN;
    expect(withinScaled(exactScaled(s) - exact, sumRoundingBound(xs.length, sAbs))).toBe(true);
  });
  test.prop([fc.array(fc.tuple(term, term), { minLength: 1, maxLength: 20 })])('dot product: |ŝ − Σ a b| ≤ γ_n Σ|a b| + n 2⁻¹⁰⁷⁴', (pairs) => {
    let s = 0;
    let exact = 0n;
    let absExact = 0n;
    let absSum = 0;
    for (const [a, b] of pairs) {
      s += a * b;
      // exact product over 2²¹⁴⁸: rescale the reference by 2¹⁰⁷⁴ (compare everything over 2²¹⁴⁸)
      const p = exactScaled(a) * exactScaled(b);
      exact += p;
      absExact += p < 0n ? -p : p;
      absSum += Math.abs(a * b);
    }
    const scale = 1n << 1074n;
    while (exactScaled(absSum) * scale < absExact) absSum = absSum * (1 + EPS) + MIN;
    const err = exactScaled(s) * scale - exact;
    const bound = dotRoundingBound(pairs.length, absSum);
    expect((err < 0n ? -err : err) <= exactScaled(bound) * scale).toBe(true);
  });
});
