/**
 * Survivors of the Stryker run on src/divergences/monte-carlo.ts with
 * monte-carlo-divergence-estimators.test.ts alone (properties/mutation/results/monte-carlo-after.json):
 * the inputs that file did not reach. Each block names the mutants it kills (line:column of the
 * report); the equivalent ones are explained in docs/mutation.md (monte-carlo subsection).
 *
 * Oracles (independent of the module under test):
 * - Positive definiteness of integer matrices c·S_a − e·S_b: Sylvester's criterion, leading
 *   principal minors computed exactly (integers far below 2^53).
 * - Witnesses of criterion (c): `checkWitness` recomputes Q_k = 2 S_j⁻¹ − S_k⁻¹ and
 *   b_k = 2 S_j⁻¹ m_j − S_k⁻¹ m_k (or, on the stored boundary S_j = 2 S_k, Q_k = 0 and
 *   b_k = S_k⁻¹(m_j − m_k)) with a Gauss–Jordan inverse written here, κ in closed form, and applies
 *   the DOCUMENTED acceptance rules of the module comment (c): the exact axis rule for diagonal kinds,
 *   (i) uᵀQ_k u < −10 d ε (κ_j + κ_k)(2 uᵀS_j⁻¹u + uᵀS_k⁻¹u), (ii) Q_k u = 0 and b_k = 0 or
 *   b_kᵀu > 10 d ε (κ_j + κ_k) Σ_i |u_i| Σ_c |terms of b_k,i|. Every accepted witness satisfies the
 *   mathematical claim (i) uᵀQ_k u < 0 or (ii) Q_k u = 0, b_kᵀu ≥ 0 a fortiori.
 * - Verdicts 'infinite' are shown by a witness written in each test (a closed-form direction), the
 *   verdicts 'unknown' by hand in each test (no k qualifies for (b); no direction for (c), or only
 *   directions inside the documented rounding margin).
 * - Estimators: identical laws give log p − log q = 0 on every draw, so KL = χ² = 0 and SE = 0.
 */
import { describe, expect, it } from 'vitest';
import { fc, test } from '../support/prop.ts';
import { diagonalGaussian, fullGaussian, isotropicGaussian, type Gaussian } from '../../src/distributions/gaussian.ts';
import { gaussianMixture, singleGaussianMixture, type GaussianMixture } from '../../src/distributions/gaussian-mixture.ts';
import { chiSquareStatus, divergencesMonteCarlo } from '../../src/divergences/monte-carlo.ts';
import { rngForCase } from '../../src/random/rng.ts';
import { caseSeed } from '../support/arbitraries.ts';

const EPS = Number.EPSILON;

// ------------------------------------------------------------------------------------------
// test-side linear algebra

/** Gauss–Jordan inverse with partial pivoting (another method than the module's Cholesky). */
function gjInverse(s: ArrayLike<number>, d: number): Float64Array {
  const a = Array.from({ length: d }, (_, i) => Array.from({ length: 2 * d }, (_, c) => (c < d ? s[i * d + c]! : c - d === i ? 1 : 0)));
  for (let col = 0; col < d; col++) {
    let piv = col;
    for (let r = col + 1; r < d; r++) if (Math.abs(a[r]![col]!) > Math.abs(a[piv]![col]!)) piv = r;
    [a[col], a[piv]] = [a[piv]!, a[col]!];
    const p = a[col]![col]!;
    for (let c = 0; c < 2 * d; c++) a[col]![c]! /= p;
    for (let r = 0; r < d; r++) {
      if (r === col) continue;
      const f = a[r]![col]!;
      if (f !== 0) for (let c = 0; c < 2 * d; c++) a[r]![c]! -= f * a[col]![c]!;
    }
  }
  const out = new Float64Array(d * d);
  for (let i = 0; i < d; i++) for (let c = 0; c < d; c++) out[i * d + c] = a[i]![d + c]!;
  return out;
}

/** κ(S): max/min stored diagonal for isotropic/diagonal kinds; closed-form eigenvalues for 1×1 / 2×2. */
function kappa(g: Gaussian): number {
  const d = g.dim;
  const s = g.cov;
  if (g.kind !== 'full') {
    const diag = Array.from({ length: d }, (_, i) => s[i * d + i]!);
    return Math.max(...diag) / Math.min(...diag);
  }
  if (d === 1) return 1;
  if (d !== 2) throw new Error('kappa: test helper covers d ≤ 2 for full kinds');
  const tr = s[0]! + s[3]!;
  const disc = Math.hypot(s[0]! - s[3]!, 2 * s[1]!);
  return (tr + disc) / (tr - disc);
}

