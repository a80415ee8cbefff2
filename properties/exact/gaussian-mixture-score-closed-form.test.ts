/**
 * The exact score of the OU push-forward of a Gaussian mixture (src/scores/gaussian-mixture-score.ts,
 * docs/theory.md §5.2) against its closed form written here (issue 11, mutation item):
 *
 *   ∇ log (P_t q)(x) = Σ_k r_k(x) · (−S_k(t)⁻¹ (x − a_t m_k)),   S_k(t) = a_t² S_k + σ_t² I,
 *   r_k ∝ w_k |S_k(t)|^{−½} exp(−½ (x − a_t m_k)ᵀ S_k(t)⁻¹ (x − a_t m_k)),
 *   a_t = e^{−t/2}, σ_t² = 1 − e^{−t} (the OU transition, docs/theory.md §1).
 *
 * Oracles (no code of the module, no src linear algebra): exact dyadic cases at t = 0 (one component,
 * so r = 1 exactly; or two components at equal Mahalanobis distance with equal weights and
 * determinants, so both logits are equal and r = ½ exactly) whose scores are dyadic rationals
 * computed by hand: compared with toBe. The module's inverse of S = [[4, 2], [2, 5]] is exact too
 * (Cholesky factor [[2, 0], [1, 2]], every step dyadic), so the full kernel is pinned exactly.
 * A general property over iso / diagonal / full mixtures, d ≤ 3, K ≤ 3, t ∈ [0, 2]: the closed form
 * evaluated here with Gauss–Jordan elimination (partial pivoting) for S_k(t)⁻¹ and log|S_k(t)|.
 *
 * Tolerance of the general property (`scoreTolerance`, per coordinate j), first-order in u = 2⁻⁵³:
 *   |Δs_j| ≤ Σ_k r_k |Δg_kj| + Σ_k |Δr_k| |g_kj|,   g_k = −P_k (x − μ_k), P_k = S_k(t)⁻¹.
 *   Inversion (either method, backward stable): ‖ΔP_k‖ ≤ c·d·κ_k·u·‖P_k‖ with c ≤ 4 for d ≤ 3
 *   (Higham, Accuracy and Stability, §14.3: Cholesky / GJE forward error ≤ c_d κ u); the mat-vec,
 *   μ = a m and x − μ add ≤ (d + 2) u ‖P_k‖ (‖x − μ_k‖ + |μ_k|). Hence
 *   |Δg_kj| ≤ (4dκ + d + 2)·u·‖P_k‖_∞·(‖x − μ_k‖_∞ + ‖μ_k‖_∞) =: G_k.
 *   Logits ℓ_k = log w_k − ½ log|S_k(t)| − ½ (x − μ_k)ᵀ g_k: |Δℓ_k| ≤ u·|log w_k| + 2dκ·u·(1 +
 *   |log|S_k||) + ½ d ‖x − μ_k‖_∞ G_k + d u |quadratic| =: L_k.
 *   Softmax: dr_k = r_k (dℓ_k − Σ_i r_i dℓ_i), plus (K + 3) u r_k for exp, sum and division, so
 *   Σ_k |Δr_k||g_kj| ≤ (2 max_k L_k + (K + 3) u) · max_k |g_kj|; the final sum adds K u Σ r_k|g_kj|.
 *   Both the module and the oracle carry such an error: TOLERANCE_FACTOR = 2 (two computations)
 *   × 2 (second-order terms and the κ of the oracle's pivoting, bounded by the SPD κ here) = 4,
 *   times that first-order sum, plus an ABSOLUTE term 4u (so the bound holds at s = 0).
 *   κ_k ≤ ‖S_k(t)‖_∞ ‖S_k(t)⁻¹‖_∞ (for symmetric S, ‖·‖₂ ≤ ‖·‖_∞), computed from the oracle's inverse.
 * Power: the bound is asserted ≤ 1e-6 absolute (over 20 000 generated cases, seed 11: largest 1.3e-7,
 * smallest 4.4e-16; the observed error never above 2.2 % of it), far below what a wrong term of the
 * formula (sign, factor ½, missing σ², a_t vs a_t², a wrong weight) changes on a generic case.
 */
