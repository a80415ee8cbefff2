/**
 * Hermite polynomials and Hermite coefficients of Gaussian mixtures (src/oracles/hermite.ts,
 * docs/theory.md §4; claims P2-3, P2-4) against oracles written here in exact rational arithmetic.
 *
 *   He_n(x) = Σ_k (−1)^k n! / (k! (n−2k)! 2^k) x^{n−2k}                (explicit polynomial; the
 *             oracle's coefficients are themselves checked for orthogonality under N(0, 1) with the
 *             exact integer moments E[Z^{2j}] = (2j−1)!!: E[He_n He_m] = n! δ_nm)
 *   h_n(m, v) = E[He_n(X)] / n!,  X ~ N(m, v),  with the raw moments
 *             E[X^j] = Σ_{i even} C(j, i) m^{j−i} v^{i/2} (i−1)!!  (binomial expansion of m + √v Z),
 *             i.e. a route that never uses the generating function the module is built on
 *   h̄_n(m, v) = Σ_k |m|^{n−2k} (|v−1|/2)^k / (k! (n−2k)!)               (the float-error scale, its definition)
 *   λ_n = α e / (1 − (1−α) e), e = e^{−n t0/2};  contraction (1−α) e     (P2-3 [I])
 *
 * Inputs are dyadic (m = a/8, v = b/16, weights 1/4, 3/4) so every input is exact in binary64 and the
 * oracle is an exact rational; the module's floats are compared with the rational truth through
 * exact rational comparisons of |computed − truth| against a derived allowance.
 */
import { describe, expect, it } from 'vitest';
import { fc, test } from '../support/prop.ts';
import { diagonalGaussian, fullGaussian, isotropicGaussian } from '../../src/distributions/gaussian.ts';
import { gaussianMixture, type GaussianMixture } from '../../src/distributions/gaussian-mixture.ts';
import {
  UNIT_ROUNDOFF,
  gammaRounding,
  gaussianHermiteCoefficients,
  gaussianHermiteCoefficientsBySum,
  hermite,
  hermiteFloatBound,
  hermiteMajorant,
  hermiteValues,
  limitAttenuation,
  mixtureHermiteCoefficients,
  mixtureHermiteMajorant,
  mixtureHermiteParameterAllowance,
  mixtureMultiIndexCoefficient,
  modeContraction,
} from '../../src/oracles/hermite.ts';
import { expectMessage } from '../support/contracts.ts';

// ───────────────────────────────────────────── exact rationals (BigInt), written here

type Q = readonly [bigint, bigint]; // numerator, denominator > 0
const babs = (a: bigint): bigint => (a < 0n ? -a : a);
function gcd(a: bigint, b: bigint): bigint {
  a = babs(a);
  b = babs(b);
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}
function q(n: bigint, d = 1n): Q {
  if (d < 0n) [n, d] = [-n, -d];
  const g = gcd(n, d);
  return g > 1n ? [n / g, d / g] : [n, d];
}
const add = (a: Q, b: Q): Q => q(a[0] * b[1] + b[0] * a[1], a[1] * b[1]);
const sub = (a: Q, b: Q): Q => q(a[0] * b[1] - b[0] * a[1], a[1] * b[1]);
const mul = (a: Q, b: Q): Q => q(a[0] * b[0], a[1] * b[1]);
const div = (a: Q, b: Q): Q => q(a[0] * b[1], a[1] * b[0]);
const qabs = (a: Q): Q => [babs(a[0]), a[1]];
const ZERO: Q = [0n, 1n];
const ONE: Q = [1n, 1n];
function qpow(a: Q, k: number): Q {
  let r = ONE;
  for (let i = 0; i < k; i++) r = mul(r, a);
  return r;
}
/** The exact rational value of a finite double (doubling is exact below the overflow threshold). */
function fromDouble(x: number): Q {
  if (!Number.isFinite(x)) throw new Error(`fromDouble(${x})`);
  let d = 1n;
  while (!Number.isInteger(x)) {
    x *= 2;
    d *= 2n;
  }
  return q(BigInt(x), d);
}
const leq = (a: Q, b: Q): boolean => a[0] * b[1] <= b[0] * a[1];
const toNumber = (a: Q): number => Number(a[0]) / Number(a[1]);
const fact = (n: number): bigint => {
  let r = 1n;
  for (let i = 2; i <= n; i++) r *= BigInt(i);
  return r;
};
const choose = (n: number, k: number): bigint => fact(n) / (fact(k) * fact(n - k));
/** (i−1)!! for even i (E[Z^i] of Z ~ N(0, 1)); 1 for i = 0. */
const doubleFactorialMoment = (i: number): bigint => {
  let r = 1n;
  for (let j = i - 1; j > 0; j -= 2) r *= BigInt(j);
  return r;
};

