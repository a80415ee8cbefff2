/**
 * Closed-form divergences (src/divergences/gaussian.ts, mixture-vs-gaussian.ts) against independent
 * deterministic oracles, and the D-3 finiteness boundary (docs/theory.md §5.1, §5.2, D-3, P1-E1).
 *
 * Oracles: docs/theory.md §5.1's own χ² formula (inverses, M = 2S1⁻¹ − S2⁻¹) evaluated here; 1-D
 * quadrature (src/divergences/quadrature-1d.ts, a different computation: densities on a grid);
 * product formulas for diagonal covariances; the finiteness criterion written as a rank-one
 * Schur test. Every tolerance is a named constant with its derivation. Monte Carlo routes are in
 * properties/statistical/divergences-monte-carlo.test.ts; here only their deterministic +∞ answer.
 */
import { describe, expect } from 'vitest';
import { fc, test } from '../support/prop.ts';
import { diagonalGaussian, fullGaussian, isotropicGaussian, type Gaussian } from '../../src/distributions/gaussian.ts';
import { gaussianMixture, singleGaussianMixture, smoothMixture, type GaussianMixture } from '../../src/distributions/gaussian-mixture.ts';
import { chiSquareFromLog, gaussianChiSquare, gaussianChiSquareFinite, gaussianKL, gaussianLogChiSquarePlusOne, gaussianW2 } from '../../src/divergences/gaussian.ts';
import { mixtureChiSquare, mixtureChiSquareFinite, mixtureLogChiSquarePlusOne, twoGaussianMixtureChiSquare } from '../../src/divergences/mixture-vs-gaussian.ts';
import { chiSquareMonteCarlo, chiSquareStatus } from '../../src/divergences/monte-carlo.ts';
import { chiSquare1d, hellingerSquared1d, kl1d, mass1d, mixture1d, tv1d, type GridDensity } from '../../src/divergences/quadrature-1d.ts';
import { mixtureW2Distance1d } from '../../src/divergences/gaussian-mixture-1d.ts';
import { logDetFromCholesky, spdInverse, cholesky, symmetricEigen } from '../../src/linalg/dense.ts';
import { rngForCase } from '../../src/random/rng.ts';
import { normalCdf, normalTail } from '../../src/statistics/normal.ts';
import { gamma, UNDERFLOW_UNIT } from '../../src/numerics/rounding.ts';
import { boundedDouble as dbl, gaussianArb as sharedGaussianArb, gaussianMixtureArb, vectorArb, type CovarianceKind } from '../support/arbitraries.ts';

const EPS = Number.EPSILON;

// ------------------------------------------------------------------------------------------
// arbitraries (valid by construction)

type Kind = CovarianceKind;
const coord = dbl(-3, 3);
const variance = dbl(0.1, 3);
/** Means in [−3, 3]^d, variances in [0.1, 3], full covariances L Lᵀ + c I with L ∈ [−1, 1], c ∈ [0.1, 1.5] (SPD by construction). */
const GAUSSIAN_RANGES = { mean: 3, variance: { min: 0.1, max: 3 }, factor: 1, jitter: { min: 0.1, max: 1.5 } } as const;
const gaussianArb = (d: number, kind: Kind) => sharedGaussianArb(d, kind, GAUSSIAN_RANGES);

const kindArb = fc.constantFrom<Kind>('isotropic', 'diagonal', 'full');
const pairArb = fc
  .record({ d: fc.integer({ min: 1, max: 4 }), k1: kindArb, k2: kindArb })
  .chain(({ d, k1, k2 }) => fc.tuple(gaussianArb(d, k1), gaussianArb(d, k2)));

function condition(s: Float64Array, d: number): number {
  const { values } = symmetricEigen(s, d);
  return Math.abs(values[d - 1]!) / Math.abs(values[0]!);
}

// ------------------------------------------------------------------------------------------

