/**
 * Exact tier: src/divergences/gaussian-mixture-1d.ts (the 1-D mixture numerics behind the P2 oracles,
 * docs/theory.md §5.2) against oracles written HERE, cheap enough for mutation testing (small `cells`
 * / `steps`; the theorem files that use the module cost minutes).
 *
 * Independent oracles used:
 * - closed forms between two Gaussians N(m₁, s₁²), N(m₂, s₂²), evaluated with src/statistics/normal.ts
 *   (erfc-based Φ, another implementation than the module's fastNormalTail):
 *     W2² = (m₁ − m₂)² + (s₁ − s₂)²;  W1 = E|Δm + Δs Z| = |Δs|(a(2Φ(a) − 1) + 2φ(a)), a = Δm/|Δs|
 *     (the comonotone coupling X = m₁ + s₁Z, Y = m₂ + s₂Z; W1 = |Δm| when Δs = 0);
 *     ∫|p − q| = 2 Σ_{p > q} (P − Q) over the pieces between the roots of log p = log q (a quadratic);
 *     1 + χ² = v₂/√(v₁(2v₂ − v₁)) · exp(Δm²/(2v₂ − v₁)) (v₁ < 2v₂, else +∞);
 *     KL = ln(s₂/s₁) + (v₁ + Δm²)/(2v₂) − ½;
 * - translation: q = p shifted by δ has quantiles F⁻¹ + δ, so W2 = W1 = |δ| for ANY mixture p
 *   (exercises the mixture quantile solver and the CDF sums);
 * - cancellation: a component shared bit-identically by p and q cancels, so ∫|p − q| is that of the
 *   remaining (sub-)mixtures;
 * - brute-force composite Simpson written here for χ² and KL between genuine mixtures (its own error
 *   measured by step halving), and for the density (its integral is 1);
 * - refusals with their exact messages.
 */
import { describe, expect, it } from 'vitest';
import {
  EXACT_PARAMETERS,
  FAST_TAIL_ABS_ERROR,
  FAST_TAIL_REL_ERROR,
  fastNormalTail,
  gmm1d,
  mixtureChiSquare1d,
  mixtureCdf1d,
  mixtureDensity1d,
  mixtureKl1d,
  mixtureL1Distance1d,
  mixtureW1Distance1d,
  mixtureW2Distance1d,
} from '../../src/divergences/gaussian-mixture-1d.ts';
import { gaussianMixture, type GaussianMixture } from '../../src/distributions/gaussian-mixture.ts';
import { isotropicGaussian } from '../../src/distributions/gaussian.ts';
import { normalCdf, normalPdf, normalTail } from '../../src/statistics/normal.ts';

const EPS = Number.EPSILON;
const SQRT_2PI = Math.sqrt(2 * Math.PI);

const g1 = (m: number, v: number): GaussianMixture => gmm1d([[1, m, v]]);
/** A genuine 3-component mixture used throughout. */
const P3: readonly (readonly [number, number, number])[] = [[0.5, -1, 0.5], [0.3, 1.5, 1], [0.2, 4, 0.25]];
const shifted = (parts: readonly (readonly [number, number, number])[], d: number) => gmm1d(parts.map(([w, m, v]) => [w, m + d, v] as const));

function density(parts: readonly (readonly [number, number, number])[], x: number): number {
  let s = 0;
  for (const [w, m, v] of parts) s += (w * Math.exp(-((x - m) ** 2) / (2 * v))) / Math.sqrt(2 * Math.PI * v);
  return s;
}

/** Composite Simpson of g on [a, b] with n (even) intervals. */
function simpson(g: (x: number) => number, a: number, b: number, n: number): number {
  const h = (b - a) / n;
  let s = g(a) + g(b);
  for (let j = 1; j < n; j++) s += (j % 2 === 1 ? 4 : 2) * g(a + j * h);
  return (s * h) / 3;
}

/** Simpson at n and 2n; returns the finer value after checking their agreement (its error ≤ diff/15). */
function simpsonChecked(g: (x: number) => number, a: number, b: number, n: number, selfTol: number): number {
  const coarse = simpson(g, a, b, n);
  const fine = simpson(g, a, b, 2 * n);
  expect(Math.abs(fine - coarse)).toBeLessThanOrEqual(selfTol);
  return fine;
}

function within(actual: number, expected: number, tol: number): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(tol);
}

// ---------------------------------------------------------------------------------------------

