/**
 * The shared test support has teeth: the contract checkers of properties/support/contracts.ts fail
 * on deliberately broken runs (a seed ignored, a hidden counter, an order-dependent block loop, a
 * shifted sample), and the arbitraries of properties/support/arbitraries.ts build valid values
 * (SPD matrices with every eigenvalue ≥ c, normalised mixture weights, OU windows of the stated
 * length). Exact checks, no δ: the KS cases use deterministic samples (the exact quantiles of the
 * law), whose Kolmogorov distance is known in closed form.
 */
import { describe, expect, it } from 'vitest';
import { fc, test } from '../support/prop.ts';
import { isPositiveDefinite } from '../../src/linalg/dense.ts';
import { rngForCase } from '../../src/random/rng.ts';
import { caseSeed, gaussianMixtureArb, ouTimesArb, spdMatrixArb } from '../support/arbitraries.ts';
import { expectBlockSplitInvariant, expectDeterministicGivenSeed, expectKsAgainstLaw, expectSameBits, firstBitDifference } from '../support/contracts.ts';

/**
 * Rounding of L Lᵀ + cI for |L_ij| ≤ 1, d ≤ 4: each entry within γ_{d+1}(d + c) ≤ 6u·5, so the
 * computed matrix is within 4·30u < 1e-13 (spectral norm ≤ Frobenius) of the exact one, whose
 * eigenvalues are ≥ c; taken as 1e-12 (Cholesky's own backward error is far below it at d ≤ 4).
 */
const EIGEN_ROUNDING = 1e-12;
/** Σ of K ≤ 5 normalised weights: γ_5 relative, taken as 1e-15. */
const WEIGHT_SUM_ROUNDING = 1e-15;

describe('contracts: same bits', () => {
  it('−0 and +0 differ, equal arrays agree, lengths are compared', () => {
    expect(firstBitDifference(Float64Array.of(1, 0), Float64Array.of(1, -0))).toBe(1);
    expect(firstBitDifference(Float64Array.of(1, NaN), Float64Array.of(1, NaN))).toBe(-1);
    expect(firstBitDifference(Float64Array.of(1), Float64Array.of(1, 2))).toBe(-2);
    expect(() => expectSameBits(Float64Array.of(1, 2), Float64Array.of(1, 2 + 2 ** -51))).toThrow(/coordinate 1/);
  });
});

describe('contracts: deterministic given a seed', () => {
  const good = (seed: number) => rngForCase(seed, 'support').normals(8);
  test.prop([caseSeed()], { numRuns: 5 })('a seeded run passes; a run ignoring its seed or keeping hidden state fails', (seed) => {
    expectDeterministicGivenSeed(good, seed);
    expect(() => expectDeterministicGivenSeed(() => rngForCase(1, 'fixed').normals(8), seed)).toThrow(/identical output/);
    let calls = 0;
    expect(() => expectDeterministicGivenSeed((s) => rngForCase(s, 'support', calls++).normals(8), seed)).toThrow(/same seed/);
  });
});

describe('contracts: block-split invariance', () => {
  /** Adds noise to each particle of a block: from a per-block stream (invariant) or one shared stream (order-dependent). */
  const run = (perBlock: boolean, blockSize: number, total: number) => (x: Float64Array, blocks?: { from: number; to: number }) => {
    const shared = rngForCase(7, 'shared');
    for (let b = blocks?.from ?? 0; b < (blocks?.to ?? total); b++) {
      const noise = perBlock ? rngForCase(7, 'block', b) : shared;
      for (let i = b * blockSize; i < Math.min(x.length, (b + 1) * blockSize); i++) x[i]! += noise.normals(1)[0]!;
    }
  };
  test.prop([fc.integer({ min: 2, max: 9 }), fc.integer({ min: 1, max: 5 })], { numRuns: 10 })('per-block noise passes, a shared stream fails', (total, blockSize) => {
    const start = new Float64Array(total * blockSize);
    const cut = Math.floor(total / 2);
    expectBlockSplitInvariant(start, total, cut, run(true, blockSize, total));
    expect(() => expectBlockSplitInvariant(start, total, cut, run(false, blockSize, total))).toThrow(/blocks/);
  });
});

