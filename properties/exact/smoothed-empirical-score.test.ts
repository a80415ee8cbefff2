/**
 * The smoothed empirical score and the Monte Carlo terms of its energy
 * (src/estimators/smoothed-empirical-score.ts, P1-12, P1 Eq. 12) against the closed form written here:
 *
 *   ŝ(x, t) = Σ_j π_j(x) (a_t X_j − x)/v,  v = a_t² h² + σ_t²,  π_j ∝ exp(−‖x − a_t X_j‖²/(2v)),
 *   a_t = e^{−t/2}, σ_t² = 1 − e^{−t},
 *
 * i.e. the score of the isotropic mixture (1/n) Σ_j N(a_t X_j, v I). The oracle `isoMixtureScore`
 * (any weights and per-component variances; used for ŝ and for the exact score s of the isotropic
 * data mixture P_t q) takes the softmax without a max shift, as π_j = 1 / Σ_i exp(ℓ_i − ℓ_j) (an
 * overflow to +∞ gives π_j = 0, the right limit): a different computation from the module's.
 *
 * Exact cases (t = 0 so a = 1, σ² = 0, v = h²; integer samples and points; compared with toBe):
 * one sample (ŝ = (X − x)/h²); two samples at equal distance (π = ½ each exactly); samples 10³–10⁴
 * nats apart in either order, one of them first or last (the far weights underflow to 0 exactly,
 * the log-sum-exp shift must be by the largest logit); the guard v > 0 (t = 0 with h = 0).
 *
 * Tolerance of the general property (`scoreTolerance`, per coordinate k, first order in u = 2⁻⁵³):
 *   B_j = Σ_k (|x_k| + |a X_jk|)²: r2_j = ‖x − a X_j‖² within (d + 4)u·B_j (a within 2u, d products,
 *   subtractions and sums); v within 6u·v (exp, expm1, products, one sum of positive terms);
 *   ℓ_j = −r2_j/(2v) within L_j = (d + 4)u B_j/(2v) + 8u|ℓ_j|; the softmax then moves π_j by
 *   ≤ π_j (2 max_i L_i + (n + 3)u) (exp, the shift or the pairwise differences, the sum, the division);
 *   g_jk = (a X_jk − x_k)/v within 3u(|a X_jk| + |x_k|)/v + 7u|g_jk|; the weighted sum of n terms and the
 *   final division add (n + 2)u Σ_j π_j|g_jk|. Per computation
 *   E_k = (2 max L + (2n + 5)u) Σ_j π_j|g_jk| + Σ_j π_j (3u(|a X_jk| + |x_k|)/v + 7u|g_jk|);
 *   TOLERANCE_FACTOR = 2 (module and oracle) × 2 (second-order terms) = 4 times E_k.
 * Power: asserted ≤ 1e-8·(1 + Σ_j π_j|g_jk|) on every case, far below what a wrong term of the
 * formula (sign, a vs a², the missing σ², h vs h², the softmax) changes.
 *
 * Energy terms: term_m = ‖ŝ − s‖²(x_m, t_m) · t_m log(T/t0) with t_m = t0 exp(log(T/t0)(m + U_m)/M) (U_m
 * uniform: one point per stratum of log t) and x_m = a x0_m + σ z_m (x0 ~ q). The random inputs are
 * rebuilt here from the module's documented streams (rng.derive('samples'), ('points'), ('times'): the
 * M·d normals z first, then one uniform per point; src/random and src/distributions only, not this
 * module); t_m and x_m are evaluated with the same sequence of operations as the formulas above, so
 * both sides hold the same binary64 t_m and x_m, and the tolerance is that of the two scores:
 * |Δ term| ≤ (Σ_k 2|δ_k|τ_k + τ_k² + (d + 3)u‖δ‖²) · t L, δ = ŝ − s (oracle), τ_k = the two score
 * tolerances.
 */
