/**
 * Vector-field combinators (src/scores/vector-field.ts) and the model score error
 * (src/scores/model-score-error.ts, docs/theory.md §2, §5.2) against definitions written here.
 *
 * Combinators: sumFields(a, b) = a + b, differenceField(a, b) = a − b, evaluateField = m = len/d rows
 * into a fresh array, zeroField = 0; fields built in the test with integer formulas (exact in
 * binary64, compared with toEqual), the scratch buffer exercised by growing and shrinking batch sizes,
 * the rows past m checked untouched, dimension mismatches and their messages.
 *
 * Model score error: e = ∇log P_t q̃ (+ injected) − ∇log P_t q. At t = 0 the score of one Gaussian
 * N(μ, S) is −S⁻¹(x − μ), written here with the inverse by hand: S = [[4, 2], [2, 5]] has
 * S⁻¹ = (1/16)[[5, −2], [−2, 4]] (det 16), diag(2, 4) has diag(½, ¼); with integer x every score is a
 * dyadic rational, exact in binary64 (the module's Cholesky inverse of this S is exact too: factor
 * [[2, 0], [1, 2]], every step dyadic; one component, so the softmax weight is exactly 1).
 * At t > 0: P_t N(μ, I) = N(a_t μ, I) (a_t = e^{−t/2}; a_t² + σ_t² = 1), so the error of the model
 * N(μ, I) against the truth N(0, I) is −(x − a_t μ) + x = a_t μ whatever x.
 * Tolerance (t > 0, `ERR_TOL`, per coordinate): each score is −(x − a μ)/S_t with S_t = a² + σ² = 1
 * up to ≤ 4u (exp, expm1, product, sum; u = 2⁻⁵³), a μ within 2u|aμ| (exp, product), the subtraction
 * and the division ≤ 2u: |Δs| ≤ 8u(|x| + |aμ|) per score; the difference of the two scores adds
 * u·|e|, the oracle's a μ 2u|aμ|: ERR_TOL = 8u(|x| + |aμ|) + 8u|x| + 3u|aμ| ≤ 16u(2|x| + |aμ|), the
 * last form used.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { fc, test } from '../support/prop.ts';
import { diagonalGaussian, fullGaussian, isotropicGaussian } from '../../src/distributions/gaussian.ts';
import { gaussianMixture, singleGaussianMixture, type GaussianMixture } from '../../src/distributions/gaussian-mixture.ts';
import { modelScore, modelScoreError } from '../../src/scores/model-score-error.ts';
import { differenceField, evaluateField, sumFields, zeroField, type VectorField } from '../../src/scores/vector-field.ts';
import { boundedDouble as dbl } from '../support/arbitraries.ts';

const U = 2 ** -53;

/** A(t, x)_a = (a + 1)·x_a + t·x_{(a+1) mod d} − a: integer in, integer out. */
const fieldA = (d: number): VectorField => ({
  dim: d,
  evaluate(t, x, m, out) {
    for (let i = 0; i < m; i++) for (let a = 0; a < d; a++) out[i * d + a] = (a + 1) * x[i * d + a]! + t * x[i * d + ((a + 1) % d)]! - a;
  },
});
/** B(t, x)_a = 3·x_0 − t + a (the first coordinate of the row only). */
const fieldB = (d: number): VectorField => ({
  dim: d,
  evaluate(t, x, m, out) {
    for (let i = 0; i < m; i++) for (let a = 0; a < d; a++) out[i * d + a] = 3 * x[i * d]! - t + a;
  },
});
const refA = (d: number, t: number, x: readonly number[]): number[] => x.map((v, j) => {
  const i = Math.floor(j / d);
  const a = j % d;
  return (a + 1) * v + t * x[i * d + ((a + 1) % d)]! - a;
});
const refB = (d: number, t: number, x: readonly number[]): number[] => x.map((_, j) => 3 * x[Math.floor(j / d) * d]! - t + (j % d));

const SENTINEL = -777;

/** Evaluate `f` at m rows of x into a buffer one row longer (filled with SENTINEL). */
function run(f: VectorField, t: number, x: readonly number[], m: number): { rows: number[]; tail: number[] } {
  const d = f.dim;
  const out = new Float64Array((m + 1) * d).fill(SENTINEL);
  f.evaluate(t, Float64Array.from([...x, ...Array.from({ length: d }, () => 1)]), m, out);
  return { rows: Array.from(out.subarray(0, m * d)), tail: Array.from(out.subarray(m * d)) };
}

