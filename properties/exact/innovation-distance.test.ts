/**
 * J(f, g; p) = ∫ (f − g)² / N(μ, s) in closed form (src/oracles/innovation-distance.ts; P1-4.2, the
 * additive bound) against an independent derivation written here: the PRODUCT route.
 *
 *   N(x; m1, v1) N(x; m2, v2) = N(m1 − m2; 0, v1 + v2) · N(x; mc, vc),
 *   vc = v1 v2 / (v1 + v2),  mc = (m1 v2 + m2 v1) / (v1 + v2),
 *   ∫ N(x; mc, vc) / N(x; μ, s) dx = √(s / vc) · √(1 / (vc⁻¹ − s⁻¹)) / √vc … completed:
 *     = √(s / (vc · A')) · exp(½ B'²/A' − ½ C'),  A' = 1/vc − 1/s,  B' = mc/vc − μ/s,  C' = mc²/vc − μ²/s,
 * so log P = −½ log(2π (v1 + v2)) − (m1 − m2)² / (2 (v1 + v2)) + ½ log(2π) + ½ log(s / (vc A')) + ½ B'²/A' − ½ C'
 * (the 2π cancel), finite iff A' > 0. The module uses the information form of the three Gaussians
 * at once; the two agree mathematically, not term by term. Same-component check: with m1 = m2 = m,
 * v1 = v2 = v, P = 1 + χ²(N(m, v) ‖ N(μ, s)) = s / √(v (2s − v)) · exp((m − μ)² / (2s − v)).
 *
 * J = Σ_{j,k} σ_j σ_k w_j w_k P_jk over the components of f (σ = +1) and g (σ = −1).
 */
import { describe, expect, it } from 'vitest';
import { fc, test } from '../support/prop.ts';
import { boundedDouble } from '../support/arbitraries.ts';
import { l2OverGaussian1d, logPairIntegral1d } from '../../src/oracles/innovation-distance.ts';
import type { Mixture1d } from '../../src/oracles/translation-error-recursion.ts';

const U = 2 ** -53;
const gamma = (n: number): number => (n * U) / (1 - n * U);

/** log of the pair integral by the product route (file comment); +Infinity when A' ≤ 0. */
function logPairOracle(m1: number, v1: number, m2: number, v2: number, mu: number, s: number): number {
  const vsum = v1 + v2;
  const vc = (v1 * v2) / vsum;
  const mc = (m1 * v2 + m2 * v1) / vsum;
  const A = 1 / vc - 1 / s;
  if (!(A > 0)) return Infinity;
  const B = mc / vc - mu / s;
  const C = (mc * mc) / vc - (mu * mu) / s;
  return -0.5 * Math.log(vsum) - ((m1 - m2) * (m1 - m2)) / (2 * vsum) + 0.5 * Math.log(s / (vc * A)) + (0.5 * B * B) / A - 0.5 * C;
}

/**
 * Allowance of one log pair integral: both routes evaluate ≤ 20 operations on terms whose absolute
 * values are bounded by the sum S of |½ log(·)|, |B²/(2A)|, |C/2| (and the oracle's (m1 − m2)² term);
 * each term carries ≤ 8 roundings on each side (quotients of quotients), amplified by the
 * cancellation in A = 1/v1 + 1/v2 − 1/s: κ = (x + 1/s)/(x − 1/s) with x = 1/v1 + 1/v2 ∈ [1, 8] and
 * 1/s ≤ ⅔ (v ∈ [0.25, 2], s ≥ 1.5), so κ ≤ 5. 2 sides × 8 roundings × (κ + 1) ≤ 96 < LOG_UNITS = 256.
 * Charged: γ_{LOG_UNITS} (S + 1) (the + 1: absolute rounding of a log of ≈ 1).
 */
const LOG_UNITS = 256;

function logScale(m1: number, v1: number, m2: number, v2: number, mu: number, s: number): number {
  const vsum = v1 + v2;
  const vc = (v1 * v2) / vsum;
  const mc = (m1 * v2 + m2 * v1) / vsum;
  const A = 1 / vc - 1 / s;
  const B = mc / vc - mu / s;
  return Math.abs(Math.log(s / (vc * A))) + (B * B) / A + (mc * mc) / vc + (mu * mu) / s + Math.abs(Math.log(vsum)) + ((m1 - m2) * (m1 - m2)) / vsum;
}

interface Oracle {
  value: number;
  abs: number;
  maxLog: number;
  /** Σ over pairs of |term| · (allowance of its log) */
  err: number;
}