describe('§5.1 Gaussian χ²: inverse-free closed form = docs/theory.md §5.1 formula (D-3)', () => {
  /**
   * docs/theory.md §5.1 route: log ∫N1²/N2 = ½log|S2| − log|S1| − ½log|M| + ½hᵀM⁻¹h + c (inverses).
   * Float bound: each inverse / log-determinant / quadratic form of a matrix with condition κ has
   * relative error ≤ c·d·κ·ε (Cholesky backward stability, c ≤ 4 for these small d); the formula
   * combines ≤ 8 such terms of magnitude ≤ T = Σ|terms|, so |ΔlogJ| ≤ FORMULA_ROUNDING_FACTOR·d·κ_max·ε·(1 + T)
   * with FORMULA_ROUNDING_FACTOR = 64 (8 terms × c ≤ 4 × 2 for both routes).
   */
  const FORMULA_ROUNDING_FACTOR = 64;
  /** |λ_min(G)| ≤ BOUNDARY_AMBIGUITY·‖G‖ is within the input's rounding: finiteness is undecidable there. */
  const BOUNDARY_AMBIGUITY = 1e-10;

  test.prop([pairArb])('log(1+χ²) agrees with the inverse formula; finiteness agrees with M ≻ 0', ([p, q]) => {
    const d = p.dim;
    const s1i = spdInverse(p.cov, d);
    const s2i = spdInverse(q.cov, d);
    const M = new Float64Array(d * d);
    for (let i = 0; i < d * d; i++) M[i] = 2 * s1i[i]! - s2i[i]!;
    const G = new Float64Array(d * d);
    for (let i = 0; i < d * d; i++) G[i] = 2 * q.cov[i]! - p.cov[i]!;
    const ev = symmetricEigen(G, d).values;
    const gNorm = Math.max(Math.abs(ev[0]!), Math.abs(ev[d - 1]!));
    const ambiguous = Math.abs(ev[0]!) <= BOUNDARY_AMBIGUITY * gNorm;
    const mPD = symmetricEigen(M, d).values[0]! > 0;
    const got = gaussianLogChiSquarePlusOne(p, q);
    if (!ambiguous) expect(Number.isFinite(got)).toBe(mPD);
    if (!mPD || ambiguous) return;
    const lM = cholesky(M, d);
    const Minv = spdInverse(M, d);
    const h = new Float64Array(d);
    let c = 0;
    for (let i = 0; i < d; i++) {
      let a = 0;
      let b = 0;
      for (let k = 0; k < d; k++) {
        a += s1i[i * d + k]! * p.mean[k]!;
        b += s2i[i * d + k]! * q.mean[k]!;
      }
      h[i] = 2 * a - b;
      c += -p.mean[i]! * a + 0.5 * q.mean[i]! * b;
    }
    let hMh = 0;
    for (let i = 0; i < d; i++) for (let k = 0; k < d; k++) hMh += h[i]! * Minv[i * d + k]! * h[k]!;
    const t1 = 0.5 * logDetFromCholesky(cholesky(q.cov, d), d);
    const t2 = logDetFromCholesky(cholesky(p.cov, d), d);
    const t3 = 0.5 * logDetFromCholesky(lM, d);
    const want = t1 - t2 - t3 + 0.5 * hMh + c;
    // M = 2S1⁻¹ − S2⁻¹ is formed by a subtraction that can cancel: its entries carry errors ≈ ε(2‖S1⁻¹‖ + ‖S2⁻¹‖),
    // i.e. relative to λ_min(M) an amplification ρ_M = (2‖S1⁻¹‖ + ‖S2⁻¹‖)/λ_min(M) that κ(M) does not see
    // (in 1-D κ(M) = 1 however close M is to 0); log|M| and hᵀM⁻¹h inherit it like a condition number
    const eigMax = (m: Float64Array) => Math.max(...symmetricEigen(m, d).values.map(Math.abs));
    const cancellation = (2 * eigMax(s1i) + eigMax(s2i)) / symmetricEigen(M, d).values[0]!;
    const kappa = Math.max(condition(p.cov, d), condition(q.cov, d), condition(M, d), condition(G, d), cancellation);
    const T = Math.abs(t1) + Math.abs(t2) + Math.abs(t3) + Math.abs(0.5 * hMh) + Math.abs(c);
    expect(Math.abs(got - want)).toBeLessThanOrEqual(FORMULA_ROUNDING_FACTOR * d * kappa * EPS * (1 + T));
  });
});