describe('contracts: KS against a law', () => {
  const uniformCdf = (x: number) => Math.min(Math.max(x, 0), 1);
  it('the exact quantiles (i + ½)/n pass (D = 1/(2n)); shifted by 3 DKW radii they fail', () => {
    const n = 2000;
    const q = Float64Array.from({ length: n }, (_, i) => (i + 0.5) / n);
    const ok = expectKsAgainstLaw(q, uniformCdf, 1e-10);
    // D = max_i |(i + ½)/n − i/n|, each term a difference of two correctly rounded quotients ≤ 1:
    // |D − 1/(2n)| ≤ 3u (u = 2^-53; absolute, as the quotients are ≤ 1)
    expect(Math.abs(ok.distance - 1 / (2 * n))).toBeLessThanOrEqual(3 * 2 ** -53);
    const shift = 3 * Math.sqrt(Math.log(2 / 1e-10) / (2 * n));
    expect(() => expectKsAgainstLaw(q.map((v) => Math.min(1, v + shift)), uniformCdf, 1e-10)).toThrow(/Kolmogorov distance/);
    // the same shift is accepted when it is declared as a deterministic allowance
    expectKsAgainstLaw(q.map((v) => Math.min(1, v + shift)), uniformCdf, 1e-10, shift + 1 / (2 * n));
  });
});

describe('arbitraries build valid values (no filtering)', () => {
  test.prop([fc.integer({ min: 1, max: 4 }).chain((d) => fc.tuple(fc.constant(d), spdMatrixArb(d, 1, { min: 0.05, max: 1 })))], { numRuns: 50 })('L Lᵀ + cI is symmetric with every eigenvalue ≥ c_min (Σ − (c_min − rounding) I is positive definite)', ([d, s]) => {
    for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) expect(s[i * d + j]).toBe(s[j * d + i]);
    const shifted = Float64Array.from(s, (v, k) => v - (k % (d + 1) === 0 ? 0.05 - EIGEN_ROUNDING : 0));
    expect(isPositiveDefinite(shifted, d)).toBe(true);
  });

  test.prop([gaussianMixtureArb({ dims: { min: 1, max: 3 }, components: { min: 1, max: 5 }, kinds: ['isotropic', 'diagonal', 'full'], mean: 3, variance: { min: 0.05, max: 2 }, factor: 1, jitter: { min: 0.05, max: 1 }, weight: { min: 0.05, max: 1 } })], { numRuns: 50 })(
    'mixtures: d and K in range, weights positive and summing to 1',
    (q) => {
      expect(q.dim).toBeGreaterThanOrEqual(1);
      expect(q.dim).toBeLessThanOrEqual(3);
      expect(q.components.length).toBeLessThanOrEqual(5);
      expect(Math.abs(q.weights.reduce((a, b) => a + b, 0) - 1)).toBeLessThanOrEqual(WEIGHT_SUM_ROUNDING);
      for (const w of q.weights) expect(w).toBeGreaterThan(0);
      for (const c of q.components) expect(c.dim).toBe(q.dim);
    },
  );

  test.prop([ouTimesArb({ min: 0.001, max: 0.999 }, 0.05, 6)], { numRuns: 50 })('OU times: T − t0 ∈ [minWindow, tMax − t0] up to one rounding', ({ t0, T }) => {
    // T = t0 + w + u(tMax − t0 − w): each of the 4 operations rounds by ≤ u·6
    expect(T - t0).toBeGreaterThanOrEqual(0.05 - 4 * 6 * Number.EPSILON);
    expect(T).toBeLessThanOrEqual(6 + 4 * 6 * Number.EPSILON);
  });

  it('throws for a jitter that is not positive (SPD would not be guaranteed)', () => {
    expect(() => spdMatrixArb(2, 1, { min: 0, max: 1 })).toThrow(/must be > 0/);
  });
});