const margin = (d: number, kj: number, kk: number) => 10 * d * EPS * (kj + kk);

function quadForm(m: ArrayLike<number>, u: ArrayLike<number>, d: number): number {
  let s = 0;
  for (let i = 0; i < d; i++) for (let k = 0; k < d; k++) s += u[i]! * m[i * d + k]! * u[k]!;
  return s;
}

/**
 * The documented acceptance rules of criterion (c) applied to a returned witness (module comment
 * (c), "Floating point"); fails the test with the first component k that does not accept u.
 */
function checkWitness(p: GaussianMixture, q: GaussianMixture, w: { j: number; u: Float64Array; case: string }): void {
  const d = p.dim;
  expect(p.weights[w.j]!).toBeGreaterThan(0);
  expect(w.u.length).toBe(d);
  const u = w.u;
  expect(Math.abs(Math.hypot(...u) - 1)).toBeLessThan(1e-12);
  const cj = p.components[w.j]!;
  const sjInv = gjInverse(cj.cov, d);
  const axis = u.filter((x) => x !== 0).length === 1 ? u.findIndex((x) => x !== 0) : -1;
  let anyStrict = false;
  q.components.forEach((ck, k) => {
    if (!(q.weights[k]! > 0)) return;
    const skInv = gjInverse(ck.cov, d);
    const mg = margin(d, kappa(cj), kappa(ck));
    if (axis >= 0 && cj.kind !== 'full' && ck.kind !== 'full' && cj.cov[axis * d + axis]! > 2 * ck.cov[axis * d + axis]!) {
      anyStrict = true; // exact axis rule: 2/s_j,i − 1/s_k,i < 0 decided on the stored doubles
      return;
    }
    const boundary = cj.cov.every((x, i) => x === 2 * ck.cov[i]!);
    const Q = new Float64Array(d * d);
    const b = new Float64Array(d);
    const terms = new Float64Array(d);
    for (let i = 0; i < d; i++) {
      for (let c = 0; c < d; c++) {
        if (boundary) {
          const t = skInv[i * d + c]! * (cj.mean[c]! - ck.mean[c]!);
          b[i]! += t;
          terms[i]! += Math.abs(t);
        } else {
          Q[i * d + c] = 2 * sjInv[i * d + c]! - skInv[i * d + c]!;
          const t1 = 2 * sjInv[i * d + c]! * cj.mean[c]!;
          const t2 = skInv[i * d + c]! * ck.mean[c]!;
          b[i]! += t1 - t2;
          terms[i]! += Math.abs(t1) + Math.abs(t2);
        }
      }
    }
    const val = quadForm(Q, u, d);
    const scaleQ = 2 * quadForm(sjInv, u, d) + quadForm(skInv, u, d);
    if (val < -mg * scaleQ) {
      anyStrict = true;
      return;
    }
    // (ii): Q_k u = 0 (up to the rounding of the test-side inverses) and b_kᵀu above the documented bound
    let qu = 0;
    let qScale = 0;
    for (let i = 0; i < d; i++) {
      let r = 0;
      for (let c = 0; c < d; c++) {
        r += Q[i * d + c]! * u[c]!;
        qScale += Math.abs(2 * sjInv[i * d + c]!) + Math.abs(skInv[i * d + c]!);
      }
      qu = Math.max(qu, Math.abs(r));
    }
    expect(qu, `component ${k}: neither uᵀQu < −margin·scale (${val} vs ${-mg * scaleQ}) nor Q u = 0`).toBeLessThanOrEqual(64 * EPS * qScale);
    const bZero = b.every((x) => x === 0);
    let bu = 0;
    let bScale = 0;
    for (let i = 0; i < d; i++) {
      bu += b[i]! * u[i]!;
      bScale += terms[i]! * Math.abs(u[i]!);
    }
    expect(bZero || bu > mg * bScale, `component ${k}: b_kᵀu = ${bu} not above the documented bound ${mg * bScale}`).toBe(true);
  });
  expect(w.case).toBe(anyStrict ? 'strict' : 'null-direction');
}

function status(p: GaussianMixture, q: GaussianMixture) {
  const s = chiSquareStatus(p, q, { bound: false });
  if (s.witness && s.witness.case !== 'single-gaussian') checkWitness(p, q, s.witness as { j: number; u: Float64Array; case: string });
  return s;
}

