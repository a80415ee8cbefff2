/**
 * Closed-form divergences between Gaussians (src/divergences/gaussian.ts; docs/theory.md §5.1, the
 * χ²-finiteness criterion D-3) against formulas evaluated here by another route (issue 11, mutation
 * item):
 * - KL in 1-D: ½[s1/s2 + Δ²/s2 − 1 + ln(s2/s1)]; in 2-D with the explicit 2×2 inverse and
 *   determinant (no Cholesky);
 * - log(1 + χ²): 1-D ln(s2 / (√s1 √(2s2 − s1))) + Δ²/(2s2 − s1); 2-D by the INVERSE form of §5.1,
 *   ½ ln|S2| − ln|S1| − ½ ln|M| + ½ hᵀM⁻¹h + c with M = 2S1⁻¹ − S2⁻¹, h = 2S1⁻¹m1 − S2⁻¹m2,
 *   c = −m1ᵀS1⁻¹m1 + ½ m2ᵀS2⁻¹m2 (the module uses the inverse-free G = 2S2 − S1 form);
 * - W2 in 2-D: ‖Δ‖² + tr S1 + tr S2 − 2 tr (S2^{½} S1 S2^{½})^{½}, with tr √A = √(tr A + 2√det A)
 *   for a 2×2 PSD A, and tr(S2^{½}S1S2^{½}) = tr(S1S2), det = det S1 det S2 (no matrix square root);
 * - the finiteness criterion: 2S2 − S1 ≻ 0 by the 2×2 leading minors.
 *
 * Tolerance REL_TOL = 1e-12 relative to Σ|terms| of the oracle's sum: the cases below have
 * covariance condition numbers ≤ 10 and both routes take ≤ 40 roundings / libm calls (≤ 2u each),
 * each amplified by at most the condition number squared (an inverse times a product) ≤ 100:
 * 40 · 2u · 100 ≈ 9e-13 < 1e-12. Every mutation of a formula changes a value by ≥ 1e-3 relative.
 */
import { describe, expect, it } from 'vitest';
import {
  chiSquareFromLog,
  gaussianChiSquare,
  gaussianChiSquareFinite,
  gaussianKL,
  gaussianLogChiSquarePlusOne,
  gaussianW2,
  LOG_MAX_VALUE,
} from '../../src/divergences/gaussian.ts';
import { fullGaussian, type Gaussian } from '../../src/distributions/gaussian.ts';

const REL_TOL = 1e-12;

function expectSum(actual: number, terms: readonly number[]): void {
  const value = terms.reduce((a, b) => a + b, 0);
  const scale = terms.reduce((a, b) => a + Math.abs(b), 0);
  expect(Math.abs(actual - value)).toBeLessThanOrEqual(REL_TOL * scale);
}

type M2 = readonly [number, number, number, number]; // row-major [a, b; c, d]
const det2 = (s: M2): number => s[0] * s[3] - s[1] * s[2];
const inv2 = (s: M2): M2 => {
  const dt = det2(s);
  return [s[3] / dt, -s[1] / dt, -s[2] / dt, s[0] / dt];
};
const mul2 = (a: M2, b: M2): M2 => [a[0] * b[0] + a[1] * b[2], a[0] * b[1] + a[1] * b[3], a[2] * b[0] + a[3] * b[2], a[2] * b[1] + a[3] * b[3]];
const tr2 = (s: M2): number => s[0] + s[3];
const mv2 = (a: M2, v: readonly [number, number]): [number, number] => [a[0] * v[0] + a[1] * v[1], a[2] * v[0] + a[3] * v[1]];
const dot2 = (u: readonly [number, number], v: readonly [number, number]): number => u[0] * v[0] + u[1] * v[1];

const g1 = (m: number, s: number): Gaussian => fullGaussian([m], [s]);
const g2 = (m: readonly [number, number], s: M2): Gaussian => fullGaussian(m, s);

/** Two 2-D pairs with correlated, non-commuting covariances (condition numbers ≤ 10). */
const PAIRS: readonly { m1: [number, number]; s1: M2; m2: [number, number]; s2: M2 }[] = [
  { m1: [0.5, -1], s1: [1, 0.3, 0.3, 0.8], m2: [-0.25, 0.75], s2: [1.5, -0.4, -0.4, 1.2] },
  { m1: [2, 1], s1: [0.6, 0.1, 0.1, 0.9], m2: [1, -0.5], s2: [0.7, 0.1, 0.1, 0.6] },
];

