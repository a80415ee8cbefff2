/**
 * The Monte Carlo mean bounds of src/statistics/bounds.ts pinned against oracles written here
 * (issue 11, mutation item): sample statistics of small data sets whose mean and variance are exact
 * rationals, the pooled statistics of a concatenation, the CLT / empirical-Bernstein / Hoeffding
 * half-widths re-derived from their published formulas with normal quantiles from Wichura's AS241
 * (Python `statistics.NormalDist().inv_cdf`, independent of src/statistics/normal.ts), the
 * argument checks, and the sequential bound's look schedule (sizes n0, 2n0, 4n0, levels δ/(k(k+1)))
 * recorded from a scripted `draw`.
 *
 * Tolerances. RELATIVE_TOL = 1e-13 for the half-widths: the module and the oracle each evaluate one
 * quantile (module ≤ 1e-15 relative after its Halley step; AS241 ≤ 1e-16) and ≤ 10 roundings and
 * libm calls (log, sqrt, ≤ 1 ulp each), so they agree to ≤ 1e-15 + 20u < 1e-14 relative; 1e-13
 * leaves a factor 10 and is still 10⁸ times smaller than any formula change (a wrong constant,
 * δ in place of δ/2, n in place of n − 1 change the value by ≥ 1e-3 relative here). Sample
 * statistics of the small integer / dyadic data below are exact in binary64 (every sum and square
 * is an integer or a dyadic below 2⁵³), so they are compared with toBe.
 */
import { describe, expect, it } from 'vitest';
import {
  cltHalfWidth,
  empiricalBernsteinHalfWidth,
  hoeffdingHalfWidth,
  meanBound,
  mergeStats,
  minimumDetectable,
  POWER,
  sampleStats,
  sequentialBound,
  sequentialEstimate,
  sequentialLeq,
  stageDelta,
  stageSize,
  type MeanBound,
  type SampleStats,
} from '../../src/statistics/bounds.ts';

/** One-sided normal quantiles z_p = Φ⁻¹(1 − p), AS241 (Python statistics.NormalDist, 3.11). */
const Z = { 1e-2: 2.3263478740408408, 5e-3: 2.5758293035489, 2.5e-3: 2.8070337683438042, 1e-4: 3.71901648545568, 5e-5: 3.890591886413094, 0.3: 0.5244005127080407, 0.15: 1.0364333894937894, 0.1: 1.2815515655446008, 0.05: 1.6448536269514715, 0.025: 1.9599639845400536 } as const;
/** Relative agreement of two evaluations of the same closed form (derivation in the file comment). */
const RELATIVE_TOL = 1e-13;

/**
 * A value one or two correctly rounded operations away from a decimal literal: the literal itself
 * is within u·|x| of the real number (u = 2^-53), each operation adds ≤ u·|x| (a division of a
 * rounded δ by an exact integer, or an exact sum divided by n), so |computed − literal| ≤ 3u·|x|;
 * the absolute 2^-1074 keeps the bound meaningful at 0.
 */
const LITERAL_ROUNDINGS = 3;
function expectNearLiteral(actual: number, literal: number): void {
  expect(Math.abs(actual - literal)).toBeLessThanOrEqual(LITERAL_ROUNDINGS * 2 ** -53 * Math.abs(literal) + 2 ** -1074);
}

function expectRel(actual: number, expected: number): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(RELATIVE_TOL * Math.abs(expected));
}