const half = [0.5, 0.5];

// ------------------------------------------------------------------------------------------

describe('combinationPD (c·S_a − e·S_b ≻ 0) on d = 2, 3 full covariances against Sylvester minors (L143–L144)', () => {
  /** S = L Lᵀ + I with L integer lower-triangular: an integer SPD matrix with nonzero off-diagonals. */
  const spdInt = (d: number) =>
    fc.array(fc.integer({ min: -2, max: 2 }), { minLength: d * d, maxLength: d * d }).map((raw) => {
      const s = new Float64Array(d * d);
      for (let i = 0; i < d; i++)
        for (let k = 0; k < d; k++) {
          let acc = i === k ? 1 : 0;
          for (let c = 0; c <= Math.min(i, k); c++) acc += raw[i * d + c]! * raw[k * d + c]!;
          s[i * d + k] = acc;
        }
      return s;
    });
  /** leading principal minors of an integer matrix (exact: |entries| ≤ 60, d ≤ 3 ⇒ |minor| < 2^20) */
  function minors(m: Float64Array, d: number): number[] {
    const out = [m[0]!];
    if (d >= 2) out.push(m[0]! * m[d + 1]! - m[1]! * m[d]!);
    if (d === 3)
      out.push(
        m[0]! * (m[4]! * m[8]! - m[5]! * m[7]!) - m[1]! * (m[3]! * m[8]! - m[5]! * m[6]!) + m[2]! * (m[3]! * m[7]! - m[4]! * m[6]!),
      );
    return out;
  }
  const comb = (ca: number, a: Float64Array, cb: number, b: Float64Array) => a.map((x, i) => ca * x - cb * b[i]!);
  /** +1 PD, −1 not PD, 0 a minor is exactly 0 (boundary: skipped, Cholesky may go either way) */
  function pd(m: Float64Array, d: number): number {
    const ms = minors(m, d);
    if (ms.some((x) => x === 0)) return 0;
    return ms.every((x) => x > 0) ? 1 : -1;
  }

  for (const d of [2, 3]) {
    test.prop([fc.array(spdInt(d), { minLength: 2, maxLength: 2 }), fc.array(spdInt(d), { minLength: 1, maxLength: 2 }), fc.array(fc.integer({ min: -3, max: 3 }), { minLength: d, maxLength: d })], { numRuns: 30 })(
      `d = ${d}: (a) and (b) verdicts and varianceFinite = exact Sylvester verdicts of 2 S_k − S_j and 3 S_k − 2 S_j`,
      (qs, ps, mean) => {
        const pairs2 = qs.map((sk) => ps.map((sj) => pd(comb(2, sk, 1, sj), d)));
        const pairs3 = qs.map((sk) => ps.map((sj) => pd(comb(3, sk, 2, sj), d)));
        fc.pre(pairs2.flat().every((x) => x !== 0) && pairs3.flat().every((x) => x !== 0));
        const p = gaussianMixture(
          ps.map(() => 1 / ps.length),
          ps.map((s) => fullGaussian(mean, s)),
        );
        // (a): q one Gaussian: finiteness by 2 S_q − S_j, varianceFinite by 3 S_q − 2 S_j (no search)
        const a = chiSquareStatus(p, singleGaussianMixture(fullGaussian(mean, qs[0]!)), { bound: false });
        expect(a.finiteness).toBe(pairs2[0]!.every((x) => x > 0) ? 'finite' : 'infinite');
        expect(a.varianceFinite).toBe(pairs3[0]!.every((x) => x > 0));
        // (b): two q components; checked where the exact verdict is 'finite' (then no witness search runs,
        // which costs ≈ 0.1 s of eigen-decompositions per call; the other verdicts are covered by the hand cases)
        const finite = pairs2.some((row) => row.every((x) => x > 0));
        if (finite) {
          const q = gaussianMixture(half, qs.map((s, k) => fullGaussian(mean.map((x) => x + k), s)));
          const s = chiSquareStatus(p, q, { bound: false });
          expect(s.finiteness).toBe('finite');
          expect(s.varianceFinite).toBe(pairs3.some((row) => row.every((x) => x > 0)));
        }
      },
    );
  }

  it('hand case d = 2: S_q = [[2,1],[1,2]] (finite, variance finite) and S_j = [[3,1],[1,3]] (2 S_q − S_j singular: infinite)', () => {
    // S_q = [[2,1],[1,2]]; S_j = S_q: 2S_q − S_j = S_q ≻ 0, 3S_q − 2S_j = S_q ≻ 0
    const sq = [2, 1, 1, 2];
    const p = singleGaussianMixture(fullGaussian([0, 0], sq));
    const q = gaussianMixture(half, [fullGaussian([0, 0], sq), fullGaussian([1, 0], sq)]);
    expect(chiSquareStatus(p, q)).toMatchObject({ finiteness: 'finite', varianceFinite: true });
    expect(chiSquareStatus(p, singleGaussianMixture(q.components[0]!))).toMatchObject({ finiteness: 'finite', varianceFinite: true });
    // S_j = [[3,1],[1,3]]: 2S_q − S_j = [[1,1],[1,1]] singular ⇒ not ≻ 0 (exact); 3 S_q − 2 S_j = [[0,1],[1,0]] not ≻ 0
    const p2 = singleGaussianMixture(fullGaussian([0, 0], [3, 1, 1, 3]));
    expect(chiSquareStatus(p2, singleGaussianMixture(q.components[0]!))).toMatchObject({ finiteness: 'infinite', varianceFinite: false });
  });
});