/** Integer coefficients of He_n (index = power of x), by the explicit formula. */
function hermiteCoefficients(n: number): bigint[] {
  const c = new Array<bigint>(n + 1).fill(0n);
  for (let k = 0; 2 * k <= n; k++) {
    const v = fact(n) / (fact(k) * fact(n - 2 * k) * 2n ** BigInt(k));
    c[n - 2 * k] = k % 2 === 0 ? v : -v;
  }
  return c;
}
/** Raw moments E[X^j], j = 0..J, of X ~ N(m, v) (exact). */
function gaussianMoments(J: number, m: Q, v: Q): Q[] {
  const out: Q[] = [];
  for (let j = 0; j <= J; j++) {
    let s = ZERO;
    for (let i = 0; i <= j; i += 2) s = add(s, mul(q(choose(j, i) * doubleFactorialMoment(i)), mul(qpow(m, j - i), qpow(v, i / 2))));
    out.push(s);
  }
  return out;
}
/** Exact h_n = E[He_n(X)] / n!, n = 0..N. */
function exactH(N: number, m: Q, v: Q): Q[] {
  const mom = gaussianMoments(N, m, v);
  const out: Q[] = [];
  for (let n = 0; n <= N; n++) {
    const c = hermiteCoefficients(n);
    let s = ZERO;
    for (let j = 0; j <= n; j++) if (c[j] !== 0n) s = add(s, mul(q(c[j]!), mom[j]!));
    out.push(div(s, q(fact(n))));
  }
  return out;
}
/** Exact majorant h̄_n (its definition), n = 0..N. */
function exactMajorant(N: number, m: Q, v: Q): Q[] {
  const am = qabs(m);
  const hb = div(qabs(sub(v, ONE)), q(2n));
  const out: Q[] = [];
  for (let n = 0; n <= N; n++) {
    let s = ZERO;
    for (let k = 0; 2 * k <= n; k++) s = add(s, div(mul(qpow(am, n - 2 * k), qpow(hb, k)), q(fact(k) * fact(n - 2 * k))));
    out.push(s);
  }
  return out;
}
/** Exact He_n(x) and its majorant Σ |coef| |x|^j, n = 0..N. */
function exactHermiteAt(N: number, x: Q): { value: Q[]; majorant: Q[] } {
  const value: Q[] = [];
  const majorant: Q[] = [];
  const powers: Q[] = [ONE];
  for (let j = 1; j <= N; j++) powers.push(mul(powers[j - 1]!, x));
  for (let n = 0; n <= N; n++) {
    const c = hermiteCoefficients(n);
    let s = ZERO;
    let a = ZERO;
    for (let j = n; j >= 0; j -= 2) {
      s = add(s, mul(q(c[j]!), powers[j]!));
      a = add(a, mul(q(babs(c[j]!)), qabs(powers[j]!)));
    }
    value.push(s);
    majorant.push(a);
  }
  return { value, majorant };
}

const U = 2 ** -53;
/** γ_k = k u / (1 − k u) written here (Higham). */
const gammaK = (k: number): number => (k * U) / (1 - k * U);

/** |computed − truth| ≤ allowance, all in exact rationals; the message shows the numbers. */
function expectWithin(computed: number, truth: Q, allowance: number, what: string): void {
  const err = qabs(sub(fromDouble(computed), truth));
  if (!leq(err, fromDouble(allowance))) {
    throw new Error(`${what}: computed ${computed}, truth ${toNumber(truth)}, error ${toNumber(err)} > allowance ${allowance}`);
  }
}
/**
 * Allowance of the three-term recurrence He_{n+1} = x He_n − n He_{n−1} against the exact value:
 * 3 roundings per step (x·He_n, n·He_{n−1}; n is an exact integer; the subtraction) on quantities
 * whose absolute sum is the majorant recurrence M_{n+1} = |x| M_n + n M_{n−1} (= Σ |coef| |x|^j), so
 * by induction |error_n| ≤ 3(n−1) u M_n to first order; charged γ_{4n} M_n (γ absorbs the O(u²)).
 */
const RECURRENCE_ROUNDINGS_PER_STEP = 4;
/**
 * Allowance of either route for h_n against the exact rational: the recurrence
 * (n+1) h_{n+1} = m h_n + b h_{n−1} takes 4 roundings per step (two products, the sum, the division;
 * b = v − 1 and n + 1 are exact for the dyadic inputs), the sum form ≤ 2 per factor of a term
 * (hb/j, then the product; ≤ n factors) plus ≤ n/2 + 1 additions; both on quantities whose absolute
 * sums are the majorant h̄_n. Charged γ_{4n+4} h̄_n for both routes.
 */
const H_ALLOWANCE = (n: number, majorant: Q): number => gammaK(4 * n + 4) * toNumber(majorant) * (1 + 2 ** -40);

/** Dyadic mean a/8, a ∈ [−24, 24], and variance b/16, b ∈ [0, 64] (an atom allowed). */
const meanArb = fc.integer({ min: -24, max: 24 }).map((a) => a / 8);
const varArb = fc.integer({ min: 0, max: 64 }).map((b) => b / 16);

