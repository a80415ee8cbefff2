/**
 * The Gaussian and Gaussian-mixture laws (src/distributions/gaussian.ts, src/distributions/
 * gaussian-mixture.ts; docs/theory.md §5.2, the GMM world) against oracles written here (issue 11,
 * mutation item): construction and every refusal with its exact message, the affine map of the
 * covariance, log-densities, moments, log-sum-exp, and sampling with scripted random numbers.
 *
 * Oracles.
 * - Log-densities on EXACT-STRUCTURE laws: the test draws a lower factor L with power-of-two
 *   diagonal (½, 1, 2) and off-diagonal entries k/8 (|k| ≤ 8), builds S = L Lᵀ (exact: every product
 *   and sum is a dyadic number of < 20 significant bits), and points and means on the grid k/8. Then
 *   the module's Cholesky factor is L exactly, and Q = ‖L⁻¹(x − m)‖² (forward substitution written
 *   here with the test's own L; divisions by powers of two, so exact) is exact on both sides. The
 *   oracle log N(x; m, S) = −½(d·ln 2π + 2 Σ ln L_ii) − ½ Q uses ln 2π as a decimal constant
 *   (OEIS A061444) and the test's L, never the module's factor or its log-determinant.
 * - Mixture moments by the law of total covariance (centred: Σ w_k S_k + Σ w_k (m_k − m)(m_k − m)ᵀ),
 *   where the module uses raw second moments minus m mᵀ; dyadic cases are exact (toBe).
 * - Sampling: an Rng stand-in hands out scripted uniforms and normals (dyadic), so every draw is
 *   m + L z exactly, the component index is the brute-force count #{k : Σ_{j≤k} w_j ≤ u·Σw}, and
 *   the calls made are recorded (atoms consume no normals).
 *
 * Tolerances (absolute: every bound is u times a sum of ABSOLUTE values of the terms, never relative
 * to a result that may cancel to 0; u = 2⁻⁵³):
 * - LOG_DENSITY_TOL(d, A) = 4(d + 4)·u·A, A = d·ln 2π + 2Σ|ln L_ii| + Q (+ |ln w_k| for a mixture term).
 *   With Q exact, the module's rounding is: ln(fl(2π)) ≤ 3u·ln 2π (2π rounded, libm ≤ 1 ulp), times
 *   d (+u), d logs of L_ii (≤ 1 ulp ≤ 2u|ln L_ii| each: |ln ½| ∈ [½, 1)), their sum (γ_{d−1}), the
 *   last two additions (≤ 2u·A): ≤ (d + 4)u·A. The oracle here takes the same number of roundings:
 *   2(d + 4)u·A in all, ×2 margin.
 * - MIXTURE_TOL(d, K, A) = 4u·((d + 7)·A + K + 6), A = max_k (|ln w_k| + d·ln 2π + 2Σ|ln L_kii| + Q_k):
 *   each log term as above (≤ (d + 5)u·A with ln w_k), v_k − max (≤ 2u·A), exp (≤ 1 ulp relative, i.e.
 *   absolute on the log), the sum of K terms ≤ 1 each (γ_K relative), ln of it and the final addition
 *   (≤ (K + 6)u + u·|result|, |result| ≤ A + ln K); the oracle takes as many: ×2, and ×2 margin.
 * - MOMENT_TOL: see `momentTolerance`.
 * The power: every mutation of a formula changes a value by ≥ 1e-3 here, the tolerances are ≤ 1e-11.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { fc, test } from '../support/prop.ts';
import { gaussianMixtureArb } from '../support/arbitraries.ts';
import {
  affineCovariance,
  compileGaussian,
  diagonalGaussian,
  fullGaussian,
  gaussianDrawFactor,
  gaussianLogDensity,
  isAtom,
  isotropicGaussian,
  isotropicVariance,
  sampleGaussian,
  sampleGaussianInto,
  standardGaussian,
  type Gaussian,
} from '../../src/distributions/gaussian.ts';
import {
  compileMixture,
  empiricalMixture,
  gaussianMixture,
  logSumExp,
  mixMixtures,
  mixtureCovariance,
  mixtureLogDensities,
  mixtureLogDensity,
  mixtureMean,
  mixtureSecondMoment,
  sampleMixture,
  sampleMixtureInto,
  singleGaussianMixture,
  smoothMixture,
  type GaussianMixture,
} from '../../src/distributions/gaussian-mixture.ts';
import { Rng } from '../../src/random/rng.ts';

const U = 2 ** -53;
/** ln 2π (OEIS A061444: 1.83787706640934548356…). */
const LN_2PI = 1.83787706640934548356;
/** ln 2 (OEIS A002162). */
const LN2 = 0.69314718055994530942;

const LOG_DENSITY_TOL = (d: number, a: number): number => 4 * (d + 4) * U * a;
const MIXTURE_TOL = (d: number, K: number, a: number): number => 4 * U * ((d + 7) * a + K + 6);
/** 8 × 2⁻¹⁰⁷⁴: the absolute loss of ≤ 4 products (subnormal results) on each side, per component. */
const UNDERFLOW = 8 * 2 ** -1074;

// ---------------------------------------------------------------------------------------------
// Exact-structure laws (see the header): L lower with diagonal in {½, 1, 2}, off-diagonal k/8.

type Kind = 'isotropic' | 'diagonal' | 'full';

interface ExactLaw {
  readonly g: Gaussian;
  /** the test's own lower factor of the covariance (row-major d×d) */
  readonly L: readonly number[];
}

const grid = (k: number, denominator: number) => fc.integer({ min: -k, max: k }).map((i) => i / denominator);
const powerOfTwoScale = fc.constantFrom(0.5, 1, 2);

function exactLawArb(d: number, kind: Kind): fc.Arbitrary<ExactLaw> {
  const mean = fc.array(grid(16, 8), { minLength: d, maxLength: d });
  if (kind === 'isotropic')
    return fc.tuple(mean, powerOfTwoScale).map(([m, s]) => ({ g: isotropicGaussian(m, s * s), L: lowerOf(d, (i, j) => (i === j ? s : 0)) }));
  if (kind === 'diagonal')
    return fc
      .tuple(mean, fc.array(powerOfTwoScale, { minLength: d, maxLength: d }))
      .map(([m, s]) => ({ g: diagonalGaussian(m, s.map((v) => v * v)), L: lowerOf(d, (i, j) => (i === j ? s[i]! : 0)) }));
  return fc
    .tuple(mean, fc.array(powerOfTwoScale, { minLength: d, maxLength: d }), fc.array(grid(8, 8), { minLength: d * d, maxLength: d * d }))
    .map(([m, s, off]) => {
      const L = lowerOf(d, (i, j) => (i === j ? s[i]! : j < i ? off[i * d + j]! : 0));
      return { g: fullGaussian(m, timesTranspose(L, d)), L };
    });
}

function lowerOf(d: number, entry: (i: number, j: number) => number): number[] {
  const L: number[] = [];
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) L.push(entry(i, j));
  return L;
}