describe('vector-field combinators: a + b, a − b (exact integers)', () => {
  const caseArb = fc
    .record({ d: fc.integer({ min: 1, max: 4 }), ms: fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 4 }), t: fc.integer({ min: -4, max: 4 }) })
    .chain((c) => fc.array(fc.integer({ min: -50, max: 50 }), { minLength: 5 * c.d, maxLength: 5 * c.d }).map((x) => ({ ...c, x })));

  test.prop([caseArb])('one combined field over a sequence of batch sizes (scratch grown and reused); rows past m untouched', ({ d, ms, t, x }) => {
    const sum = sumFields(fieldA(d), fieldB(d));
    const diff = differenceField(fieldA(d), fieldB(d));
    expect(sum.dim).toBe(d);
    expect(diff.dim).toBe(d);
    for (const m of ms) {
      const xm = x.slice(0, m * d);
      const A = refA(d, t, xm);
      const B = refB(d, t, xm);
      const s = run(sum, t, xm, m);
      expect(s.rows).toEqual(A.map((v, i) => v + B[i]!));
      expect(s.tail).toEqual(Array.from({ length: d }, () => SENTINEL));
      const r = run(diff, t, xm, m);
      expect(r.rows).toEqual(A.map((v, i) => v - B[i]!));
      expect(r.tail).toEqual(Array.from({ length: d }, () => SENTINEL));
    }
  });

  it('a fixed case: d = 2, m = 1 then 3 then 1', () => {
    const sum = sumFields(fieldA(2), fieldB(2));
    // x = (1, 2), t = 1: A = (1 + 2, 4 + 1 − 1) = (3, 4), B = (3 − 1, 3 − 1 + 1) = (2, 3)
    expect(run(sum, 1, [1, 2], 1).rows).toEqual([5, 7]);
    expect(run(sum, 1, [1, 2, 0, 0, -1, 1], 3).rows).toEqual([5, 7, -1, -1, -4, -3]);
    expect(run(differenceField(fieldA(2), fieldB(2)), 1, [1, 2], 1).rows).toEqual([1, 1]);
    const again = run(sum, 1, [1, 2], 1);
    expect(again.rows).toEqual([5, 7]);
    expect(again.tail).toEqual([SENTINEL, SENTINEL]);
  });

  it('refuses fields of different dimensions, naming the combinator', () => {
    expect(() => sumFields(fieldA(2), fieldB(3))).toThrow('sumFields: dimensions 2 and 3 differ');
    expect(() => differenceField(fieldA(3), fieldB(1))).toThrow('differenceField: dimensions 3 and 1 differ');
  });

  it('combinators never carry a fused path', () => {
    const law = singleGaussianMixture(isotropicGaussian([0], 1));
    const fused: VectorField = { ...fieldA(1), fusedPath: { kind: 'gaussian-mixture', law } };
    expect(sumFields(fused, fused).fusedPath).toBeUndefined();
    expect(differenceField(fused, fused).fusedPath).toBeUndefined();
  });
});