describe('constants', () => {
  it('UNIT_ROUNDOFF = 2⁻⁵³; γ_k = k u / (1 − k u) bit for bit', () => {
    expect(UNIT_ROUNDOFF).toBe(2 ** -53);
    for (const k of [0, 1, 2, 3, 7, 64, 1000, 2 ** 40]) expect(gammaRounding(k)).toBe((k * 2 ** -53) / (1 - k * 2 ** -53));
    expect(gammaRounding(5)).toBeGreaterThan(5 * 2 ** -53); // the 1/(1 − k u) factor is there
  });
  it('hermiteFloatBound(n, M) = γ_{3n+3} M (the documented bound)', () => {
    for (const [n, M] of [[0, 1], [1, 2.5], [4, 3], [10, 0.125]] as const) expect(hermiteFloatBound(n, M)).toBe(gammaK(3 * n + 3) * M);
  });
});

describe('He_n: three-term recurrence against the explicit polynomial', () => {
  it("the oracle's explicit coefficients are orthogonal under N(0, 1): E[He_n He_m] = n! δ_nm (exact, n, m ≤ 12)", () => {
    const N = 12;
    const mom = gaussianMoments(2 * N, ZERO, ONE);
    const coefs = Array.from({ length: N + 1 }, (_, n) => hermiteCoefficients(n));
    for (let n = 0; n <= N; n++) {
      for (let m = 0; m <= n; m++) {
        let s = ZERO;
        for (let i = 0; i <= n; i++) for (let j = 0; j <= m; j++) s = add(s, mul(q(coefs[n]![i]! * coefs[m]![j]!), mom[i + j]!));
        expect(s).toEqual(n === m ? q(fact(n)) : ZERO);
      }
    }
  });

  it('small cases written out: He_2 = x² − 1, He_3 = x³ − 3x, He_4 = x⁴ − 6x² + 3, He_5, He_6; exact at integers', () => {
    for (let x = -4; x <= 4; x++) {
      const v = hermiteValues(6, x);
      expect(v.length).toBe(7);
      // (+0 added: the recurrence may return −0 where the polynomial is 0; the sign of zero is no part of the contract)
      expect(Array.from(v, (y) => y + 0)).toEqual([1, x, x ** 2 - 1, x ** 3 - 3 * x, x ** 4 - 6 * x ** 2 + 3, x ** 5 - 10 * x ** 3 + 15 * x, x ** 6 - 15 * x ** 4 + 45 * x ** 2 - 15]);
      expect(hermite(4, x)).toBe(x ** 4 - 6 * x ** 2 + 3);
      expect(hermite(1, x)).toBe(x);
      expect(hermite(0, x)).toBe(1);
    }
    expect(Array.from(hermiteValues(0, 3))).toEqual([1]);
    expect(Array.from(hermiteValues(1, 0.5))).toEqual([1, 0.5]);
    // He_12 at integers |x| ≤ 4: every intermediate is an integer below 2⁵³, so exact
    for (let x = -4; x <= 4; x++) expect(hermite(12, x)).toBe(toNumber(exactHermiteAt(12, q(BigInt(x))).value[12]!));
  });

  it('writes exactly out[0..nMax] of a given buffer (longer buffers keep their tail)', () => {
    const out = new Float64Array(5).fill(-7);
    expect(hermiteValues(0, 2, out)).toBe(out);
    expect(Array.from(out)).toEqual([1, -7, -7, -7, -7]);
    hermiteValues(2, 2, out);
    expect(Array.from(out)).toEqual([1, 2, 3, -7, -7]);
  });

  test.prop([fc.integer({ min: 0, max: 40 }), fc.integer({ min: -48, max: 48 })], { numRuns: 40 })(
    'dyadic x = a/8, n ≤ 40: |He_n(x) − exact| ≤ γ_{4n} Σ|coef||x|^j',
    (N, a) => {
      const x = a / 8;
      const got = hermiteValues(N, x);
      const { value, majorant } = exactHermiteAt(N, q(BigInt(a), 8n));
      for (let n = 0; n <= N; n++) expectWithin(got[n]!, value[n]!, gammaK(RECURRENCE_ROUNDINGS_PER_STEP * n) * toNumber(majorant[n]!) * (1 + 2 ** -40), `He_${n}(${x})`);
    },
  );

  it('refusals: nMax must be an integer ≥ 0 (exact messages)', () => {
    expectMessage(() => hermiteValues(-1, 0), 'hermiteValues: nMax = -1 must be an integer ≥ 0');
    expectMessage(() => hermiteValues(1.5, 0), 'hermiteValues: nMax = 1.5 must be an integer ≥ 0');
    expectMessage(() => hermite(Number.NaN, 0), 'hermiteValues: nMax = NaN must be an integer ≥ 0');
  });
});