/** L Lᵀ (exact for the grid above). */
function timesTranspose(L: readonly number[], d: number): number[] {
  const S: number[] = [];
  for (let i = 0; i < d; i++)
    for (let j = 0; j < d; j++) {
      let s = 0;
      for (let k = 0; k < d; k++) s += L[i * d + k]! * L[j * d + k]!;
      S.push(s);
    }
  return S;
}

/** ‖L⁻¹ e‖² by forward substitution with the test's L (exact on the grid: divisions by 2^j). */
function quadraticForm(L: readonly number[], e: readonly number[], d: number): number {
  const y: number[] = [];
  let q = 0;
  for (let i = 0; i < d; i++) {
    let s = e[i]!;
    for (let k = 0; k < i; k++) s -= L[i * d + k]! * y[k]!;
    y.push(s / L[i * d + i]!);
    q += y[i]! * y[i]!;
  }
  return q;
}

/** Oracle terms of log N(x; m, S): value and A = d ln 2π + 2Σ|ln L_ii| + Q. */
function logDensityOracle(law: ExactLaw, x: readonly number[]): { value: number; scale: number } {
  const d = law.g.dim;
  const e = x.map((v, i) => v - law.g.mean[i]!);
  const q = quadraticForm(law.L, e, d);
  let logDet = 0;
  let logDetAbs = 0;
  for (let i = 0; i < d; i++) {
    logDet += 2 * Math.log(law.L[i * d + i]!);
    logDetAbs += 2 * Math.abs(Math.log(law.L[i * d + i]!));
  }
  return { value: -0.5 * (d * LN_2PI + logDet) - 0.5 * q, scale: d * LN_2PI + logDetAbs + q };
}

const kindArb = fc.constantFrom<Kind>('isotropic', 'diagonal', 'full');

// ---------------------------------------------------------------------------------------------
// Scripted random numbers

interface Script {
  readonly rng: Rng;
  /** one entry per fillNormal call: the length of the array filled */
  readonly normalCalls: number[];
  uniformCalls: number;
}

/** An Rng stand-in: `uniform()` returns `uniforms` in order, `fillNormal(z)` fills z from `normals` in order. */
function scripted(uniforms: readonly number[], normals: readonly number[]): Script {
  let nu = 0;
  let nn = 0;
  const script: Script = {
    normalCalls: [],
    uniformCalls: 0,
    rng: {
      uniform(): number {
        script.uniformCalls++;
        if (nu >= uniforms.length) throw new Error('script: out of uniforms');
        return uniforms[nu++]!;
      },
      fillNormal(out: Float64Array, offset = 0, count = out.length - offset): void {
        script.normalCalls.push(count);
        for (let i = 0; i < count; i++) {
          if (nn >= normals.length) throw new Error('script: out of normals');
          out[offset + i] = normals[nn++]!;
        }
      },
    } as unknown as Rng,
  };
  return script;
}

const SENTINEL = 12345.5;

// ---------------------------------------------------------------------------------------------
// The running example: S = L Lᵀ with L = [[2,0,0],[1,1,0],[−1,½,½]] (det S = 1).

const L3 = [2, 0, 0, 1, 1, 0, -1, 0.5, 0.5];
const S3 = [4, 2, -2, 2, 2, -0.5, -2, -0.5, 1.5];
const M3 = [1, -1, 0.5];

describe('Gaussian law: constructors (values, kinds, refusals with their exact messages)', () => {
  it('isotropicGaussian(m, v): dim, a copy of m, cov = v·I, kind; v = 0 is an atom', () => {
    const input = [1, -2, 0.5];
    const g = isotropicGaussian(input, 0.25);
    input[0] = 7;
    expect(g.dim).toBe(3);
    expect(Array.from(g.mean)).toEqual([1, -2, 0.5]);
    expect(Array.from(g.cov)).toEqual([0.25, 0, 0, 0, 0.25, 0, 0, 0, 0.25]);
    expect(g.kind).toBe('isotropic');
    expect(isAtom(g)).toBe(false);
    expect(isotropicVariance(g)).toBe(0.25);
    const atom = isotropicGaussian([3], 0);
    expect(isAtom(atom)).toBe(true);
    expect(isotropicVariance(atom)).toBe(0);
    expect(Array.from(atom.cov)).toEqual([0]);
  });
  it('isotropicGaussian refuses an empty or non-finite mean and a negative, NaN or infinite variance', () => {
    expect(() => isotropicGaussian([], 1)).toThrow('isotropicGaussian: empty mean');
    expect(() => isotropicGaussian([0, NaN], 1)).toThrow('isotropicGaussian: mean[1] is not finite');
    expect(() => isotropicGaussian([-Infinity], 1)).toThrow('isotropicGaussian: mean[0] is not finite');
    for (const v of [-1, -1e-300, NaN, Infinity]) expect(() => isotropicGaussian([0], v)).toThrow(`isotropicGaussian: variance ${v} must be finite and ≥ 0`);
  });
  it('diagonalGaussian(m, v): cov = diag(v), kind; refuses a wrong length and v_i ≤ 0, NaN, ∞', () => {
    const g = diagonalGaussian([1, 2], [0.5, 2]);
    expect(g.dim).toBe(2);
    expect(Array.from(g.mean)).toEqual([1, 2]);
    expect(Array.from(g.cov)).toEqual([0.5, 0, 0, 2]);
    expect(g.kind).toBe('diagonal');
    expect(isAtom(g)).toBe(false);
    expect(() => isotropicVariance(g)).toThrow('isotropicVariance: not isotropic');
    expect(() => diagonalGaussian([], [])).toThrow('diagonalGaussian: empty mean');
    expect(() => diagonalGaussian([1, Infinity], [1, 1])).toThrow('diagonalGaussian: mean[1] is not finite');
    expect(() => diagonalGaussian([1, 2], [1])).toThrow('diagonalGaussian: 1 variances for dimension 2');
    expect(() => diagonalGaussian([1], [1, 1])).toThrow('diagonalGaussian: 2 variances for dimension 1');
    for (const v of [0, -1, NaN, Infinity]) expect(() => diagonalGaussian([1, 2], [1, v])).toThrow(`diagonalGaussian: variance[1] = ${v} must be finite and > 0`);
  });
  it('fullGaussian(m, S): a copy of S, kind; refuses a wrong size, non-finite entries, asymmetry and non-PD S', () => {
    const input = [2, 0.5, 0.5, 1];
    const g = fullGaussian([1, -1], input);
    input[1] = 9;
    expect(g.dim).toBe(2);
    expect(Array.from(g.mean)).toEqual([1, -1]);
    expect(Array.from(g.cov)).toEqual([2, 0.5, 0.5, 1]);
    expect(g.kind).toBe('full');
    expect(isAtom(g)).toBe(false);
    expect(() => isotropicVariance(g)).toThrow('isotropicVariance: not isotropic');
    expect(Array.from(fullGaussian([0], [3]).cov)).toEqual([3]);
    expect(() => fullGaussian([], [])).toThrow('fullGaussian: empty mean');
    expect(() => fullGaussian([0, NaN], [1, 0, 0, 1])).toThrow('fullGaussian: mean[1] is not finite');
    expect(() => fullGaussian([0, 0], [1, 0, 0])).toThrow('fullGaussian: covariance has 3 entries, expected 2×2');
    expect(() => fullGaussian([0, 0], [1, 0, 0, 1, 0])).toThrow('fullGaussian: covariance has 5 entries, expected 2×2');
    expect(() => fullGaussian([0, 0], [1, NaN, NaN, 1])).toThrow('fullGaussian: covariance entry 1 is not finite');
    expect(() => fullGaussian([0, 0], [1, 0, 0, Infinity])).toThrow('fullGaussian: covariance entry 3 is not finite');
    expect(() => fullGaussian([0, 0], [1, 0.5, 0.4, 1])).toThrow('fullGaussian: covariance is not symmetric');
    expect(() => fullGaussian([0, 0], [1, 2, 2, 1])).toThrow('fullGaussian: covariance is not positive definite');
    expect(() => fullGaussian([0], [0])).toThrow('fullGaussian: covariance is not positive definite');
  });
  it('standardGaussian(d) = N(0, I_d), isotropic', () => {
    const g = standardGaussian(3);
    expect(g.dim).toBe(3);
    expect(Array.from(g.mean)).toEqual([0, 0, 0]);
    expect(Array.from(g.cov)).toEqual([1, 0, 0, 0, 1, 0, 0, 0, 1]);
    expect(g.kind).toBe('isotropic');
  });
});