describe('Monte Carlo bounds: sample statistics (two-pass, compensated)', () => {
  it('mean, unbiased variance, min and max of integer data are exact', () => {
    // [3, 1, 4, 1, 5]: mean 14/5, deviations² sum = 0.04 + 3.24 + 1.44 + 3.24 + 4.84 = 12.8, variance 3.2
    const st = sampleStats([4, 1, 5, 3, 1]);
    expect(st.n).toBe(5);
    expectNearLiteral(st.mean, 2.8);
    expect(Math.abs(st.variance - 3.2)).toBeLessThanOrEqual(4 * 2 ** -52 * 3.2);
    expect(st.min).toBe(1);
    expect(st.max).toBe(5);
    // [2, 4]: mean 3, variance 2 (both exact)
    expect(sampleStats(new Float64Array([2, 4]))).toEqual({ n: 2, mean: 3, variance: 2, min: 2, max: 4 });
    // min first / max last, and a constant sample
    expect(sampleStats([-1, 0, 7])).toMatchObject({ min: -1, max: 7 });
    expect(sampleStats([9, 9, 9]).variance).toBe(0);
  });
  it('the compensation term restores the variance when the mean itself is rounded', () => {
    // x = [1, 1 + e, 1 + e], e = 2⁻⁵²: exact mean 1 + 2e/3, exact variance e²/3 (deviations −2e/3, e/3, e/3).
    // The rounded mean is 1 + e (sum 3 + 2e is exact, /3 rounds to 1 + e), so the plain two-pass sum of
    // squares gives e²/2 and only the correction Σd·Σd/n (Σd = −e) recovers e²/3 exactly:
    // (e² − e²/3)/2 = e²/3. Rounding: e² and the division by 2 are exact, Σd·Σd/n and the
    // subtraction round twice (≤ 2u relative each, on terms ≤ e²): |Δ| ≤ 4u · e², far below the
    // e²/6 that separates e²/3 from the uncorrected e²/2.
    const e = 2 ** -52;
    const st = sampleStats([1, 1 + e, 1 + e]);
    expect(Math.abs(st.variance - (e * e) / 3)).toBeLessThanOrEqual(4 * 2 ** -53 * e * e);
  });
  it('throws on fewer than two samples and on a non-finite sample (naming its index)', () => {
    expect(() => sampleStats([1])).toThrow('sampleStats: need n ≥ 2, got 1');
    expect(() => sampleStats([])).toThrow('need n ≥ 2, got 0');
    expect(() => sampleStats([0, 1, NaN])).toThrow('sampleStats: non-finite sample NaN at 2');
    expect(() => sampleStats([Infinity, 1])).toThrow('non-finite sample Infinity at 0');
  });
  it('mergeStats gives the statistics of the concatenation (Chan et al.), unequal sizes', () => {
    // a = [1, 2, 3] (mean 2, var 1), b = [5, 9] (mean 7, var 8); a ∪ b: mean 4, var (9+4+1+1+25)/4 = 10
    const a: SampleStats = { n: 3, mean: 2, variance: 1, min: 1, max: 3 };
    const b: SampleStats = { n: 2, mean: 7, variance: 8, min: 5, max: 9 };
    expect(mergeStats(a, b)).toEqual({ n: 5, mean: 4, variance: 10, min: 1, max: 9 });
    expect(mergeStats(b, a)).toEqual({ n: 5, mean: 4, variance: 10, min: 1, max: 9 });
  });
});