describe('Hermite coefficients of one Gaussian: h_n = E[He_n(X)]/n! against exact moments', () => {
  test.prop([fc.integer({ min: 0, max: 24 }), meanArb, varArb], { numRuns: 40 })(
    'recurrence, sum form and majorant against the exact rationals (dyadic m, v)',
    (N, m, v) => {
      const mq = fromDouble(m);
      const vq = fromDouble(v);
      const truth = exactH(N, mq, vq);
      const bar = exactMajorant(N, mq, vq);
      const rec = gaussianHermiteCoefficients(N, m, v);
      const sum = gaussianHermiteCoefficientsBySum(N, m, v);
      const maj = hermiteMajorant(N, m, v);
      const majSum = gaussianHermiteCoefficientsBySum(N, m, v, true);
      expect(rec.length).toBe(N + 1);
      expect(sum.length).toBe(N + 1);
      expect(maj.length).toBe(N + 1);
      for (let n = 0; n <= N; n++) {
        const tol = H_ALLOWANCE(n, bar[n]!);
        expectWithin(rec[n]!, truth[n]!, tol, `recurrence h_${n}(${m}, ${v})`);
        expectWithin(sum[n]!, truth[n]!, tol, `sum h_${n}(${m}, ${v})`);
        expectWithin(maj[n]!, bar[n]!, tol, `majorant h̄_${n}(${m}, ${v})`);
        expect(majSum[n]).toBe(maj[n]);
      }
    },
  );

  it('hand cases: N(0, 1) → (1, 0, 0, …); N(m, 1) → m^n/n!; atom N(m, 0) → He_n(m)/n!; N(0, 3) → h_2 = 1, h_4 = 1/2; N(1/2, 1/2) with its negative-b majorant', () => {
    expect(Array.from(gaussianHermiteCoefficients(5, 0, 1))).toEqual([1, 0, 0, 0, 0, 0]);
    expect(Array.from(gaussianHermiteCoefficientsBySum(5, 0, 1))).toEqual([1, 0, 0, 0, 0, 0]);
    // variance 1 (b = 0): h_n = m^n / n!;  the atom N(m, 0) (b = −1): h_n = He_n(m) / n!
    expect(Array.from(gaussianHermiteCoefficients(4, 2, 1))).toEqual([1, 2, 2, 4 / 3, 2 / 3]);
    expect(Array.from(gaussianHermiteCoefficients(4, 2, 0))).toEqual([1, 2, 3 / 2, 2 / 6, -5 / 24]);
    // N(0, 3): b = 2, h_{2k} = (b/2)^k / k! = 1/k!, odd ones 0
    expect(Array.from(gaussianHermiteCoefficients(4, 0, 3))).toEqual([1, 0, 1, 0, 0.5]);
    expect(Array.from(gaussianHermiteCoefficientsBySum(4, 0, 3))).toEqual([1, 0, 1, 0, 0.5]);
    // N(−1/2, 1/2): b = −1/2; h_1 = −1/2, h_2 = (m² + b)/2 = −1/8, h_3 = (m h_2 + b h_1)/3 = (1/16 + 1/4)/3
    expect(Array.from(gaussianHermiteCoefficients(2, -0.5, 0.5))).toEqual([1, -0.5, -0.125]);
    expect(Array.from(gaussianHermiteCoefficientsBySum(2, -0.5, 0.5))).toEqual([1, -0.5, -0.125]);
    // its majorant: |m| = 1/2, |b|/2 = 1/4: h̄_1 = 1/2, h̄_2 = 1/8 + 1/4 = 3/8
    expect(Array.from(hermiteMajorant(2, -0.5, 0.5))).toEqual([1, 0.5, 0.375]);
    expect(Array.from(gaussianHermiteCoefficients(1, -3, 7))).toEqual([1, -3]);
    expect(Array.from(gaussianHermiteCoefficients(0, -3, 7))).toEqual([1]);
  });

  it('writes exactly out[0..nMax] of a given buffer; nMax = 170 accepted (finite)', () => {
    const out = new Float64Array(4).fill(-7);
    expect(gaussianHermiteCoefficients(0, 3, 2, out)).toBe(out);
    expect(Array.from(out)).toEqual([1, -7, -7, -7]);
    gaussianHermiteCoefficients(1, 3, 2, out);
    expect(Array.from(out)).toEqual([1, 3, -7, -7]);
    const h = gaussianHermiteCoefficients(170, 0, 0);
    expect(h.length).toBe(171);
    // N(0, 0): h_{2k} = (−1/2)^k / k!: h_170 = −2^{−85}/85!, finite and negative
    expect(Number.isFinite(h[170]!) && h[170]! < 0).toBe(true);
    expect(gaussianHermiteCoefficientsBySum(170, 0, 0).length).toBe(171);
  });

  it('refusals with exact messages (nMax in [0, 170], finite mean, finite variance ≥ 0), both routes', () => {
    for (const [f, w] of [
      [gaussianHermiteCoefficients, 'gaussianHermiteCoefficients'],
      [gaussianHermiteCoefficientsBySum, 'gaussianHermiteCoefficientsBySum'],
    ] as const) {
      expectMessage(() => f(-1, 0, 1), `${w}: nMax = -1 must be an integer in [0, 170]`);
      expectMessage(() => f(2.5, 0, 1), `${w}: nMax = 2.5 must be an integer in [0, 170]`);
      expectMessage(() => f(171, 0, 1), `${w}: nMax = 171 must be an integer in [0, 170]`);
      expectMessage(() => f(3, Number.NaN, 1), `${w}: mean NaN is not finite`);
      expectMessage(() => f(3, Infinity, 1), `${w}: mean Infinity is not finite`);
      expectMessage(() => f(3, 0, -0.5), `${w}: variance -0.5 must be finite and ≥ 0`);
      expectMessage(() => f(3, 0, Number.NaN), `${w}: variance NaN must be finite and ≥ 0`);
      expectMessage(() => f(3, 0, Infinity), `${w}: variance Infinity must be finite and ≥ 0`);
    }
    expectMessage(() => hermiteMajorant(3, 0, -1), 'gaussianHermiteCoefficientsBySum: variance -1 must be finite and ≥ 0');
  });
});