/** Σ σ_j σ_k w_j w_k P_jk (file comment), with the module's bookkeeping of Σ|terms| and max |log P|. */
function jOracle(f: Mixture1d, g: Mixture1d | null, mu: number, s: number): Oracle {
  const comps: { w: number; m: number; v: number }[] = [];
  f.w.forEach((w, k) => comps.push({ w, m: f.m[k]!, v: f.v[k]! }));
  if (g) g.w.forEach((w, k) => comps.push({ w: -w, m: g.m[k]!, v: g.v[k]! }));
  let value = 0;
  let abs = 0;
  let maxLog = 0;
  let err = 0;
  for (const a of comps)
    for (const b of comps) {
      if (a.w === 0 || b.w === 0) continue;
      const l = logPairOracle(a.m, a.v, b.m, b.v, mu, s);
      const t = a.w * b.w * Math.exp(l);
      value += t;
      abs += Math.abs(t);
      maxLog = Math.max(maxLog, Math.abs(l));
      // e^{l} with |Δl| ≤ γ(S + 1): relative e^{γ(S+1)} − 1 ≤ 2γ(S + 1) (small), plus exp's ulp
      err += Math.abs(t) * (2 * gamma(LOG_UNITS) * (logScale(a.m, a.v, b.m, b.v, mu, s) + 1) + gamma(4));
    }
  // summation of K² terms on each side
  return { value, abs, maxLog, err: err + 2 * gamma(comps.length * comps.length) * abs };
}

const mix = (w: number[], m: number[], v: number[]): Mixture1d => ({ w: Float64Array.from(w), m: Float64Array.from(m), v: Float64Array.from(v) });

/** 1-D mixtures with 1–3 components, weights normalised from positive draws, v ∈ [0.25, 2]. */
const mixtureArb = fc
  .array(fc.record({ w: boundedDouble(0.1, 1), m: boundedDouble(-2, 2), v: boundedDouble(0.25, 2) }), { minLength: 1, maxLength: 3 })
  .map((cs) => {
    const total = cs.reduce((t, c) => t + c.w, 0);
    return mix(
      cs.map((c) => c.w / total),
      cs.map((c) => c.m),
      cs.map((c) => c.v),
    );
  });