describe('Gaussian world (§5.1): KL(N1‖N2) closed form', () => {
  it('1-D: ½[s1/s2 + Δ²/s2 − 1 + ln(s2/s1)]', () => {
    for (const [m1, s1, m2, s2] of [[0.5, 2, -1, 0.5], [3, 0.25, 1, 4]] as const) {
      expectSum(gaussianKL(g1(m1, s1), g1(m2, s2)), [0.5 * (s1 / s2), 0.5 * ((m1 - m2) ** 2 / s2), -0.5, 0.5 * Math.log(s2 / s1)]);
    }
  });
  it('2-D, correlated: ½[tr(S2⁻¹S1) + ΔᵀS2⁻¹Δ − 2 + ln|S2| − ln|S1|] with explicit inverses', () => {
    for (const { m1, s1, m2, s2 } of PAIRS) {
      const i2 = inv2(s2);
      const dm: [number, number] = [m1[0] - m2[0], m1[1] - m2[1]];
      expectSum(gaussianKL(g2(m1, s1), g2(m2, s2)), [0.5 * tr2(mul2(i2, s1)), 0.5 * dot2(dm, mv2(i2, dm)), -1, 0.5 * Math.log(det2(s2)), -0.5 * Math.log(det2(s1))]);
    }
  });
  it('dimension mismatch and non-positive-definite covariances throw, naming the function and side', () => {
    const bad: Gaussian = { dim: 1, mean: Float64Array.of(0), cov: Float64Array.of(-1), kind: 'full' };
    expect(() => gaussianKL(g1(0, 1), g2([0, 0], [1, 0, 0, 1]))).toThrow('gaussianKL: dimensions 1 and 2 differ');
    expect(() => gaussianKL(bad, g1(0, 1))).toThrow('gaussianKL: S1 is not positive definite');
    expect(() => gaussianKL(g1(0, 1), bad)).toThrow('gaussianKL: S2 is not positive definite');
    expect(() => gaussianLogChiSquarePlusOne(bad, g1(0, 1))).toThrow('gaussianChiSquare: S1 is not positive definite');
    expect(() => gaussianLogChiSquarePlusOne(g1(0, 1), bad)).toThrow('gaussianChiSquare: S2 is not positive definite');
    expect(() => gaussianLogChiSquarePlusOne(g1(0, 1), g2([0, 0], [1, 0, 0, 1]))).toThrow('gaussianChiSquare: dimensions 1 and 2 differ');
    expect(() => gaussianChiSquareFinite(g1(0, 1), g2([0, 0], [1, 0, 0, 1]))).toThrow('gaussianChiSquareFinite: dimensions 1 and 2 differ');
    expect(() => gaussianW2(g2([0, 0], [1, 0, 0, 1]), g1(0, 1))).toThrow('gaussianW2: dimensions 2 and 1 differ');
  });
});