// ───────────────────────────────────────────── mixtures

/** 1-D mixtures with dyadic weights (1/4, 3/4: exact after the constructor's renormalisation). */
function mix1d(parts: readonly (readonly [number, number, number])[]): GaussianMixture {
  return gaussianMixture(parts.map((p) => p[0]), parts.map((p) => isotropicGaussian([p[1]], p[2])));
}
const mixtureArb = fc.tuple(meanArb, varArb, meanArb, varArb).map(([m1, v1, m2, v2]) => [[0.25, m1, v1], [0.75, m2, v2]] as const);

describe('1-D mixtures: c_n = Σ w_k h_n(m_k, v_k), float bound γ_{3n+K+5} Σ w_k h̄_n', () => {
  test.prop([fc.integer({ min: 0, max: 20 }), mixtureArb], { numRuns: 30 })('coefficients, majorant and float bound against the exact rationals', (N, parts) => {
    const p = mix1d(parts);
    const K = 2;
    const { coefficients, floatBound } = mixtureHermiteCoefficients(p, N);
    const major = mixtureHermiteMajorant(p, N);
    const truth: Q[] = new Array(N + 1).fill(ZERO);
    const bar: Q[] = new Array(N + 1).fill(ZERO);
    for (const [w, m, v] of parts) {
      const h = exactH(N, fromDouble(m), fromDouble(v));
      const hb = exactMajorant(N, fromDouble(m), fromDouble(v));
      for (let n = 0; n <= N; n++) {
        truth[n] = add(truth[n]!, mul(fromDouble(w), h[n]!));
        bar[n] = add(bar[n]!, mul(fromDouble(w), hb[n]!));
      }
    }
    expect(coefficients.length).toBe(N + 1);
    expect(floatBound.length).toBe(N + 1);
    expect(major.length).toBe(N + 1);
    for (let n = 0; n <= N; n++) {
      // the returned bound must cover the actual error of the returned coefficient
      expectWithin(coefficients[n]!, truth[n]!, floatBound[n]!, `c_${n}`);
      // and it is γ_{3n+3+K+2} times the majorant: the majorant's own float value is within
      // γ_{4n+4+K} of the exact one (H_ALLOWANCE per component, K weighted additions), so the ratio
      // is within 1 ± 2⁻⁴⁰ of γ_{3n+K+5} (4n + 4 + K ≤ 90 roundings ≈ 1e-14 ≪ 2⁻⁴⁰ ≈ 9e-13)
      const expected = gammaK(3 * n + 3 + K + 2) * toNumber(bar[n]!);
      expect(Math.abs(floatBound[n]! - expected)).toBeLessThanOrEqual(2 ** -40 * expected);
      expectWithin(major[n]!, bar[n]!, gammaK(4 * n + 4 + K) * toNumber(bar[n]!) * (1 + 2 ** -40), `c̄_${n}`);
    }
  });

  it('hand case: ¼ N(1, 1) + ¾ N(−1, 3): c = (1, −1/2, 1/2·… ) written out', () => {
    // N(1, 1): b = 0, h_n = 1/n!;  N(−1, 3): b = 2, h_0 = 1, h_1 = −1, h_2 = (1 + 2)/2 = 3/2
    const p = mix1d([[0.25, 1, 1], [0.75, -1, 3]]);
    const { coefficients } = mixtureHermiteCoefficients(p, 2);
    expect(Array.from(coefficients)).toEqual([1, 0.25 - 0.75, 0.25 * 0.5 + 0.75 * 1.5]);
    // majorant: N(1, 1) → 1/n!; N(−1, 3) → |m| = 1, |b|/2 = 1: h̄_2 = 1/2 + 1 = 3/2
    expect(Array.from(mixtureHermiteMajorant(p, 2))).toEqual([1, 1, 0.25 * 0.5 + 0.75 * 1.5]);
  });

  it('refuses multi-dimensional mixtures (exact messages)', () => {
    const p2 = gaussianMixture([1], [isotropicGaussian([0, 0], 1)]);
    expectMessage(() => mixtureHermiteCoefficients(p2, 2), 'mixtureHermiteCoefficients: needs a 1-D mixture (got dimension 2)');
    expectMessage(() => mixtureHermiteMajorant(p2, 2), 'mixtureHermiteMajorant: needs a 1-D mixture (got dimension 2)');
    expectMessage(() => mixtureHermiteParameterAllowance(p2, 2, 1), 'mixtureHermiteParameterAllowance: needs a 1-D mixture (got dimension 2)');
  });
});