describe('D-3 χ² = +∞ exactly on and beyond the boundary, finite inside (closed form and MC route)', () => {
  /**
   * S1 = λ S2 + v vᵀ. Independent criterion: G = (2 − λ) S2 − v vᵀ ≻ 0 ⇔ λ < 2 and
   * ρ = vᵀ((2−λ)S2)⁻¹v < 1 (rank-one Schur complement). Cases with |ρ − 1| ≤ SCHUR_AMBIGUITY or
   * |2 − λ| ≤ SCHUR_AMBIGUITY are within rounding (λ is generated on both sides, with the exact
   * boundary λ = 2, v = 0 as its own case below).
   */
  const SCHUR_AMBIGUITY = 1e-9;
  const caseArb = fc
    .record({ d: fc.integer({ min: 1, max: 4 }), lambda: dbl(0.2, 3), vScale: dbl(0, 2) })
    .chain(({ d, lambda, vScale }) => fc.record({ q: gaussianArb(d, 'full'), v: vectorArb(d, -1, 1), m1: vectorArb(d, -3, 3), lambda: fc.constant(lambda), vScale: fc.constant(vScale) }));

  test.prop([caseArb])('finiteness = rank-one Schur criterion; MC route returns +∞ with SE 0 exactly when infinite', ({ q, v, m1, lambda, vScale }) => {
    const d = q.dim;
    const s1 = new Float64Array(d * d);
    for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) s1[i * d + j] = lambda * q.cov[i * d + j]! + vScale * vScale * v[i]! * v[j]!;
    const p = fullGaussian(m1, s1);
    let rho = Infinity;
    if (lambda < 2) {
      const inv = spdInverse(q.cov, d);
      rho = 0;
      for (let i = 0; i < d; i++) for (let k = 0; k < d; k++) rho += (vScale * v[i]!) * inv[i * d + k]! * (vScale * v[k]!);
      rho /= 2 - lambda;
    }
    const ambiguous = Math.abs(2 - lambda) <= SCHUR_AMBIGUITY || Math.abs(rho - 1) <= SCHUR_AMBIGUITY;
    if (ambiguous) return;
    const finite = lambda < 2 && rho < 1;
    expect(gaussianChiSquareFinite(p, q)).toBe(finite);
    const chi = gaussianChiSquare.bind(null, p, q);
    if (!finite) expect(chi()).toBe(Infinity);
    else {
      // finite values may overflow a double near the boundary: then a RangeError, never +∞
      const l = gaussianLogChiSquarePlusOne(p, q);
      expect(Number.isFinite(l)).toBe(true);
    }
    const mc = chiSquareMonteCarlo(singleGaussianMixture(p), singleGaussianMixture(q), 16, rngForCase(0, 'd3'));
    if (!finite) {
      expect(mc.estimate).toBe(Infinity);
      expect(mc.standardError).toBe(0);
      expect(mc.reason).toBeTruthy();
    } else expect(Number.isFinite(mc.estimate)).toBe(true);
  });

  test.prop([fc.integer({ min: 1, max: 10 }), dbl(0.05, 2), fc.integer({ min: 1, max: 5 }), fc.integer()])(
    'P1-E1 boundary h² = σ²: KDE model vs data has χ² = +∞ exactly (Gaussian and 5-component GMM data); h² < σ² finite',
    (d, sigma, K, seed) => {
      const rng = rngForCase(seed, 'p1e1-boundary');
      const comps: Gaussian[] = [];
      for (let k = 0; k < K; k++) comps.push(isotropicGaussian(rng.normals(d).map((x) => 2 * x), sigma * sigma));
      const data = gaussianMixture(new Array(K).fill(1 / K), comps);
      const onBoundary = smoothMixture(data, sigma); // covariance σ² + h² = 2σ² exactly
      const beyond = smoothMixture(data, 1.01 * sigma);
      const inside = smoothMixture(data, 0.99 * sigma);
      // Gaussian data (first component): closed form
      const g = comps[0]!;
      expect(gaussianChiSquare(onBoundary.components[0]!, g)).toBe(Infinity);
      expect(mixtureChiSquare(onBoundary, g)).toBe(Infinity);
      expect(mixtureChiSquare(beyond, g)).toBe(Infinity);
      expect(mixtureChiSquareFinite(smoothMixture(singleGaussianMixture(g), 0.99 * sigma), g)).toBe(true);
      // GMM data: criterion (c) of the MC route proves +∞ without sampling
      for (const model of [onBoundary, beyond]) {
        const st = chiSquareStatus(model, data);
        expect(st.finiteness).toBe('infinite');
        const mc = chiSquareMonteCarlo(model, data, 16, rngForCase(seed, 'p1e1-mc'));
        expect(mc.estimate).toBe(Infinity);
        expect(mc.standardError).toBe(0);
      }
      expect(chiSquareStatus(inside, data).finiteness).toBe('finite');
    },
  );

  test('exact boundary in full covariance: S1 = 2 S2 gives G = 0 and +∞; overflow policy', () => {
    const q = fullGaussian([0.3, -1], [1.3, 0.4, 0.4, 0.7]);
    const p = fullGaussian([1, 2], Float64Array.from(q.cov, (x) => 2 * x));
    expect(gaussianChiSquare(p, q)).toBe(Infinity);
    expect(chiSquareFromLog(Infinity)).toBe(Infinity);
    expect(() => chiSquareFromLog(800)).toThrow(RangeError);
    // a finite χ² beyond double range: log form finite, number form throws (never a clamp, never +∞)
    const far = isotropicGaussian([60], 1);
    const near = isotropicGaussian([0], 1);
    // log(1+χ²) ≈ 3600 computed from O(1) terms: relative rounding ≈ 1e-13 ⇒ absolute ≈ 4e-10 < 5e-10 (9 places)
    const LOG_CHI_DIGITS = 9;
    expect(gaussianLogChiSquarePlusOne(far, near)).toBeCloseTo(3600, LOG_CHI_DIGITS);
    expect(() => gaussianChiSquare(far, near)).toThrow(RangeError);
    // the same boundary against a 2-component GMM with full covariances: criterion (c)(ii) with the
    // exact Q_k = 0, for a p mean outside and inside the segment of q's means (both infinite: the
    // b_k = S⁻¹(m_j − m_k) are not opposite, so a half-space contains both)
    const S = [1.3, 0.4, 0.4, 0.7];
    const qg = gaussianMixture([0.5, 0.5], [fullGaussian([0, 0], S), fullGaussian([3, 1], S)]);
    for (const m of [[4, 2], [1, 0.5]]) {
      const pg = singleGaussianMixture(fullGaussian(m, S.map((v) => 2 * v)));
      expect(chiSquareStatus(pg, qg).finiteness).toBe('infinite');
      expect(chiSquareMonteCarlo(pg, qg, 16, rngForCase(3, 'full-boundary')).estimate).toBe(Infinity);
    }
  });
});