describe('rounding margins: κ from the eigenvalues of full kinds and from the diagonal of diagonal kinds (L127, L132, L292)', () => {
  it('full S_j = 2(1+δ)B, q = two N(0, B), B = [[1,10],[10,101]] (B⁻¹ = [[101,−10],[−10,1]]): δ inside the margin → unknown, outside → infinite', () => {
    // Q_k = 2 S_j⁻¹ − B⁻¹ = −δ/(1+δ) B⁻¹: every direction has uᵀQu / (2uᵀS_j⁻¹u + uᵀB⁻¹u) = −δ/(2+δ)·… ≈ −δ/2.
    // κ(B) = κ(S_j) = ((102 + √(102² − 4))/2)² / 1 ≈ 10402 (det B = 1), so the documented margin is
    // 10·2·ε·(2·10402) ≈ 9.2e-11. δ = 2^-36: δ/2 ≈ 7.3e-12 < margin ⇒ no direction is accepted and
    // 2 S_k − S_j = −2δ B ⊁ 0 ⇒ (b) fails: 'unknown'. δ = 2^-20: δ/2 ≈ 4.8e-7 ≫ margin ⇒ 'infinite'.
    // (With κ from the diagonal, 101, the margin would be 9.0e-13 < 7.3e-12: 'infinite'; mutant L127:7 → true.)
    const B = [1, 10, 10, 101];
    const q = gaussianMixture(half, [fullGaussian([0, 0], B), fullGaussian([0, 0], B)]);
    for (const [delta, verdict] of [
      [2 ** -36, 'unknown'],
      [2 ** -20, 'infinite'],
    ] as const) {
      const p = singleGaussianMixture(fullGaussian([0, 0], B.map((x) => 2 * (1 + delta) * x)));
      expect(kappa(p.components[0]!)).toBeGreaterThan(1e4);
      expect(delta / 2 < margin(2, kappa(p.components[0]!), kappa(q.components[0]!))).toBe(verdict === 'unknown');
      expect(status(p, q).finiteness).toBe(verdict);
    }
  });

  it('diagonal S_j = diag(2^-20, 2(1+δ)) with κ_j = 2^21(1+δ) (large entry LAST), q = two N(0, I) of kind full: the margin applies along e₂', () => {
    // along e₂: uᵀQu = 2/(2(1+δ)) − 1 = −δ/(1+δ), scale = 1/(1+δ) + 1, ratio ≈ −δ/2; every direction
    // with u₁ ≠ 0 adds 2·2^20 u₁² (positive). Margin 10·2·ε·(2^21(1+δ) + 1) ≈ 9.3e-9.
    // δ = 2^-30: δ/2 ≈ 4.7e-10 < margin ⇒ 'unknown'. δ = 2^-10 ⇒ 'infinite' with witness ±e₂.
    // Kills κ from the first diagonal entry only (L132:31) and the exact axis rule applied to a FULL
    // S_k (L292:50/62: it would accept e₂ because 2(1+δ) > 2·1 without the margin).
    const q = gaussianMixture(half, [fullGaussian([0, 0], [1, 0, 0, 1]), fullGaussian([0, 0], [1, 0, 0, 1])]);
    for (const [delta, verdict] of [
      [2 ** -30, 'unknown'],
      [2 ** -10, 'infinite'],
    ] as const) {
      const p = singleGaussianMixture(diagonalGaussian([0, 0], [2 ** -20, 2 * (1 + delta)]));
      expect(delta / 2 < margin(2, 2 ** 21 * (1 + delta), 1)).toBe(verdict === 'unknown');
      const s = status(p, q);
      expect(s.finiteness).toBe(verdict);
      if (verdict === 'infinite') expect(Math.abs(s.witness!.u[1]!)).toBe(1);
    }
  });

  it('1 ulp beyond the boundary along the SECOND axis (d = 2, diagonal kinds): exact axis rule ⇒ infinite, witness ±e₂', () => {
    // S_j = diag(1, 2 + 2^-51) (2 + 2^-51 is the double after 2), S_k = I: 2 S_k − S_j = diag(1, −2^-51)
    // ⊁ 0, uᵀQ_k u along e₂ = 2/(2 + 2^-51) − 1 < 0 exactly (claim (c)(i) with u = e₂): χ² = ∞. In
    // floating point the gap 2^-52 is far inside the margin, so only the exact rule on stored doubles
    // (documented for diagonal kinds along an axis) finds it. Kills axisOf never skipping zeros
    // (L171:9) and the index mutants of the rule (L292:79, L292:110).
    const p = singleGaussianMixture(diagonalGaussian([0, 0], [1, 2 + 2 ** -51]));
    const q = gaussianMixture(half, [isotropicGaussian([0, 0], 1), isotropicGaussian([0, 0], 1)]);
    const s = status(p, q);
    expect(s.finiteness).toBe('infinite');
    expect(s.witness!.case).toBe('strict');
    expect(Math.abs(s.witness!.u[1]!)).toBe(1);
    expect(s.witness!.u[0]).toBe(0);
  });
});