describe('Gaussian law: affineCovariance N(m, S) ↦ N(c·m, a·S + b·I), structure kept', () => {
  it('full, diagonal and isotropic laws (dyadic values: exact)', () => {
    const full = affineCovariance(fullGaussian([1, -2], [2, 0.5, 0.5, 1]), 0.5, 3, 0.25);
    expect(full.dim).toBe(2);
    expect(Array.from(full.mean)).toEqual([0.5, -1]);
    expect(Array.from(full.cov)).toEqual([6.25, 1.5, 1.5, 3.25]);
    expect(full.kind).toBe('full');
    const diag = affineCovariance(diagonalGaussian([4, 8], [1, 2]), 0.25, 0.5, 2);
    expect(Array.from(diag.mean)).toEqual([1, 2]);
    expect(Array.from(diag.cov)).toEqual([2.5, 0, 0, 3]);
    expect(diag.kind).toBe('diagonal');
    const iso = affineCovariance(isotropicGaussian([2], 0), 2, 1, 0.5);
    expect(Array.from(iso.mean)).toEqual([4]);
    expect(Array.from(iso.cov)).toEqual([0.5]);
    expect(iso.kind).toBe('isotropic');
    expect(isAtom(iso)).toBe(false);
  });
  it('isAtom is "isotropic with variance 0": a degenerate diagonal law is not an atom (its density throws as non-PD)', () => {
    const flat = affineCovariance(diagonalGaussian([0], [1]), 1, 0, 0);
    expect(flat.cov[0]).toBe(0);
    expect(isAtom(flat)).toBe(false);
    expect(isAtom(affineCovariance(isotropicGaussian([0, 1], 0), 3, 2, 0))).toBe(true);
    expect(() => compileGaussian(flat)).toThrow('Gaussian covariance is not positive definite');
  });
  it('refuses a negative variance of an isotropic or diagonal result (its draws were NaN) and non-finite entries; a full one fails at first use', () => {
    // a·S + b·I with a = −1: variances −1 + 0.5 = −0.5 (isotropic), −1 and −2 + 1.5 = −0.5 (diagonal)
    expect(() => affineCovariance(isotropicGaussian([0, 0], 1), 1, -1, 0.5)).toThrow(
      'affineCovariance(1, -1, 0.5): variance[0] = -0.5 of an isotropic law must be ≥ 0',
    );
    expect(() => affineCovariance(diagonalGaussian([0, 0], [4, 2]), 1, -0.5, 0.5)).toThrow(
      'affineCovariance(1, -0.5, 0.5): variance[0] = -1.5 of a diagonal law must be ≥ 0',
    );
    // only the second variance is negative: the message names index 1
    expect(() => affineCovariance(diagonalGaussian([0, 0], [1, 4]), 1, -0.5, 1.5)).toThrow(
      'affineCovariance(1, -0.5, 1.5): variance[1] = -0.5 of a diagonal law must be ≥ 0',
    );
    // boundary: a variance of exactly 0 is kept (2 − 2 = 0)
    expect(Array.from(affineCovariance(diagonalGaussian([0], [2]), 1, -1, 2).cov)).toEqual([0]);
    expect(isAtom(affineCovariance(isotropicGaussian([0], 2), 1, -1, 2))).toBe(true);
    // overflow and NaN scales: 2¹⁰⁰⁰·2¹⁰⁰⁰ = +∞
    expect(() => affineCovariance(isotropicGaussian([2 ** 1000, 0], 1), 2 ** 1000, 1, 0)).toThrow(
      `affineCovariance(${2 ** 1000}, 1, 0): mean[0] = Infinity is not finite`,
    );
    expect(() => affineCovariance(isotropicGaussian([0, 0], 2 ** 1000), 1, 2 ** 1000, 0)).toThrow(
      `affineCovariance(1, ${2 ** 1000}, 0): covariance entry 0 = Infinity is not finite`,
    );
    expect(() => affineCovariance(isotropicGaussian([0], 1), 1, 1, Number.NaN)).toThrow(
      'affineCovariance(1, 1, NaN): covariance entry 0 = NaN is not finite',
    );
    // a full law keeps its old contract: built, then refused where it is factorised
    expect(affineCovariance(fullGaussian([0, 0], [2, 0.5, 0.5, 1]), 1, -1, 0).kind).toBe('full');
  });
});