import { describe, expect, it } from 'vitest';
import { fc, test } from '../support/prop.ts';
import { isotropicGaussian } from '../../src/distributions/gaussian.ts';
import { gaussianMixture, sampleMixture, type GaussianMixture } from '../../src/distributions/gaussian-mixture.ts';
import { Rng } from '../../src/random/rng.ts';
import { smoothedEmpiricalScoreAt, smoothedEmpiricalScoreEnergyTerms, type EmpiricalScoreEnergyRequest } from '../../src/estimators/smoothed-empirical-score.ts';
import { boundedDouble as dbl, vectorArb as vec } from '../support/arbitraries.ts';

const U = 2 ** -53;
const TOLERANCE_FACTOR = 4;
const POWER = 1e-8;

interface OracleScore {
  s: number[];
  tol: number[];
  /** Σ_j π_j |g_jk| per k (scale of the power assertion) */
  scale: number[];
}

/**
 * Score of Σ_j w_j N(a μ_j, (a² V_j + σ²) I) at x: Σ_j π_j (a μ_j − x)/v_j with π_j ∝ w_j v_j^{−d/2}
 * exp(−‖x − a μ_j‖²/(2 v_j)), and the tolerance of the file comment (equal weights and variances in
 * the empirical case; the data mixtures of the energy test have the same isotropic form).
 */
function isoMixtureScore(w: readonly number[], mus: readonly number[][], V: readonly number[], t: number, x: readonly number[]): OracleScore {
  const d = x.length;
  const n = mus.length;
  const a = Math.exp(-t / 2);
  const sig2 = -Math.expm1(-t);
  const v = V.map((Vj) => a * a * Vj + sig2);
  const ell: number[] = [];
  const L: number[] = [];
  for (let j = 0; j < n; j++) {
    let r2 = 0;
    let B = 0;
    for (let k = 0; k < d; k++) {
      r2 += (x[k]! - a * mus[j]![k]!) ** 2;
      B += (Math.abs(x[k]!) + Math.abs(a * mus[j]![k]!)) ** 2;
    }
    const lj = Math.log(w[j]!) - (d / 2) * Math.log(v[j]!) - r2 / (2 * v[j]!);
    ell.push(lj);
    // the log-weight and log-determinant terms (constant here when w, v are equal) add ≤ 4u(|log w| + d|log v|)
    L.push(((d + 4) * U * B) / (2 * v[j]!) + 8 * U * Math.abs(lj) + 4 * U * (Math.abs(Math.log(w[j]!)) + d * Math.abs(Math.log(v[j]!))));
  }
  // π_j = 1 / Σ_i exp(ℓ_i − ℓ_j): no max shift; exp overflow → ∞ → π_j = 0
  const pi = ell.map((lj) => 1 / ell.reduce((acc, li) => acc + Math.exp(li - lj), 0));
  const Lmax = Math.max(...L);
  const s: number[] = [];
  const tol: number[] = [];
  const scale: number[] = [];
  for (let k = 0; k < d; k++) {
    let sk = 0;
    let sc = 0;
    let gTerms = 0;
    for (let j = 0; j < n; j++) {
      const g = (a * mus[j]![k]! - x[k]!) / v[j]!;
      sk += pi[j]! * g;
      sc += pi[j]! * Math.abs(g);
      gTerms += pi[j]! * ((3 * U * (Math.abs(a * mus[j]![k]!) + Math.abs(x[k]!))) / v[j]! + 7 * U * Math.abs(g));
    }
    s.push(sk);
    scale.push(sc);
    // Absolute terms, which the relative ones above miss at tiny scales (fresh seed 241507424 shrank to
    // both): (i) this oracle's π_j = 1/Σ_i e^{ℓ_i − ℓ_j} is 0 once a term overflows, i.e. it drops
    // weights below 1/MAX_VALUE, each worth ≤ |g_jk|/MAX_VALUE; (ii) with subnormal operands every
    // product, sum and quotient of the module's Σ_j w_j (a X_j − x)/(Z v) and of Σ π_j g_j may err by
    // half the subnormal spacing η = 2^−1074 absolutely: an error of η/2 in a weight moves the score
    // by ≤ η/2·|g_jk| (Z ≥ 1: the largest weight is 1), one in a numerator by ≤ η/(2v); ≤ (n + 2) of
    // each in either computation: (4n + 8)·η·(1/min v + max_j |g_jk|) covers both.
    let gMax = 0;
    let gSum = 0;
    for (let j = 0; j < n; j++) {
      const g = Math.abs((a * mus[j]![k]! - x[k]!) / v[j]!);
      gMax = Math.max(gMax, g);
      gSum += g;
    }
    const underflow = gSum / Number.MAX_VALUE + (4 * n + 8) * Number.MIN_VALUE * (1 / Math.min(...v) + gMax);
    tol.push(TOLERANCE_FACTOR * ((2 * Lmax + (2 * n + 5) * U) * sc + gTerms + underflow));
  }
  return { s, tol, scale };
}