describe('fastNormalTail (Hart rational below 7.07, continued fraction above)', () => {
  it('matches normal.ts within its stated accuracy on both branches and for negative x', () => {
    const xs = [0, 0.3, 1, 2.5, 4, 6, 7.05, 7.1, 8, 12, 20, 30, 37];
    for (const x of xs) {
      const ref = normalTail(x);
      const got = fastNormalTail(x);
      // the measured bound of the module (FAST_TAIL_*), plus normal.ts's own ≤ 1e-15 relative error
      expect(Math.abs(got - ref)).toBeLessThanOrEqual(Math.max(FAST_TAIL_ABS_ERROR, FAST_TAIL_REL_ERROR * ref) + 1e-15 * ref);
      expect(Math.abs(got - ref)).toBeLessThanOrEqual(FAST_TAIL_REL_ERROR * ref * 1.01); // relative, also in the far tail
      within(fastNormalTail(-x), 1 - ref, FAST_TAIL_ABS_ERROR + EPS);
    }
    expect(fastNormalTail(0)).toBe(0.5); // Hart: b(0)/c(0) = 220.206867912376/440.413735824752
  });

  it('underflows to exactly 0 above 38 only', () => {
    expect(fastNormalTail(38)).toBeGreaterThan(0);
    expect(fastNormalTail(38.0001)).toBe(0);
    expect(fastNormalTail(-39)).toBe(1);
  });
});

describe('mixtureDensity1d, mixtureCdf1d, gmm1d', () => {
  it('gmm1d builds the (weight, mean, variance) triples', () => {
    const p = gmm1d(P3);
    expect(p.dim).toBe(1);
    expect(Array.from(p.weights)).toEqual([0.5, 0.3, 0.2]);
    expect(p.components.map((c) => [c.mean[0], c.cov[0]])).toEqual([[-1, 0.5], [1.5, 1], [4, 0.25]]);
  });

  it('density = Σ w φ((x − m)/s)/s; it integrates to 1; CDF = Σ w Φ((x − m)/s)', () => {
    const p = gmm1d(P3);
    const xs = [-3, -1, 0, 0.7, 1.5, 4, 6];
    const dens = mixtureDensity1d(p, xs);
    expect(dens.length).toBe(xs.length);
    xs.forEach((x, i) => within(dens[i]!, density(P3, x), 8 * EPS));
    // Simpson on [−12, 14] (every component ± 16 sd) with 1000 and 2000 intervals from ONE call
    // (odd nodes of the fine grid): their difference bounds the fine one's error (×1/15)
    const grid = Float64Array.from({ length: 2001 }, (_, j) => -12 + (26 * j) / 2000);
    const dg = mixtureDensity1d(p, grid);
    const simpsonOf = (stride: number) => {
      const n = 2000 / stride;
      const h = 26 / n;
      let s = dg[0]! + dg[2000]!;
      for (let j = 1; j < n; j++) s += (j % 2 === 1 ? 4 : 2) * dg[j * stride]!;
      return (s * h) / 3;
    };
    expect(Math.abs(simpsonOf(1) - simpsonOf(2))).toBeLessThanOrEqual(1e-10);
    within(simpsonOf(1), 1, 1e-11);
    for (const x of xs) {
      const ref = P3.reduce((u, [w, m, v]) => u + w * normalCdf((x - m) / Math.sqrt(v)), 0);
      within(mixtureCdf1d(p, x), ref, 4 * EPS);
    }
  });

  it('refuse a 2-D mixture and an atom', () => {
    const two = gaussianMixture([1], [isotropicGaussian([0, 0], 1)]);
    const atom = gaussianMixture([0.5, 0.5], [isotropicGaussian([0], 1), isotropicGaussian([1], 0)]);
    expect(() => mixtureDensity1d(two, [0])).toThrow(new Error('1-D numerics need a 1-D mixture (got dimension 2)'));
    expect(() => mixtureCdf1d(atom, 0)).toThrow(new Error('1-D numerics: mixture has an atom (variance 0)'));
    expect(() => mixtureL1Distance1d(g1(0, 1), atom)).toThrow(new Error('1-D numerics: mixture has an atom (variance 0)'));
    expect(() => mixtureW1Distance1d(two, g1(0, 1))).toThrow(new Error('1-D numerics need a 1-D mixture (got dimension 2)'));
    expect(() => mixtureW2Distance1d(g1(0, 1), two)).toThrow(new Error('1-D numerics need a 1-D mixture (got dimension 2)'));
  });
});

// ---------------------------------------------------------------------------------------------
// L1

/** ∫|N(m₁, v₁) − N(m₂, v₂)| in closed form (pieces between the roots of log p = log q). */
function l1Gaussians(m1: number, v1: number, m2: number, v2: number): number {
  const s1 = Math.sqrt(v1);
  const s2 = Math.sqrt(v2);
  const F1 = (x: number) => normalCdf((x - m1) / s1);
  const F2 = (x: number) => normalCdf((x - m2) / s2);
  if (v1 === v2) {
    const r = (m1 + m2) / 2; // p > q on the side of m1
    return m1 > m2 ? 2 * (F2(r) - F1(r)) : 2 * (F1(r) - F2(r));
  }
  // (x − m1)²/v1 + ln v1 = (x − m2)²/v2 + ln v2  ⇔  A x² + B x + C = 0
  const A = 1 / v1 - 1 / v2;
  const B = -2 * (m1 / v1 - m2 / v2);
  const C = (m1 * m1) / v1 - (m2 * m2) / v2 + Math.log(v1 / v2);
  const disc = Math.sqrt(B * B - 4 * A * C);
  const [lo, hi] = [(-B - disc) / (2 * A), (-B + disc) / (2 * A)].sort((a, b) => a - b) as [number, number];
  const inner = F1(hi) - F1(lo) - (F2(hi) - F2(lo)); // P − Q between the roots
  return 2 * Math.abs(inner); // the narrower law dominates between the roots, the other outside: equal masses
}

