/**
 * The translation-error recursion (src/oracles/translation-error-recursion.ts; P1-4.1i, P1-4.1ii,
 * P1-4.2) against its closed form, unrolled by hand here.
 *
 * Round i: q_i = α N(μ, σ²) + (1−α) p̂^i (data components first), p̂^{i+1} = P_{t0}(q_i(· − b_i)),
 * P_t: N(m, v) ↦ N(a m, a² v + 1 − a²), a = e^{−t/2}. Every component is a data component that
 * entered at some round j (or the start law's component) and was then shifted and pushed in every
 * later round, so with rounds j..N−1 applied (k = N − j of them):
 *   weight α (1−α)^{N−1−j}   (the start component: (1−α)^N),
 *   mean   a^k μ + Σ_{l=j}^{N−1} a^{N−l} b_l,
 *   var    a^{2k} σ² + 1 − a^{2k}         (t0 = 0: a = 1, var σ²),
 * listed newest first: p̂^N = [entered at N−1, …, entered at 0, start]; components of weight exactly 0
 * (α = 0 or α = 1) are not kept.
 * With t0 = 0, α ∈ {0, ¼, ½, ¾, 1}, dyadic μ, σ² and shifts (multiples of ⅛, |·| ≤ 4) every weight,
 * mean and variance is exact in binary64, so the arrays are compared with toEqual.
 * With t0 > 0 (geometric factors a^k from Math.pow here, a product chain in the module) see
 * MEAN_UNITS / VAR_UNITS.
 */
import { describe, expect, it } from 'vitest';
import { fc, test } from '../support/prop.ts';
import { boundedDouble } from '../support/arbitraries.ts';
import { closedFormOutput, type Component } from '../support/translation-recursion-oracle.ts';
import {
  mix1d,
  push1d,
  singleComponent,
  toMixture,
  translate1d,
  translationErrorRecursion,
  type Mixture1d,
} from '../../src/oracles/translation-error-recursion.ts';

const U = 2 ** -53;
const gamma = (n: number): number => (n * U) / (1 - n * U);

/**
 * t0 > 0 allowance. Module: per round one addition (m + b) and one product (a·m) on the mean, two
 * products and one addition on the variance (a·a·v + s2), s2 = −expm1(−t) within 1 ulp (2u) of
 * 1 − e^{−t}, a = exp(−t/2) within 1 ulp. Oracle: Math.pow(a, k) within 1 ulp of the power of the
 * SAME double a, then one product and a sum of ≤ H + 1 terms. Over H ≤ 8 rounds, each term a^k x
 * carries ≤ 2H + 4 roundings of relative u plus k ≤ H ulps of a raised to the k-th power (k·2u):
 * ≤ 4H + 4 ≤ 36 u relative per term for both sides; the sum of |terms| is ≤ |μ| + Σ|b_l|.
 * Charged γ_80 on each side (2 · 36 = 72 ≤ 80) times that sum (+1 for the variance's 1 − a^{2k}).
 */
const MEAN_UNITS = 80;
const VAR_UNITS = 80;


function asComponents(p: Mixture1d): Component[] {
  return Array.from(p.w, (w, k) => ({ w, m: p.m[k]!, v: p.v[k]! }));
}

const dyadicShift = fc.integer({ min: -32, max: 32 }).map((k) => k / 8);
const dyadicAlpha = fc.constantFrom(0, 0.25, 0.5, 0.75, 1);

