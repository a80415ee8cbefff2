/**
 * The sample statistics behind every Monte Carlo bound (`sampleStats` in src/statistics/bounds.ts:
 * mean, unbiased variance, min, max) against an independent implementation: simple-statistics'
 * `mean`, `sampleVariance`, `min`, `max` (its own summation code; the reason the package is a
 * dependency). Inputs span 12 orders of magnitude and include cancellation (a large common offset).
 *
 * Tolerances (u = 2^-53, n ≤ 200 terms, S = Σ|x_i|, M = max|x_i|):
 * - mean: both are a recursive sum divided by n: |Δ| ≤ 2 (γ_n S/n + u M) + an absolute UNDERFLOW_UNIT;
 * - variance: two-pass Σ(x_i − x̄)²/(n − 1) in both (ours adds the compensation term Σ(x_i − x̄),
 *   whose square over n is ≤ γ_n² S²/n); each pass adds γ_{n+3} relative to Σ(x_i − x̄)² plus the
 *   mean's error propagated: 2|Δx̄| Σ|x_i − x̄| + n Δx̄². So |Δvar| ≤ [2γ_{n+3} Σd² + 4 e_x̄ Σ|d| +
 *   2n e_x̄² + γ_n² S²/n] / (n − 1) with e_x̄ the mean bound above;
 * - min and max: exact (no arithmetic).
 */
import { describe, expect } from 'vitest';
import { test, fc } from '../support/prop.ts';
import { boundedDouble } from '../support/arbitraries.ts';
import { max as ssMax, mean as ssMean, min as ssMin, sampleVariance } from 'simple-statistics';
import { sampleStats } from '../../src/statistics/bounds.ts';
import { gamma, UNDERFLOW_UNIT, UNIT_ROUNDOFF } from '../../src/numerics/rounding.ts';

const sampleArb = fc.record({
  scale: fc.integer({ min: -6, max: 6 }).map((e) => 10 ** e),
  offset: fc.oneof(fc.constant(0), boundedDouble(-1e6, 1e6)),
  xs: fc.array(boundedDouble(-1, 1), { minLength: 2, maxLength: 200 }),
});

describe('sampleStats (the input of every Monte Carlo bound) against simple-statistics', () => {
  test.prop([sampleArb])('mean, unbiased variance, min, max agree to derived rounding', ({ scale, offset, xs }) => {
    const x = xs.map((v) => offset + scale * v);
    const n = x.length;
    const st = sampleStats(Float64Array.from(x));
    const S = x.reduce((a, v) => a + Math.abs(v), 0);
    const M = Math.max(...x.map(Math.abs));
    const eMean = 2 * (gamma(n) * (S / n) + UNIT_ROUNDOFF * M) + UNDERFLOW_UNIT;
    expect(Math.abs(st.mean - ssMean(x))).toBeLessThanOrEqual(eMean);
    const m = ssMean(x);
    const d = x.map((v) => v - m);
    const sd2 = d.reduce((a, v) => a + v * v, 0);
    const sd1 = d.reduce((a, v) => a + Math.abs(v), 0);
    const eVar = (2 * gamma(n + 3) * sd2 + 4 * eMean * sd1 + 2 * n * eMean * eMean + (gamma(n) ** 2 * S * S) / n) / (n - 1) + UNDERFLOW_UNIT;
    expect(Math.abs(st.variance - sampleVariance(x))).toBeLessThanOrEqual(eVar);
    expect(st.min).toBe(ssMin(x));
    expect(st.max).toBe(ssMax(x));
  });
});