/**
 * L1 tolerance: the module's CDF sums use fastNormalTail (absolute error ≤ 1e-15 per value, ≤ 2 per
 * piece, ≤ 5 pieces) and the closed form uses normal.ts (≤ 1e-15 per value, 4 values): ≤ 2e-14;
 * L1_TOL = 1e-13. A missed or duplicated piece moves L1 by ≥ 1e-3 here.
 */
const L1_TOL = 1e-13;

describe('mixtureL1Distance1d: ∫|p − q| by the sign-change partition', () => {
  it('two Gaussians, equal and unequal variances: the closed form; errorEstimate = the documented rounding allowance', () => {
    for (const [m1, v1, m2, v2, roots] of [[0, 1, 1.5, 1, 1], [2, 1, -1, 1, 1], [0, 1, 0.5, 4, 2], [1, 2.25, -0.5, 0.25, 2]] as const) {
      const r = mixtureL1Distance1d(g1(m1, v1), g1(m2, v2), 400);
      within(r.value, l1Gaussians(m1, v1, m2, v2), L1_TOL);
      // allowance Σ|w|(2·pieces·FAST_TAIL_ABS_ERROR + 1e-14), Σ|w| = 2, pieces = roots + 3, plus
      // |fine − coarse| (the same roots found from two brackets: ≤ 1e-15 here)
      const allowance = 2 * (2 * (roots + 3) * FAST_TAIL_ABS_ERROR + 1e-14);
      expect(r.errorEstimate).toBeGreaterThanOrEqual(allowance);
      expect(r.errorEstimate).toBeLessThanOrEqual(allowance + 1e-15);
    }
  });

  it('symmetric in p and q; identical laws (other objects) give exactly {0, 0}', () => {
    const a = mixtureL1Distance1d(gmm1d(P3), g1(1, 2), 400).value;
    const b = mixtureL1Distance1d(g1(1, 2), gmm1d(P3), 400).value;
    within(a, b, L1_TOL);
    expect(a).toBeGreaterThan(0.1);
    expect(mixtureL1Distance1d(gmm1d(P3), gmm1d(P3))).toEqual({ value: 0, errorEstimate: 0 });
  });

  it('a shared component cancels exactly: ½N(0,1) + ½N(3,1) vs ½N(0,1) + ½N(−2,1) is ½ ∫|N(3,1) − N(−2,1)|', () => {
    const p = gmm1d([[0.5, 0, 1], [0.5, 3, 1]]);
    const q = gmm1d([[0.5, 0, 1], [0.5, -2, 1]]);
    within(mixtureL1Distance1d(p, q, 400).value, 0.5 * l1Gaussians(3, 1, -2, 1), L1_TOL);
  });

  it('a cancelled component does not widen the grid: 40 cells over ±44 still see both roots at ±1.07', () => {
    // shared N(200, 1) cancels; the grid spans the rest, [−44, 44], h = 2.2: nodes at 0 (δ > 0) and
    // ±2.2 (δ < 0) bracket both roots. Over [−44, 240] (h = 7.1) both would be missed.
    const p = gmm1d([[0.5, 0, 1], [0.5, 200, 1]]);
    const q = gmm1d([[0.5, 0, 1.21], [0.5, 200, 1]]);
    within(mixtureL1Distance1d(p, q, 40).value, 0.5 * l1Gaussians(0, 1, 0, 1.21), L1_TOL);
  });

  it('laws 1e-10 apart: L1 ≈ 4φ(0)·5e-11 to its rounding allowance', () => {
    const r = mixtureL1Distance1d(g1(0, 1), g1(1e-10, 1), 400);
    // closed form 2(2Φ(δ/2) − 1) = 4φ(0)(δ/2)(1 + O(δ²)); both tails' signed CDFs are ≈ 1e-16 absolute
    const exact = 4 * normalPdf(0) * 5e-11;
    expect(Math.abs(r.value - exact)).toBeLessThanOrEqual(r.errorEstimate);
    expect(Math.abs(r.value - exact)).toBeLessThan(1e-15);
  });

  it('the grid follows the laws\' scale: L1 is scale-free (N(0, s²) vs N(1.5s, s²) and vs N(0, 4s²), s = 1e-3, 3.6, 1e3)', () => {
    // the range is every component ± 40 sd: a grid of absolute size would miss the roots (s = 1e-3: 400
    // cells over ±40 are 200 s wide) or end before them (s = 1e3). At s = 3.6 with unequal sds the range
    // [−80s, 80s] has h = 160s/400 and an end other than lo + n·h (e.g. n/h ≈ 278 from lo) falls at
    // ≈ −2.8s, inside the bulk where the signed CDF is ≈ −0.075: the pieces would count it twice
    const equal = 2 * (1 - 2 * normalTail(0.75));
    const wider = l1Gaussians(0, 1, 0, 4);
    for (const s of [1e-3, 3.6, 1e3]) {
      within(mixtureL1Distance1d(g1(0, s * s), g1(1.5 * s, s * s), 400).value, equal, L1_TOL);
      within(mixtureL1Distance1d(g1(0, s * s), g1(0, 4 * s * s), 400).value, wider, L1_TOL);
    }
  });

  it('`cells` is the fine grid: with 4 cells over ±40√2 only the fine grid brackets the roots of N(0, 1) − N(0, 2)', () => {
    // nodes −56.6, −28.3, 0, 28.3, 56.6: δ < 0 at ±28.3 (q's tail dominates), δ > 0 at 0, so the fine grid
    // finds both roots (±1.18) and the value is exact; the coarse grid (−56.6, 0, 56.6, where both densities
    // underflow to 0) finds none, so errorEstimate ≥ |fine − coarse| ≈ the whole L1
    const exact = l1Gaussians(0, 1, 0, 2);
    const r = mixtureL1Distance1d(g1(0, 1), g1(0, 2), 4);
    within(r.value, exact, L1_TOL);
    expect(r.errorEstimate).toBeGreaterThan(0.99 * exact);
  });

  it('a coarse grid that misses a root pair reads low, and errorEstimate says so', () => {
    // N(0, 1) vs N(0, 1.21): two roots at ±1.07, 0.14 apart from nothing on a 2-cell grid over ±44
    const exact = l1Gaussians(0, 1, 0, 1.21);
    const r = mixtureL1Distance1d(g1(0, 1), g1(0, 1.21), 1);
    expect(r.value).toBeLessThan(exact - 0.01);
    expect(r.errorEstimate + r.value).toBeGreaterThanOrEqual(0); // bookkeeping stays finite
    const fine = mixtureL1Distance1d(g1(0, 1), g1(0, 1.21), 400);
    within(fine.value, exact, L1_TOL);
    // an odd cell count is rounded up to even (fine/coarse halving): 399 and 400 agree
    expect(mixtureL1Distance1d(g1(0, 1), g1(0, 1.21), 399).value).toBe(fine.value);
  });
});