describe('translationErrorRecursion: the closed form unrolled by hand', () => {
  test.prop(
    [dyadicAlpha, fc.integer({ min: -16, max: 16 }).map((k) => k / 4), fc.integer({ min: 1, max: 16 }).map((k) => k / 8), fc.array(dyadicShift, { minLength: 0, maxLength: 7 })],
    { numRuns: 60 },
  )('t0 = 0, dyadic inputs: every p̂^N and q_N exact (weights, means, variances, order)', (alpha, mu, s2, shifts) => {
    const rec = translationErrorRecursion({ mean: mu, variance: s2, alpha, shifts, t0: 0 });
    expect(asComponents(rec.data)).toEqual([{ w: 1, m: mu, v: s2 }]);
    expect(rec.outputs.length).toBe(shifts.length + 1);
    expect(rec.training.length).toBe(shifts.length);
    expect(rec.t0).toEqual(shifts.map(() => 0));
    for (let N = 0; N <= shifts.length; N++) expect(asComponents(rec.outputs[N]!)).toEqual(closedFormOutput(mu, s2, alpha, shifts, 0, N));
    for (let i = 0; i < shifts.length; i++) {
      // q_i = α data + (1−α) p̂^i: the data component (if α > 0), then p̂^i's components scaled by 1 − α
      const want: Component[] = [];
      if (alpha > 0) want.push({ w: alpha, m: mu, v: s2 });
      if (alpha < 1) for (const c of closedFormOutput(mu, s2, alpha, shifts, 0, i)) want.push({ ...c, w: (1 - alpha) * c.w });
      expect(asComponents(rec.training[i]!)).toEqual(want);
    }
  });

  test.prop(
    [boundedDouble(0, 1), boundedDouble(-2, 2), boundedDouble(0.1, 3), fc.array(boundedDouble(-2, 2), { minLength: 1, maxLength: 8 }), boundedDouble(0.01, 1.5)],
    { numRuns: 40 },
  )('t0 > 0: means a^k μ + Σ a^{N−l} b_l, variances a^{2k} σ² + 1 − a^{2k}, within γ_80 of the scale', (alpha, mu, s2, shifts, t0) => {
    const rec = translationErrorRecursion({ mean: mu, variance: s2, alpha, shifts, t0 });
    const meanScale = Math.abs(mu) + shifts.reduce((s, b) => s + Math.abs(b), 0);
    for (let N = 0; N <= shifts.length; N++) {
      const got = asComponents(rec.outputs[N]!);
      const want = closedFormOutput(mu, s2, alpha, shifts, t0, N);
      expect(got.length).toBe(want.length);
      got.forEach((c, k) => {
        expect(Math.abs(c.w - want[k]!.w)).toBeLessThanOrEqual(gamma(2 * shifts.length + 4) * want[k]!.w);
        expect(Math.abs(c.m - want[k]!.m)).toBeLessThanOrEqual(gamma(MEAN_UNITS) * meanScale);
        expect(Math.abs(c.v - want[k]!.v)).toBeLessThanOrEqual(gamma(VAR_UNITS) * (s2 + 1));
      });
    }
    expect(rec.t0).toEqual(shifts.map(() => t0));
  });

  it('t0 = 2 ln 2 (a ≈ ½): one round moves N(2, 5) by b = 2 to N(a(2 + 2), a²·5 + 1 − a²) ≈ N(2, 2)', () => {
    const rec = translationErrorRecursion({ mean: 2, variance: 5, alpha: 1, shifts: [2], t0: 2 * Math.LN2 });
    const out = rec.outputs[1]!;
    expect(out.w).toEqual(Float64Array.of(1));
    expect(Math.abs(out.m[0]! - 2)).toBeLessThanOrEqual(1e-15);
    expect(Math.abs(out.v[0]! - 2)).toBeLessThanOrEqual(1e-15);
  });

  it('a per-generation t0 is called with the round index and recorded', () => {
    const calls: number[] = [];
    const rec = translationErrorRecursion({
      mean: 0,
      variance: 1,
      alpha: 0.5,
      shifts: [1, 1, 1],
      t0: (i) => {
        calls.push(i);
        return i === 1 ? 0 : 0.25 * i;
      },
    });
    expect(calls).toEqual([0, 1, 2]);
    expect(rec.t0).toEqual([0, 0, 0.5]);
    // round 0 and 1 have t0 = 0: p̂^1 = q_0(· − 1), exact
    expect(asComponents(rec.outputs[1]!)).toEqual([
      { w: 0.5, m: 1, v: 1 },
      { w: 0.5, m: 1, v: 1 },
    ]);
  });

  it('start: p̂^0 is the given law (the same object), and the recursion runs from it', () => {
    const start: Mixture1d = { w: Float64Array.of(0.5, 0.5), m: Float64Array.of(-1, 3), v: Float64Array.of(0.5, 2) };
    const rec = translationErrorRecursion({ mean: 1, variance: 1, alpha: 0.25, shifts: [0.5], t0: 0, start });
    expect(rec.outputs[0]).toBe(start);
    expect(asComponents(rec.outputs[1]!)).toEqual([
      { w: 0.25, m: 1.5, v: 1 },
      { w: 0.375, m: -0.5, v: 0.5 },
      { w: 0.375, m: 3.5, v: 2 },
    ]);
  });

  it('no shifts: only p̂^0 = p_data, no rounds', () => {
    const rec = translationErrorRecursion({ mean: 0.5, variance: 2, alpha: 0.5, shifts: [], t0: 0 });
    expect(rec.outputs).toEqual([rec.data]);
    expect(rec.training).toEqual([]);
    expect(rec.t0).toEqual([]);
  });
});