import { describe, expect, it } from 'vitest';
import { fc, test } from '../support/prop.ts';
import { diagonalGaussian, fullGaussian, isotropicGaussian, type Gaussian } from '../../src/distributions/gaussian.ts';
import { gaussianMixture, type GaussianMixture } from '../../src/distributions/gaussian-mixture.ts';
import { compileAtTime, gaussianMixtureScore } from '../../src/scores/gaussian-mixture-score.ts';
import { evaluateField } from '../../src/scores/vector-field.ts';
import { boundedDouble as dbl, gaussianArb, vectorArb as vec, type CovarianceKind } from '../support/arbitraries.ts';

const U = 2 ** -53;
const TOLERANCE_FACTOR = 4;
/** Relative tolerance of one value through ≤ 4 roundings / libm calls (≤ 1 ulp = 2u each). */
const REL_TOL = 8 * U;

const score = (q: GaussianMixture, t: number, x: readonly number[]): number[] => Array.from(evaluateField(gaussianMixtureScore(q), t, Float64Array.from(x)));

function expectRel(actual: number, expected: number, rel = REL_TOL): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(rel * Math.abs(expected));
}

// ---------------------------------------------------------------------------------------------
// The closed form, evaluated independently

/** Gauss–Jordan with partial pivoting: inverse and log|det| of a d×d row-major matrix. */
function gaussJordan(m: readonly number[], d: number): { inv: number[]; logDet: number } {
  const a = Array.from({ length: d }, (_, i) => [...m.slice(i * d, i * d + d), ...Array.from({ length: d }, (_, j) => (i === j ? 1 : 0))]);
  let logDet = 0;
  for (let c = 0; c < d; c++) {
    let p = c;
    for (let r = c + 1; r < d; r++) if (Math.abs(a[r]![c]!) > Math.abs(a[p]![c]!)) p = r;
    [a[c], a[p]] = [a[p]!, a[c]!];
    const piv = a[c]![c]!;
    logDet += Math.log(Math.abs(piv));
    for (let j = 0; j < 2 * d; j++) a[c]![j] = a[c]![j]! / piv;
    for (let r = 0; r < d; r++) {
      if (r === c) continue;
      const f = a[r]![c]!;
      for (let j = 0; j < 2 * d; j++) a[r]![j] = a[r]![j]! - f * a[c]![j]!;
    }
  }
  return { inv: a.flatMap((row) => row.slice(d)), logDet };
}

const normInf = (m: readonly number[], d: number): number => Math.max(...Array.from({ length: d }, (_, i) => m.slice(i * d, i * d + d).reduce((s, v) => s + Math.abs(v), 0)));
const vecInf = (v: readonly number[]): number => Math.max(0, ...v.map(Math.abs));

interface Oracle {
  s: number[];
  tol: number[];
}