/** Empirical case: samples X_j (rows), bandwidth h: weights 1/n, variances h². */
const empiricalOracle = (X: readonly number[][], h: number, t: number, x: readonly number[]): OracleScore =>
  isoMixtureScore(X.map(() => 1 / X.length), X, X.map(() => h * h), t, x);

/** The module at one point, with out and logw pre-filled with garbage (they must be overwritten). */
function moduleScore(X: readonly number[][], h: number, t: number, x: readonly number[]): number[] {
  const d = x.length;
  const out = new Float64Array(d).fill(1234.5);
  const logw = new Float64Array(X.length).fill(-99);
  smoothedEmpiricalScoreAt(Float64Array.from(X.flat()), X.length, d, h, t, x, out, logw);
  return Array.from(out);
}

describe('P1-12 smoothed empirical score ŝ(x, t): exact cases (t = 0, integer data)', () => {
  it('one sample: ŝ = (X − x)/h²', () => {
    expect(moduleScore([[3, -1]], 1, 0, [1, 1])).toEqual([2, -2]);
    expect(moduleScore([[3, -1]], 2, 0, [1, 1])).toEqual([0.5, -0.5]);
    expect(moduleScore([[5]], 0.5, 0, [-3])).toEqual([32]);
  });

  it('two samples at equal distance 5 from x: π = ½ each, ŝ = (mean − x)/h²', () => {
    // x = (1, 1), X = (4, 5), (6, 1): both at distance 5; mean − x = (4, 2); h = 2: ŝ = (1, 0.5)
    expect(moduleScore([[4, 5], [6, 1]], 2, 0, [1, 1])).toEqual([1, 0.5]);
    expect(moduleScore([[6, 1], [4, 5]], 2, 0, [1, 1])).toEqual([1, 0.5]);
    // three rows, d = 3 (row-major layout): x = 0, X = (2,0,0), (0,2,0), (0,0,2): ŝ = (2/3, 2/3, 2/3)/1
    const s3 = moduleScore([[2, 0, 0], [0, 2, 0], [0, 0, 2]], 1, 0, [0, 0, 0]);
    for (const v of s3) expect(Math.abs(v - 2 / 3)).toBeLessThanOrEqual(4 * U);
  });

  it('samples thousands of nats apart, the near one first, last or in the middle: exactly the near one', () => {
    // h = 1, t = 0, x = 0: ℓ = −½ X²; X = 1 vs 100, 120 (ℓ = −5000, −7200): the far weights underflow to 0
    for (const X of [[[1], [100]], [[100], [1]], [[120], [1], [100]], [[1], [120], [100]]]) expect(moduleScore(X, 1, 0, [0])).toEqual([1]);
    // all samples far from x (ℓ = −1800, −1860.5): the shift by the largest logit keeps the weights finite
    expect(moduleScore([[60], [61]], 1, 0, [0])).toEqual([60]);
    expect(moduleScore([[61], [60]], 1, 0, [0])).toEqual([60]);
  });

  it('refuses a kernel variance that is not > 0 (t = 0 with h = 0, t < 0), with the documented message', () => {
    const call = (h: number, t: number) => () => smoothedEmpiricalScoreAt(Float64Array.of(1), 1, 1, h, t, [0], new Float64Array(1), new Float64Array(1));
    expect(call(0, 0)).toThrow('smoothedEmpiricalScoreAt: kernel variance 0 at t = 0 (need t > 0 or h > 0)');
    expect(call(0, -1)).toThrow(`smoothedEmpiricalScoreAt: kernel variance ${-Math.expm1(1)} at t = -1 (need t > 0 or h > 0)`);
    expect(call(1e-200, 0)).toThrow('kernel variance 0 at t = 0');
    expect(call(0, 1e-300)).not.toThrow();
    expect(call(1e-100, 0)).not.toThrow();
  });
});