describe('Gaussian law: compileGaussian and gaussianLogDensity against −½(d ln 2π + ln|S|) − ½ Q', () => {
  it('the 3-D example: S = L Lᵀ (|S| = 1), x − m = L·(1, −½, 2) so Q = 5.25; at an offset', () => {
    const g = fullGaussian(M3, S3);
    const c = compileGaussian(g);
    expect(c.g).toBe(g);
    expect(Array.from(c.chol)).toEqual(L3);
    expect(Math.abs(c.logNormalizer - -1.5 * LN_2PI)).toBeLessThanOrEqual(LOG_DENSITY_TOL(3, 3 * LN_2PI + 4 * LN2));
    // x = m + L y = (1, −1, ½) + (2, ½, −¼)
    const want = -1.5 * LN_2PI - 2.625;
    const x = [3, -0.5, 0.25];
    expect(Math.abs(gaussianLogDensity(c, x) - want)).toBeLessThanOrEqual(LOG_DENSITY_TOL(3, 3 * LN_2PI + 4 * LN2 + 5.25));
    expect(Math.abs(gaussianLogDensity(c, [9, 9, ...x, 9], 2) - want)).toBeLessThanOrEqual(LOG_DENSITY_TOL(3, 3 * LN_2PI + 4 * LN2 + 5.25));
  });
  it('1-D: log N(2; 1, 4) = −½ ln 2π − ln 2 − ⅛', () => {
    const c = compileGaussian(isotropicGaussian([1], 4));
    const want = -0.5 * LN_2PI - LN2 - 0.125;
    expect(Math.abs(gaussianLogDensity(c, [2]) - want)).toBeLessThanOrEqual(LOG_DENSITY_TOL(1, LN_2PI + 2 * LN2 + 0.25));
  });
  it('an atom has no density; a non-PD covariance (a·S with a < 0) is refused by name', () => {
    expect(() => compileGaussian(isotropicGaussian([1, 2], 0))).toThrow('compileGaussian: an atom (variance 0) has no density');
    expect(() => compileGaussian(affineCovariance(fullGaussian([0, 0], [2, 0.5, 0.5, 1]), 1, -1, 0))).toThrow('Gaussian covariance is not positive definite');
  });
  test.prop([
    fc.record({ d: fc.integer({ min: 1, max: 3 }), kind: kindArb }).chain(({ d, kind }) =>
      fc.record({ law: exactLawArb(d, kind), x: fc.array(grid(16, 8), { minLength: d, maxLength: d }), offset: fc.integer({ min: 0, max: 2 }) }),
    ),
  ])('exact-structure laws (isotropic, diagonal, full; d ≤ 3), at an offset', ({ law, x, offset }) => {
    const c = compileGaussian(law.g);
    const { value, scale } = logDensityOracle(law, x);
    const padded = [...Array<number>(offset).fill(SENTINEL), ...x, SENTINEL];
    expect(Math.abs(gaussianLogDensity(c, padded, offset) - value)).toBeLessThanOrEqual(LOG_DENSITY_TOL(law.g.dim, scale));
  });
});