describe('Monte Carlo bounds: half-width formulas and argument checks', () => {
  const st: SampleStats = { n: 50, mean: 0.25, variance: 0.2, min: 0, max: 1 };
  it('CLT: z_δ · s/√n with z from AS241', () => {
    expectRel(cltHalfWidth(st, 1e-2), Z[1e-2] * Math.sqrt(0.2 / 50));
    expectRel(cltHalfWidth(st, 1e-4), Z[1e-4] * Math.sqrt(0.2 / 50));
  });
  it('empirical Bernstein: √(2V ln(1/δ)/n) + 7R ln(1/δ)/(3(n − 1))', () => {
    const l = Math.log(1e4);
    expectRel(empiricalBernsteinHalfWidth(st, 2, 1e-4), Math.sqrt((2 * 0.2 * l) / 50) + (7 * 2 * l) / (3 * 49));
  });
  it('Hoeffding: R √(ln(1/δ)/(2n))', () => {
    expectRel(hoeffdingHalfWidth(50, 3, 1e-4), 3 * Math.sqrt(Math.log(1e4) / 100));
  });
  it('δ must lie in (0, 1) for every method (message names δ)', () => {
    for (const d of [0, 1, -0.5, 1.5, NaN]) {
      expect(() => cltHalfWidth(st, d)).toThrow(`bound: δ = ${d} not in (0, 1)`);
      expect(() => empiricalBernsteinHalfWidth(st, 1, d)).toThrow('not in (0, 1)');
      expect(() => hoeffdingHalfWidth(50, 1, d)).toThrow('not in (0, 1)');
    }
    expect(Number.isFinite(cltHalfWidth(st, 1e-300))).toBe(true);
    expect(cltHalfWidth(st, 0.5)).toBeLessThan(1e-15);
  });
  it('empirical Bernstein: the range must be positive and finite and cover the sample span (1e-12 relative slack)', () => {
    for (const r of [0, -1, NaN, Infinity]) expect(() => empiricalBernsteinHalfWidth(st, r, 0.01)).toThrow(`empiricalBernsteinHalfWidth: range ${r}`);
    // span max − min = 1: range 1 and 1 − 1e-13 (inside the slack) are accepted, 1 − 1e-11 is not
    expect(empiricalBernsteinHalfWidth(st, 1, 0.01)).toBeGreaterThan(0);
    expect(empiricalBernsteinHalfWidth(st, 1 - 1e-13, 0.01)).toBeGreaterThan(0);
    expect(() => empiricalBernsteinHalfWidth(st, 1 - 1e-11, 0.01)).toThrow(`empiricalBernsteinHalfWidth: samples span 1 > range ${1 - 1e-11}`);
    // the span is max − min (not max alone): terms in [2, 3] have span 1
    const shifted: SampleStats = { n: 50, mean: 2.5, variance: 0.2, min: 2, max: 3 };
    expect(empiricalBernsteinHalfWidth(shifted, 1, 0.01)).toBeGreaterThan(0);
    expect(() => empiricalBernsteinHalfWidth(shifted, 0.5, 0.01)).toThrow('empiricalBernsteinHalfWidth: samples span 1 > range 0.5');
    // the refusal is strict: a span exactly at the slack boundary range · (1 + 1e-12) is accepted
    const edge = 0.75 * (1 + 1e-12);
    expect(empiricalBernsteinHalfWidth({ n: 50, mean: 0.5, variance: 0.1, min: 0, max: edge }, 0.75, 0.01)).toBeGreaterThan(0);
  });
});

describe('Monte Carlo bounds: meanBound dispatch (method, sides, δ per side)', () => {
  const data = [0, 1, 1, 0, 1, 1, 1, 0];
  // mean 5/8, unbiased variance (5·(3/8)² + 3·(5/8)²)/7 = (45/64 + 75/64)/7 = 120/448 = 15/56
  const mean = 5 / 8;
  const v = 15 / 56;
  it('clt one-sided uses z_δ, two-sided z_{δ/2}; δ reported is the whole interval\'s; sd = √V', () => {
    const one = meanBound(data, { method: 'clt', delta: 1e-2, sided: 'one' });
    expect(one.n).toBe(8);
    expect(one.mean).toBe(mean);
    expectRel(one.sd, Math.sqrt(v));
    expectRel(one.halfWidth, Z[1e-2] * Math.sqrt(v / 8));
    expect(one.method).toBe('clt');
    expect(one.delta).toBe(1e-2);
    const two = meanBound(data, { method: 'clt', delta: 1e-2, sided: 'two' });
    expectRel(two.halfWidth, Z[5e-3] * Math.sqrt(v / 8));
    expect(two.delta).toBe(1e-2);
  });
  it('empirical Bernstein spends δ/2 inside (Maurer–Pontil ln(2/δ)); two-sided δ/4', () => {
    const eb = (l: number): number => Math.sqrt((2 * v * l) / 8) + (7 * 1 * l) / (3 * 7);
    expectRel(meanBound(data, { method: 'empirical-bernstein', delta: 1e-2, sided: 'one', range: 1 }).halfWidth, eb(Math.log(2 / 1e-2)));
    expectRel(meanBound(data, { method: 'empirical-bernstein', delta: 1e-2, sided: 'two', range: 1 }).halfWidth, eb(Math.log(4 / 1e-2)));
  });
  it('hoeffding uses δ per side', () => {
    const b = meanBound(data, { method: 'hoeffding', delta: 1e-2, sided: 'two', range: 1 });
    expectRel(b.halfWidth, Math.sqrt(Math.log(2 / 1e-2) / 16));
    expect(b.method).toBe('hoeffding');
  });
  it('range-based methods refuse a missing range', () => {
    expect(() => meanBound(data, { method: 'empirical-bernstein', delta: 1e-2, sided: 'one' })).toThrow('meanBound: this method needs `range`');
    expect(() => meanBound(data, { method: 'hoeffding', delta: 1e-2, sided: 'one' })).toThrow('meanBound: this method needs `range`');
  });
  it('precomputed statistics are used as given; an array that merely carries a `mean` field is still a sample', () => {
    const st: SampleStats = { n: 100, mean: 3, variance: 4, min: 0, max: 9 };
    const b = meanBound(st, { method: 'clt', delta: 1e-4, sided: 'one' });
    expect(b.mean).toBe(3);
    expect(b.n).toBe(100);
    expectRel(b.halfWidth, Z[1e-4] * 0.2);
    const tagged = Object.assign([1, 3], { mean: 99 });
    const t = meanBound(tagged, { method: 'clt', delta: 1e-2, sided: 'one' });
    expect(t.mean).toBe(2);
    expect(t.n).toBe(2);
  });
  it('minimum detectable discrepancy = halfWidth + z_{1−0.99} · sd/√n (power 0.99)', () => {
    expect(POWER).toBe(0.99);
    const b: MeanBound = { n: 25, mean: 0, sd: 3, halfWidth: 0.5, method: 'clt', delta: 1e-10 };
    expectRel(minimumDetectable(b), 0.5 + Z[1e-2] * (3 / 5));
  });
});