describe('P1-12 smoothed empirical score ŝ(x, t) = brute-force softmax average (general)', () => {
  const caseArb = fc
    .record({ d: fc.integer({ min: 1, max: 3 }), n: fc.integer({ min: 1, max: 5 }) })
    .chain(({ d, n }) =>
      fc.record({
        X: fc.array(vec(d, -3, 3), { minLength: n, maxLength: n }),
        x: vec(d, -4, 4),
        h: fc.oneof(fc.constant(0), dbl(0.05, 2)),
        t: fc.oneof(fc.constant(0), dbl(0.01, 3)),
      }),
    )
    .filter(({ h, t }) => h > 0 || t > 0);

  test.prop([caseArb])('|ŝ − oracle| ≤ derived bound, bound ≤ 1e-8 (1 + Σ π|g|)', ({ X, x, h, t }) => {
    const got = moduleScore(X, h, t, x);
    const o = empiricalOracle(X, h, t, x);
    for (let k = 0; k < x.length; k++) {
      expect(o.tol[k]!).toBeLessThanOrEqual(POWER * (1 + o.scale[k]!));
      expect(Math.abs(got[k]! - o.s[k]!)).toBeLessThanOrEqual(o.tol[k]!);
    }
  });
});

describe('P1-12 energy terms: guards', () => {
  const base = (): EmpiricalScoreEnergyRequest => ({
    data: gaussianMixture([1], [isotropicGaussian([0], 1)]),
    n: 2,
    bandwidth: 0.5,
    t0: 0.1,
    T: 1,
    points: 2,
    rng: Rng.fromPath('ses-guards'),
  });
  it('refuses n or points not an integer ≥ 1, h < 0 or NaN, and windows outside 0 < t0 < T < ∞, with the messages', () => {
    for (const n of [0, -1, 1.5, Number.NaN]) expect(() => smoothedEmpiricalScoreEnergyTerms({ ...base(), n })).toThrow(`smoothedEmpiricalScoreEnergyTerms: n = ${n}`);
    for (const bandwidth of [-1, -1e-300, Number.NaN]) expect(() => smoothedEmpiricalScoreEnergyTerms({ ...base(), bandwidth })).toThrow(`smoothedEmpiricalScoreEnergyTerms: bandwidth ${bandwidth}`);
    for (const [t0, T] of [[0, 1], [-1, 1], [1, 1], [2, 1], [0.1, Number.POSITIVE_INFINITY], [Number.NaN, 1], [0.1, Number.NaN]] as const) {
      expect(() => smoothedEmpiricalScoreEnergyTerms({ ...base(), t0, T })).toThrow(`smoothedEmpiricalScoreEnergyTerms: need 0 < t0 < T (t0 = ${t0}, T = ${T})`);
    }
    // points = 0 used to return an empty set (whose mean is NaN downstream) and 2.5 a RangeError
    for (const points of [0, -1, 2.5, Number.NaN]) expect(() => smoothedEmpiricalScoreEnergyTerms({ ...base(), points })).toThrow(`smoothedEmpiricalScoreEnergyTerms: points = ${points} (need an integer ≥ 1)`);
  });

  it('accepts the boundary values n = 1, h = 0 and a narrow window; one finite term ≥ 0 per point', () => {
    const terms = smoothedEmpiricalScoreEnergyTerms({ ...base(), n: 1, bandwidth: 0, t0: 0.5, T: 0.5000001, points: 3 });
    expect(terms.length).toBe(3);
    for (const v of terms) expect(v >= 0 && Number.isFinite(v)).toBe(true);
  });
});

