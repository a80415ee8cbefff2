/**
 * Edges and argument checks of the campaign's Clopper–Pearson bound (src/statistics/
 * binomial-confidence.ts), complementing properties/exact/binomial-confidence.test.ts (issue 11,
 * mutation item). Oracles written here: exact rational CDF values (Σ_j C(n, j) p^j (1 − p)^{n−j}
 * summed by hand / Python fractions), the closed form 1 − γ^{1/n} for k = 0, the definitions
 * P(Bin(n, p) ≤ k) = 1 at p ≤ 0 and = [k ≥ n] at p ≥ 1, and p_u = 1 at k = n.
 *
 * Tolerances. CDF_TOL: ≤ 5 positive terms, each through ≤ 10 roundings and libm calls (log, log1p,
 * exp ≤ 1 ulp) with the log-space recursion amplifying a relative error ε of a log term of size ≤ 20
 * into 20 ε: |Δ| ≤ 5 · 20 · 10 · 2u · max(CDF) < 3e-13 → 3e-13 absolute. K0_TOL: the module's
 * −expm1(ln γ / n) has ≤ 3 roundings (log, division, expm1: ≤ 4u relative) and the oracle
 * 1 − γ^{1/n} has pow (≤ 1 ulp ≤ 2u · 1) and an exact subtraction (Sterbenz), so |Δ| ≤ 4u p + 2u ≤ 1e-15;
 * bisection alone would land on a multiple of 2⁻⁴⁰ ≈ 9e-13 (its stopping width), far outside.
 */
import { describe, expect, it } from 'vitest';
import { binomialCdf, binomialUpperBound } from '../../src/statistics/binomial-confidence.ts';

const U = 2 ** -53;
const CDF_TOL = 3e-13;
const K0_TOL = 1e-15;

describe('campaign statistics: binomial CDF edges and exact values', () => {
  it('exact rational values: P(Bin(4, ¼) ≤ 2) = 243/256, P(Bin(3, ½) ≤ 1) = ½, P(Bin(10, ¼) ≤ 3) = 203391/262144', () => {
    expect(Math.abs(binomialCdf(2, 4, 0.25) - 243 / 256)).toBeLessThanOrEqual(CDF_TOL);
    expect(Math.abs(binomialCdf(1, 3, 0.5) - 0.5)).toBeLessThanOrEqual(CDF_TOL);
    expect(Math.abs(binomialCdf(3, 10, 0.25) - 203391 / 262144)).toBeLessThanOrEqual(CDF_TOL);
    expect(Math.abs(binomialCdf(0, 5, 0.5) - 1 / 32)).toBeLessThanOrEqual(CDF_TOL);
    // k = n sums every term: 1 (capped at 1 against rounding above it)
    expect(binomialCdf(6, 6, 0.3)).toBeLessThanOrEqual(1);
    expect(Math.abs(binomialCdf(6, 6, 0.3) - 1)).toBeLessThanOrEqual(CDF_TOL);
  });
  it('p ≤ 0: all mass at 0, CDF 1; p ≥ 1: all mass at n, CDF [k ≥ n]', () => {
    expect(binomialCdf(0, 5, 0)).toBe(1);
    expect(binomialCdf(2, 5, -0.25)).toBe(1);
    expect(binomialCdf(0, 5, 1)).toBe(0);
    expect(binomialCdf(3, 5, 1)).toBe(0);
    expect(binomialCdf(4, 5, 1.5)).toBe(0);
    expect(binomialCdf(5, 5, 1)).toBe(1);
  });
});

