/**
 * Discounted memory of the P1 recursion (src/oracles/contribution-matrix.ts; P1-4.2, P1 Fig. 5)
 * against oracles written here:
 *
 * - D_N = χ²(p̂^N ‖ N(μ, σ²)) of the translation-error recursion from its closed form (the
 *   components unrolled by hand, as in translation-error-recursion.test.ts: the data component that
 *   entered at round j has weight α(1−α)^{N−1−j}, mean a^k μ + Σ_{l≥j} a^{N−l} b_l, variance
 *   a^{2k} σ² + 1 − a^{2k}, k = N − j, a = e^{−t0/2}; the start component weight (1−α)^N), and
 *   1 + χ² = Σ_{j,k} w_j w_k P_jk with the pair integral P by the PRODUCT route
 *   (N(m1, v1) N(m2, v2) = N(m1 − m2; 0, v1 + v2) N(mc, vc), then ∫ N(mc, vc)/N(μ, s) completed),
 *   not the module's information form.
 * - R[N][i] and C[N][i] as differences of those D's (shifts zeroed by hand).
 * - At t0 = 0 the single-error response in closed form (P1-F1): only b_i ≠ 0 gives
 *   p̂^{i+1} = N(μ + b_i, σ²), D_{i+1} = e^{b_i²/σ²} − 1, and D_{N+1} = (1−α)² D_N afterwards, so
 *   R[N][i] = (1−α)^{2(N−i−1)} (e^{b_i²/σ²} − 1), and its effective memory Σ_{k<H−i} r^k = (1 − r^{H−i})/(1 − r),
 *   r = (1−α)².
 * - tailDiscount and effectiveMemory on hand-written matrices with exact answers.
 */
import { describe, expect, it } from 'vitest';
import { fc, test } from '../support/prop.ts';
import { boundedDouble } from '../support/arbitraries.ts';
import { closedFormOutput, type Component } from '../support/translation-recursion-oracle.ts';
import { accumulatedDivergences, effectiveMemory, leaveOneOutContributions, singleErrorResponse, tailDiscount, type MemorySpec } from '../../src/oracles/contribution-matrix.ts';

const U = 2 ** -53;
const gamma = (n: number): number => (n * U) / (1 - n * U);

/**
 * Allowance of a computed D = χ²: both sides sum ≤ (H+1)² terms w_j w_k P_jk. The log of each term
 * is a sum of ≤ 8 parts (log-weights, the pair's ½ log(·), B²/(2A), C/2, …) computed with ≤ 40
 * roundings, amplified by the cancellation in A = 1/v1 + 1/v2 − 1/s: every component variance lies
 * between a^{2k} σ² + 1 − a^{2k} and σ², i.e. in [1, 2] for σ² ∈ [1, 2], so A ≥ ½ + ½ − 1/σ² ≥ ½·… and
 * κ = (1/v1 + 1/v2 + 1/s)/A ≤ 5; so |Δ log term| ≤ 40 (κ + 1) u (L + 1) per side, L = max over pairs of
 * |log w_j w_k| + the pair's sum of |parts|. exp turns that into a relative error of the term, the
 * sum of positive terms keeps it (plus γ_{K²} for the summation), and − 1 adds u(1 + D).
 * Charged per side: (1 + D) γ_{D_UNITS} (L + 1), D_UNITS = 512 ≥ 40 · 6 · 2.
 */
const D_UNITS = 512;


/** log ∫ N(m1, v1) N(m2, v2) / N(μ, s) by the product route, and the sum of |its terms|. */
function logPair(m1: number, v1: number, m2: number, v2: number, mu: number, s: number): { l: number; scale: number } {
  const vsum = v1 + v2;
  const vc = (v1 * v2) / vsum;
  const mc = (m1 * v2 + m2 * v1) / vsum;
  const A = 1 / vc - 1 / s;
  if (!(A > 0)) return { l: Infinity, scale: Infinity };
  const B = mc / vc - mu / s;
  const C = (mc * mc) / vc - (mu * mu) / s;
  const t = [-0.5 * Math.log(vsum), -((m1 - m2) * (m1 - m2)) / (2 * vsum), 0.5 * Math.log(s / (vc * A)), (0.5 * B * B) / A, -0.5 * (mc * mc) / vc, (0.5 * mu * mu) / s];
  return { l: t.reduce((x, y) => x + y, 0), scale: t.reduce((x, y) => x + Math.abs(y), 0) + (0.5 * B * B) / A };
}

/** χ²(Σ w N(m, v) ‖ N(μ, s)) and its allowance (D_UNITS). */
function chiSquareOracle(cs: readonly Component[], mu: number, s: number): { D: number; err: number } {
  let sum = 0;
  let L = 0;
  for (const a of cs)
    for (const b of cs) {
      const { l, scale } = logPair(a.m, a.v, b.m, b.v, mu, s);
      sum += a.w * b.w * Math.exp(l);
      L = Math.max(L, Math.abs(Math.log(a.w * b.w)) + scale);
    }
  const D = sum - 1;
  return { D, err: (1 + Math.abs(D)) * gamma(D_UNITS) * (L + 1) };
}