describe('Monte Carlo bounds: sequential looks (confidence sequence)', () => {
  it('stage levels δ/(k(k + 1)) and sizes n0 · 2^(k−1); invalid stages throw', () => {
    expect(stageDelta(0.6, 1)).toBe(0.3);
    expectNearLiteral(stageDelta(0.6, 2), 0.1);
    expectNearLiteral(stageDelta(1.2, 3), 0.1);
    for (const s of [0, -1, 1.5, NaN]) expect(() => stageDelta(0.1, s)).toThrow(`stageDelta: stage ${s}`);
    expect(stageSize(5, 1)).toBe(5);
    expect(stageSize(5, 2)).toBe(10);
    expect(stageSize(5, 4)).toBe(40);
  });

  /** A scripted draw: batch b returns `count` copies of values[b] (records every call). */
  function scripted(values: readonly number[]): { calls: [number, number][]; draw: (count: number, batch: number) => Float64Array } {
    const calls: [number, number][] = [];
    return {
      calls,
      draw: (count, batch) => {
        calls.push([count, batch]);
        const out = new Float64Array(count);
        for (let i = 0; i < count; i++) out[i] = i % 2 === 0 ? values[batch]! + 1 : values[batch]! - 1;
        return out;
      },
    };
  }

  it('runs every look up to maxStages when undecided: batch sizes n0, n0, 2n0, 4n0, levels δ/2, δ/6, δ/12, δ/20, cumulative means', () => {
    const s = scripted([0, 4, 1, 3]);
    const seen: MeanBound[] = [];
    const res = sequentialBound({ draw: s.draw, n0: 4, maxStages: 4, delta: 0.6, method: 'clt', sided: 'two', decide: (b) => (seen.push(b), 'undecided') });
    expect(s.calls).toEqual([[4, 0], [4, 1], [8, 2], [16, 3]]);
    expect(seen.map((b) => b.n)).toEqual([4, 8, 16, 32]);
    // cumulative means: 0; (0·4 + 4·4)/8 = 2; (16 + 8)/16 = 1.5; (24 + 48)/32 = 2.25
    expect(seen.map((b) => b.mean)).toEqual([0, 2, 1.5, 2.25]);
    const levels = [0.3, 0.1, 0.05, 0.03];
    seen.forEach((b, i) => expectNearLiteral(b.delta, levels[i]!));
    expect(res.decision).toBe('undecided');
    expect(res.stages).toBe(4);
    expect(res.bound).toBe(seen[3]);
    expectNearLiteral(res.stageDelta, 0.03);
  });
  it('stops at the first decisive look and passes method, sides and range through', () => {
    const s = scripted([0, 0, 0, 0]);
    const seen: MeanBound[] = [];
    const res = sequentialBound({
      draw: s.draw,
      n0: 2,
      maxStages: 5,
      delta: 0.6,
      method: 'empirical-bernstein',
      sided: 'one',
      range: 2,
      decide: (b) => (seen.push(b), seen.length === 2 ? 'satisfied' : 'undecided'),
    });
    expect(res).toMatchObject({ decision: 'satisfied', stages: 2 });
    expectNearLiteral(res.stageDelta, 0.1);
    expect(s.calls).toEqual([[2, 0], [2, 1]]);
    expect(seen[1]!.method).toBe('empirical-bernstein');
    // one-sided EB at stage level 0.1 spends 0.05 inside: √(2V ln 20/n) + 7·2·ln 20/(3(n−1)), n = 4, V = 4/3
    const l = Math.log(20);
    expectRel(seen[1]!.halfWidth, Math.sqrt((2 * (4 / 3) * l) / 4) + (14 * l) / 9);
  });
  it('sequentialLeq: violated iff mean − halfWidth > 0, satisfied iff mean + halfWidth ≤ allowed (boundaries included)', () => {
    // zero-variance draws make halfWidth exactly 0, so the decision boundaries are hit exactly
    const constant = (c: number) => (count: number): Float64Array => new Float64Array(count).fill(c);
    const at = (c: number, allowed: number) => sequentialLeq({ draw: constant(c), n0: 4, maxStages: 3, delta: 1e-3, allowed, method: 'clt' });
    expect(at(0, 0)).toMatchObject({ decision: 'satisfied', stages: 1 });
    expect(at(0.5, 0.5)).toMatchObject({ decision: 'violated', stages: 1 });
    expect(at(-0.5, -0.5)).toMatchObject({ decision: 'satisfied', stages: 1 });
    expect(at(-0.5, -0.75)).toMatchObject({ decision: 'undecided', stages: 3 });
    expect(at(1e-300, 1)).toMatchObject({ decision: 'violated' });
  });
  it('sequentialLeq with a positive half-width: the lower bound decides violation, the upper bound satisfaction', () => {
    // draws c ± 1 alternately (even counts): mean c, V = n/(n − 1), half-width z_{δ_k} √(V/n) ≥ z_{5e-4} · 0.5 > 1.6
    const around = (c: number) => (count: number): Float64Array => Float64Array.from({ length: count }, (_, i) => (i % 2 === 0 ? c + 1 : c - 1));
    const run = (c: number, allowed: number) => sequentialLeq({ draw: around(c), n0: 4, maxStages: 2, delta: 1e-3, allowed, method: 'clt' });
    // mean 0.01: lower bound < 0 < upper bound, allowed = the mean itself ⇒ undecided after both looks
    expect(run(0.01, 0.01)).toMatchObject({ decision: 'undecided', stages: 2 });
    // mean 5: lower bound 5 − 1.9 > 0 ⇒ violated at the first look
    expect(run(5, 100)).toMatchObject({ decision: 'violated', stages: 1 });
    // mean −5, allowed 0: upper bound −5 + 1.9 ≤ 0 ⇒ satisfied at the first look
    expect(run(-5, 0)).toMatchObject({ decision: 'satisfied', stages: 1 });
  });
});