describe('campaign statistics: Clopper–Pearson upper bound edges', () => {
  it('k = 0 is the closed form 1 − γ^{1/n} (γ = 0.05 by default)', () => {
    expect(Math.abs(binomialUpperBound(0, 10) - (1 - 0.05 ** (1 / 10)))).toBeLessThanOrEqual(K0_TOL);
    expect(Math.abs(binomialUpperBound(0, 10, 0.05) - 0.2588655508930523)).toBeLessThanOrEqual(K0_TOL);
    expect(Math.abs(binomialUpperBound(0, 1, 0.01) - 0.99)).toBeLessThanOrEqual(K0_TOL);
    expect(Math.abs(binomialUpperBound(0, 1000, 0.2) - (1 - 0.2 ** (1 / 1000)))).toBeLessThanOrEqual(K0_TOL);
  });
  it('k = n gives 1', () => {
    expect(binomialUpperBound(1, 1)).toBe(1);
    expect(binomialUpperBound(7, 7, 0.5)).toBe(1);
    // P(Bin(n, p) ≤ n) = 1 > γ for every p and γ < 1, also γ = 1 − 2⁻⁵³ where the rounded CDF sum
    // (≈ 1 − 2e-16 for some p) would steer a bisection below 1
    expect(binomialUpperBound(7, 7, 1 - 2 ** -53)).toBe(1);
    expect(binomialUpperBound(1, 1, 1 - 2 ** -53)).toBe(1);
  });
  it('1 ≤ k < n: the bisection root of P(Bin(n, p) ≤ k) = γ, with exact CDF values bracketing it', () => {
    // n = 4, k = 2: P(Bin(4, ¼) ≤ 2) = 243/256 ≈ 0.949 > 0.05 and P(Bin(4, 0.9) ≤ 2) = 1 − 0.9⁴ − 4·0.9³·0.1 = 0.0523 > 0.05
    // and P(Bin(4, 0.91) ≤ 2) = 1 − 0.91⁴ − 4·0.91³·0.09 = 0.0463 < 0.05, so 0.9 < p_u < 0.91
    const pu = binomialUpperBound(2, 4);
    expect(pu).toBeGreaterThan(0.9);
    expect(pu).toBeLessThan(0.91);
    // the root to the bisection width 1e-12: CDF at p_u ± 1e-9 brackets γ. |CDF(p_u) − γ|: p_u is
    // within 1e-12 (width) + 3e-13/0.97 (the module's CDF error CDF_TOL over the slope 12p²(1−p) ≥ 0.97
    // on [0.9, 0.91]) of the root, times the slope ≤ 1.0 there, plus the oracle's ≤ 8 roundings:
    // ≤ 1.4e-12 + 8u ≤ 8e-12 + 8u
    const oracle = (p: number): number => 1 - p ** 4 - 4 * p ** 3 * (1 - p);
    expect(oracle(pu - 1e-9)).toBeGreaterThan(0.05);
    expect(oracle(pu + 1e-9)).toBeLessThan(0.05);
    expect(Math.abs(oracle(pu) - 0.05)).toBeLessThanOrEqual(4 * 2e-12 + 8 * U);
  });
  it('argument checks name the offending value', () => {
    expect(() => binomialUpperBound(0, 0)).toThrow('binomialUpperBound: n must be a positive integer, got 0');
    expect(() => binomialUpperBound(0, 2.5)).toThrow('binomialUpperBound: n must be a positive integer, got 2.5');
    expect(() => binomialUpperBound(0, -3)).toThrow('got -3');
    expect(() => binomialUpperBound(-1, 5)).toThrow('binomialUpperBound: k must be an integer in 0..5, got -1');
    expect(() => binomialUpperBound(6, 5)).toThrow('binomialUpperBound: k must be an integer in 0..5, got 6');
    expect(() => binomialUpperBound(0.5, 5)).toThrow('k must be an integer in 0..5, got 0.5');
    for (const g of [0, 1, -0.1, NaN]) expect(() => binomialUpperBound(1, 5, g)).toThrow(`binomialUpperBound: γ must be in (0, 1), got ${g}`);
    // k = 0: the bound is 1 − (1 − γ)^{1/n} = 0.5 here; a few correctly rounded operations (a power
    // and a subtraction, ≤ 1 ulp each in [0, 1]): |computed − 0.5| ≤ 4u (u = 2^-53; absolute)
    expect(Math.abs(binomialUpperBound(0, 1, 0.5) - 0.5)).toBeLessThanOrEqual(4 * 2 ** -53);
  });
});