function oracleD(spec: MemorySpec, shifts: readonly number[], N: number) {
  return chiSquareOracle(closedFormOutput(spec.mean, spec.variance, spec.alpha, shifts, spec.t0, N), spec.mean, spec.variance);
}

const specArb = (t0: fc.Arbitrary<number>): fc.Arbitrary<MemorySpec> =>
  fc.record({
    mean: boundedDouble(-1, 1),
    variance: boundedDouble(1, 2),
    alpha: boundedDouble(0.05, 0.95),
    t0,
    shifts: fc.array(boundedDouble(-1, 1), { minLength: 1, maxLength: 5 }),
  });

const withZero = (shifts: readonly number[], keep: (l: number) => boolean) => shifts.map((b, l) => (keep(l) ? b : 0));

/**
 * The effective-memory check divides by R_first − tol_first; it runs only where R_first > 1e-3, so the
 * divisor stays away from 0 and the ratio's allowance stays meaningful; smaller first responses are
 * covered entry by entry above. A case filter, not a tolerance.
 */
const MEMORY_RATIO_FLOOR = 1e-3;

describe('accumulatedDivergences: D_0..D_H against the closed-form outputs', () => {
  test.prop([specArb(fc.oneof(fc.constant(0), boundedDouble(0.01, 0.5)))], { numRuns: 30 })('D_N = χ²(p̂^N ‖ p_data), also with the shifts overridden', (spec) => {
    const H = spec.shifts.length;
    const D = accumulatedDivergences(spec);
    expect(D).toBeInstanceOf(Float64Array);
    expect(D.length).toBe(H + 1);
    expect(Math.abs(D[0]!)).toBeLessThanOrEqual(4 * U);
    for (let N = 0; N <= H; N++) {
      const o = oracleD(spec, spec.shifts, N);
      expect(Math.abs(D[N]! - o.D)).toBeLessThanOrEqual(2 * o.err);
    }
    const other = spec.shifts.map((b, l) => (l % 2 === 0 ? -b : 0.5));
    const D2 = accumulatedDivergences(spec, other);
    for (let N = 0; N <= H; N++) {
      const o = oracleD(spec, other, N);
      expect(Math.abs(D2[N]! - o.D)).toBeLessThanOrEqual(2 * o.err);
    }
  });

  it('throws as translationErrorRecursion does', () => {
    expect(() => accumulatedDivergences({ mean: 0, variance: 1, alpha: 2, t0: 0, shifts: [1] })).toThrow('translationErrorRecursion: α = 2 not in [0, 1]');
    expect(() => singleErrorResponse({ mean: 0, variance: 1, alpha: 0.5, t0: -1, shifts: [1] })).toThrow('translationErrorRecursion: t0 of round 0 = -1');
    expect(() => leaveOneOutContributions({ mean: 0, variance: 0, alpha: 0.5, t0: 0, shifts: [1] })).toThrow('translationErrorRecursion: data N(0, 0) invalid');
  });
});