/** The closed form at (q, t, x) and its rounding tolerance (header). */
function closedForm(q: GaussianMixture, t: number, x: readonly number[]): Oracle {
  const d = q.dim;
  const K = q.components.length;
  const a = Math.exp(-t / 2);
  const s2 = -Math.expm1(-t); // 1 − e^{−t} without cancellation at small t
  const ell: number[] = [];
  const g: number[][] = [];
  const G: number[] = [];
  const L: number[] = [];
  q.components.forEach((c, k) => {
    const St = Array.from({ length: d * d }, (_, i) => a * a * c.cov[i]! + (i % (d + 1) === 0 ? s2 : 0));
    const { inv: P, logDet } = gaussJordan(St, d);
    const mu = Array.from({ length: d }, (_, j) => a * c.mean[j]!);
    const diff = x.map((v, j) => v - mu[j]!);
    const gk = Array.from({ length: d }, (_, i) => -diff.reduce((acc, v, j) => acc + P[i * d + j]! * v, 0));
    const quad = -diff.reduce((acc, v, j) => acc + v * gk[j]!, 0);
    const logW = Math.log(q.weights[k]!);
    ell.push(logW - 0.5 * logDet - 0.5 * quad);
    g.push(gk);
    const kappa = normInf(St, d) * normInf(P, d);
    const Gk = (4 * d * kappa + d + 2) * U * normInf(P, d) * (vecInf(diff) + vecInf(mu));
    G.push(Gk);
    L.push(U * Math.abs(logW) + 2 * d * kappa * U * (1 + Math.abs(logDet)) + 0.5 * d * vecInf(diff) * Gk + d * U * Math.abs(quad));
  });
  const max = Math.max(...ell);
  const e = ell.map((v) => Math.exp(v - max));
  const sum = e.reduce((p, v) => p + v, 0);
  const r = e.map((v) => v / sum);
  const s = Array.from({ length: d }, (_, j) => r.reduce((acc, rk, k) => acc + rk * g[k]![j]!, 0));
  const maxL = Math.max(...L);
  const tol = Array.from({ length: d }, (_, j) => {
    const maxG = Math.max(...g.map((gk) => Math.abs(gk[j]!)));
    const first = r.reduce((acc, rk, k) => acc + rk * G[k]!, 0) + (2 * maxL + (K + 3) * U) * maxG + K * U * r.reduce((acc, rk, k) => acc + rk * Math.abs(g[k]![j]!), 0);
    return TOLERANCE_FACTOR * first + 4 * U;
  });
  return { s, tol };
}

// ---------------------------------------------------------------------------------------------