describe('Gaussian law: draws x = m + F z (gaussianDrawFactor, sampleGaussianInto, sampleGaussian)', () => {
  // built in beforeAll, not at describe level: a constructor that throws must fail these tests, not
  // the file's collection (Stryker's vitest runner does not count a collection error as a kill)
  let full: ReturnType<typeof fullGaussian>;
  let diag: ReturnType<typeof fullGaussian>;
  let iso: ReturnType<typeof fullGaussian>;
  beforeAll(() => {
    full = fullGaussian(M3, S3);
    diag = diagonalGaussian([1, -1], [0.25, 4]);
    iso = isotropicGaussian([0, 2, -2], 0.25);
  });
  it('gaussianDrawFactor: the lower Cholesky factor (full) or the standard deviations (diagonal, isotropic)', () => {
    expect(Array.from(gaussianDrawFactor(full))).toEqual(L3);
    expect(Array.from(gaussianDrawFactor(diag))).toEqual([0.5, 2]);
    expect(Array.from(gaussianDrawFactor(iso))).toEqual([0.5, 0.5, 0.5]);
    expect(() => gaussianDrawFactor(isotropicGaussian([0], 0))).toThrow('gaussianDrawFactor: an atom has no spread');
    expect(() => gaussianDrawFactor(affineCovariance(full, 1, -1, 0))).toThrow('Gaussian covariance is not positive definite');
  });
  it('full: rows rowOffset.. rowOffset+n−1 are m + L z, one fillNormal(d) per row, other rows untouched', () => {
    const out = new Float64Array(4 * 3).fill(SENTINEL);
    const s = scripted([], [1, -0.5, 2, 0.5, 0, -1]);
    sampleGaussianInto(full, 2, s.rng, out, 1);
    expect(s.normalCalls).toEqual([3, 3]);
    // L (1, −½, 2) = (2, ½, −¼); L (½, 0, −1) = (1, ½, −1)
    expect(Array.from(out)).toEqual([...Array<number>(3).fill(SENTINEL), 3, -0.5, 0.25, 2, -0.5, -0.5, ...Array<number>(3).fill(SENTINEL)]);
  });
  it('diagonal and isotropic: m + sd ∘ z', () => {
    const out = new Float64Array(3 * 2).fill(SENTINEL);
    const s = scripted([], [1, -0.5, -2, 0.25]);
    sampleGaussianInto(diag, 2, s.rng, out);
    expect(s.normalCalls).toEqual([2, 2]);
    expect(Array.from(out)).toEqual([1.5, -2, 0, -0.5, SENTINEL, SENTINEL]);
    const t = scripted([], [2, -4, 1]);
    expect(Array.from(sampleGaussian(iso, 1, t.rng))).toEqual([1, 0, -1.5]);
  });
  it('an atom: every row is its point, no random numbers consumed', () => {
    const out = new Float64Array(4 * 2).fill(SENTINEL);
    const s = scripted([], []);
    sampleGaussianInto(isotropicGaussian([1.5, -3], 0), 2, s.rng, out, 1);
    expect(s.normalCalls).toEqual([]);
    expect(Array.from(out)).toEqual([SENTINEL, SENTINEL, 1.5, -3, 1.5, -3, SENTINEL, SENTINEL]);
  });
  it('sampleGaussian allocates n·d; a non-PD full covariance is refused by name', () => {
    const s = scripted([], [1, -0.5, 2, 0.5, 0, -1]);
    const x = sampleGaussian(full, 2, s.rng);
    expect(Array.from(x)).toEqual([3, -0.5, 0.25, 2, -0.5, -0.5]);
    expect(sampleGaussian(diag, 3, scripted([], [0, 0, 0, 0, 0, 0]).rng)).toHaveLength(6);
    expect(() => sampleGaussian(affineCovariance(full, 1, -1, 0), 1, s.rng)).toThrow('Gaussian covariance is not positive definite');
  });
  it('with the real Rng: each row is m + L z for the normals a replay of the same stream gives', () => {
    // rounding: s = m_i + Σ_{k≤i} L_ik z_k in ≤ d + 1 roundings each side: ≤ 2(d + 1)u·(|m_i| + Σ|L_ik z_k|), ×2 margin
    const rng = Rng.fromSeed(20260226);
    const replay = Rng.fromState(rng.state());
    const x = sampleGaussian(full, 4, rng);
    const z = new Float64Array(3);
    for (let r = 0; r < 4; r++) {
      replay.fillNormal(z);
      for (let i = 0; i < 3; i++) {
        let want = M3[i]!;
        let scale = Math.abs(M3[i]!);
        for (let k = 0; k <= i; k++) {
          want += L3[i * 3 + k]! * z[k]!;
          scale += Math.abs(L3[i * 3 + k]! * z[k]!);
        }
        expect(Math.abs(x[r * 3 + i]! - want)).toBeLessThanOrEqual(4 * 4 * U * scale);
      }
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Mixtures

const g1 = (m: number, v: number) => isotropicGaussian([m], v);

describe('Gaussian mixture: gaussianMixture construction and refusals', () => {
  it('keeps the components (zero weights included) and the weights when they sum to 1', () => {
    const comps = [g1(0, 1), g1(4, 0.5), g1(-1, 2)];
    const q = gaussianMixture([0.25, 0, 0.75], comps);
    expect(q.dim).toBe(1);
    expect(Array.from(q.weights)).toEqual([0.25, 0, 0.75]);
    expect(q.components).toBe(comps);
  });
  it('renormalises weights that sum to 1 within 1e-9 (w_k / Σw), refuses a larger defect on either side', () => {
    const w1 = 0.75 + 5e-10;
    const total = 0.25 + w1;
    expect(total).not.toBe(1);
    const q = gaussianMixture([0.25, w1], [g1(0, 1), g1(1, 1)]);
    expect(Array.from(q.weights)).toEqual([0.25 / total, w1 / total]);
    const below = 0.75 - 5e-10;
    expect(Array.from(gaussianMixture([0.25, below], [g1(0, 1), g1(1, 1)]).weights)).toEqual([0.25 / (0.25 + below), below / (0.25 + below)]);
    for (const w of [0.5 + 2e-9, 0.5 - 2e-9, 0.6, 0.4]) expect(() => gaussianMixture([0.5, w], [g1(0, 1), g1(1, 1)])).toThrow(`gaussianMixture: weights sum to ${0.5 + w}, not 1`);
  });
  it('refuses no components, a count mismatch, negative / NaN / infinite weights and mixed dimensions', () => {
    expect(() => gaussianMixture([], [])).toThrow('gaussianMixture: no components');
    expect(() => gaussianMixture([1], [g1(0, 1), g1(1, 1)])).toThrow('gaussianMixture: 1 weights for 2 components');
    expect(() => gaussianMixture([0.5, 0.5], [g1(0, 1)])).toThrow('gaussianMixture: 2 weights for 1 components');
    for (const w of [-0.5, NaN, Infinity]) expect(() => gaussianMixture([0.5, w], [g1(0, 1), g1(1, 1)])).toThrow(`gaussianMixture: weight[1] = ${w} must be finite and ≥ 0`);
    expect(() => gaussianMixture([0.5, 0.5], [g1(0, 1), isotropicGaussian([0, 0], 1)])).toThrow('gaussianMixture: component 1 has dimension 2, expected 1');
  });
  it('singleGaussianMixture(g) = 1·g', () => {
    const g = isotropicGaussian([1, 2], 3);
    const q = singleGaussianMixture(g);
    expect(q.dim).toBe(2);
    expect(Array.from(q.weights)).toEqual([1]);
    expect(q.components).toEqual([g]);
    expect(q.components[0]).toBe(g);
  });
});

describe('Gaussian mixture: mixMixtures α p + (1 − α) r, smoothMixture, empiricalMixture', () => {
  // built in beforeAll (see the draws block): a throwing constructor fails the tests, not collection
  let a: ReturnType<typeof g1>, b: ReturnType<typeof g1>, c: ReturnType<typeof g1>, e: ReturnType<typeof g1>, f: ReturnType<typeof g1>;
  let p: ReturnType<typeof gaussianMixture>, r: ReturnType<typeof gaussianMixture>;
  beforeAll(() => {
    a = g1(0, 1);
    b = g1(1, 1);
    c = g1(2, 1);
    e = g1(3, 1);
    f = g1(4, 1);
    p = gaussianMixture([0.25, 0, 0.75], [a, b, c]);
    r = gaussianMixture([0.5, 0.5], [e, f]);
  });
  it('α = ¾: weights α·w_p then (1 − α)·w_r, zero-weight components dropped', () => {
    const m = mixMixtures(0.75, p, r);
    expect(m.dim).toBe(1);
    expect(Array.from(m.weights)).toEqual([0.1875, 0.5625, 0.125, 0.125]);
    expect(m.components).toHaveLength(4);
    [a, c, e, f].forEach((g, k) => expect(m.components[k]).toBe(g));
  });
  it('α = 0 gives r, α = 1 gives p without its zero-weight component', () => {
    const r0 = mixMixtures(0, p, r);
    expect(Array.from(r0.weights)).toEqual([0.5, 0.5]);
    expect(r0.components[0]).toBe(e);
    expect(r0.components[1]).toBe(f);
    const p1 = mixMixtures(1, p, r);
    expect(Array.from(p1.weights)).toEqual([0.25, 0.75]);
    expect(p1.components[0]).toBe(a);
    expect(p1.components[1]).toBe(c);
  });
  it('refuses α outside [0, 1] or NaN, and mixtures of different dimensions', () => {
    for (const alpha of [-0.25, 1.5, NaN]) expect(() => mixMixtures(alpha, p, r)).toThrow(`mixMixtures: α = ${alpha} not in [0,1]`);
    expect(() => mixMixtures(0.5, p, singleGaussianMixture(isotropicGaussian([0, 0], 1)))).toThrow('mixMixtures: dimensions 1 and 2 differ');
  });
  it('smoothMixture(q, h): every covariance + h² I, means, kinds and weights kept; h = 0 keeps the covariances', () => {
    const q = gaussianMixture([0.25, 0.25, 0.5], [isotropicGaussian([1, 2], 1), diagonalGaussian([0, -1], [0.5, 2]), fullGaussian([3, 4], [2, 0.5, 0.5, 1])]);
    const s = smoothMixture(q, 0.5);
    expect(s.dim).toBe(2);
    expect(Array.from(s.weights)).toEqual([0.25, 0.25, 0.5]);
    expect(s.components.map((g) => Array.from(g.cov))).toEqual([
      [1.25, 0, 0, 1.25],
      [0.75, 0, 0, 2.25],
      [2.25, 0.5, 0.5, 1.25],
    ]);
    expect(s.components.map((g) => Array.from(g.mean))).toEqual([
      [1, 2],
      [0, -1],
      [3, 4],
    ]);
    expect(s.components.map((g) => g.kind)).toEqual(['isotropic', 'diagonal', 'full']);
    expect(smoothMixture(q, 0).components.map((g) => Array.from(g.cov))).toEqual(q.components.map((g) => Array.from(g.cov)));
    for (const h of [-0.5, NaN, Infinity]) expect(() => smoothMixture(q, h)).toThrow(`smoothMixture: bandwidth ${h} must be finite and ≥ 0`);
  });
  it('empiricalMixture(points, n, d): n atoms at the rows, weights 1/n; refuses a wrong length', () => {
    const q = empiricalMixture(Float64Array.of(1, 2, 3, 4, 5, 6), 3, 2);
    expect(q.dim).toBe(2);
    expect(Array.from(q.weights)).toEqual([1 / 3, 1 / 3, 1 / 3]);
    expect(q.components.map((g) => Array.from(g.mean))).toEqual([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    expect(q.components.every((g) => isAtom(g))).toBe(true);
    expect(() => empiricalMixture(Float64Array.of(1, 2, 3, 4, 5), 3, 2)).toThrow('empiricalMixture: 5 numbers for 3×2');
    expect(() => empiricalMixture(Float64Array.of(1, 2, 3, 4, 5, 6), 2, 2)).toThrow('empiricalMixture: 6 numbers for 2×2');
  });
});

/**
 * Mixture moments by the law of total covariance, in the test's own (centred) form.
 * Tolerance per entry (ij): the module's raw form accumulates, per component, w(S_ij + m_i m_j)
 * (3 roundings) over K components (γ_K), and subtracts m_i m_j where each m_i carries γ_K·M_i,
 * M_i = Σ w|m_ki|: ≤ (K + 4)u·(R_ij + M_i M_j) + 3γ_K M_i M_j, R_ij = Σ w(|S_kij| + |m_ki m_kj|).
 * The centred oracle: deviations |m_ki − m_i| ≤ |m_ki| + M_i (+ rounding γ_K M_i), products and sums
 * over K: ≤ (K + 4)u·Σ w(|S_kij| + (|m_ki| + M_i)(|m_kj| + M_j)). Their sum is ≤ 2(K + 4)u·B_ij with
 * B_ij = Σ w(|S_kij| + (|m_ki| + M_i)(|m_kj| + M_j)) (which contains R_ij + 3·M_iM_j);
 * MOMENT_TOL = 4(K + 4)u·B_ij (×2 margin), the trace and ‖m‖² summed over the d diagonal entries.
 */
function momentOracle(q: GaussianMixture): { mean: number[]; meanBound: number[]; cov: number[]; bound: number[] } {
  const d = q.dim;
  const K = q.components.length;
  const mean = Array<number>(d).fill(0);
  const absMean = Array<number>(d).fill(0);
  q.components.forEach((c, k) => {
    for (let i = 0; i < d; i++) {
      mean[i]! += q.weights[k]! * c.mean[i]!;
      absMean[i]! += q.weights[k]! * Math.abs(c.mean[i]!);
    }
  });
  // the means: K products and sums each side, ≤ 2(K + 1)u·M_i, ×2 margin; UNDERFLOW: each of the
  // ≤ 4K products per entry may lose 2⁻¹⁰⁷⁴ absolutely (subnormal results), both sides
  const meanBound = absMean.map((a) => 4 * (K + 1) * U * a + UNDERFLOW * K);
  const cov = Array<number>(d * d).fill(0);
  const bound = Array<number>(d * d).fill(UNDERFLOW * K);
  q.components.forEach((c, k) => {
    const w = q.weights[k]!;
    for (let i = 0; i < d; i++)
      for (let j = 0; j < d; j++) {
        cov[i * d + j]! += w * (c.cov[i * d + j]! + (c.mean[i]! - mean[i]!) * (c.mean[j]! - mean[j]!));
        bound[i * d + j]! += 4 * (K + 4) * U * w * (Math.abs(c.cov[i * d + j]!) + (Math.abs(c.mean[i]!) + absMean[i]!) * (Math.abs(c.mean[j]!) + absMean[j]!));
      }
  });
  return { mean, meanBound, cov, bound };
}

describe('Gaussian mixture: mean, covariance (law of total covariance) and E‖X‖²', () => {
  it('a dyadic 2-D mixture (exact): m = (¼, 0), Cov = [[31/16, −½], [−½, 35/16]], E‖X‖² = 67/16', () => {
    const q = gaussianMixture(
      [0.25, 0.25, 0.5],
      [isotropicGaussian([1, 0], 0.5), diagonalGaussian([-1, 2], [1, 0.25]), fullGaussian([0.5, -1], [2, 0.5, 0.5, 1])],
    );
    expect(Array.from(mixtureMean(q))).toEqual([0.25, 0]);
    expect(Array.from(mixtureCovariance(q))).toEqual([1.9375, -0.5, -0.5, 2.1875]);
    expect(mixtureSecondMoment(q)).toBe(4.1875);
  });
  test.prop([
    gaussianMixtureArb({
      dims: { min: 1, max: 3 },
      components: { min: 1, max: 4 },
      kinds: ['isotropic', 'diagonal', 'full'],
      weight: { min: 0.05, max: 1 },
      mean: 4,
      variance: { min: 0.05, max: 3 },
      factor: 1,
      jitter: { min: 0.05, max: 1 },
    }),
  ])('random mixtures: the raw-moment formulas against the centred ones', (q) => {
    const d = q.dim;
    const { mean, meanBound, cov, bound } = momentOracle(q);
    const m = mixtureMean(q);
    const s = mixtureCovariance(q);
    expect(m).toHaveLength(d);
    expect(s).toHaveLength(d * d);
    for (let i = 0; i < d; i++) expect(Math.abs(m[i]! - mean[i]!)).toBeLessThanOrEqual(meanBound[i]!);
    let second = 0;
    let secondBound = 0;
    for (let i = 0; i < d; i++) {
      second += cov[i * d + i]! + mean[i]! * mean[i]!;
      secondBound += 2 * bound[i * d + i]!;
      for (let j = 0; j < d; j++) expect(Math.abs(s[i * d + j]! - cov[i * d + j]!)).toBeLessThanOrEqual(bound[i * d + j]!);
    }
    expect(Math.abs(mixtureSecondMoment(q) - second)).toBeLessThanOrEqual(secondBound);
  });
});

describe('Gaussian mixture: logSumExp', () => {
  it('values, overflow safety, ±∞, the prefix length n', () => {
    expect(logSumExp([])).toBe(-Infinity);
    expect(logSumExp([-Infinity, -Infinity])).toBe(-Infinity);
    expect(logSumExp([Infinity, 0])).toBe(Infinity);
    expect(logSumExp([0, Infinity])).toBe(Infinity);
    expect(logSumExp([-Infinity, 0.5])).toBe(0.5);
    expect(logSumExp([2])).toBe(2);
    // ln 2 and 1000 + ln 2: ≤ 3 roundings of terms ≤ 1001 (exp(0) = 1 exact, ln 2 ≤ 1 ulp): ≤ 4u·|result|
    expect(Math.abs(logSumExp([0, 0]) - LN2)).toBeLessThanOrEqual(4 * U * LN2);
    expect(Math.abs(logSumExp([1000, 1000]) - (1000 + LN2))).toBeLessThanOrEqual(4 * U * 1001);
    expect(Math.abs(logSumExp([-1000, -1000, -1000, -1000]) - (-1000 + 2 * LN2))).toBeLessThanOrEqual(4 * U * 1002);
    // the shift is the maximum, not any term: e^{1000 − 0} would overflow (1000 + ln(1 + e^{−1000}) = 1000 in doubles)
    expect(logSumExp([1000, 0])).toBe(1000);
    expect(logSumExp([0, 1000])).toBe(1000);
    expect(logSumExp([0, 0, 1000], 2)).toBe(logSumExp([0, 0]));
    expect(logSumExp([0, -Infinity, 5], 2)).toBe(0);
    // ln(¼ + ¾) = 0 up to the rounding of ln ¼, ln ¾ and the exps (≤ 8u·(ln 4 + 1))
    expect(Math.abs(logSumExp([Math.log(0.25), Math.log(0.75)]))).toBeLessThanOrEqual(8 * U * (2 * LN2 + 1));
    expect(Math.abs(logSumExp(Float64Array.of(3, 1)) - (3 + Math.log1p(Math.exp(-2))))).toBeLessThanOrEqual(8 * U * 4);
  });
});

// ---------------------------------------------------------------------------------------------
// Compiled mixtures and their log-density

interface ExactMixture {
  readonly q: GaussianMixture;
  readonly laws: readonly ExactLaw[];
}

/** Exact-structure components of one kind (or mixed full/diagonal), weights k/8 renormalised. */
function exactMixtureArb(d: number, K: number, kinds: readonly Kind[]): fc.Arbitrary<ExactMixture> {
  return fc
    .tuple(
      fc.array(
        fc.constantFrom(...kinds).chain((kind) => exactLawArb(d, kind)),
        { minLength: K, maxLength: K },
      ),
      fc.array(fc.integer({ min: 1, max: 8 }), { minLength: K, maxLength: K }),
    )
    .map(([laws, n]) => {
      const total = n.reduce((a, b) => a + b, 0);
      return { q: gaussianMixture(n.map((v) => v / total), laws.map((l) => l.g)), laws };
    });
}

/** The oracle log q(x): the test's log-density terms + ln w_k, combined by a max-shifted sum of exps. */
function mixtureOracle(m: ExactMixture, x: readonly number[]): { value: number; tol: number } {
  const terms: number[] = [];
  let a = 0;
  m.laws.forEach((law, k) => {
    const w = m.q.weights[k]!;
    if (w === 0) return;
    const { value, scale } = logDensityOracle(law, x);
    terms.push(Math.log(w) + value);
    a = Math.max(a, scale + Math.abs(Math.log(w)));
  });
  const max = Math.max(...terms);
  let s = 0;
  for (const t of terms) s += Math.exp(t - max);
  return { value: max + Math.log(s), tol: MIXTURE_TOL(m.q.dim, terms.length, a) };
}

describe('Gaussian mixture: compileMixture and mixtureLogDensity against Σ_k w_k N(x; m_k, S_k)', () => {
  it('components of positive weight only: K, means, factors, log constants, 1/√S_ii, the diagonal flag', () => {
    const q = gaussianMixture([0.25, 0, 0.75], [diagonalGaussian([1, 2], [0.25, 4]), fullGaussian([0, 0], [2, 0.5, 0.5, 1]), isotropicGaussian([-1, 3], 4)]);
    const c = compileMixture(q);
    expect(c.q).toBe(q);
    expect(c.dim).toBe(2);
    expect(c.K).toBe(2);
    expect(Array.from(c.means)).toEqual([1, 2, -1, 3]);
    expect(Array.from(c.chol)).toEqual([0.5, 0, 0, 2, 2, 0, 0, 2]);
    expect(Array.from(c.invSd)).toEqual([2, 0.5, 0.5, 0.5]);
    expect(c.diagOnly).toBe(true);
    expect(c.y).toHaveLength(2);
    expect(c.terms).toHaveLength(2);
    // ln w − ½(2 ln 2π + ln|S|): |S_0| = 1, |S_2| = 16
    expect(Math.abs(c.logConst[0]! - (-2 * LN2 - LN_2PI))).toBeLessThanOrEqual(MIXTURE_TOL(2, 2, 2 * LN2 + 2 * LN_2PI));
    expect(Math.abs(c.logConst[1]! - (Math.log(0.75) - LN_2PI - 2 * LN2))).toBeLessThanOrEqual(MIXTURE_TOL(2, 2, 1 + 2 * LN_2PI + 4 * LN2));
  });
  it('the diagonal flag: false as soon as one full component has positive weight', () => {
    const d = diagonalGaussian([0, 0], [1, 2]);
    const i = isotropicGaussian([0, 0], 1);
    const f = fullGaussian([0, 0], [2, 0.5, 0.5, 1]);
    expect(compileMixture(gaussianMixture([0.5, 0.5], [d, i])).diagOnly).toBe(true);
    expect(compileMixture(gaussianMixture([0.5, 0.5], [d, f])).diagOnly).toBe(false);
    expect(compileMixture(gaussianMixture([0.5, 0.5], [f, d])).diagOnly).toBe(false);
    expect(compileMixture(gaussianMixture([0.5, 0.5], [f, f])).diagOnly).toBe(false);
    expect(compileMixture(singleGaussianMixture(f)).diagOnly).toBe(false);
  });
  it('refuses atoms and names the non-PD component', () => {
    expect(() => compileMixture(empiricalMixture(Float64Array.of(1, 2), 2, 1))).toThrow(
      'compileMixture: mixture has atoms (no density); push it forward by P_t first',
    );
    const bad = affineCovariance(fullGaussian([0, 0], [2, 0.5, 0.5, 1]), 1, -1, 0);
    expect(() => compileMixture(gaussianMixture([0.5, 0.5], [isotropicGaussian([0, 0], 1), bad]))).toThrow('mixture component 1 covariance is not positive definite');
  });
  it('the shift is the largest term: a point at the first mean, ≈ 40 sd from the second (term gap ≈ 800 > ln(max double))', () => {
    // log q(x) = ln ½ + ln N(0; 0, I) + ln(1 + e^{−800}) = ln ½ − ln 2π in doubles; tolerance as MIXTURE_TOL with A ≤ 2 ln 2π + 1
    const want = -LN2 - LN_2PI;
    for (const second of [isotropicGaussian([40, 0], 1), fullGaussian([40, 0], [1, 0, 0, 1])]) {
      const c = compileMixture(gaussianMixture([0.5, 0.5], [isotropicGaussian([0, 0], 1), second]));
      expect(Math.abs(mixtureLogDensity(c, [0, 0]) - want)).toBeLessThanOrEqual(MIXTURE_TOL(2, 2, 2 * LN_2PI + 1));
    }
  });
  it('a point so far that every quadratic form overflows: −∞ (diagonal and Cholesky paths)', () => {
    const far = [1e200, -1e200];
    expect(mixtureLogDensity(compileMixture(gaussianMixture([0.5, 0.5], [isotropicGaussian([0, 0], 1), diagonalGaussian([1, 1], [1, 2])])), far)).toBe(-Infinity);
    expect(mixtureLogDensity(compileMixture(singleGaussianMixture(fullGaussian([0, 0], [2, 0.5, 0.5, 1]))), far)).toBe(-Infinity);
  });
  test.prop([
    fc
      .record({
        d: fc.integer({ min: 1, max: 3 }),
        K: fc.integer({ min: 1, max: 4 }),
        kinds: fc.constantFrom<readonly Kind[]>(['isotropic', 'diagonal'], ['full'], ['full', 'diagonal', 'isotropic']),
        n: fc.integer({ min: 1, max: 4 }),
      })
      .chain(({ d, K, kinds, n }) =>
        fc.record({ m: exactMixtureArb(d, K, kinds), points: fc.array(grid(16, 8), { minLength: n * d, maxLength: n * d }), offset: fc.integer({ min: 0, max: 2 }) }),
      ),
  ])('exact-structure mixtures (diagonal path, Cholesky path, mixed; d ≤ 3, K ≤ 4), several points, offsets', ({ m, points, offset }) => {
    const c = compileMixture(m.q);
    const d = m.q.dim;
    const n = points.length / d;
    const all = mixtureLogDensities(c, Float64Array.from(points), n);
    expect(all).toHaveLength(n);
    for (let r = 0; r < n; r++) {
      const x = points.slice(r * d, (r + 1) * d);
      const { value, tol } = mixtureOracle(m, x);
      expect(Math.abs(all[r]! - value)).toBeLessThanOrEqual(tol);
      const padded = [...Array<number>(offset).fill(SENTINEL), ...x, SENTINEL];
      expect(Math.abs(mixtureLogDensity(c, padded, offset) - value)).toBeLessThanOrEqual(tol);
    }
  });
});

describe('Gaussian mixture: sampling (sampleMixtureInto, sampleMixture) with scripted random numbers', () => {
  it('component = #{k : Σ_{j≤k} w_j ≤ u} (inverse CDF, boundaries go up), atoms copied, no normals used', () => {
    // 1-D atoms at 0..4: the sampled value is the component index
    const weights = [0.125, 0.25, 0.125, 0.25, 0.25];
    const q = gaussianMixture(weights, [0, 1, 2, 3, 4].map((v) => g1(v, 0)));
    const cumulative = [0.125, 0.375, 0.5, 0.75, 1];
    const below = (v: number) => v * (1 - U); // the double just below v (nearest to v − v·u)
    for (const v of [0.125, 0.375, 0.75]) expect(below(v)).toBeLessThan(v);
    const us = [0, 0.0625, 0.125, below(0.375), 0.375, 0.4375, 0.5, below(0.75), 0.75, 0.9, 1 - 2 ** -53, below(0.125)];
    const want = us.map((u) => cumulative.filter((cu) => cu <= u).length);
    const s = scripted(us, []);
    const out = new Float64Array(us.length + 2).fill(SENTINEL);
    sampleMixtureInto(q, us.length, s.rng, out, 1);
    expect(Array.from(out)).toEqual([SENTINEL, ...want, SENTINEL]);
    expect(want).toEqual([0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 4, 0]);
    expect(s.uniformCalls).toBe(us.length);
    expect(s.normalCalls).toEqual([]);
    const t = scripted([0.3, 0.999], []);
    expect(Array.from(sampleMixture(q, 2, t.rng))).toEqual([1, 4]);
    expect(Array.from(sampleMixture(singleGaussianMixture(g1(7, 0)), 1, scripted([0.99], []).rng))).toEqual([7]);
  });
  /** integer weights in 0..8, one of them ≥ 1 (inserted at a drawn position), so zero weights occur */
  const countsArb = fc
    .tuple(fc.integer({ min: 1, max: 8 }), fc.array(fc.integer({ min: 0, max: 8 }), { maxLength: 6 }), fc.nat())
    .map(([positive, rest, at]) => {
      const n = [...rest];
      n.splice(at % (rest.length + 1), 0, positive);
      return n;
    });
  test.prop([countsArb, fc.array(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), { minLength: 1, maxLength: 8 })])(
    'random weights (zeros included) and uniforms: the brute-force inverse CDF',
    (n, us) => {
      const total = n.reduce((a, b) => a + b, 0);
      const q = gaussianMixture(n.map((v) => v / total), n.map((_, k) => g1(k, 0)));
      const cumulative: number[] = [];
      let acc = 0;
      for (const w of q.weights) cumulative.push((acc += w));
      const want = us.map((u) => cumulative.filter((cu) => cu <= u * acc).length);
      expect(Array.from(sampleMixture(q, us.length, scripted(us, []).rng))).toEqual(want);
    },
  );
  it('the inverse CDF runs over the total mass Σ w (weights that drifted from 1, exaggerated here: [½, 1½])', () => {
    const q: GaussianMixture = { dim: 1, weights: Float64Array.of(0.5, 1.5), components: [g1(0, 0), g1(1, 0)] };
    // u·Σw: 0.2·2 = 0.4 < ½ → 0; 0.3·2 = 0.6 ≥ ½ → 1
    expect(Array.from(sampleMixture(q, 2, scripted([0.2, 0.3], []).rng))).toEqual([0, 1]);
  });
  it('sampleMixture returns n·d numbers, row-major (2-D atoms: u = 0.2 → first, 0.9 → second)', () => {
    const q = gaussianMixture([0.5, 0.5], [isotropicGaussian([1, 2], 0), isotropicGaussian([3, 4], 0)]);
    expect(Array.from(sampleMixture(q, 2, scripted([0.2, 0.9], []).rng))).toEqual([1, 2, 3, 4]);
  });
  it('Gaussian components: x = m + L z (full) or m + sd ∘ z (isotropic, diagonal), one fillNormal(d) per draw', () => {
    const q = gaussianMixture(
      [0.25, 0.25, 0.25, 0.25],
      [fullGaussian(M3, S3), diagonalGaussian([1, -1, 0], [0.25, 4, 1]), isotropicGaussian([5, 5, 5], 0), isotropicGaussian([0, 2, -2], 0.25)],
    );
    const us = [0.1, 0.3, 0.6, 0.8, 0.2, 0.35];
    const normals = [1, -0.5, 2, 1, -0.5, 0.25, 2, -4, 1, 0.5, 0, -1, 4, 4, 4];
    const s = scripted(us, normals);
    const out = new Float64Array(8 * 3).fill(SENTINEL);
    sampleMixtureInto(q, 6, s.rng, out, 1);
    expect(s.normalCalls).toEqual([3, 3, 3, 3, 3]);
    expect(Array.from(out)).toEqual([
      ...[SENTINEL, SENTINEL, SENTINEL],
      ...[3, -0.5, 0.25], // full: m + L (1, −½, 2)
      ...[1.5, -2, 0.25], // diagonal: (1 + ½·1, −1 + 2·(−½), 0 + ¼)
      ...[5, 5, 5], // atom
      ...[1, 0, -1.5], // isotropic sd ½: (0 + 1, 2 − 2, −2 + ½)
      ...[2, -0.5, -0.5], // full again (the factor reused): m + L (½, 0, −1)
      ...[3, 7, 4], // diagonal again: (1 + ½·4, −1 + 2·4, 0 + 4)
      ...[SENTINEL, SENTINEL, SENTINEL],
    ]);
    // a full component drawn in the last row: the row after it stays untouched
    const last = new Float64Array(2 * 3).fill(SENTINEL);
    sampleMixtureInto(q, 1, scripted([0.1], [1, -0.5, 2]).rng, last);
    expect(Array.from(last)).toEqual([3, -0.5, 0.25, SENTINEL, SENTINEL, SENTINEL]);
  });
});