describe('single-error responses R and leave-one-out contributions C', () => {
  test.prop([specArb(boundedDouble(0.01, 0.5))], { numRuns: 20 })('R[N][i] = D_N(only b_i) − D_N(none), C[N][i] = D_N(all) − D_N(all but b_i); 0 for N ≤ i', (spec) => {
    const H = spec.shifts.length;
    const R = singleErrorResponse(spec);
    const C = leaveOneOutContributions(spec);
    for (const M of [R, C]) {
      expect(M.length).toBe(H + 1);
      for (const row of M) {
        expect(row).toBeInstanceOf(Float64Array);
        expect(row.length).toBe(H);
      }
    }
    for (let i = 0; i < H; i++)
      for (let N = 0; N <= H; N++) {
        if (N <= i) {
          expect(R[N]![i]).toBe(0);
          expect(C[N]![i]).toBe(0);
          continue;
        }
        const only = oracleD(spec, withZero(spec.shifts, (l) => l === i), N);
        const none = oracleD(spec, withZero(spec.shifts, () => false), N);
        expect(Math.abs(R[N]![i]! - (only.D - none.D))).toBeLessThanOrEqual(2 * (only.err + none.err));
        const all = oracleD(spec, spec.shifts, N);
        const without = oracleD(spec, withZero(spec.shifts, (l) => l !== i), N);
        expect(Math.abs(C[N]![i]! - (all.D - without.D))).toBeLessThanOrEqual(2 * (all.err + without.err));
      }
  });

  test.prop([specArb(fc.constant(0))], { numRuns: 20 })('t0 = 0: R[N][i] = (1−α)^{2(N−i−1)} (e^{b_i²/σ²} − 1) and effectiveMemory = (1 − r^{H−i})/(1 − r)', (spec) => {
    const H = spec.shifts.length;
    const R = singleErrorResponse(spec);
    const r = (1 - spec.alpha) ** 2;
    for (let i = 0; i < H; i++) {
      const first = Math.expm1((spec.shifts[i]! * spec.shifts[i]!) / spec.variance);
      const tol: number[] = [];
      for (let N = i + 1; N <= H; N++) {
        const only = oracleD(spec, withZero(spec.shifts, (l) => l === i), N);
        const none = oracleD(spec, withZero(spec.shifts, () => false), N);
        // both D's of the module and the closed form r^k (e^x − 1): ≤ 8 roundings relative
        tol.push(2 * (only.err + none.err) + gamma(8) * first);
        expect(Math.abs(R[N]![i]! - r ** (N - i - 1) * first)).toBeLessThanOrEqual(tol[tol.length - 1]!);
      }
      if (first > MEMORY_RATIO_FLOOR) {
        const mem = effectiveMemory(R, i);
        const want = (1 - r ** (H - i)) / (1 - r);
        // Σ R / R_first with every entry off by ≤ tol_N: |Δ| ≤ (Σ tol + want · tol_first) / (first − tol_first), plus the rounding of the ratio
        const tolMem = (tol.reduce((a, b) => a + b, 0) + want * tol[0]!) / (first - tol[0]!) + gamma(8) * want;
        expect(Math.abs(mem - want)).toBeLessThanOrEqual(tolMem);
      }
    }
  });

  it('only the requested columns are filled (the others stay exactly 0)', () => {
    const spec: MemorySpec = { mean: 0.5, variance: 1, alpha: 0.25, t0: 0.1, shifts: [0.5, -0.75, 1, 0.25] };
    const Rall = singleErrorResponse(spec);
    const Call = leaveOneOutContributions(spec);
    const R = singleErrorResponse(spec, [2]);
    const C = leaveOneOutContributions(spec, [0, 3]);
    for (let N = 0; N <= 4; N++)
      for (let i = 0; i < 4; i++) {
        expect(R[N]![i]).toBe(i === 2 ? Rall[N]![i] : 0);
        expect(C[N]![i]).toBe(i === 0 || i === 3 ? Call[N]![i] : 0);
      }
    // the filled entries are not trivially 0
    expect(R[4]![2]).toBeGreaterThan(0);
    expect(C[4]![0]).not.toBe(0);
    expect(C[4]![3]).toBeGreaterThan(0);
    expect(singleErrorResponse(spec, [])).toEqual(Array.from({ length: 5 }, () => new Float64Array(4)));
  });

  it('no shifts: one empty row', () => {
    const spec: MemorySpec = { mean: 0, variance: 1, alpha: 0.5, t0: 0, shifts: [] };
    expect(singleErrorResponse(spec)).toEqual([new Float64Array(0)]);
    expect(leaveOneOutContributions(spec)).toEqual([new Float64Array(0)]);
  });
});

describe('tailDiscount and effectiveMemory on hand-written matrices', () => {
  // rows N = 0..4, columns i = 0..2
  const M = [Float64Array.of(0, 0, 0), Float64Array.of(8, 0, 0), Float64Array.of(4, 3, 0), Float64Array.of(2, -1, 5), Float64Array.of(1, 2, 0)];

  it('tailDiscount = (M[H][i] / M[H−k][i])^{1/k}', () => {
    expect(tailDiscount(M, 0, 1)).toBe(0.5);
    expect(tailDiscount(M, 0, 2)).toBe(0.5);
    expect(Math.abs(tailDiscount(M, 0, 3) - 0.5)).toBeLessThanOrEqual(2 * U);
    expect(tailDiscount(M, 1, 2)).toBe(Math.sqrt(2 / 3));
    expect(tailDiscount([Float64Array.of(-4), Float64Array.of(-1)], 0, 1)).toBe(0.25);
  });

  it('tailDiscount throws when the tail changes sign or ends at 0', () => {
    expect(() => tailDiscount(M, 1, 1)).toThrow('tailDiscount: column 1 changes sign on its tail (-1 → 2)');
    expect(() => tailDiscount(M, 2, 1)).toThrow('tailDiscount: column 2 changes sign on its tail (5 → 0)');
    expect(() => tailDiscount(M, 2, 3)).toThrow('tailDiscount: column 2 changes sign on its tail (0 → 0)');
    // a tail that starts at 0 (it used to return +∞) and tiny values whose product underflows
    expect(() => tailDiscount([Float64Array.of(0), Float64Array.of(3)], 0, 1)).toThrow('tailDiscount: column 0 changes sign on its tail (0 → 3)');
    expect(tailDiscount([Float64Array.of(1e-200), Float64Array.of(1e-200)], 0, 1)).toBe(1);
    expect(tailDiscount([Float64Array.of(-1e-200), Float64Array.of(-1e-200)], 0, 1)).toBe(1);
  });

  it('effectiveMemory = Σ_{N>i} M[N][i] / M[i+1][i]', () => {
    expect(effectiveMemory(M, 0)).toBe(15 / 8);
    expect(effectiveMemory(M, 1)).toBe(4 / 3);
    expect(effectiveMemory(M, 2)).toBe(1);
    expect(effectiveMemory([Float64Array.of(0), Float64Array.of(0), Float64Array.of(0)], 0)).toBeNaN();
  });
});