describe('criterion (c) on the stored boundary S_j = 2 S_k: b_k = S_k⁻¹(m_j − m_k) and its rounding bound (L211–L218)', () => {
  it('d = 2 (P1-E1, h² = σ²): p = N(0, 2I), q means (−1, ∓1): witness e₁ (null direction, b_k = (1, ±1))', () => {
    // Q_k = 0 exactly, b_k = m_j − m_k = (1, ±1): b_kᵀe₁ = 1 > 0 for both ⇒ χ² = ∞ by (c)(ii).
    // Kills the index mutants of b (L217:22) and of its rounding scale (L218:31): both read an
    // index outside the row for d = 2 (NaN), so the boundary component would never accept.
    const p = singleGaussianMixture(isotropicGaussian([0, 0], 2));
    const q = gaussianMixture(half, [isotropicGaussian([-1, -1], 1), isotropicGaussian([-1, 1], 1)]);
    const s = status(p, q);
    expect(s.finiteness).toBe('infinite');
    expect(s.witness!.case).toBe('null-direction');
  });

  it('only the first entry of S_j equals 2 S_k (diag(2, 1) vs I): not the boundary; no witness ⇒ unknown', () => {
    // 2 S_k − S_j = diag(0, 1) ⊁ 0 ⇒ (b) fails. Q_k = diag(0, 1) ⪰ 0 ⇒ no strict direction; its null
    // directions ±e₁ have b_kᵀ(±e₁) = ±(m_j − m_k)₁ = ±(∓1): one of the two components is negative ⇒ 'unknown'.
    // (Comparing only entry 0, L211:27, would take Q_k = 0 and accept e₂ since b_k,₂ = 1 > 0.)
    const p = singleGaussianMixture(diagonalGaussian([0, 0], [2, 1]));
    const q = gaussianMixture(half, [isotropicGaussian([1, -1], 1), isotropicGaussian([-1, -1], 1)]);
    expect(status(p, q).finiteness).toBe('unknown');
  });

  it('1-D: b_k = m_j − m_k, not m_j + m_k: p = N(1, 2), q means −3, −2 ⇒ witness +1', () => {
    // b_k = 1 − m_k = 4, 3 > 0 ⇒ u = +1 (−1 gives b_kᵀu < 0). m_j + m_k = −2, −1 would point to −1 (L217:37).
    const p = singleGaussianMixture(isotropicGaussian([1], 2));
    const q = gaussianMixture(half, [isotropicGaussian([-3], 1), isotropicGaussian([-2], 1)]);
    const s = status(p, q);
    expect(s.finiteness).toBe('infinite');
    expect(Array.from(s.witness!.u)).toEqual([1]);
  });

  it('1-D far from the origin: m_j = 2^50, m_k = 2^50 − 1, 2^50 − 2 (differences exact): b_k = 1, 2 ⇒ witness +1', () => {
    // the rounding scale of b_k is Σ|S_k⁻¹(m_j − m_k)| = 1, 2 (the exact differences), not |m_j + m_k| ≈ 2^51
    // (L218:46: then 1 < 10·ε·2·2^51 ≈ 10 and the witness would be rejected).
    const p = singleGaussianMixture(isotropicGaussian([2 ** 50], 2));
    const q = gaussianMixture(half, [isotropicGaussian([2 ** 50 - 1], 1), isotropicGaussian([2 ** 50 - 2], 1)]);
    const s = status(p, q);
    expect(s.finiteness).toBe('infinite');
    expect(Array.from(s.witness!.u)).toEqual([1]);
  });

  it('1-D tiny drift: m_k = −2^-40, −2^-39: b_k = 2^-40, 2^-39 ⇒ witness +1 (the bound is margin × scale, not margin / scale)', () => {
    // b_kᵀu = 2^-40 > 10·ε·2·2^-40 (L313:30 would compare with 4.4e-15 / 2^-40 ≈ 4.9e-3 and reject)
    const p = singleGaussianMixture(isotropicGaussian([0], 2));
    const q = gaussianMixture(half, [isotropicGaussian([-(2 ** -40)], 1), isotropicGaussian([-(2 ** -39)], 1)]);
    const s = status(p, q);
    expect(s.finiteness).toBe('infinite');
    expect(Array.from(s.witness!.u)).toEqual([1]);
  });

  it('full B = [[1,1],[1,2]] (B⁻¹ = [[2,−1],[−1,1]] exact), S_j = 2B: b_k = (−1, 2^45) by cancellation of terms ≈ 2^46', () => {
    // m_j − m_k = (x, y) = (2^45 − 1, 2^46 − 1): b₁ = 2x − y = −1, b₂ = −x + y = 2^45 (integers, exact).
    // e₁: b_kᵀe₁ = −1 < 0 (not a witness). −e₁: b_kᵀu = 1 but the documented bound is
    // 10·2·ε·2κ(B)·(2x + y) ≈ 8.5 (κ(B) = (3+√5)/(3−√5) ≈ 6.85): rejected. e₂: 2^45 ≫ bound: the witness.
    // checkWitness kills a negative rounding scale (L218:13: accepts e₁) and a scale |ski / diff| (L218:27: accepts −e₁).
    const B = [1, 1, 1, 2];
    const x = 2 ** 45 - 1;
    const y = 2 ** 46 - 1;
    const p = singleGaussianMixture(fullGaussian([x, y], B.map((v) => 2 * v)));
    const q = gaussianMixture(half, [fullGaussian([0, 0], B), fullGaussian([0, 0], B)]);
    const s = status(p, q);
    expect(s.finiteness).toBe('infinite');
    expect(s.witness!.case).toBe('null-direction');
    expect(s.witness!.u[1]).toBeCloseTo(1, 12);
  });

  it('b_kᵀu = 0 exactly (b_k = (±1, 0), u = e₂) is not above the documented bound 0: unknown', () => {
    // Q_k = 0 (S_j = 2I, S_k = I); b_k = m_j − m_k = (1, 0), (−1, 0): the only candidates with
    // b_kᵀu ≥ 0 for both are ±e₂ with b_kᵀu = 0 exactly. The module accepts (ii) only when b_k = 0 or
    // b_kᵀu > margin·Σ|terms||u_i| = 0 (documented: "above the same relative margin (or b_k exactly 0)"),
    // so the verdict is 'unknown' (L313:25 `>=` would accept e₂).
    const p = singleGaussianMixture(isotropicGaussian([0, 0], 2));
    const q = gaussianMixture(half, [isotropicGaussian([-1, 0], 1), isotropicGaussian([1, 0], 1)]);
    expect(status(p, q).finiteness).toBe('unknown');
  });
});