// ---------------------------------------------------------------------------------------------
// W2 and W1

function w1Gaussians(m1: number, s1: number, m2: number, s2: number): number {
  const dm = m1 - m2;
  const ds = Math.abs(s1 - s2);
  if (ds === 0) return Math.abs(dm);
  const a = dm / ds;
  return ds * (a * (2 * normalCdf(a) - 1) + 2 * normalPdf(a));
}

/**
 * W2 tolerance: the trapezoid in z on [−12, 12] with 240 cells (h = 0.1) of an integrand analytic in a
 * strip times φ converges like e^{−2π²/h²·…}: below rounding; the quantiles are certified to a few ulp
 * of their scale (≤ 10); W2 ≤ 3: a rounding-level error ≤ 1e-13. W_TOL = 1e-12.
 */
const W_TOL = 1e-12;
const W2_STEPS = 240;

describe('mixtureW2Distance1d: quantile quadrature', () => {
  it('two Gaussians: W2 = √(Δm² + Δs²); errorEstimate covers the error and is not vacuous', () => {
    for (const [m1, v1, m2, v2] of [[0, 1, 1.5, 1], [0, 1, 0, 4], [1, 2.25, -0.5, 0.25]] as const) {
      const r = mixtureW2Distance1d(g1(m1, v1), g1(m2, v2), W2_STEPS);
      const exact = Math.hypot(m1 - m2, Math.sqrt(v1) - Math.sqrt(v2));
      within(r.value, exact, W_TOL);
      expect(r.errorEstimate).toBeGreaterThanOrEqual(Math.abs(r.value - exact));
      expect(r.errorEstimate).toBeLessThan(1e-10);
    }
  });

  it('a mixture against itself shifted by δ: W2 = |δ| (both directions)', () => {
    for (const d of [1.5, -0.75]) {
      const r = mixtureW2Distance1d(gmm1d(P3), shifted(P3, d), W2_STEPS);
      within(r.value, Math.abs(d), W_TOL);
      expect(r.errorEstimate).toBeGreaterThanOrEqual(Math.abs(r.value - Math.abs(d)));
      expect(r.errorEstimate).toBeLessThan(1e-8);
    }
  });

  it('identical laws: value 0 and a rounding-level estimate', () => {
    const r = mixtureW2Distance1d(gmm1d(P3), gmm1d(P3), W2_STEPS);
    expect(r.value).toBe(0);
    expect(r.errorEstimate).toBeGreaterThan(0);
    expect(r.errorEstimate).toBeLessThan(1e-9);
  });

  it('laws 2⁻⁵⁰ apart: the estimate covers the error of a rounding-level W2', () => {
    const r = mixtureW2Distance1d(g1(0, 1), g1(2 ** -50, 1), W2_STEPS);
    expect(Math.abs(r.value - 2 ** -50)).toBeLessThanOrEqual(r.errorEstimate);
    expect(r.errorEstimate).toBeLessThan(1e-10);
  });

  it('a flat CDF (½N(−40, 1) + ½N(40, 1)): the median is any point of the gap, and the estimate says so', () => {
    // at the node z = 0 (j = 120) the CDF is ½ to within 1e-100 on |x| ≤ 30, so a certified interval
    // must reach past the flat part on both sides (|F − ½| = ½Q(40 − |x|) exceeds the CDF error
    // ≈ 1e-16 only for |x| ≳ 31.9), or the solver falls back to the component bracket [−40, 40]:
    // either way the error is ≥ 40 per quantile, e ≥ 80 at that node, and the estimate
    // ≥ ‖e‖_ω ≥ √(h φ(0)) · 80 ≈ 16 (h = 0.1)
    const bi = gmm1d([[0.5, -40, 1], [0.5, 40, 1]]);
    const r = mixtureW2Distance1d(bi, bi, W2_STEPS);
    expect(r.value).toBe(0);
    expect(r.errorEstimate).toBeGreaterThanOrEqual(Math.sqrt(0.1 * normalPdf(0)) * 80 * (1 - 1e-9));
  });

  it('a parameter error pe widens the estimate to cover every law within pe of the stored ones', () => {
    const pe = { weight: 0, mean: 1e-6, sd: 1e-6, meanAbsolute: 1e-6 };
    const [m1, s1, m2, s2] = [1, 1.5, -0.5, 0.5];
    const r = mixtureW2Distance1d(g1(m1, s1 * s1), g1(m2, s2 * s2), W2_STEPS, pe);
    const exact0 = Math.hypot(m1 - m2, s1 - s2);
    // the corners of the parameter box: means ± (1e-6|m| + 1e-6), sds × (1 ± 1e-6)
    for (const a of [-1, 1]) for (const b of [-1, 1]) for (const c of [-1, 1]) for (const e of [-1, 1]) {
      const M1 = m1 + a * (1e-6 * Math.abs(m1) + 1e-6);
      const M2 = m2 + b * (1e-6 * Math.abs(m2) + 1e-6);
      const S1 = s1 * (1 + c * 1e-6);
      const S2 = s2 * (1 + e * 1e-6);
      expect(Math.abs(Math.hypot(M1 - M2, S1 - S2) - r.value)).toBeLessThanOrEqual(r.errorEstimate);
    }
    // the sd part alone: sds × (1 ± 1e-6), means exact
    const sdOnly = mixtureW2Distance1d(g1(m1, s1 * s1), g1(m2, s2 * s2), W2_STEPS, { weight: 0, mean: 0, sd: 1e-6 });
    for (const c of [-1, 1]) for (const e of [-1, 1]) {
      expect(Math.abs(Math.hypot(m1 - m2, s1 * (1 + c * 1e-6) - s2 * (1 + e * 1e-6)) - sdOnly.value)).toBeLessThanOrEqual(sdOnly.errorEstimate);
    }
    // the relative mean part alone: means × (1 ± 1e-6)
    const meanOnly = mixtureW2Distance1d(g1(m1, s1 * s1), g1(m2, s2 * s2), W2_STEPS, { weight: 0, mean: 1e-6, sd: 0 });
    for (const c of [-1, 1]) for (const e of [-1, 1]) {
      expect(Math.abs(Math.hypot(m1 * (1 + c * 1e-6) - m2 * (1 + e * 1e-6), s1 - s2) - meanOnly.value)).toBeLessThanOrEqual(meanOnly.errorEstimate);
    }
    const plain = mixtureW2Distance1d(g1(m1, s1 * s1), g1(m2, s2 * s2), W2_STEPS, EXACT_PARAMETERS);
    expect(plain.value).toBe(r.value);
    within(plain.value, exact0, W_TOL);
    expect(r.errorEstimate).toBeLessThan(1e-4); // pe-sized, not vacuous
  });
});