describe('§5.2 GMM score, exact dyadic cases at t = 0 (r = 1 or r = ½ exactly)', () => {
  it('one isotropic component: s = −(x − m)/v', () => {
    const q = gaussianMixture([1], [isotropicGaussian([1, -2], 4)]);
    expect(score(q, 0, [3, 2])).toEqual([-0.5, -1]);
  });
  it('one diagonal component: s_j = −(x_j − m_j)/v_j', () => {
    const q = gaussianMixture([1], [diagonalGaussian([0, 1, -1], [2, 4, 0.5])]);
    expect(score(q, 0, [1, 3, 0])).toEqual([-0.5, -0.5, -2]);
  });
  it('one full component S = [[4, 2], [2, 5]] (S⁻¹ = [[5, −2], [−2, 4]]/16): s = −S⁻¹(x − m)', () => {
    const q = gaussianMixture([1], [fullGaussian([1, 1], [4, 2, 2, 5])]);
    expect(score(q, 0, [2, 2])).toEqual([-3 / 16, -2 / 16]);
    expect(score(q, 0, [1, 3])).toEqual([4 / 16, -8 / 16]);
  });
  it('two isotropic components at equal distance: s = ½ Σ −(x − m_k)/v', () => {
    const q = gaussianMixture([0.5, 0.5], [isotropicGaussian([2, 0], 1), isotropicGaussian([0, 2], 1)]);
    expect(score(q, 0, [0, 0])).toEqual([1, 1]);
    const q2 = gaussianMixture([0.5, 0.5], [isotropicGaussian([2, 0], 2), isotropicGaussian([0, -2], 2)]);
    expect(score(q2, 0, [0, 0])).toEqual([0.5, -0.5]);
  });
  it('two diagonal components at equal Mahalanobis distance and equal determinants', () => {
    // variances (1, 4) and (4, 1): |S| = 4 for both; at x = 0 the Mahalanobis² of m₁ = (2, 0) and m₂ = (0, 2) are 2²/1 = 4
    const q = gaussianMixture([0.5, 0.5], [diagonalGaussian([2, 0], [1, 4]), diagonalGaussian([0, 2], [4, 1])]);
    // scores −P(x − m): (2, 0) and (0, 2); average (1, 1)
    expect(score(q, 0, [0, 0])).toEqual([1, 1]);
    const q3 = gaussianMixture([0.5, 0.5], [diagonalGaussian([2, 0], [1, 4]), diagonalGaussian([0, 4], [1, 4])]);
    // q₁ = 4, q₂ = 16/4 = 4, equal |S|: ½(2, 0) + ½(0, 1)
    expect(score(q3, 0, [0, 0])).toEqual([1, 0.5]);
  });
  it('two full components S = [[4, 2], [2, 5]], m₁ = (2, 1), m₂ = (0, 2) (both at Mahalanobis² 1 from 0): s = ½ S⁻¹(m₁ + m₂) = (1/8, 1/4)', () => {
    const S = [4, 2, 2, 5];
    const q = gaussianMixture([0.5, 0.5], [fullGaussian([2, 1], S), fullGaussian([0, 2], S)]);
    expect(score(q, 0, [0, 0])).toEqual([1 / 8, 1 / 4]);
  });
  it('mixed kinds use the most general layout and give the same exact values', () => {
    // isotropic + diagonal → diagonal kernel; isotropic + full → full kernel; order does not matter
    const iso = isotropicGaussian([2, 0], 1);
    const diag = diagonalGaussian([0, 2], [1, 1]);
    const full = fullGaussian([0, 2], [1, 0, 0, 1]);
    expect(compileAtTime(gaussianMixture([0.5, 0.5], [iso, diag]), 0).layout).toBe('diagonal');
    expect(compileAtTime(gaussianMixture([0.5, 0.5], [diag, iso]), 0).layout).toBe('diagonal');
    expect(compileAtTime(gaussianMixture([0.5, 0.5], [iso, full]), 0).layout).toBe('full');
    expect(compileAtTime(gaussianMixture([0.5, 0.5], [full, iso]), 0).layout).toBe('full');
    expect(compileAtTime(gaussianMixture([0.5, 0.5], [diag, full]), 0).layout).toBe('full');
    expect(compileAtTime(gaussianMixture([0.5, 0.5], [iso, iso]), 0).layout).toBe('isotropic');
    for (const other of [diag, full]) {
      expect(score(gaussianMixture([0.5, 0.5], [iso, other]), 0, [0, 0])).toEqual([1, 1]);
      expect(score(gaussianMixture([0.5, 0.5], [other, iso]), 0, [0, 0])).toEqual([1, 1]);
    }
  });
});

describe('§5.2 GMM score: log-sum-exp shifts by the LARGEST logit (components ≫ 709 nats apart)', () => {
  // Two equal-weight components with the same covariance, one at distance ≈ 141 from x: its logit is
  // ≈ 10⁴ below the near one's, so its responsibility is exp(−10⁴) = 0 exactly and the score is the
  // near component's alone, in exact dyadic arithmetic. Shifting by any other logit (e.g. the last)
  // gives exp(+10⁴) = ∞ and a NaN score. Both component orders, each layout.
  const far = [100, 100];
  const cases: [string, (m: number[]) => Gaussian, number[]][] = [
    ['isotropic v = 1', (m) => isotropicGaussian(m, 1), [-1, 1]],
    ['diagonal v = (1, 4)', (m) => diagonalGaussian(m, [1, 4]), [-1, 0.25]],
    ['full S = [[4, 2], [2, 5]] (S⁻¹ = [[5, −2], [−2, 4]]/16)', (m) => fullGaussian(m, [4, 2, 2, 5]), [-7 / 16, 6 / 16]],
  ];
  for (const [what, law, expected] of cases) {
    it(`${what}: s(x) = −S⁻¹(x − m_near) exactly, near component first or last`, () => {
      for (const order of ['near first', 'near last']) {
        const comps = order === 'near first' ? [law([0, 0]), law(far)] : [law(far), law([0, 0])];
        expect(score(gaussianMixture([0.5, 0.5], comps), 0, [1, -1]), order).toEqual(expected);
      }
    });
  }
});