// ------------------------------------------------------------------------------------------
// 1-D quadrature oracle

/**
 * Quadrature windows. For N(μ1,s1²), N(μ2,s2²) with r = s1²/s2² ≤ R_MAX = 1.8, p²/q ∝ N(μ*, s*²)
 * with s*² = s2²/(2/r − 1) ≤ 9 s2² and |μ* − μ1| = s*²|μ1 − μ2|/s2² ≤ 9|μ1 − μ2|. A window
 * reaching 9·spread + WINDOW_SDS·3·s_max beyond the means therefore leaves integrand tails below
 * J·2Q(WINDOW_SDS) = J·2Q(14) ≈ 3e-44·J (J = 1 + χ²): TAIL_BOUND_REL = 1e-30 covers it. (Mixture
 * pairs: S_jk ≤ the wider of the two, so the same window argument applies to each pair term.)
 */
const R_MAX = 1.8;
const WINDOW_SDS = 14;
const TAIL_BOUND_REL = 1e-30;
/**
 * Simpson intervals: h = width/QUAD_INTERVALS ≤ 260/32768 ≈ 0.008 ≤ s_min/30, far into the
 * asymptotic regime, so the Richardson `ruleError` (15× its asymptotic value) bounds the rule error.
 */
const QUAD_INTERVALS = 32768;
/**
 * Rounding of the two routes: closed form ≤ 1e-13 relative (log/exp of O(10) terms with κ ≤ 100);
 * quadrature sums of QUAD_INTERVALS terms: ≤ QUAD_INTERVALS·ε·∫|f| (worst-case recursive summation)
 * = 7.3e-12·(1 + value). CLOSED_FORM_REL = 1e-11 covers both (as a multiple of max(1, value)).
 */
const CLOSED_FORM_REL = 1e-11;

function window1d(means: number[], sds: number[]): { lower: number; upper: number } {
  const lo = Math.min(...means);
  const hi = Math.max(...means);
  const spread = hi - lo;
  const sMax = Math.max(...sds);
  return { lower: lo - 9 * spread - WINDOW_SDS * 3 * sMax, upper: hi + 9 * spread + WINDOW_SDS * 3 * sMax };
}

/**
 * 1-D pairs on the finite side: s1² = r s2², r ≤ R_MAX, and m2 = m1 + δ s2 √(2 − r), |δ| ≤ 3, so
 * the exponent Δ²/(2 s2² − s1²) = δ² ≤ 9 and 1 + χ² ≤ e⁹ · s2²/(s1 √(2s2² − s1²)) ≤ e⁹·10 (no overflow).
 */
const pair1dArb = fc
  .record({
    m1: coord,
    delta: dbl(-3, 3),
    s2: dbl(0.3, 2),
    r: dbl(0.1, R_MAX),
  })
  .map(({ m1, delta, s2, r }) => ({ m1, m2: m1 + delta * s2 * Math.sqrt(2 - r), s2, r }));

function npdf(m: number, s: number) {
  return { logPdf: (x: number) => -0.5 * ((x - m) / s) ** 2 - Math.log(s) - 0.5 * Math.log(2 * Math.PI) };
}