/** Step-halving estimate of W1 at 4000 cells with one crossing of F and G (measured ≤ 1.6e-4 here, O(h²)). */
const W1_KINK = 3e-4;

describe('mixtureW1Distance1d: ∫|F − G| by the trapezoid', () => {
  it('two Gaussians: the comonotone closed form; errorEstimate covers the error', () => {
    for (const [m1, v1, m2, v2] of [[0, 1, 1.5, 1], [0, 1, 0, 4], [1, 2.25, -0.5, 0.25], [-3, 1, -2, 2]] as const) {
      const r = mixtureW1Distance1d(g1(m1, v1), g1(m2, v2), 4000);
      const exact = w1Gaussians(m1, Math.sqrt(v1), m2, Math.sqrt(v2));
      // |F − G| has kinks where F = G (Δs ≠ 0): the trapezoid is O(h²) there, and the step-halving
      // estimate |T_h − T_{2h}| ≈ 3× its error must cover it (checked up to the closed form's 1e-14);
      // at h = 80·s_max/4000 the error is ≤ W1_KINK (≈ 6e-5 measured at 4000 cells, ×16 per 4× cells)
      expect(Math.abs(r.value - exact)).toBeLessThanOrEqual(r.errorEstimate + 1e-14);
      expect(r.errorEstimate).toBeLessThan(W1_KINK);
      if (v1 === v2) within(r.value, exact, 1e-12); // no crossing: F − G keeps its sign, no kink
    }
  });

  it('a mixture against itself shifted by δ: W1 = |δ|; symmetric; identical laws: 0', () => {
    const r = mixtureW1Distance1d(gmm1d(P3), shifted(P3, 1.5), 4000);
    within(r.value, 1.5, 1e-9);
    const back = mixtureW1Distance1d(shifted(P3, 1.5), gmm1d(P3), 4000);
    within(back.value, r.value, 1e-12);
    const same = mixtureW1Distance1d(gmm1d(P3), gmm1d(P3), 100);
    expect(same.value).toBe(0);
    expect(same.errorEstimate).toBeLessThan(1e-300);
  });

  it('laws 2⁻⁵⁰ apart: W1 = 2⁻⁵⁰ within the rounding allowance, which stays ≈ range × 1e-15', () => {
    const r = mixtureW1Distance1d(g1(0, 1), g1(2 ** -50, 1), 400);
    expect(Math.abs(r.value - 2 ** -50)).toBeLessThanOrEqual(r.errorEstimate);
    // h Σ_j e_j with e_j ≤ Σ|w|·(FAST_TAIL_ABS_ERROR + argument rounding) ≈ 2.2e-15 over a range of 80
    expect(r.errorEstimate).toBeLessThan(2e-13);
  });

  it('a parameter error pe widens the estimate (same value)', () => {
    const pe = { weight: 1e-6, mean: 1e-6, sd: 1e-6, meanAbsolute: 1e-6 };
    const plain = mixtureW1Distance1d(gmm1d(P3), g1(1, 2), 2000);
    const wide = mixtureW1Distance1d(gmm1d(P3), g1(1, 2), 2000, pe);
    expect(wide.value).toBe(plain.value);
    // a mean shift of 1e-6 alone moves W1 by up to 1e-6 (W1 is 1-Lipschitz in a translation)
    expect(wide.errorEstimate).toBeGreaterThan(plain.errorEstimate + 1e-6);
    expect(wide.errorEstimate).toBeLessThan(1e-3);
  });
});