describe('§5.2 compiled parameters at time t (compileAtTime): a_t m_k, S_k(t)⁻¹, log w_k − ½ log|S_k(t)|', () => {
  const t = 1;
  const a = Math.exp(-0.5); // a_1 = e^{−1/2}
  const s2 = -Math.expm1(-1); // σ_1² = 1 − e^{−1}
  it('isotropic: means, precision 1/(a² v + σ²), logConst = log w − (d/2) log(a² v + σ²)', () => {
    const q = gaussianMixture([0.25, 0.75], [isotropicGaussian([1, -2], 4), isotropicGaussian([0, 3], 0.5)]);
    const c = compileAtTime(q, t);
    expect(c.t).toBe(t);
    expect(c.layout).toBe('isotropic');
    expect(c.means).toHaveLength(4);
    [1, -2, 0, 3].forEach((m, i) => expectRel(c.means[i]!, a * m));
    expect(c.precision).toHaveLength(2);
    const v = [a * a * 4 + s2, a * a * 0.5 + s2];
    v.forEach((vk, k) => expectRel(c.precision[k]!, 1 / vk));
    // log w − log v: two libm logs (≤ 1 ulp each), one subtraction, v itself within 4u: absolute ≤ 8u (|log w| + |log v| + 1)
    [0.25, 0.75].forEach((w, k) => {
      const expected = Math.log(w) - Math.log(v[k]!);
      expect(Math.abs(c.logConst[k]! - expected)).toBeLessThanOrEqual(8 * U * (Math.abs(Math.log(w)) + Math.abs(Math.log(v[k]!)) + 1));
    });
  });
  it('diagonal: precision per coordinate, logConst = log w − ½ Σ_j log(a² v_j + σ²)', () => {
    const q = gaussianMixture([1], [diagonalGaussian([2, 0, -1], [4, 1, 0.25])]);
    const c = compileAtTime(q, t);
    expect(c.layout).toBe('diagonal');
    const v = [4, 1, 0.25].map((x) => a * a * x + s2);
    expect(c.precision).toHaveLength(3);
    v.forEach((vj, j) => expectRel(c.precision[j]!, 1 / vj));
    [2, 0, -1].forEach((m, j) => expectRel(c.means[j]!, a * m));
    const logDet = v.reduce((acc, x) => acc + Math.log(x), 0);
    expect(Math.abs(c.logConst[0]! + 0.5 * logDet)).toBeLessThanOrEqual(16 * U * (Math.abs(0.5 * logDet) + 1));
  });
  it('full: precision = S(t)⁻¹ (d×d per component), logConst = log w − ½ log|S(t)|', () => {
    const q = gaussianMixture([0.5, 0.5], [fullGaussian([1, 1], [4, 2, 2, 5]), fullGaussian([0, -1], [1, 0, 0, 2])]);
    const c = compileAtTime(q, t);
    expect(c.layout).toBe('full');
    expect(c.precision).toHaveLength(8);
    [1, 1, 0, -1].forEach((m, i) => expectRel(c.means[i]!, a * m));
    const st0 = [4 * a * a + s2, 2 * a * a, 2 * a * a, 5 * a * a + s2];
    const det0 = st0[0]! * st0[3]! - st0[1]! * st0[2]!;
    const inv0 = [st0[3]! / det0, -st0[1]! / det0, -st0[2]! / det0, st0[0]! / det0];
    // 2×2 adjugate over a determinant with cancellation ≤ 1/(1 − 4a⁴/((4a²+σ²)(5a²+σ²))) < 2: ≤ 64u relative
    inv0.forEach((p, i) => expect(Math.abs(c.precision[i]! - p)).toBeLessThanOrEqual(64 * U * Math.abs(inv0[0]!)));
    expectRel(c.precision[4]!, 1 / (a * a + s2), 16 * U);
    expect(Math.abs(c.precision[5]!)).toBe(0);
    expectRel(c.precision[7]!, 1 / (2 * a * a + s2), 16 * U);
    expect(Math.abs(c.logConst[0]! - (Math.log(0.5) - 0.5 * Math.log(det0)))).toBeLessThanOrEqual(64 * U);
    expect(Math.abs(c.logConst[1]! - (Math.log(0.5) - 0.5 * Math.log((a * a + s2) * (2 * a * a + s2))))).toBeLessThanOrEqual(64 * U);
  });
  it('t = 0: the parameters of q itself (a = 1, σ² = 0): exact dyadics', () => {
    const c = compileAtTime(gaussianMixture([0.5, 0.5], [isotropicGaussian([1, 2], 4), isotropicGaussian([-3, 0], 0.25)]), 0);
    expect(Array.from(c.means)).toEqual([1, 2, -3, 0]);
    expect(Array.from(c.precision)).toEqual([0.25, 4]);
    expectRel(c.logConst[0]!, -3 * Math.LN2); // log ½ − (2/2) log 4 = −3 ln 2
    expectRel(c.logConst[1]!, Math.LN2); // log ½ − log ¼ = ln 2
  });
});