describe('§5.1 Gaussian χ², KL, TV, Hellinger, W2: closed form = 1-D quadrature', () => {
  test.prop([pair1dArb])('χ² and KL within the quadrature bound', ({ m1, m2, s2, r }) => {
    const s1 = Math.sqrt(r) * s2;
    const p = isotropicGaussian([m1], s1 * s1);
    const q = isotropicGaussian([m2], s2 * s2);
    const w = { ...window1d([m1, m2], [s1, s2]), intervals: QUAD_INTERVALS };
    const chi = gaussianChiSquare(p, q);
    const qc = chiSquare1d(npdf(m1, s1), npdf(m2, s2), { ...w, tailBound: TAIL_BOUND_REL * (1 + chi) });
    expect(Math.abs(chi - qc.value)).toBeLessThanOrEqual(qc.error + CLOSED_FORM_REL * Math.max(1, chi));
    const kl = gaussianKL(p, q);
    const qk = kl1d(npdf(m1, s1), npdf(m2, s2), { ...w, tailBound: TAIL_BOUND_REL * (1 + kl) });
    expect(Math.abs(kl - qk.value)).toBeLessThanOrEqual(qk.error + CLOSED_FORM_REL * Math.max(1, kl));
  });

  test.prop([pair1dArb])('TV (equal variances) and Hellinger closed forms; W2 by quantiles = Bures', ({ m1, m2, s2, r }) => {
    const s1 = Math.sqrt(r) * s2;
    const w = { ...window1d([m1, m2], [s1, s2]), intervals: QUAD_INTERVALS, tailBound: 4 * normalTail(WINDOW_SDS * 3) };
    // TV between N(m1, s2²), N(m2, s2²): 2Φ(|Δ|/(2 s2)) − 1
    const tv = tv1d(npdf(m1, s2), npdf(m2, s2), w);
    const tvExact = 2 * normalCdf(Math.abs(m1 - m2) / (2 * s2)) - 1;
    expect(Math.abs(tv.value - tvExact)).toBeLessThanOrEqual(tv.error + CLOSED_FORM_REL);
    // H² = 1 − √(2 s1 s2/(s1²+s2²)) exp(−Δ²/(4(s1²+s2²)))
    const hel = hellingerSquared1d(npdf(m1, s1), npdf(m2, s2), w);
    const helExact = 1 - Math.sqrt((2 * s1 * s2) / (s1 * s1 + s2 * s2)) * Math.exp(-((m1 - m2) ** 2) / (4 * (s1 * s1 + s2 * s2)));
    expect(Math.abs(hel.value - helExact)).toBeLessThanOrEqual(hel.error + CLOSED_FORM_REL);
    // W2² = Δ² + (s1 − s2)² (1-D Bures); quantile route with its GMM tail bound
    const p = isotropicGaussian([m1], s1 * s1);
    const q = isotropicGaussian([m2], s2 * s2);
    const w2 = gaussianW2(p, q);
    const exact = (m1 - m2) ** 2 + (s1 - s2) ** 2;
    /** sqrtPsd via mathjs eigen: relative rounding ≤ 1e-13 on each of the O(1) terms. */
    const BURES_ROUNDING = 1e-12 * (1 + exact + s1 * s1 + s2 * s2);
    expect(Math.abs(w2 * w2 - exact)).toBeLessThanOrEqual(BURES_ROUNDING);
    // the mixture W2 routine (quantiles by Newton with certified errors, rounding included in its
    // estimate): |Ŵ² − W²| = |Ŵ − W|(Ŵ + W) ≤ err·(2W + err)
    const wq = mixtureW2Distance1d(singleGaussianMixture(p), singleGaussianMixture(q));
    const trueW2 = Math.sqrt(exact);
    expect(Math.abs(wq.value * wq.value - exact)).toBeLessThanOrEqual(wq.errorEstimate * (2 * trueW2 + wq.errorEstimate) + BURES_ROUNDING);
  });

  test.prop([fc.integer({ min: 1, max: 5 }), fc.array(fc.tuple(coord, coord, variance, variance), { minLength: 5, maxLength: 5 })])(
    'diagonal d-D: KL and log(1+χ²) are sums over coordinates; W2² = ‖Δ‖² + Σ(√a − √b)²',
    (d, rows) => {
      const use = rows.slice(0, d);
      // keep 2 b − a > 0 on each coordinate by construction: a ∈ [0.1, 3], b' = b + a/2
      const p = diagonalGaussian(use.map((r) => r[0]), use.map((r) => r[2]));
      const q = diagonalGaussian(use.map((r) => r[1]), use.map((r) => r[3] + r[2] / 2));
      let kl = 0;
      let lj = 0;
      let w2 = 0;
      for (let i = 0; i < d; i++) {
        const a = p.cov[i * d + i]!;
        const b = q.cov[i * d + i]!;
        const dm = p.mean[i]! - q.mean[i]!;
        kl += 0.5 * (a / b + (dm * dm) / b - 1 + Math.log(b / a));
        lj += (dm * dm) / (2 * b - a) + Math.log(b) - 0.5 * Math.log(a) - 0.5 * Math.log(2 * b - a);
        w2 += dm * dm + (Math.sqrt(a) - Math.sqrt(b)) ** 2;
      }
      /** d terms of O(10) each, each with ≤ 8 roundings: 1e-13 (1 + |value|) is ≥ 20× that. */
      const SUM_ROUNDING = (v: number) => 1e-13 * (1 + Math.abs(v)) * d;
      expect(Math.abs(gaussianKL(p, q) - kl)).toBeLessThanOrEqual(SUM_ROUNDING(kl));
      expect(Math.abs(gaussianLogChiSquarePlusOne(p, q) - lj)).toBeLessThanOrEqual(SUM_ROUNDING(lj));
      const g = gaussianW2(p, q);
      expect(Math.abs(g * g - w2)).toBeLessThanOrEqual(1e-12 * (1 + w2) * d);
    },
  );
});