describe('multi-index coefficients of diagonal mixtures: Σ_k w_k ∏_j h_{ν_j}(m_kj, v_kj)', () => {
  test.prop([fc.integer({ min: 0, max: 8 }), fc.integer({ min: 0, max: 8 }), fc.tuple(meanArb, meanArb, varArb, varArb, meanArb, meanArb, varArb, varArb)], { numRuns: 30 })(
    'against the exact product of 1-D rationals (2-D, two diagonal components with different variances)',
    (n0, n1, [a0, a1, u0, u1, b0, b1, s0, s1]) => {
      const v = (x: number): number => x + 1 / 16; // diagonalGaussian needs variances > 0
      const comps = [diagonalGaussian([a0, a1], [v(u0), v(u1)]), diagonalGaussian([b0, b1], [v(s0), v(s1)])];
      const p = gaussianMixture([0.25, 0.75], comps);
      let truth = ZERO;
      let bar = ZERO;
      comps.forEach((g, k) => {
        let prod = fromDouble(p.weights[k]!);
        let pb = prod;
        [n0, n1].forEach((nj, j) => {
          prod = mul(prod, exactH(nj, fromDouble(g.mean[j]!), fromDouble(g.cov[3 * j]!))[nj]!);
          pb = mul(pb, exactMajorant(nj, fromDouble(g.mean[j]!), fromDouble(g.cov[3 * j]!))[nj]!);
        });
        truth = add(truth, prod);
        bar = add(bar, pb);
      });
      // per factor γ_{4ν+4} (H_ALLOWANCE), two factors, the weight product and the sum over two
      // components: γ_{4(n0+n1)+8+4} times the majorant of the products
      expectWithin(mixtureMultiIndexCoefficient(p, [n0, n1]), truth, gammaK(4 * (n0 + n1) + 12) * toNumber(bar) * (1 + 2 ** -40), `c_(${n0},${n1})`);
    },
  );

  it('hand cases: isotropic 2-D N((1, −1), 3 I): c_(1,2) = h_1(1, 3) h_2(−1, 3) = 1 · 3/2; c_(0,0) = 1; product law', () => {
    const p = gaussianMixture([1], [isotropicGaussian([1, -1], 3)]);
    expect(mixtureMultiIndexCoefficient(p, [1, 2])).toBe(1.5);
    expect(mixtureMultiIndexCoefficient(p, [2, 1])).toBe(-1.5); // h_2(1, 3) = 3/2, h_1(−1, 3) = −1
    expect(mixtureMultiIndexCoefficient(p, [0, 0])).toBe(1);
    // diagonal N((0, 2), diag(2, 1)): h_2(0, 2) = 1/2, h_2(2, 1) = 2
    const d = gaussianMixture([1], [diagonalGaussian([0, 2], [2, 1])]);
    expect(mixtureMultiIndexCoefficient(d, [2, 2])).toBe(1);
    expect(mixtureMultiIndexCoefficient(d, [2, 0])).toBe(0.5);
    expect(mixtureMultiIndexCoefficient(d, [0, 2])).toBe(2);
    // 1-D: the same as the 1-D route
    const one = mix1d([[0.25, 1, 1], [0.75, -1, 3]]);
    expect(mixtureMultiIndexCoefficient(one, [2])).toBe(0.25 * 0.5 + 0.75 * 1.5);
  });

  it('refusals with exact messages', () => {
    const p = gaussianMixture([1], [isotropicGaussian([0, 0], 1)]);
    expectMessage(() => mixtureMultiIndexCoefficient(p, [1]), 'mixtureMultiIndexCoefficient: multi-index of length 1 for dimension 2');
    expectMessage(() => mixtureMultiIndexCoefficient(p, [1, -1]), 'mixtureMultiIndexCoefficient: index -1 must be an integer ≥ 0');
    expectMessage(() => mixtureMultiIndexCoefficient(p, [0.5, 1]), 'mixtureMultiIndexCoefficient: index 0.5 must be an integer ≥ 0');
    const full = gaussianMixture([1], [fullGaussian([0, 0], [2, 1, 1, 2])]);
    expectMessage(() => mixtureMultiIndexCoefficient(full, [1, 1]), 'mixtureMultiIndexCoefficient: needs diagonal or isotropic components');
  });
});