describe('P1-12 energy terms = ‖ŝ − s‖² t log(T/t0) at the stratified points (rebuilt streams)', () => {
  const caseArb = fc.record({
    d: fc.integer({ min: 1, max: 2 }),
    n: fc.integer({ min: 1, max: 4 }),
    points: fc.integer({ min: 1, max: 5 }),
    h: fc.oneof(fc.constant(0), dbl(0.05, 1)),
    t0: dbl(0.01, 0.5),
    ratio: dbl(1.5, 20),
    seed: fc.integer(),
    means: fc.array(dbl(-2, 2), { minLength: 4, maxLength: 4 }),
    vars: fc.array(dbl(0.1, 1.5), { minLength: 2, maxLength: 2 }),
    w0: dbl(0.2, 0.8),
  });

  test.prop([caseArb], { numRuns: 40 })('every term to the score tolerances', ({ d, n, points, h, t0, ratio, seed, means, vars, w0 }) => {
    const T = t0 * ratio;
    const mus = [means.slice(0, d), means.slice(2, 2 + d)];
    const data: GaussianMixture = gaussianMixture([w0, 1 - w0], [isotropicGaussian(mus[0]!, vars[0]!), isotropicGaussian(mus[1]!, vars[1]!)]);
    const rng = Rng.fromPath('ses-terms', seed);
    const terms = smoothedEmpiricalScoreEnergyTerms({ data, n, bandwidth: h, t0, T, points, rng: Rng.fromPath('ses-terms', seed) });
    expect(terms.length).toBe(points);
    // the documented streams
    const samples = sampleMixture(data, n, rng.derive('samples'));
    const x0 = sampleMixture(data, points, rng.derive('points'));
    const prng = rng.derive('times');
    const z = prng.normals(points * d);
    const X = Array.from({ length: n }, (_, j) => Array.from(samples.subarray(j * d, (j + 1) * d)));
    const logRange = Math.log(T / t0);
    for (let m = 0; m < points; m++) {
      const t = t0 * Math.exp((logRange * (m + prng.uniform())) / points);
      // t in stratum m of log t
      expect(t).toBeGreaterThanOrEqual(t0 * Math.exp((logRange * m) / points) * (1 - 4 * U));
      expect(t).toBeLessThanOrEqual(t0 * Math.exp((logRange * (m + 1)) / points) * (1 + 4 * U));
      const a = Math.exp(-0.5 * t);
      const sd = Math.sqrt(-Math.expm1(-t));
      const x = Array.from({ length: d }, (_, k) => a * x0[m * d + k]! + sd * z[m * d + k]!);
      const sHat = empiricalOracle(X, h, t, x);
      const s = isoMixtureScore([w0, 1 - w0], mus, vars, t, x);
      let e2 = 0;
      let de2 = 0;
      for (let k = 0; k < d; k++) {
        const delta = sHat.s[k]! - s.s[k]!;
        const tau = sHat.tol[k]! + s.tol[k]!;
        e2 += delta * delta;
        de2 += 2 * Math.abs(delta) * tau + tau * tau;
      }
      de2 += (d + 3) * U * e2;
      const expected = e2 * t * logRange;
      // the product by t·L adds ≤ 3 roundings on each side
      const tol = de2 * t * logRange + 8 * U * expected;
      expect(Math.abs(terms[m]! - expected)).toBeLessThanOrEqual(tol);
    }
  });
});