describe('§5.2 χ²(GMM ‖ Gaussian) closed form = 1-D quadrature; α p + (1−α) r special case', () => {
  /** component j: mean mq + δ_j sq (|δ| ≤ 2), variance r_j sq² (r ≤ R_MAX): exponents ≤ δ²/(2 − r) ≤ 20, no overflow. */
  const gmmArb = fc.record({
    K: fc.integer({ min: 1, max: 4 }),
    comps: fc.array(fc.tuple(dbl(-2, 2), dbl(0.1, R_MAX), dbl(0.05, 1)), { minLength: 4, maxLength: 4 }),
    mq: coord,
    sq: dbl(0.4, 2),
  });

  /** 40 runs: each evaluates the mixture density on ≈ 10⁵ nodes (keeps the file well under 20 s on one core). */
  test.prop([gmmArb], { numRuns: 40 })('pair-integral closed form within the quadrature bound (finite side of D-3)', ({ K, comps, mq, sq }) => {
    const use = comps.slice(0, K);
    const total = use.reduce((s, c) => s + c[2], 0);
    const p = gaussianMixture(use.map((c) => c[2] / total), use.map((c) => isotropicGaussian([mq + c[0] * sq], c[1] * sq * sq)));
    const q = isotropicGaussian([mq], sq * sq);
    const chi = mixtureChiSquare(p, q);
    expect(Number.isFinite(chi)).toBe(true);
    const m1 = mixture1d(p);
    const w = window1d([...Array.from(m1.means), mq], [...Array.from(m1.sds), sq]);
    const quad = chiSquare1d(m1, npdf(mq, sq), { ...w, intervals: QUAD_INTERVALS, tailBound: TAIL_BOUND_REL * (1 + chi) });
    expect(Math.abs(chi - quad.value)).toBeLessThanOrEqual(quad.error + CLOSED_FORM_REL * Math.max(1, chi));
    // the same integrand through GridDensity arrays (trapezoid route) on a window where q does not
    // underflow (|x − mq| ≤ 30 sq: q ≥ e^{-450}); compared with the Simpson route on that same window,
    // the truncation is shared, so the difference is bounded by the two rule errors.
    const gw = { lower: mq - 30 * sq, upper: mq + 30 * sq, intervals: QUAD_INTERVALS };
    const n = QUAD_INTERVALS + 1;
    const h = (gw.upper - gw.lower) / QUAD_INTERVALS;
    const gp: GridDensity = { x0: gw.lower, h, values: Float64Array.from({ length: n }, (_, i) => m1.pdf(gw.lower + i * h)) };
    const gq: GridDensity = { x0: gw.lower, h, values: Float64Array.from({ length: n }, (_, i) => Math.exp(npdf(mq, sq).logPdf(gw.lower + i * h))) };
    const quadGrid = chiSquare1d(gp, gq);
    const quadSame = chiSquare1d(m1, npdf(mq, sq), gw);
    /** pdf → log round trip (4ε relative per node) plus recursive summation of both routes (QUAD_INTERVALS·ε each). */
    const ROUND_TRIP = (8 + 2 * QUAD_INTERVALS) * EPS * (1 + chi);
    expect(Math.abs(quadSame.value - quadGrid.value)).toBeLessThanOrEqual(quadGrid.error + quadSame.error + ROUND_TRIP);
    expect(Math.abs(mass1d(m1, { ...w, intervals: QUAD_INTERVALS }).value - 1)).toBeLessThanOrEqual(1e-12);
  });

  test.prop([dbl(0, 1), pair1dArb, dbl(-2, 2), dbl(0.1, R_MAX)])(
    'χ²(α p + (1−α) r ‖ p) by pairs = quadrature (the P1-F1 setting, identity not assumed)',
    (alpha, { m1, s2 }, dr, rr) => {
      const mr = m1 + dr * s2;
      const p = isotropicGaussian([m1], s2 * s2);
      const r = isotropicGaussian([mr], rr * s2 * s2);
      const chi = twoGaussianMixtureChiSquare(alpha, p, r);
      const mix = mixture1d(gaussianMixture(alpha === 0 ? [1] : alpha === 1 ? [1] : [alpha, 1 - alpha], alpha === 0 ? [r] : alpha === 1 ? [p] : [p, r]));
      const w = window1d([m1, mr], [s2, Math.sqrt(rr) * s2]);
      const quad = chiSquare1d(mix, npdf(m1, s2), { ...w, intervals: QUAD_INTERVALS, tailBound: TAIL_BOUND_REL * (1 + chi) });
      expect(Math.abs(chi - quad.value)).toBeLessThanOrEqual(quad.error + CLOSED_FORM_REL * Math.max(1, chi));
      // log form agrees with the number form
      expect(Math.abs(Math.expm1(mixtureLogChiSquarePlusOne(gaussianMixture([alpha, 1 - alpha], [p, r]), p)) - chi)).toBeLessThanOrEqual(CLOSED_FORM_REL * Math.max(1, chi));
    },
  );
});