describe('parameter allowance: 2 Σ_k w_k (h̄_{n−1} 3u·pushes·|m| + ½ h̄_{n−2} 4u·pushes·(v + 1))', () => {
  test.prop([fc.integer({ min: 0, max: 10 }), mixtureArb, fc.integer({ min: 1, max: 50 })], { numRuns: 15 })(
    'value by its formula (exact rationals) and it covers the exact change of c_n under the extreme parameter perturbations',
    (N, parts, pushes) => {
      const p = mix1d(parts);
      const got = mixtureHermiteParameterAllowance(p, N, pushes);
      expect(got.length).toBe(N + 1);
      const uq: Q = [1n, 2n ** 53n];
      const P = q(BigInt(pushes));
      const formula: Q[] = new Array(N + 1).fill(ZERO);
      const change: Q[] = new Array(N + 1).fill(ZERO); // worst exact |Δc_n| over the four sign choices, summed per component
      for (const [w, m, v] of parts) {
        const mq = fromDouble(m);
        const vq = fromDouble(v);
        const bar = exactMajorant(N, mq, vq);
        const dm = mul(mul(q(3n), uq), mul(P, qabs(mq)));
        const dv = mul(mul(q(4n), uq), mul(P, add(vq, ONE)));
        const h0 = exactH(N, mq, vq);
        const worst: Q[] = new Array(N + 1).fill(ZERO);
        for (const sm of [-1n, 1n]) {
          for (const sv of [-1n, 1n]) {
            const v1 = add(vq, mul(q(sv), dv));
            if (v1[0] < 0n) continue; // (v = 0: the negative perturbation leaves the contract)
            const h1 = exactH(N, add(mq, mul(q(sm), dm)), v1);
            for (let n = 0; n <= N; n++) {
              const d = qabs(sub(h1[n]!, h0[n]!));
              if (!leq(d, worst[n]!)) worst[n] = d;
            }
          }
        }
        for (let n = 0; n <= N; n++) {
          const a = n >= 1 ? mul(bar[n - 1]!, dm) : ZERO;
          const b = n >= 2 ? mul(mul(q(1n, 2n), bar[n - 2]!), dv) : ZERO;
          formula[n] = add(formula[n]!, mul(q(2n), mul(fromDouble(w), add(a, b))));
          change[n] = add(change[n]!, mul(fromDouble(w), worst[n]!));
        }
      }
      for (let n = 0; n <= N; n++) {
        // float evaluation of the formula: the majorant within γ_{4n+4} (H_ALLOWANCE), ≤ 8 more
        // roundings (dm, dv, the products, the sums over two components): relative γ_{4n+12}
        expectWithin(got[n]!, formula[n]!, gammaK(4 * n + 12) * toNumber(formula[n]!) * (1 + 2 ** -40), `allowance_${n}`);
        expect(leq(change[n]!, fromDouble(got[n]!))).toBe(true);
      }
    },
  );

  it('hand case: N(2, 0), one push, n ≤ 2: (0, 2·3u·2·1, 2(h̄_1 3u·2 + ½ 4u))', () => {
    // h̄ of N(2, 0): |m| = 2, |b|/2 = 1/2: h̄_0 = 1, h̄_1 = 2; dm = 6u, dv = 4u
    const got = mixtureHermiteParameterAllowance(gaussianMixture([1], [isotropicGaussian([2], 0)]), 2, 1);
    expect(Array.from(got)).toEqual([0, 2 * 6 * U, 2 * (2 * 6 * U + 0.5 * 4 * U)]);
  });
});