describe('logPairIntegral1d: log ∫ N(m1, v1) N(m2, v2) / N(μ, s)', () => {
  test.prop([boundedDouble(-3, 3), boundedDouble(0.25, 2), boundedDouble(-3, 3), boundedDouble(0.25, 2), boundedDouble(-2, 2), boundedDouble(1.5, 4)], { numRuns: 200 })(
    'equals the product-route oracle within γ_256 (S + 1)',
    (m1, v1, m2, v2, mu, s) => {
      const got = logPairIntegral1d(m1, v1, m2, v2, mu, s);
      const want = logPairOracle(m1, v1, m2, v2, mu, s);
      expect(Number.isFinite(want)).toBe(true);
      expect(Math.abs(got - want)).toBeLessThanOrEqual(gamma(LOG_UNITS) * (logScale(m1, v1, m2, v2, mu, s) + 1));
      // symmetric in the two components
      expect(Math.abs(logPairIntegral1d(m2, v2, m1, v1, mu, s) - got)).toBeLessThanOrEqual(gamma(LOG_UNITS) * (logScale(m1, v1, m2, v2, mu, s) + 1));
    },
  );

  test.prop([boundedDouble(-3, 3), boundedDouble(0.1, 1.9), boundedDouble(-2, 2), boundedDouble(1, 4)], { numRuns: 100 })(
    'one component twice: 1 + χ² = s / √(v (2s − v)) · exp((m − μ)² / (2s − v)) (v = t·s, t < 2)',
    (m, t, mu, s) => {
      const v = t * s;
      const want = Math.log(s / Math.sqrt(v * (2 * s - v))) + ((m - mu) * (m - mu)) / (2 * s - v);
      const got = logPairIntegral1d(m, v, m, v, mu, s);
      // κ of A = 2/v − 1/s is (2 + t)/(2 − t) ≤ 39 here (t ≤ 1.9): 2 sides × 8 roundings × 40 ≤ 2·LOG_UNITS
      expect(Math.abs(got - want)).toBeLessThanOrEqual(gamma(2 * LOG_UNITS) * (Math.abs(want) + ((m - mu) * (m - mu)) / (2 * s - v) + (m * m) / v + (mu * mu) / s + 10));
    },
  );

  it('against the reference law itself the integral is 1 (log 0): ∫ N(m, v) p / p = 1', () => {
    for (const [m, v, mu, s] of [
      [0, 1, 0, 1],
      [3, 0.5, -1, 2],
      [-2, 8, 1, 0.25],
    ] as const) {
      expect(Math.abs(logPairIntegral1d(m, v, mu, s, mu, s))).toBeLessThanOrEqual(gamma(64) * (1 + (m * m) / v + (mu * mu) / s + Math.abs(Math.log(v))));
      expect(Math.abs(logPairIntegral1d(mu, s, m, v, mu, s))).toBeLessThanOrEqual(gamma(64) * (1 + (m * m) / v + (mu * mu) / s + Math.abs(Math.log(v))));
    }
  });

  it('diverges (+∞) iff A = 1/v1 + 1/v2 − 1/s ≤ 0; A = 0 exactly is +∞ (also with B = 0)', () => {
    expect(logPairIntegral1d(0, 2, 0, 2, 0, 1)).toBe(Infinity); // A = ½ + ½ − 1 = 0, B = 0
    expect(logPairIntegral1d(1, 2, 3, 2, 0.5, 1)).toBe(Infinity); // A = 0, B ≠ 0
    expect(logPairIntegral1d(0, 4, 0, 4, 0, 1)).toBe(Infinity); // A < 0
    expect(logPairIntegral1d(0, 4, 0, 1, 0, 0.5)).toBe(Infinity); // ¼ + 1 − 2 < 0
    expect(Number.isFinite(logPairIntegral1d(0, 4, 0, 4, 0, 2.5))).toBe(true); // ½ − 0.4 > 0
  });

  it('throws on a non-positive (or NaN) variance, with the three variances in the message', () => {
    expect(() => logPairIntegral1d(0, 0, 0, 1, 0, 1)).toThrow('logPairIntegral1d: variances 0, 1, 1 must be > 0');
    expect(() => logPairIntegral1d(0, 1, 0, -1, 0, 1)).toThrow('logPairIntegral1d: variances 1, -1, 1 must be > 0');
    expect(() => logPairIntegral1d(0, 1, 0, 0, 0, 1)).toThrow('logPairIntegral1d: variances 1, 0, 1 must be > 0');
    expect(() => logPairIntegral1d(0, 1, 0, 1, 0, 0)).toThrow('logPairIntegral1d: variances 1, 1, 0 must be > 0');
    expect(() => logPairIntegral1d(0, Number.NaN, 0, 1, 0, 1)).toThrow('logPairIntegral1d: variances NaN, 1, 1 must be > 0');
    expect(() => logPairIntegral1d(0, 1, 0, 1, 0, -2)).toThrow('must be > 0');
  });
});

