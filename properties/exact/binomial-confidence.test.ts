/**
 * The campaign's Clopper–Pearson bound (src/statistics/binomial-confidence.ts) against an
 * independent oracle written here: Σ_j C(n, j) p^j (1−p)^{n−j} with the binomial coefficient exact in
 * BigInt, and the closed form 1 − γ^{1/n} for k = 0. (simple-statistics' `binomialDistribution` is
 * not usable as the oracle: it stops its table once the cumulative mass is within 1e-4 of 1 and uses
 * an approximate log-gamma, measured 2e-5 off here.)
 *
 * Tolerances. CDF: both routes sum ≤ n + 1 ≤ 61 positive terms each carrying a relative rounding
 * error ≤ (n + 5)·u (ratio recursion, or C rounded once + two pow calls of ≤ 1 ulp each + two
 * products), so |Δ| ≤ 2 (n + 5)(n + 1) u · max(CDF, 1) ≤ 1e-12 for n ≤ 60 (u = 2^-53):
 * CDF_TOL = 1e-12 absolute.
 * Bound: bisection stops at width 1e-12, so p_u is within 1e-12 of the root; at p_u the oracle CDF
 * must equal γ to within the CDF slope times that width (slope ≤ n·C(n−1, k)… ≤ 1e18 is far too loose
 * to use), so the check is the defining inequality instead: CDF(p_u − 1e-9) > γ ≥ CDF(p_u + 1e-9)
 * (strict monotonicity in p), evaluated with the oracle.
 */
import { describe, expect } from 'vitest';
import { test } from '../support/prop.ts';
import fc from 'fast-check';
import { boundedDouble } from '../support/arbitraries.ts';
import { binomialCdf, binomialUpperBound } from '../../src/statistics/binomial-confidence.ts';

const CDF_TOL = 1e-12;
const BRACKET = 1e-9;

function choose(n: number, j: number): number {
  let c = 1n;
  for (let i = 0; i < j; i++) c = (c * BigInt(n - i)) / BigInt(i + 1);
  return Number(c);
}

function oracleCdf(k: number, n: number, p: number): number {
  let s = 0;
  for (let j = 0; j <= k; j++) s += choose(n, j) * p ** j * (1 - p) ** (n - j);
  return s;
}

const caseArb = fc
  .integer({ min: 1, max: 60 })
  .chain((n) => fc.record({ n: fc.constant(n), k: fc.integer({ min: 0, max: n - 1 }), p: boundedDouble(0.01, 0.99) }));

describe('campaign statistics: exact binomial CDF and Clopper–Pearson upper bound', () => {
  test.prop([caseArb])('binomialCdf equals the exact BigInt binomial sum', ({ n, k, p }) => {
    expect(Math.abs(binomialCdf(k, n, p) - oracleCdf(k, n, p))).toBeLessThanOrEqual(CDF_TOL);
  });

  test.prop([caseArb, boundedDouble(0.01, 0.2)])('the upper bound is the root of CDF(k; n, p) = γ', ({ n, k }, gamma) => {
    const pu = binomialUpperBound(k, n, gamma);
    if (k === 0) expect(Math.abs(pu - (1 - gamma ** (1 / n)))).toBeLessThanOrEqual(CDF_TOL);
    if (pu - BRACKET > 0) expect(oracleCdf(k, n, pu - BRACKET)).toBeGreaterThan(gamma);
    if (pu + BRACKET < 1) expect(oracleCdf(k, n, pu + BRACKET)).toBeLessThanOrEqual(gamma);
  });

  test.prop([fc.integer({ min: 1, max: 5000 })])('zero events in n runs: the rule of three, 1 − 0.05^{1/n} ≤ 3/n', (n) => {
    expect(binomialUpperBound(0, n, 0.05)).toBeLessThanOrEqual(3 / n);
  });
});