describe('Gaussian world (§5.1, D-3): χ² finiteness and log(1 + χ²)', () => {
  it('1-D criterion s1 < 2 s2, with s1 = 2 s2 exactly infinite', () => {
    expect(gaussianChiSquareFinite(g1(0, 1.5), g1(3, 1))).toBe(true);
    expect(gaussianChiSquareFinite(g1(0, 2), g1(3, 1))).toBe(false);
    expect(gaussianChiSquareFinite(g1(0, 2.5), g1(0, 1))).toBe(false);
    expect(gaussianLogChiSquarePlusOne(g1(0, 2), g1(0, 1))).toBe(Infinity);
    expect(gaussianChiSquare(g1(1, 3), g1(0, 1))).toBe(Infinity);
  });
  it('2-D criterion: 2S2 − S1 ≻ 0 by its leading minors (off-diagonal terms decide)', () => {
    // S1 = [2, 0.9; 0.9, 1], S2 = [1.2, 0; 0, 0.6]: G = [0.4, −0.9; −0.9, 0.2], det < 0 ⇒ infinite,
    // although the diagonal of G is positive
    expect(gaussianChiSquareFinite(g2([0, 0], [2, 0.9, 0.9, 1]), g2([0, 0], [1.2, 0, 0, 0.6]))).toBe(false);
    // S2 = [1.2, 0.5; 0.5, 0.6]: G = [0.4, 0.1; 0.1, 0.2], det 0.07 > 0 ⇒ finite
    expect(gaussianChiSquareFinite(g2([0, 0], [2, 0.9, 0.9, 1]), g2([0, 0], [1.2, 0.5, 0.5, 0.6]))).toBe(true);
  });
  it('1-D value: ln(s2/(√s1 √(2s2 − s1))) + Δ²/(2s2 − s1), and χ² = e^{that} − 1', () => {
    for (const [m1, s1, m2, s2] of [[0.5, 1, -1, 0.75], [2, 0.25, 1.5, 4]] as const) {
      const g = 2 * s2 - s1;
      const terms = [Math.log(s2), -0.5 * Math.log(s1), -0.5 * Math.log(g), (m1 - m2) ** 2 / g];
      expectSum(gaussianLogChiSquarePlusOne(g1(m1, s1), g1(m2, s2)), terms);
      const log1p = terms.reduce((a, b) => a + b, 0);
      const chi = gaussianChiSquare(g1(m1, s1), g1(m2, s2));
      // expm1 adds ≤ 2u relative; the log value's error REL_TOL·Σ|terms| moves χ² by (1 + χ²) times it
      expect(Math.abs(chi - Math.expm1(log1p))).toBeLessThanOrEqual((1 + chi) * REL_TOL * terms.reduce((a, b) => a + Math.abs(b), 0) + 4 * 2 ** -53 * chi);
    }
  });
  it('2-D value equals the inverse form ½ln|S2| − ln|S1| − ½ln|M| + ½hᵀM⁻¹h + c', () => {
    for (const { m1, s1, m2, s2 } of PAIRS) {
      const i1 = inv2(s1);
      const i2 = inv2(s2);
      const M: M2 = [2 * i1[0] - i2[0], 2 * i1[1] - i2[1], 2 * i1[2] - i2[2], 2 * i1[3] - i2[3]];
      const a = mv2(i1, m1);
      const b = mv2(i2, m2);
      const h: [number, number] = [2 * a[0] - b[0], 2 * a[1] - b[1]];
      const terms = [0.5 * Math.log(det2(s2)), -Math.log(det2(s1)), -0.5 * Math.log(det2(M)), 0.5 * dot2(h, mv2(inv2(M), h)), -dot2(m1, a), 0.5 * dot2(m2, b)];
      expect(gaussianChiSquareFinite(g2(m1, s1), g2(m2, s2))).toBe(true);
      expectSum(gaussianLogChiSquarePlusOne(g2(m1, s1), g2(m2, s2)), terms);
    }
  });
  it('chiSquareFromLog: +∞ stays +∞, NaN throws, finite values up to ln(MAX_VALUE) are expm1, above it RangeError', () => {
    expect(LOG_MAX_VALUE).toBe(709.782712893384);
    expect(chiSquareFromLog(Infinity)).toBe(Infinity);
    expect(() => chiSquareFromLog(NaN)).toThrow('chiSquareFromLog: NaN');
    // e^{0.5} − 1 (the literal is its correctly rounded value); Math.expm1 is within 1 ulp (fdlibm):
    // |computed − literal| ≤ 2u·|x| (u = 2^-53)
    expect(Math.abs(chiSquareFromLog(0.5) - 0.6487212707001282)).toBeLessThanOrEqual(2 * 2 ** -53 * 0.6487212707001282);
    expect(chiSquareFromLog(0)).toBe(0);
    expect(chiSquareFromLog(-1e-17)).toBe(-1e-17);
    expect(chiSquareFromLog(LOG_MAX_VALUE)).toBe(1.7976931348622732e308);
    expect(() => chiSquareFromLog(LOG_MAX_VALUE + 1e-12)).toThrow(RangeError);
    expect(() => chiSquareFromLog(800)).toThrow('χ² is finite but overflows a double: log(1 + χ²) = 800');
  });
});

describe('Gaussian world (§5.1): W2 (Bures–Wasserstein)', () => {
  it('1-D: √(Δ² + (σ1 − σ2)²)', () => {
    const w = gaussianW2(g1(1, 4), g1(-2, 0.25));
    expect(Math.abs(w - Math.sqrt(9 + 1.5 ** 2))).toBeLessThanOrEqual(REL_TOL * (9 + 4 + 0.25));
  });
  it('2-D non-commuting: ‖Δ‖² + tr S1 + tr S2 − 2√(tr(S1S2) + 2√(det S1 det S2))', () => {
    for (const { m1, s1, m2, s2 } of PAIRS) {
      const dm2 = (m1[0] - m2[0]) ** 2 + (m1[1] - m2[1]) ** 2;
      const cross = 2 * Math.sqrt(tr2(mul2(s1, s2)) + 2 * Math.sqrt(det2(s1) * det2(s2)));
      const terms = [dm2, tr2(s1), tr2(s2), -cross];
      const w2sq = terms.reduce((a, b) => a + b, 0);
      const w = gaussianW2(g2(m1, s1), g2(m2, s2));
      // |w − √w2sq| ≤ |w² − w2sq| / (w + √w2sq) with w² off by REL_TOL·Σ|terms|
      expect(Math.abs(w - Math.sqrt(w2sq))).toBeLessThanOrEqual((REL_TOL * terms.reduce((a, b) => a + Math.abs(b), 0)) / Math.sqrt(w2sq));
    }
  });
  it('identical laws: W2 = 0 up to rounding, never NaN (negative rounding clamped)', () => {
    const p = g2([1, 2], [1, 0.3, 0.3, 0.8]);
    const w = gaussianW2(p, p);
    expect(w).toBeGreaterThanOrEqual(0);
    // w² ≤ REL_TOL · (tr S1 + tr S2 + 2 tr S) = REL_TOL · 7.2, so w ≤ √(7.2e-12)
    expect(w).toBeLessThanOrEqual(Math.sqrt(REL_TOL * 7.2));
  });
});