describe('l2OverGaussian1d: J = ∫ (f − g)² / N(μ, s) and its a-priori error bound', () => {
  test.prop([mixtureArb, mixtureArb, boundedDouble(-1, 1), boundedDouble(1.5, 4)], { numRuns: 100 })('J(f, g) against the oracle double sum; errorBound = γ_{K(K+1)/2+8} Σ|terms| (1 + max|log|)', (f, g, mu, s) => {
    const got = l2OverGaussian1d(f, g, mu, s);
    const o = jOracle(f, g, mu, s);
    expect(got.value).toBeGreaterThanOrEqual(0);
    expect(Math.abs(got.value - Math.max(0, o.value))).toBeLessThanOrEqual(o.err);
    const K = f.w.length + g.w.length;
    const wantBound = gamma((K * (K + 1)) / 2 + 8) * o.abs * (1 + o.maxLog);
    expect(Math.abs(got.errorBound - wantBound)).toBeLessThanOrEqual(1e-9 * wantBound);
  });

  test.prop([mixtureArb, boundedDouble(-1, 1), boundedDouble(1.5, 4)], { numRuns: 100 })('without g: χ²(f ‖ N(μ, s)) = Σ w_j w_k P_jk − 1', (f, mu, s) => {
    const got = l2OverGaussian1d(f, null, mu, s);
    const o = jOracle(f, null, mu, s);
    expect(Math.abs(got.value - (o.value - 1))).toBeLessThanOrEqual(o.err + gamma(1));
    const K = f.w.length;
    const wantBound = gamma((K * (K + 1)) / 2 + 8) * o.abs * (1 + o.maxLog);
    expect(Math.abs(got.errorBound - wantBound)).toBeLessThanOrEqual(1e-9 * wantBound);
  });

  test.prop([mixtureArb, boundedDouble(-1, 1), boundedDouble(1.5, 4)], { numRuns: 100 })('J(f, f) is 0 up to its errorBound, and never negative (clamped)', (f, mu, s) => {
    const got = l2OverGaussian1d(f, f, mu, s);
    expect(got.value).toBeGreaterThanOrEqual(0);
    expect(got.value).toBeLessThanOrEqual(got.errorBound);
  });

  it('a single pair in closed form: f = N(1, 1), g = N(0, 1), p = N(0, 1): J = e − 1, and the bound constants', () => {
    const f = mix([1], [1], [1]);
    const g = mix([1], [0], [1]);
    const got = l2OverGaussian1d(f, g, 0, 1);
    // P_ff = 1 + χ²(N(1,1)‖N(0,1)) = e, P_gg = 1, P_fg = ∫ N(1,1) N(0,1)/N(0,1) = 1: J = e − 2 + 1 = e − 1
    expect(Math.abs(got.value - (Math.E - 1))).toBeLessThanOrEqual(8 * U * Math.E);
    // K = 2: γ_{3+8} · (e + 2 + 1) · (1 + max|log| = 1 + 1)
    expect(Math.abs(got.errorBound - gamma(11) * (Math.E + 3) * 2)).toBeLessThanOrEqual(1e-12 * got.errorBound);
  });

  it('χ² of a single Gaussian against itself: value 0 up to rounding, bound γ_9 · 1 · 1', () => {
    const got = l2OverGaussian1d(mix([1], [0.5], [2]), null, 0.5, 2);
    expect(Math.abs(got.value)).toBeLessThanOrEqual(4 * U);
    expect(Math.abs(got.errorBound - gamma(9))).toBeLessThanOrEqual(1e-12 * gamma(9));
  });

  it('the log term of largest magnitude may be negative: max |log| is used', () => {
    // f = N(0, 0.25), p = N(0, 4): log P_ff = log(4/√(0.25·7.75)) ≈ +1.055; f vs far g = N(6, 0.25): log P_fg ≪ 0
    const f = mix([1], [0], [0.25]);
    const g = mix([1], [6], [0.25]);
    const got = l2OverGaussian1d(f, g, 0, 4);
    const o = jOracle(f, g, 0, 4);
    expect(o.maxLog).toBeGreaterThan(10);
    expect(Math.abs(got.errorBound - gamma(11) * o.abs * (1 + o.maxLog))).toBeLessThanOrEqual(1e-9 * got.errorBound);
  });

  it('+∞ when any pair integral diverges (errorBound 0); zero-weight components are skipped', () => {
    expect(l2OverGaussian1d(mix([1], [0], [3]), null, 0, 1)).toEqual({ value: Infinity, errorBound: 0 });
    expect(l2OverGaussian1d(mix([1], [0], [0.5]), mix([1], [0], [3]), 0, 1)).toEqual({ value: Infinity, errorBound: 0 });
    // a zero-weight component of f or g whose pair integrals diverge changes nothing
    // (pairs of a variance-5 component with a variance-1.5 one diverge against N(0, 1): ⅔ + ⅕ − 1 < 0)
    const f = mix([1, 0], [0.5, 0], [1.5, 5]);
    const g = mix([0, 1], [0, 0], [5, 1.5]);
    const got = l2OverGaussian1d(f, g, 0, 1);
    const o = jOracle(mix([1], [0.5], [1.5]), mix([1], [0], [1.5]), 0, 1);
    expect(Math.abs(got.value - o.value)).toBeLessThanOrEqual(o.err);
    // K counts every component (4): γ_{10+8}
    expect(Math.abs(got.errorBound - gamma(18) * o.abs * (1 + o.maxLog))).toBeLessThanOrEqual(1e-9 * got.errorBound);
    const chi = l2OverGaussian1d(mix([0, 1], [0, 1], [5, 1.5]), null, 0, 1);
    const oc = jOracle(mix([1], [1], [1.5]), null, 0, 1);
    expect(Math.abs(chi.value - (oc.value - 1))).toBeLessThanOrEqual(oc.err + gamma(1));
    expect(Math.abs(chi.errorBound - gamma(11) * oc.abs * (1 + oc.maxLog))).toBeLessThanOrEqual(1e-9 * chi.errorBound);
  });
});