describe('criterion (c) off the boundary: rounding scale of b_k (L235)', () => {
  it('diag(2, 1) vs I with m_j = (2^50 + 1, 0), m_k = (2^50, 0): Q_k e₁ = 0 exactly, b_k,₁ = 1 below the bound ≈ 30 ⇒ unknown', () => {
    // b_k,₁ = 2·(1/2)·m_j₁ − m_k₁ = 1 (exact) with terms |m_j₁| + |m_k₁| ≈ 2^51: documented bound
    // 10·2·ε·(κ_j + κ_k)·2^51 = 10·2·ε·3·2^51 = 30 > 1 ⇒ e₁ rejected; −e₁ has b_kᵀu = −1; e₂ and every
    // other direction have uᵀQ_k u = u₂² > 0 (Q_k = diag(0, 1)); 2 S_k − S_j = diag(0, 1) ⊁ 0 ⇒ 'unknown'.
    // (A scale |terms| − |terms| = 1, L235:16, would accept e₁.)
    const p = singleGaussianMixture(diagonalGaussian([2 ** 50 + 1, 0], [2, 1]));
    const q = gaussianMixture(half, [isotropicGaussian([2 ** 50, 0], 1), isotropicGaussian([2 ** 50, 0], 1)]);
    expect(status(p, q).finiteness).toBe('unknown');
  });
});