// ---------------------------------------------------------------------------------------------
// χ² and KL

function chi2Gaussians(m1: number, v1: number, m2: number, v2: number): number {
  return (v2 / Math.sqrt(v1 * (2 * v2 - v1))) * Math.exp((m1 - m2) ** 2 / (2 * v2 - v1)) - 1;
}
function klGaussians(m1: number, v1: number, m2: number, v2: number): number {
  return 0.5 * Math.log(v2 / v1) + (v1 + (m1 - m2) ** 2) / (2 * v2) - 0.5;
}

/**
 * χ²/KL tolerance (relative to max(1, value)): the trapezoid of the module at step ≤ s_min/8 on an
 * analytic integrand has an aliasing error ~e^{−2π²(s/h)²} (Poisson summation): nil; its rounding is
 * γ_n Σ|terms| with n ≤ 2·10⁴ nodes, ≈ 2e-12 relative; the closed forms carry ≤ 10 roundings, the
 * test's Simpson its step-halving bound (≤ 1e-11 checked). DIV_TOL = 1e-10.
 */
const DIV_TOL = 1e-10;

describe('mixtureChiSquare1d', () => {
  it('two Gaussians (v_p < 2 v_q): the closed form', () => {
    for (const [m1, v1, m2, v2] of [[0, 1, 1.5, 1], [0, 1, 0.5, 4], [1, 2.25, -0.5, 1.5], [0.5, 0.25, 0, 1]] as const) {
      const r = mixtureChiSquare1d(g1(m1, v1), g1(m2, v2), 2000);
      const exact = chi2Gaussians(m1, v1, m2, v2);
      within(r.value, exact, DIV_TOL * Math.max(1, exact));
      expect(r.errorEstimate).toBeGreaterThanOrEqual(0);
      expect(r.errorEstimate).toBeLessThan(1e-9 * Math.max(1, exact));
      expect(r.nodes).toBeGreaterThan(2000);
    }
  });

  it('v_p ≥ 2 v_q: +∞ with errorEstimate 0; a zero-weight wide component of p does not count', () => {
    expect(mixtureChiSquare1d(g1(0, 2), g1(0, 1), 200)).toEqual({ value: Infinity, errorEstimate: 0 });
    expect(mixtureChiSquare1d(gmm1d([[0.5, 0, 1], [0.5, 1, 3]]), gmm1d([[0.5, 0, 1], [0.5, 2, 1.4]]), 200)).toEqual({ value: Infinity, errorEstimate: 0 });
    const p = gmm1d([[1, 0, 1], [0, 0, 9]]);
    const r = mixtureChiSquare1d(p, g1(0.5, 1), 2000);
    within(r.value, chi2Gaussians(0, 1, 0.5, 1), DIV_TOL);
    // q's zero-weight narrow component neither narrows the window step nor counts for v_q
    const q = gmm1d([[1, 0, 1], [0, 0, 0.01]]);
    within(mixtureChiSquare1d(g1(0.5, 1.5), q, 2000).value, chi2Gaussians(0.5, 1.5, 0, 1), DIV_TOL);
  });

  it('one ulp inside the boundary, where √v rounds back onto it: a RangeError naming the boundary', () => {
    // v_p = 0.6 − 2⁻⁵³ < 2·0.3 on the stored doubles, but the quadrature's s_p = √v_p rounds so that
    // s_p² ≥ 2 s_q² (precondition checked here): the integrand would not decay
    const vp = 0.6 - 2 ** -53;
    expect(vp < 2 * 0.3).toBe(true);
    expect(Math.sqrt(vp) ** 2 < 2 * Math.sqrt(0.3) ** 2).toBe(false);
    expect(() => mixtureChiSquare1d(g1(0, vp), g1(0, 0.3), 200)).toThrow(
      new RangeError(`mixtureChiSquare1d: v_p = ${vp} is within rounding of 2 v_q = ${2 * 0.3} (D-3 boundary): the quadrature's densities (s = √v rounded) cannot resolve it; use the closed form`),
    );
  });

  it('genuine mixtures: brute-force Simpson of p²/q − 1 written here; identical laws give 0', () => {
    const q = [[0.6, 0, 1], [0.4, 2, 1.5]] as const;
    const pm = gmm1d(P3);
    const qm = gmm1d(q);
    const exact = simpsonChecked((x) => density(P3, x) ** 2 / density(q, x), -25, 30, 3000, 1e-10) - 1;
    const r = mixtureChiSquare1d(pm, qm, 2000);
    within(r.value, exact, DIV_TOL * Math.max(1, exact));
    expect(exact).toBeGreaterThan(0.5);
    within(mixtureChiSquare1d(pm, gmm1d(P3), 2000).value, 0, 1e-12);
  });

  it('the window widens until both ends are e^{−80} below the peak: far-off peak of p²/q, either side', () => {
    // p = N(±3, 1.96), q = N(0, 1): p²/q ∝ exp(−c x² + b x), c = (2 − 1.96)/(2·1.96) ≈ 0.0102, peak at
    // x* = 2·(±3)/(2 − 1.96) = ±150, outside the first window means ± R, R = √(120/c) + 12√3.92 ≈ 132:
    // the window must grow on the side of the peak. 1 + χ² = e^{225}/√(1.96·0.04); the integrand's
    // logs are ≈ 2.3e4 in size, so its rounding is ≈ 2.3e4·4ε ≈ 2e-11 relative (within DIV_TOL)
    for (const m of [3, -3]) {
      const r = mixtureChiSquare1d(g1(m, 1.96), g1(0, 1), 2000);
      const exact = chi2Gaussians(m, 1.96, 0, 1);
      within(r.value, exact, DIV_TOL * exact);
    }
    // a milder case: N(3, 1.9) vs N(0, 1)
    const mild = chi2Gaussians(3, 1.9, 0, 1);
    within(mixtureChiSquare1d(g1(3, 1.9), g1(0, 1), 2000).value, mild, DIV_TOL * mild);
  });

  it('near the D-3 boundary (v_p = 2 − 2⁻²⁴, v_q = 1) one grid would need > 2²⁰ intervals: the split window keeps the closed form', () => {
    const vp = 2 - 2 ** -24;
    const r = mixtureChiSquare1d(g1(0, vp), g1(0, 1), 2000);
    const exact = chi2Gaussians(0, vp, 0, 1); // ≈ 2^12.5
    // the module integrates with s_p = √v_p ROUNDED: s_p² = v_p(1 + θ), |θ| ≤ 2u, moves 2 − v_p = 2⁻²⁴
    // by ≤ 2u·v_p, and 1 + χ² ∝ (2 − v_p)^{−1/2} by ≤ u·v_p/(2 − v_p) ≈ 3.7e-9 relative; the split
    // trapezoid resolves the width 1/√(2c) ≈ 5.8e3 with steps ≤ 0.35 (aliasing nil), its rounding and
    // the closed form's are within DIV_TOL: tolerance 2·u·v_p/(2 − v_p) + DIV_TOL, relative
    const sqrtRounding = (2 * 2 ** -53 * vp) / (2 - vp);
    within(r.value, exact, (sqrtRounding + DIV_TOL) * exact);
    // the estimate (step halving of the coarse-step tails): measured 4.5e-8 relative; not vacuous
    expect(r.errorEstimate).toBeLessThan(1e-6 * exact);
    expect(r.errorEstimate).toBeGreaterThan(0);
    // the documented split: core [−40 s_max, 40 s_max] (s_max = √v_p) at step min(len/cells, s_min/8)
    // = 113.1/2000 → 2000 intervals, and each tail (≈ 9e4 long at step 1/8 would be ≈ 7e5 intervals)
    // capped at 2¹⁸ intervals; one node more per piece
    expect(r.nodes).toBe(2001 + 2 * (2 ** 18 + 1));
  });

  it('a very narrow component of q forces the split inside the core: one piece of 2²⁰ intervals, no tails', () => {
    // q = ½N(0, 1) + ½N(0, 2⁻²⁴): s_min = 2⁻¹² needs ≈ 2.1e6 intervals on one grid, but the window means ± R
    // (R = √240 + 12√2 ≈ 32.5) lies inside the core ±40 s_max: no tail piece, the core capped at 2²⁰
    // intervals (step 6.2e-5 ≈ s_min/4: the trapezoid on a Gaussian bump at 4 nodes per sd errs by
    // ≈ e^{−2π²·16}, nil). Oracle: p²/q = 2p − 2pg/(p + g) (g the narrow density), so
    // χ² = 1 − ∫ 2pg/(p + g), the integral by Simpson written here on ±0.01 (41 narrow sds; beyond, the
    // integrand is < 2g < 1e-300)
    const s = 2 ** -12;
    const phi = (x: number) => Math.exp(-0.5 * x * x) / SQRT_2PI;
    const spike = simpsonChecked((x) => { const pp = phi(x); const gg = phi(x / s) / s; return (2 * pp * gg) / (pp + gg); }, -0.01, 0.01, 4000, 1e-12);
    const r = mixtureChiSquare1d(g1(0, 1), gmm1d([[0.5, 0, 1], [0.5, 0, s * s]]), 2000);
    expect(r.nodes).toBe(2 ** 20 + 1);
    within(r.value, 1 - spike, 1e-10 + r.errorEstimate);
    expect(spike).toBeGreaterThan(1e-3);
    expect(r.errorEstimate).toBeLessThan(1e-6);
  });

  it('a finite χ² beyond the double range (split window): +∞ with errorEstimate +∞ (unknown, not infinite)', () => {
    // N(1, 2 − 2⁻²⁴) vs N(0, 1): 1 + χ² = … · exp(1/2⁻²⁴) overflows; v_p < 2 v_q, so it is finite
    const r = mixtureChiSquare1d(g1(1, 2 - 2 ** -24), g1(0, 1), 2000);
    expect(r).toEqual({ value: Infinity, errorEstimate: Infinity });
  });
});