describe('evaluateField and zeroField', () => {
  it('evaluateField: m = len/d rows into a fresh array; refuses a length that is not a multiple of d', () => {
    const x = Float64Array.of(1, 2, 3, 4, 5, 6);
    const out = evaluateField(fieldA(3), 2, x);
    expect(out).not.toBe(x);
    expect(Array.from(out)).toEqual(refA(3, 2, [1, 2, 3, 4, 5, 6]));
    expect(Array.from(x)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(Array.from(evaluateField(fieldB(2), 0, new Float64Array(0)))).toEqual([]);
    expect(() => evaluateField(fieldA(2), 0, Float64Array.of(1, 2, 3))).toThrow('evaluateField: 3 numbers is not a multiple of dimension 2');
    expect(() => evaluateField(fieldA(4), 0, Float64Array.of(1, 2))).toThrow('evaluateField: 2 numbers is not a multiple of dimension 4');
  });

  it('zeroField: the first m·d entries set to 0, the rest untouched', () => {
    const z = zeroField(3);
    expect(z.dim).toBe(3);
    const out = new Float64Array(9).fill(5);
    z.evaluate(1, new Float64Array(9).fill(2), 2, out);
    expect(Array.from(out)).toEqual([0, 0, 0, 0, 0, 0, 5, 5, 5]);
    expect(Array.from(evaluateField(zeroField(2), 0.5, Float64Array.of(3, 4, 5, 6)))).toEqual([0, 0, 0, 0]);
  });
});

describe('§2 model score and its error against the truth (closed-form Gaussian scores)', () => {
  // model N((1, −2), [[4, 2], [2, 5]]), truth N((0, 1), diag(2, 4)); built in beforeAll (a throwing
  // constructor must fail a test, not the file's collection)
  let model: GaussianMixture;
  let truth: GaussianMixture;
  beforeAll(() => {
    model = gaussianMixture([1], [fullGaussian([1, -2], [4, 2, 2, 5])]);
    truth = gaussianMixture([1], [diagonalGaussian([0, 1], [2, 4])]);
  });
  /** −S⁻¹(x − μ) with S⁻¹ = (1/16)[[5, −2], [−2, 4]], μ = (1, −2). */
  const sModel = (x: number, y: number): number[] => {
    const dx = x - 1;
    const dy = y + 2;
    return [-(5 * dx - 2 * dy) / 16, -(-2 * dx + 4 * dy) / 16];
  };
  /** −diag(½, ¼)(x − (0, 1)). */
  const sTruth = (x: number, y: number): number[] => [-x / 2, -(y - 1) / 4];
  /** Injected error written here: e(x, t) = (x_1 + t, −2 x_0). */
  const injected: VectorField = {
    dim: 2,
    evaluate(t, x, m, out) {
      for (let i = 0; i < m; i++) {
        out[2 * i] = x[2 * i + 1]! + t;
        out[2 * i + 1] = -2 * x[2 * i]!;
      }
    },
  };
  const pointsArb = fc.array(fc.tuple(fc.integer({ min: -40, max: 40 }), fc.integer({ min: -40, max: 40 })), { minLength: 1, maxLength: 4 });

  test.prop([pointsArb])('t = 0: modelScore = −S⁻¹(x − μ) (+ e); modelScoreError = that − the truth score (exact)', (pts) => {
    const x = Float64Array.from(pts.flat());
    const plain = modelScore(model);
    const withE = modelScore(model, injected);
    const err = modelScoreError(model, truth);
    const errDefault = modelScoreError(model, truth, null);
    const errE = modelScoreError(model, truth, injected);
    expect(plain.dim).toBe(2);
    expect(err.dim).toBe(2);
    const sm = pts.flatMap(([a, b]) => sModel(a, b));
    const st = pts.flatMap(([a, b]) => sTruth(a, b));
    const e = pts.flatMap(([a, b]) => [b + 0, -2 * a]);
    // the sign of a zero is not part of the contract: +0 and −0 compared alike (v + 0 maps −0 to +0)
    const ev = (f: VectorField): number[] => Array.from(evaluateField(f, 0, x), (v) => v + 0);
    const z = (v: number[]): number[] => v.map((w) => w + 0);
    expect(ev(plain)).toEqual(z(sm));
    expect(ev(withE)).toEqual(z(sm.map((v, i) => v + e[i]!)));
    expect(ev(err)).toEqual(z(sm.map((v, i) => v - st[i]!)));
    expect(ev(errDefault)).toEqual(z(sm.map((v, i) => v - st[i]!)));
    expect(ev(errE)).toEqual(z(sm.map((v, i) => v + e[i]! - st[i]!)));
  });

  it('refuses a model and a truth of different dimensions', () => {
    const one = gaussianMixture([1], [isotropicGaussian([0], 1)]);
    expect(() => modelScoreError(model, one)).toThrow('modelScoreError: model dimension 2 ≠ 1');
    expect(() => modelScoreError(one, model)).toThrow('modelScoreError: model dimension 1 ≠ 2');
  });

  test.prop([fc.integer({ min: 1, max: 3 }), dbl(0.01, 3), fc.array(dbl(-3, 3), { minLength: 3, maxLength: 3 }), fc.array(dbl(-5, 5), { minLength: 6, maxLength: 6 })])(
    't > 0: the error of N(μ, I) against N(0, I) is a_t μ at every x',
    (d, t, mu, xs) => {
      const m = gaussianMixture([1], [isotropicGaussian(mu.slice(0, d), 1)]);
      const q = gaussianMixture([1], [isotropicGaussian(new Float64Array(d), 1)]);
      const x = Float64Array.from(xs.slice(0, 2 * d));
      const e = evaluateField(modelScoreError(m, q), t, x);
      const a = Math.exp(-t / 2);
      for (let j = 0; j < 2 * d; j++) {
        const amu = a * mu[j % d]!;
        const ERR_TOL = 16 * U * (2 * Math.abs(x[j]!) + Math.abs(amu));
        expect(Math.abs(e[j]! - amu)).toBeLessThanOrEqual(ERR_TOL);
      }
    },
  );
});