describe('criterion (c) search: candidate directions (L182, L261, L267–L271, L281)', () => {
  it('normalised sum of the b directions; one b_k = 0 exactly (its direction is skipped, not NaN): witness in a thin wedge', () => {
    // p = N(0, 2I), q: k₀ = N(0, I) (Q = 0, b = 0: accepts every u), k₁, k₂ = N(−b_k, I) with
    // b₁ = (1, 2), b₂ = (−1, −2 + 2^-8): the cone {b₁ᵀu > 0, b₂ᵀu > 0} is a wedge of angle ≈ 2^-8/5
    // around the bisector (n₁ + n₂)/|n₁ + n₂| (n_k = b_k/|b_k|), which lies in it (b_kᵀ(n₁ + n₂) = |b_k|(1 + n₁ᵀn₂) > 0).
    // The axes and the b directions are outside (b₁ᵀn₂ < 0). A NaN from normalising b₀ = 0 (L182) or a lost
    // sum (L267, L271) leaves only the fixed random directions, which miss the wedge.
    const b1 = [1, 2];
    const b2 = [-1, -2 + 2 ** -8];
    const p = singleGaussianMixture(isotropicGaussian([0, 0], 2));
    const q = gaussianMixture([1 / 3, 1 / 3, 1 / 3], [isotropicGaussian([0, 0], 1), isotropicGaussian([-b1[0]!, -b1[1]!], 1), isotropicGaussian([-b2[0]!, -b2[1]!], 1)]);
    const s = status(p, q);
    expect(s.finiteness).toBe('infinite');
    const n1 = b1.map((v) => v / Math.hypot(...b1));
    const n2 = b2.map((v) => v / Math.hypot(...b2));
    const bis = [n1[0]! + n2[0]!, n1[1]! + n2[1]!];
    const nb = Math.hypot(...bis);
    expect(s.witness!.u[0]! * bis[0]! / nb + s.witness!.u[1]! * bis[1]! / nb).toBeGreaterThan(1 - 1e-9);
  });

  it('both signs of every candidate: only −e₁ is a witness (three q components, no b direction or sum is)', () => {
    // p = N(0, 2I); k₁ = N((0, −1), 2^-4 I): Q₁ = I − 16 I ≺ 0 (strict in every direction);
    // k₂, k₃ = N((1, ∓1000), I): Q = 0, b = (−1, ±1000): the cone {−u₁ ± 1000 u₂ > 0} = {u₁ < −1000|u₂|}
    // contains −e₁ (b_kᵀ(−e₁) = 1) but not +e₁, e₂, the b directions (b₂ᵀb₃ < 0) or their sum (≈ (−0.002, 1)).
    const p = singleGaussianMixture(isotropicGaussian([0, 0], 2));
    const q = gaussianMixture([1 / 3, 1 / 3, 1 / 3], [isotropicGaussian([0, -1], 2 ** -4), isotropicGaussian([1, -1000], 1), isotropicGaussian([1, 1000], 1)]);
    const s = status(p, q);
    expect(s.finiteness).toBe('infinite');
    expect(s.witness!.u[0]).toBe(-1);
    expect(Math.abs(s.witness!.u[1]!)).toBe(0);
  });

  it('eigenvectors of Q_k when p is isotropic and q mixes a full and an isotropic component', () => {
    // S_j = 2I; k₁ full S = R(30°) diag(1 − η, 4) R(30°)ᵀ, η = 2^-20: Q₁ = I − S⁻¹ has eigenvalues
    // 1 − 1/(1−η) ≈ −η (along R e₁ = (cos 30°, sin 30°)) and 3/4: a cone of half-width ≈ √(4η/3) ≈ 1.1e-3.
    // k₂ = N(0, 2^-4 I): Q₂ = −15 I. All means 0 (no b direction). χ² = ∞ by (c)(i) with u = R e₁;
    // 2 S_k − S_j ⊁ 0 for both. The cone holds no axis and (with overwhelming odds, fixed directions) no
    // random direction: only the eigenvector of Q₁ (added when SOME q component is full: L261:51, L261:29).
    const c = Math.cos(Math.PI / 6);
    const sn = Math.sin(Math.PI / 6);
    const l1 = 1 - 2 ** -20;
    const l2 = 4;
    const off = c * sn * (l1 - l2);
    const S = [c * c * l1 + sn * sn * l2, off, off, sn * sn * l1 + c * c * l2];
    const p = singleGaussianMixture(isotropicGaussian([0, 0], 2));
    const q = gaussianMixture(half, [fullGaussian([0, 0], S), isotropicGaussian([0, 0], 2 ** -4)]);
    const s = status(p, q);
    expect(s.finiteness).toBe('infinite');
    expect(Math.abs(s.witness!.u[0]! * c + s.witness!.u[1]! * sn)).toBeGreaterThan(1 - 1e-5);
  });

  it('eigenvectors of Q_k when p is full and every q component is diagonal', () => {
    // Target Q₁ = R(30°) diag(−η, 3/4) R(30°)ᵀ, D = diag(1, 4) (kind diagonal): S_j = 2 (Q₁ + D⁻¹)⁻¹
    // (closed-form 2×2 inverse, symmetric as stored). The code's Q₁ = 2 S_j⁻¹ − D⁻¹ equals the target up
    // to rounding (≈ 1e-16 ≪ η = 2^-20), so its negative cone (half-width ≈ 1.1e-3) lies around R e₁,
    // which is neither an axis nor an eigenvector of S_j (Q₁ + D⁻¹ has other eigenvectors) — only the
    // eigenvector of Q₁, added because p is full (L261:29, L261:41). k₂ = N(0, 2^-4 I) with
    // 2 S_k₂ − S_j ⊁ 0 and Q₂ = 2 S_j⁻¹ − 16 I ≺ 0 (S_j⁻¹'s eigenvalues ≤ 1.25/2·… < 8).
    const c = Math.cos(Math.PI / 6);
    const sn = Math.sin(Math.PI / 6);
    const eta = 2 ** -20;
    const qa = c * c * -eta + sn * sn * 0.75;
    const qb = c * sn * (-eta - 0.75);
    const qd = sn * sn * -eta + c * c * 0.75;
    const m00 = qa + 1;
    const m11 = qd + 0.25;
    const det = m00 * m11 - qb * qb;
    const Sj = [(2 * m11) / det, (-2 * qb) / det, (-2 * qb) / det, (2 * m00) / det];
    const p = singleGaussianMixture(fullGaussian([0, 0], Sj));
    const q = gaussianMixture(half, [diagonalGaussian([0, 0], [1, 4]), isotropicGaussian([0, 0], 2 ** -4)]);
    const s = status(p, q);
    expect(s.finiteness).toBe('infinite');
    expect(Math.abs(s.witness!.u[0]! * c + s.witness!.u[1]! * sn)).toBeGreaterThan(1 - 1e-5);
  });
});

describe('estimators in d = 2: the sample buffer holds MC_BLOCK rows of d coordinates (L383)', () => {
  test.prop([caseSeed()], { numRuns: 1 })('identical 2-D laws, n = 1100 > MC_BLOCK / d² rows: KL = χ² = 0 and SE = 0 exactly', (seed) => {
    const p = gaussianMixture(half, [fullGaussian([0, 1], [2, 1, 1, 3]), diagonalGaussian([-1, 0], [1, 0.5])]);
    const both = divergencesMonteCarlo(p, p, 1100, rngForCase(seed, 'both'));
    expect([both.chiSquare.estimate, both.chiSquare.standardError, both.kl.estimate, both.kl.standardError, both.kl.n]).toEqual([0, 0, 0, 0, 1100]);
  });
});