describe('translationErrorRecursion: guards (exact messages)', () => {
  const base = { mean: 0, variance: 1, alpha: 0.5, shifts: [0.5], t0: 0 };
  const run = (over: Record<string, unknown>) => () => translationErrorRecursion({ ...base, ...over } as Parameters<typeof translationErrorRecursion>[0]);

  it('α ∉ [0, 1] (and NaN) throws; α = 0 and α = 1 are accepted', () => {
    for (const alpha of [-0.25, 1.25, Number.NaN, -Infinity, Infinity]) expect(run({ alpha })).toThrow(`translationErrorRecursion: α = ${alpha} not in [0, 1]`);
    expect(run({ alpha: -Number.MIN_VALUE })).toThrow('not in [0, 1]');
    expect(run({ alpha: 1 + 2 ** -52 })).toThrow('not in [0, 1]');
    expect(run({ alpha: 0 })().outputs.length).toBe(2);
    expect(run({ alpha: 1 })().outputs.length).toBe(2);
  });

  it('data variance ≤ 0, non-finite variance or mean throws with the law in the message', () => {
    for (const [mean, variance] of [
      [0, 0],
      [0, -1],
      [0, Number.NaN],
      [0, Infinity],
      [Infinity, 1],
      [-Infinity, 1],
      [Number.NaN, 1],
    ] as const)
      expect(run({ mean, variance })).toThrow(`translationErrorRecursion: data N(${mean}, ${variance}) invalid`);
    expect(run({ variance: Number.MIN_VALUE })().data.v[0]).toBe(Number.MIN_VALUE);
  });

  it('a non-finite shift throws with its index', () => {
    expect(run({ shifts: [0, 1, Number.NaN] })).toThrow('translationErrorRecursion: shift b_2 = NaN');
    expect(run({ shifts: [Infinity] })).toThrow('translationErrorRecursion: shift b_0 = Infinity');
    expect(run({ shifts: [0, -Infinity] })).toThrow('translationErrorRecursion: shift b_1 = -Infinity');
  });

  it('a negative or non-finite t0 throws with its round; t0 = 0 is accepted', () => {
    expect(run({ t0: -0.5 })).toThrow('translationErrorRecursion: t0 of round 0 = -0.5');
    expect(run({ t0: Number.NaN })).toThrow('translationErrorRecursion: t0 of round 0 = NaN');
    expect(run({ t0: Infinity })).toThrow('translationErrorRecursion: t0 of round 0 = Infinity');
    expect(run({ shifts: [0, 0, 0], t0: (i: number) => (i === 2 ? -1e-300 : 0) })).toThrow('translationErrorRecursion: t0 of round 2 = -1e-300');
    expect(run({ t0: 0 })().t0).toEqual([0]);
  });
});

describe('the 1-D mixture helpers', () => {
  const p: Mixture1d = { w: Float64Array.of(0.25, 0.75), m: Float64Array.of(-1, 2), v: Float64Array.of(0.5, 4) };
  const r: Mixture1d = { w: Float64Array.of(1), m: Float64Array.of(8), v: Float64Array.of(2) };

  it('singleComponent(m, v) = N(m, v) with weight 1', () => {
    expect(asComponents(singleComponent(-3.5, 0.125))).toEqual([{ w: 1, m: -3.5, v: 0.125 }]);
  });

  it('mix1d: α p first, then (1−α) r; the part with weight 0 is dropped at α = 0 and α = 1', () => {
    expect(asComponents(mix1d(0.5, p, r))).toEqual([
      { w: 0.125, m: -1, v: 0.5 },
      { w: 0.375, m: 2, v: 4 },
      { w: 0.5, m: 8, v: 2 },
    ]);
    expect(asComponents(mix1d(0, p, r))).toEqual([{ w: 1, m: 8, v: 2 }]);
    expect(asComponents(mix1d(1, p, r))).toEqual([
      { w: 0.25, m: -1, v: 0.5 },
      { w: 0.75, m: 2, v: 4 },
    ]);
    expect(asComponents(mix1d(0.25, r, p))).toEqual([
      { w: 0.25, m: 8, v: 2 },
      { w: 0.1875, m: -1, v: 0.5 },
      { w: 0.5625, m: 2, v: 4 },
    ]);
  });

  it('translate1d adds b to every mean and keeps weights and variances', () => {
    const t = translate1d(p, 1.5);
    expect(Array.from(t.m)).toEqual([0.5, 3.5]);
    expect(t.w).toBe(p.w);
    expect(t.v).toBe(p.v);
    expect(Array.from(p.m)).toEqual([-1, 2]);
  });

  it('push1d: t = 0 returns the law itself; t = 2 ln 2 halves the means and maps v ↦ v/4 + 3/4', () => {
    expect(push1d(p, 0)).toBe(p);
    const q = push1d(p, 2 * Math.LN2);
    // a = e^{−ln 2} and 1 − a² = 3/4 within a few ulps (exp, expm1 within 1 ulp; products 1 rounding each)
    const tol = 8 * U;
    expect(q.w).toBe(p.w);
    expect(Math.abs(q.m[0]! + 0.5)).toBeLessThanOrEqual(tol * 0.5);
    expect(Math.abs(q.m[1]! - 1)).toBeLessThanOrEqual(tol * 1);
    expect(Math.abs(q.v[0]! - (0.125 + 0.75))).toBeLessThanOrEqual(tol * 2);
    expect(Math.abs(q.v[1]! - (1 + 0.75))).toBeLessThanOrEqual(tol * 2);
    // large t: the law tends to N(0, 1)
    const far = push1d(p, 80);
    expect(Array.from(far.v)).toEqual([1, 1]);
    expect(Math.abs(far.m[1]!)).toBeLessThan(1e-17);
  });

  it('toMixture: the library mixture with the same weights, 1-D means and variances', () => {
    const g = toMixture(p);
    expect(g.dim).toBe(1);
    expect(Array.from(g.weights)).toEqual([0.25, 0.75]);
    expect(g.components.map((c) => c.mean[0])).toEqual([-1, 2]);
    expect(g.components.map((c) => c.cov[0])).toEqual([0.5, 4]);
  });
});