describe('§5.2 atoms: the score at t = 0 of a mixture with an atom is undefined (throws); at t > 0 it is the closed form', () => {
  const msg = 'gaussianMixtureScore: score of a mixture with atoms at t = 0 is undefined';
  const atom = isotropicGaussian([1, 0], 0);
  it('throws at t = 0 in every layout (exact message)', () => {
    for (const other of [isotropicGaussian([0, 0], 1), diagonalGaussian([0, 0], [1, 2]), fullGaussian([0, 0], [2, 1, 1, 2])]) {
      for (const comps of [[atom, other], [other, atom]]) {
        const q = gaussianMixture([0.5, 0.5], comps);
        expect(() => compileAtTime(q, 0)).toThrow(msg);
        expect(() => score(q, 0, [0, 0])).toThrow(msg);
      }
    }
  });
  it('at t > 0 an atom is N(a m, σ² I): the score is the closed form', () => {
    for (const other of [isotropicGaussian([0, 0], 1), diagonalGaussian([0, 0], [1, 2]), fullGaussian([0, 0], [2, 1, 1, 2])]) {
      const q = gaussianMixture([0.5, 0.5], [atom, other]);
      const x = [0.3, -0.7];
      const { s, tol } = closedForm(q, 0.5, x);
      score(q, 0.5, x).forEach((v, j) => expect(Math.abs(v - s[j]!)).toBeLessThanOrEqual(tol[j]!));
    }
  });
});

