/**
 * Shared arbitraries and helpers of the P2 property files (docs/theory.md §4, claims P2-1..P2-5).
 * Arbitraries build valid values directly (no filtering).
 */
import fc from 'fast-check'; // not @fast-check/vitest: its import costs ≈ 2 s per test file (only test.prop needs it)
import { boundedDouble } from '../support/arbitraries.ts';
import type { GaussianMixture } from '../../src/distributions/gaussian-mixture.ts';
import { gmm1d } from '../../src/divergences/gaussian-mixture-1d.ts';

/** Fresh-data fraction α in [lo, hi], spread over the values of the range (`boundedDouble`). */
export const alphaArb = (lo = 0.05, hi = 0.95) => boundedDouble(lo, hi);

/** Truncation time t0 in [lo, hi], spread over the values of the range (`boundedDouble`). */
export const t0Arb = (lo = 0.05, hi = 1) => boundedDouble(lo, hi);

/**
 * 1-D GMM with 1..maxK components: means in [−3, 3], variances in [vMin, vMax] (both `boundedDouble`:
 * spread in value, so most means are not ≈ 0), weights from integers 1..10 normalised (so no component
 * is negligible).
 */
export function gmm1dArb(maxK = 3, vMin = 0.05, vMax = 2): fc.Arbitrary<GaussianMixture> {
  return fc
    .array(
      fc.tuple(fc.integer({ min: 1, max: 10 }), boundedDouble(-3, 3), boundedDouble(vMin, vMax)),
      { minLength: 1, maxLength: maxK },
    )
    .map((parts) => {
      const total = parts.reduce((s, p) => s + p[0], 0);
      return gmm1d(parts.map(([w, m, v]) => [w / total, m, v] as const));
    });
}

/** Plain-number description of a 1-D GMM for ledger inputs / notes. */
export function describeGmm1d(p: GaussianMixture): number[][] {
  return p.components.map((c, k) => [p.weights[k]!, c.mean[0]!, c.cov[0]!]);
}

/** Replace non-finite numbers by null (ledger series are numbers or null). */
export function finiteOrNull(v: number): number | null {
  return Number.isFinite(v) ? v : null;
}