describe('λ_n = α e/(1 − (1−α) e) and the mode contraction (1−α) e, e = e^{−n t0/2}', () => {
  /**
   * Relative allowance between the module (α e / (α e − expm1(x))) and the naive formula here, for
   * α ≥ 1/16 (so both denominators are ≥ α ≥ 1/16): x = −n t0/2 carries ≤ 2 roundings (2u|x|
   * absolute), exp/expm1 ≤ 2u relative each (faithful libm), ≤ 4 more roundings per side; the
   * denominator's condition number is ≤ (1 + |x|)/den ≤ 16 (1 + |x|). Per side ≤ 16 (1 + |x|)(2u|x| + 6u);
   * two sides, charged 256 u (1 + |x|)².
   */
  const lambdaAllowance = (x: number): number => 256 * U * (1 + Math.abs(x)) ** 2;
  const alphaArb = fc.integer({ min: 1, max: 16 }).map((k) => k / 16);
  test.prop([fc.integer({ min: 0, max: 40 }), alphaArb, fc.integer({ min: 1, max: 64 }).map((k) => k / 64)], { numRuns: 60 })(
    'against the naive formula (α ≥ 1/16, n t0 ≤ 40)',
    (n, alpha, t0) => {
      const x = (-n * t0) / 2;
      const e = Math.exp(x);
      const naive = (alpha * e) / (1 - (1 - alpha) * e);
      const got = limitAttenuation(n, alpha, t0);
      expect(Math.abs(got - naive)).toBeLessThanOrEqual(lambdaAllowance(x) * naive);
      const c = modeContraction(n, alpha, t0);
      // (1 − α) e^{x}: both sides the same roundings on x (computed in another order: ≤ 2u|x| each)
      // plus exp and one product: relative 8u (1 + |x|)
      expect(Math.abs(c - (1 - alpha) * e)).toBeLessThanOrEqual(8 * U * (1 + Math.abs(x)) * (1 - alpha) * e);
    },
  );

  it('edge values: t0 = 0 or n = 0 → 1 (α > 0); α = 0, n t0 > 0 → 0; α = 1 → e; contraction (1 − α) at n t0 = 0', () => {
    expect(limitAttenuation(5, 0.25, 0)).toBe(1);
    expect(limitAttenuation(0, 0.25, 3)).toBe(1);
    expect(limitAttenuation(3, 0, 2)).toBe(0);
    const e = Math.exp(-3);
    expect(Math.abs(limitAttenuation(3, 1, 2) - e)).toBeLessThanOrEqual(lambdaAllowance(3) * e);
    expect(modeContraction(4, 0.25, 0)).toBe(0.75);
    expect(modeContraction(0, 0.25, 7)).toBe(0.75);
    expect(modeContraction(2, 1, 3)).toBe(0);
    // λ_1 at α = 1/2, t0 = 2 ln 2 (e ≈ 1/2): (1/4)/(1 − 1/4) = 1/3
    expect(Math.abs(limitAttenuation(1, 0.5, 2 * Math.LN2) - 1 / 3)).toBeLessThanOrEqual(1e-15);
    // mode contraction at n = 2, t0 = ln 2: (1 − α)/2
    expect(Math.abs(modeContraction(2, 0.5, Math.LN2) - 0.25)).toBeLessThanOrEqual(1e-16);
  });

  it('small n t0 keeps relative precision (the expm1 form): α = 2⁻³⁰, n t0 = 2⁻⁴⁰ against a Taylor oracle', () => {
    // x = −2⁻⁴¹: e = 1 + x + x²/2 + R, expm1(x) = x + x²/2 + R with |R| ≤ |x|³ ≈ 2⁻¹²³; the exact
    // λ = α e / (α e − expm1(x)) ≈ 2⁻³⁰/(2⁻³⁰ + 2⁻⁴¹) is conditioned ≤ 2 in e and expm1, so the
    // module's value is within ≈ 16 u relative of the rational below; charged 64 u
    const xq = q(-1n, 2n ** 41n);
    const alpha = q(1n, 2n ** 30n);
    const e = add(add(ONE, xq), div(mul(xq, xq), q(2n)));
    const em1 = sub(e, ONE);
    const exact = div(mul(alpha, e), sub(mul(alpha, e), em1));
    const got = limitAttenuation(1, 2 ** -30, 2 ** -40);
    expectWithin(got, exact, 64 * U * toNumber(exact), 'λ_1 small t0');
  });

  it('refusals with exact messages, and 0/0', () => {
    expectMessage(() => limitAttenuation(1, -0.25, 1), 'limitAttenuation: α = -0.25 not in [0, 1]');
    expectMessage(() => limitAttenuation(1, 1.5, 1), 'limitAttenuation: α = 1.5 not in [0, 1]');
    expectMessage(() => limitAttenuation(1, Number.NaN, 1), 'limitAttenuation: α = NaN not in [0, 1]');
    expectMessage(() => limitAttenuation(1, 0.5, -1), 'limitAttenuation: t0 = -1 must be finite and ≥ 0');
    expectMessage(() => limitAttenuation(1, 0.5, Infinity), 'limitAttenuation: t0 = Infinity must be finite and ≥ 0');
    expectMessage(() => limitAttenuation(1, 0.5, Number.NaN), 'limitAttenuation: t0 = NaN must be finite and ≥ 0');
    expectMessage(() => limitAttenuation(-1, 0.5, 1), 'limitAttenuation: n = -1 must be ≥ 0');
    expectMessage(() => limitAttenuation(Number.NaN, 0.5, 1), 'limitAttenuation: n = NaN must be ≥ 0');
    expectMessage(() => limitAttenuation(0, 0, 1), 'limitAttenuation: 0/0 at α = 0, n t0 = 0');
    expectMessage(() => limitAttenuation(3, 0, 0), 'limitAttenuation: 0/0 at α = 0, n t0 = 0');
    // boundaries accepted: α = 0 and 1, t0 = 0, n = 0
    expect(limitAttenuation(0, 1, 0)).toBe(1);
  });
});