describe('§5.2 evaluate: batches, output overwritten, time cache, field metadata', () => {
  const q = gaussianMixture([0.3, 0.7], [isotropicGaussian([1, -1], 0.5), isotropicGaussian([-2, 0.5], 2)]);
  const qd = gaussianMixture([0.3, 0.7], [diagonalGaussian([1, -1], [0.5, 1]), diagonalGaussian([-2, 0.5], [2, 0.25])]);
  const qf = gaussianMixture([0.3, 0.7], [fullGaussian([1, -1], [1, 0.5, 0.5, 1]), fullGaussian([-2, 0.5], [2, -0.3, -0.3, 0.5])]);
  const pts = [0.5, 0.5, -1, 2, 3, -3];
  it('a batch of m points equals m single evaluations, and overwrites whatever `out` held', () => {
    for (const law of [q, qd, qf]) {
      const f = gaussianMixtureScore(law);
      const out = new Float64Array(6).fill(Number.NaN);
      f.evaluate(0.7, Float64Array.from(pts), 3, out);
      const single = [0, 1, 2].flatMap((i) => score(law, 0.7, pts.slice(2 * i, 2 * i + 2)));
      expect(Array.from(out)).toEqual(single);
      for (let i = 0; i < 3; i++) {
        const { s, tol } = closedForm(law, 0.7, pts.slice(2 * i, 2 * i + 2));
        s.forEach((v, j) => expect(Math.abs(out[2 * i + j]! - v)).toBeLessThanOrEqual(tol[j]!));
      }
    }
  });
  it('alternating and new times (two-entry cache) give the values of a fresh field at each time', () => {
    for (const law of [q, qd, qf]) {
      const f = gaussianMixtureScore(law);
      const x = Float64Array.from([0.25, -0.5]);
      for (const t of [0.1, 0.2, 0.1, 0.3, 0.2, 0.1, 0, 0.1]) {
        const got = evaluateField(f, t, x);
        expect(Array.from(got)).toEqual(Array.from(evaluateField(gaussianMixtureScore(law), t, x)));
        const { s, tol } = closedForm(law, t, [0.25, -0.5]);
        s.forEach((v, j) => expect(Math.abs(got[j]! - v)).toBeLessThanOrEqual(tol[j]!));
      }
    }
  });
  it('far from every component (responsibilities underflow but one): finite, the nearest component’s score', () => {
    const far = [40, -40];
    for (const law of [q, qd, qf]) {
      const { s, tol } = closedForm(law, 0, far);
      const got = score(law, 0, far);
      got.forEach((v, j) => {
        expect(Number.isFinite(v)).toBe(true);
        expect(Math.abs(v - s[j]!)).toBeLessThanOrEqual(tol[j]!);
      });
    }
  });
  it('zero-weight components do not contribute', () => {
    const z = gaussianMixture([0, 1], [isotropicGaussian([5, 5], 1), isotropicGaussian([1, -2], 4)]);
    expect(score(z, 0, [3, 2])).toEqual([-0.5, -1]);
    const zf = gaussianMixture([1, 0], [fullGaussian([1, 1], [4, 2, 2, 5]), fullGaussian([0, 0], [1, 0, 0, 1])]);
    expect(score(zf, 0, [2, 2])).toEqual([-3 / 16, -2 / 16]);
  });
  it('dim, law and the declared fused path', () => {
    const f = gaussianMixtureScore(qd);
    expect(f.dim).toBe(2);
    expect(f.law).toBe(qd);
    expect(f.fusedPath).toEqual({ kind: 'gaussian-mixture', law: qd });
    expect(f.fusedPath!.law).toBe(qd);
  });
});

type Kind = CovarianceKind;
const compArb = (d: number, kind: Kind): fc.Arbitrary<Gaussian> =>
  gaussianArb(d, kind, { mean: 3, variance: { min: 0.05, max: 2 }, factor: 1, jitter: { min: 0.05, max: 1 } });
const caseArb = fc
  .record({ d: fc.integer({ min: 1, max: 3 }), K: fc.integer({ min: 1, max: 3 }), kind: fc.constantFrom<Kind>('isotropic', 'diagonal', 'full') })
  .chain(({ d, K, kind }) =>
    fc.record({
      comps: fc.array(compArb(d, kind), { minLength: K, maxLength: K }),
      w: fc.array(dbl(0.05, 1), { minLength: K, maxLength: K }),
      t: fc.oneof(fc.constant(0), dbl(0, 2)),
      x: vec(d, -4, 4),
    }).map(({ comps, w, t, x }) => {
      const total = w.reduce((p, v) => p + v, 0);
      return { q: gaussianMixture(w.map((v) => v / total), comps), t, x };
    }),
  );

describe('§5.2 GMM score = closed form Σ r_k (−S_k(t)⁻¹(x − a_t m_k)) (iso / diagonal / full, d ≤ 3, K ≤ 3)', () => {
  test.prop([caseArb], { numRuns: 60 })('|score − closed form| ≤ derived rounding bound (itself ≤ 1e-6)', ({ q, t, x }) => {
    const { s, tol } = closedForm(q, t, x);
    const got = score(q, t, x);
    for (let j = 0; j < q.dim; j++) {
      expect(tol[j]!).toBeLessThanOrEqual(1e-6);
      expect(Math.abs(got[j]! - s[j]!)).toBeLessThanOrEqual(tol[j]!);
    }
  });
});