describe('mixtureKl1d', () => {
  it('two Gaussians: the closed form; symmetric case KL(p‖q) with equal variances is Δm²/(2v)', () => {
    for (const [m1, v1, m2, v2] of [[0, 1, 1.5, 1], [0, 1, 0.5, 4], [1, 2.25, -0.5, 0.25], [0, 4, 0, 1]] as const) {
      const r = mixtureKl1d(g1(m1, v1), g1(m2, v2), 2000);
      const exact = klGaussians(m1, v1, m2, v2);
      within(r.value, exact, DIV_TOL * Math.max(1, exact));
      expect(r.errorEstimate).toBeGreaterThanOrEqual(0);
      expect(r.errorEstimate).toBeLessThan(1e-9 * Math.max(1, exact));
    }
    within(mixtureKl1d(g1(0, 1), g1(2, 1), 2000).value, 2, DIV_TOL * 2);
  });

  it('genuine mixtures: brute-force Simpson of p log(p/q); identical laws give 0; nodes ≥ 8 per smallest sd', () => {
    const q = [[0.6, 0, 1], [0.4, 2, 1.5]] as const;
    const exact = simpsonChecked((x) => {
      const p = density(P3, x);
      return p > 0 ? p * Math.log(p / density(q, x)) : 0;
    }, -25, 30, 3000, 1e-10);
    const r = mixtureKl1d(gmm1d(P3), gmm1d(q), 100);
    within(r.value, exact, DIV_TOL * Math.max(1, exact));
    // the documented grid: every component of p and q ± 40 sd, i.e. [2 − 40√1.5, 2 + 40√1.5] (q's
    // widest component reaches furthest both ways), with max(cells, 8 per smallest sd = 0.5)
    // intervals rounded up to even
    const range = 2 + 40 * Math.sqrt(1.5) - (2 - 40 * Math.sqrt(1.5));
    expect(r.nodes).toBe(2 * Math.ceil(Math.max(100, range / (0.5 / 8)) / 2) + 1);
    expect(mixtureKl1d(gmm1d(P3), gmm1d(q), 3001).nodes).toBe(3003); // cells above 8 per sd: rounded up to even
    within(mixtureKl1d(gmm1d(P3), gmm1d(P3), 100).value, 0, 1e-12);
  });
});