describe('Monte Carlo bounds: sequential looks over fresh estimates (sequentialEstimate)', () => {
  /** Scripted estimates: look k returns means[k − 1] with standard error ses[k − 1]; records the looks asked for. */
  function scriptedEstimates(means: readonly number[], ses: readonly number[]) {
    const looks: number[] = [];
    return {
      looks,
      estimate: (k: number) => {
        looks.push(k);
        return { mean: means[k - 1]!, standardError: ses[k - 1]!, n: 10 * k, detail: `look ${k}` };
      },
    };
  }
  it('undecided: every look once, each bound from its own estimate (not pooled), z at δ_k = δ/(k(k+1)), two-sided δ_k/2 per side', () => {
    const s = scriptedEstimates([3, -1, 0.5], [2, 0.5, 0.25]);
    const seen: MeanBound[] = [];
    const res = sequentialEstimate({ estimate: s.estimate, maxLooks: 3, delta: 0.6, sided: 'two', decide: (b) => (seen.push(b), 'undecided') });
    expect(s.looks).toEqual([1, 2, 3]);
    expect(seen.map((b) => b.mean)).toEqual([3, -1, 0.5]);
    expect(seen.map((b) => b.n)).toEqual([10, 20, 30]);
    // δ_k = 0.3, 0.1, 0.05; two-sided: z at 0.15, 0.05, 0.025 per side (AS241 values above)
    [0.3, 0.1, 0.05].forEach((l, i) => expectNearLiteral(seen[i]!.delta, l));
    expectRel(seen[0]!.halfWidth, Z[0.15] * 2);
    expectRel(seen[1]!.halfWidth, Z[0.05] * 0.5);
    expectRel(seen[2]!.halfWidth, Z[0.025] * 0.25);
    // sd is the standard error scaled back to one term: se·√n
    expectRel(seen[1]!.sd, 0.5 * Math.sqrt(20));
    expect(seen.every((b) => b.method === 'clt')).toBe(true);
    expect(res).toMatchObject({ decision: 'undecided', stages: 3, detail: 'look 3' });
    expect(res.bound).toBe(seen[2]);
    expectNearLiteral(res.stageDelta, 0.05);
  });
  it('stops at the first decisive look, returns that look\'s detail; one-sided z at δ_k; decide sees the detail', () => {
    const s = scriptedEstimates([1, 2, 3], [1, 1, 1]);
    const details: string[] = [];
    const res = sequentialEstimate({ estimate: s.estimate, maxLooks: 3, delta: 0.6, sided: 'one', decide: (b, d) => (details.push(d), b.mean === 2 ? 'violated' : 'undecided') });
    expect(s.looks).toEqual([1, 2]);
    expect(details).toEqual(['look 1', 'look 2']);
    expect(res).toMatchObject({ decision: 'violated', stages: 2, detail: 'look 2' });
    expectRel(res.bound.halfWidth, Z[0.1]);
    const first = sequentialEstimate({ estimate: s.estimate, maxLooks: 3, delta: 0.6, sided: 'one', decide: () => 'satisfied' });
    expect(first).toMatchObject({ decision: 'satisfied', stages: 1 });
    expectRel(first.bound.halfWidth, Z[0.3]);
  });
  it('throws on a bad plan or a bad estimate, naming what is wrong', () => {
    const ok = scriptedEstimates([0], [1]).estimate;
    const run = (o: Partial<Parameters<typeof sequentialEstimate<string>>[0]>) => () =>
      sequentialEstimate<string>({ estimate: ok, maxLooks: 1, delta: 0.1, sided: 'one', decide: () => 'satisfied', ...o });
    expect(run({ maxLooks: 0 })).toThrow(/maxLooks 0/);
    expect(run({ maxLooks: 1.5 })).toThrow(/maxLooks 1.5/);
    expect(run({ delta: 0 })).toThrow(/delta 0/);
    expect(run({ delta: 1 })).toThrow(/delta 1/);
    expect(run({ estimate: () => ({ mean: NaN, standardError: 1, n: 2, detail: '' }) })).toThrow(/look 1 gave mean NaN/);
    expect(run({ estimate: () => ({ mean: 0, standardError: -1, n: 2, detail: '' }) })).toThrow(/standard error -1/);
    expect(run({ estimate: () => ({ mean: 0, standardError: Infinity, n: 2, detail: '' }) })).toThrow(/standard error Infinity/);
    expect(run({ estimate: () => ({ mean: 0, standardError: 1, n: 0, detail: '' }) })).toThrow(/n 0/);
    expect(run({})()).toMatchObject({ decision: 'satisfied' });
    // the boundaries are allowed: a zero standard error (an exact estimate) and a single term
    const exact = run({ estimate: () => ({ mean: 0.25, standardError: 0, n: 1, detail: 'exact' }) })();
    expect(exact).toMatchObject({ decision: 'satisfied', detail: 'exact', bound: { n: 1, mean: 0.25, sd: 0, halfWidth: 0 } });
  });
});