describe('D-3 χ²(GMM ‖ GMM) criteria of the MC route are sound (tail behaviour of p²/q)', () => {
  /**
   * Independent check of `chiSquareStatus` verdicts through the log-integrand
   * f(x) = 2 log p(x) − log q(x) far out along a direction u:
   * - 'infinite' (criterion (c), witness u): p²/q must not decay along u. If the verdict were wrong,
   *   some component would dominate with uᵀQu ≥ γ > 0 and f would drop by ≥ ½γ(16 − 1)L0² between
   *   L0 and 4L0. Checked through the closed-form asymptote of f along the witness (quadratic and, at
   *   the boundary, linear coefficient; derivation at the assertion).
   * - 'finite' (criterion (b)): along every probed u the tail exponent c_u = 2 min_j uᵀS_j⁻¹u − min_k uᵀS_k⁻¹u
   *   of f is ≥ 0 up to rounding (derivation at the assertion).
   */
  const gmm = (d: number) =>
    gaussianMixtureArb({ dims: { min: d, max: d }, components: { min: 1, max: 3 }, kinds: ['diagonal'], mean: 2, variance: { min: 0.2, max: 3 }, factor: 1, jitter: { min: 0.1, max: 1 }, weight: { min: 0.1, max: 1 } });
  const caseArb = fc.integer({ min: 1, max: 2 }).chain((d) =>
    fc.record({
      q: gmm(d),
      p: gmm(d),
      // 'kde': p = q smoothed by h² = σ² on an isotropic q with one σ (exact P1-E1 boundary)
      kde: fc.boolean(),
      sigma: dbl(0.3, 1.5),
      u: vectorArb(d, -1, 1),
    }),
  );
  test.prop([caseArb])('infinite ⇒ no Gaussian decay along the witness; finite ⇒ non-negative tail exponent along ± axes and a random u', ({ q, p, kde, sigma, u }) => {
    const d = q.dim;
    let P: GaussianMixture = p;
    let Q: GaussianMixture = q;
    if (kde) {
      Q = gaussianMixture(q.weights, q.components.map((c) => isotropicGaussian(c.mean, sigma * sigma)));
      P = smoothMixture(Q, sigma);
    }
    const st = chiSquareStatus(P, Q);
    if (kde) expect(st.finiteness).toBe('infinite');
    if (st.finiteness === 'infinite') {
      // Asymptotic exponent of f along a direction (independent closed form, diagonal covariances):
      // log p(tu) = max_j [−½ a_j t² + b_j t] + O(1) with a_j = uᵀS_j⁻¹u, b_j = uᵀS_j⁻¹m_j, so only the
      // components with the smallest a dominate, and among them the largest b. Hence
      // f(tu) = −½ c_u t² + ℓ_u t + O(1), c_u = 2a_p − a_q, ℓ_u = 2 b_p − b_q (b over the dominant
      // components). p²/q does not decay along u iff c_u < 0, or c_u = 0 and ℓ_u ≥ 0 (then f is bounded
      // below or grows: a cone of non-integrable mass). Rounding: a_j, b_j are sums of d quotients /
      // products: relative γ_{d+2} of Σ|terms|; c_u, ℓ_u one more product and subtraction: γ_{d+4};
      // ℓ_u also gets an absolute underflow term (subnormal means).
      // (A finite-scale probe f(4L0u) − f(L0u) ≥ −1 nat is not sound: log-sum-exp switches between
      // q components whose means are 0.058 apart cost 1.0047 nats; found by seed 9001.)
      // Power: a false 'infinite' with Gaussian decay c_u > γ_{d+4}(2a_p + a_q) along the witness, or
      // at the boundary a linear decay ℓ_u < −γ_{d+4}(2|b|_p + |b|_q), is caught.
      const asymptote = (m: GaussianMixture, dir: Float64Array) => {
        let a = Infinity;
        const comps: { a: number; b: number; babs: number }[] = [];
        m.components.forEach((c, k) => {
          if (!(m.weights[k]! > 0)) return;
          let ak = 0;
          let bk = 0;
          let babs = 0;
          for (let i = 0; i < d; i++) {
            ak += (dir[i]! * dir[i]!) / c.cov[i * d + i]!;
            const t = (dir[i]! * c.mean[i]!) / c.cov[i * d + i]!;
            bk += t;
            babs += Math.abs(t);
          }
          comps.push({ a: ak, b: bk, babs });
          a = Math.min(a, ak);
        });
        const tolA = gamma(d + 2) * a;
        let b = -Infinity;
        let babs = 0;
        for (const c of comps) if (c.a <= a + 2 * tolA && c.b > b) {
          b = c.b;
          babs = c.babs;
        }
        return { a, b, babs };
      };
      const noDecay = (dir: Float64Array): boolean => {
        const P_ = asymptote(P, dir);
        const Q_ = asymptote(Q, dir);
        const c = 2 * P_.a - Q_.a;
        const tolC = gamma(d + 4) * (2 * P_.a + Q_.a);
        if (c < -tolC) return true;
        if (c > tolC) return false;
        // + an absolute term: each of the ≤ 2d + 4 operations may round in the subnormal range with an
        // absolute error ≤ UNDERFLOW_UNIT (means of 1e-323 occur after shrinking; found by seed 1).
        return 2 * P_.b - Q_.b >= -(gamma(d + 4) * (2 * P_.babs + Q_.babs) + (2 * d + 4) * UNDERFLOW_UNIT);
      };
      const w = st.witness!;
      if (w.case !== 'single-gaussian') expect(noDecay(w.u), `p²/q decays along the witness ${Array.from(w.u)}`).toBe(true);
      else {
        // q is one Gaussian: the direction is the eigenvector of 2 S_q − S_j with the smallest
        // eigenvalue (≤ 0); along it p²/q ∝ exp(−½λt² + βt): one of ±u does not decay.
        const sq = Q.components[Q.weights.findIndex((v) => v > 0)]!.cov;
        const sj = P.components[w.j]!.cov;
        const g = Float64Array.from(sq, (v, i) => 2 * v - sj[i]!);
        const { vectors } = symmetricEigen(g, d);
        const e = Float64Array.from({ length: d }, (_, i) => vectors[i * d]!);
        expect(noDecay(e) || noDecay(e.map((v) => -v)), 'p²/q decays along both ±e').toBe(true);
      }
    } else if (st.finiteness === 'finite') {
      const dirs: Float64Array[] = [];
      for (let i = 0; i < d; i++) for (const sgn of [1, -1]) {
        const e = new Float64Array(d);
        e[i] = sgn;
        dirs.push(e);
      }
      const n = Math.hypot(...u);
      const SHORT_DIRECTION = 1e-3; // skip near-zero generated directions (not a tolerance)
      if (n > SHORT_DIRECTION) dirs.push(Float64Array.from(u, (v) => v / n));
      // Tail exponent along u (independent closed form, diagonal covariances): log p(tu) = −½ a_p t² + O(t)
      // with a_p = min_j uᵀS_j⁻¹u over p's components (the slowest decay dominates), likewise a_q, so
      // f(tu) = −½ c_u t² + O(t) with c_u = 2a_p − a_q, and c_u < 0 on any direction makes ∫p²/q = ∞
      // (f → +∞ on a cone). So 'finite' requires c_u ≥ 0 up to its rounding (a_j: d quotients and a sum,
      // γ_{d+2} relative; c_u: one more product and subtraction). Power: any false 'finite' with
      // c_u < −γ_{d+4}(2a_p + a_q) (≈ 1e-15 relative) on a probed direction is caught.
      // (A finite-scale probe f(4L0u) < f(L0u) is not a sound check: near the boundary c_u is tiny and
      // the linear term of f dominates at every testable scale; found by seed 4242.)
      const exponent = (m: GaussianMixture, dir: Float64Array) => {
        let a = Infinity;
        m.components.forEach((c, k) => {
          if (!(m.weights[k]! > 0)) return;
          let s = 0;
          for (let i = 0; i < d; i++) s += (dir[i]! * dir[i]!) / c.cov[i * d + i]!;
          a = Math.min(a, s);
        });
        return a;
      };
      for (const dir of dirs) {
        const ap = exponent(P, dir);
        const aq = exponent(Q, dir);
        expect(2 * ap - aq).toBeGreaterThanOrEqual(-gamma(d + 4) * (2 * ap + aq));
      }
    }
  });
});
