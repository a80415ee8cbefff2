/**
 * The comparison layer (src/verdict/compare.ts) pinned value by value: how each comparison builder
 * fills its record, the margin convention, the three-way case status (violated / inconclusive /
 * satisfied) at its boundaries, and the worst-comparison rule of a case (issue 11, mutation item).
 *
 * Oracles (independent of the module): the margin and status rules are restated here from the
 * module's contract (docs in src/verdict/types.ts `Comparison.margin` and the compare.ts header), the
 * worst comparison of a case is found by brute force over the list (worst status first, then the
 * first smallest margin), γ_k = k u/(1 − k u) is written out (Higham §3.1), and the power of a
 * one-sided statistical comparison uses z_{0.01} = 2.3263478740408408 from Wichura's AS241 (Python
 * statistics.NormalDist().inv_cdf(0.99)), not src/statistics/normal.ts.
 *
 * Tolerances. Every asserted number is either a small sum of exactly representable dyadic values
 * (exact: toBe) or, for the power, a sum of two products through one sqrt and one quantile whose
 * relative error is ≤ 1e-15 (the module's quantile after its Halley step): POWER_TOL below.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  caseStatus,
  comparisonStatus,
  eqExact,
  eqStatistical,
  floatErrorBound,
  fromSequential,
  leqExact,
  leqStatistical,
  marginEq,
  marginLeq,
  type CaseStatus,
} from '../../src/verdict/compare.ts';
import type { MeanBound, SequentialResult } from '../../src/statistics/bounds.ts';
import type { Comparison } from '../../src/verdict/types.ts';

/** u = 2⁻⁵³ written out (binary64 unit roundoff). */
const U = 2 ** -53;
/** z_{0.01} (one-sided, power 0.99) from AS241, independent of the module's normal quantile. */
const Z_POWER = 2.3263478740408408;
/**
 * Power values are ≤ 10 here and go through one quantile (≤ 1e-15 relative after Halley) plus a
 * sqrt, a division, a product and a sum (≤ 4 u): |Δ| ≤ 10 · (1e-15 + 4u) < 2e-14.
 */
const POWER_TOL = 2e-14;

/** A two-sided / one-sided Monte Carlo bound with dyadic fields (every sum below is exact). */
const BOUND: MeanBound = { n: 64, mean: 0.75, sd: 2, halfWidth: 0.125, method: 'empirical-bernstein', delta: 1e-10 };

function expectedPower(b: MeanBound): number {
  return b.halfWidth + Z_POWER * (b.sd / Math.sqrt(b.n));
}

describe('verdict layer: floatErrorBound is γ_ops · |scale| (Higham §3.1)', () => {
  it('matches k u/(1 − k u) · |scale| for positive and negative scales', () => {
    for (const [scale, ops] of [[3, 1], [-2.5, 7], [1e300, 40], [-1e-300, 1000]] as const) {
      const g = (ops * U) / (1 - ops * U);
      expect(floatErrorBound(scale, ops)).toBe(g * Math.abs(scale));
    }
    expect(floatErrorBound(5, 0)).toBe(0);
  });
});

describe('verdict layer: exact comparison records', () => {
  it('leqExact fills every field (δ 0, relation leq, no power, n 0, method float by default)', () => {
    expect(leqExact('a ≤ b', 1.5, 1, 0.25)).toEqual({ label: 'a ≤ b', lhs: 1.5, rhs: 1, errorBound: 0.25, margin: -0.25, method: 'float', delta: 0, relation: 'leq', power: null, n: 0 });
    expect(leqExact('q', 1, 2, 0, 'quadrature').method).toBe('quadrature');
  });
  it('eqExact fills every field (relation eq)', () => {
    expect(eqExact('a = b', 1, 1.5, 0.75)).toEqual({ label: 'a = b', lhs: 1, rhs: 1.5, errorBound: 0.75, margin: 0.25, method: 'float', delta: 0, relation: 'eq', power: null, n: 0 });
    expect(eqExact('q', 1, 2, 0, 'exact').method).toBe('exact');
  });
  it('an error bound of 0 is accepted; a negative or NaN one throws and names the comparison', () => {
    expect(leqExact('z', 1, 1, 0).margin).toBe(0);
    expect(eqExact('z', 1, 1, 0).margin).toBe(0);
    expect(() => leqExact('neg', 0, 1, -1e-300)).toThrow('leqExact(neg): errorBound -1e-300');
    expect(() => leqExact('nan', 0, 1, NaN)).toThrow('leqExact(nan): errorBound NaN');
    expect(() => eqExact('neg', 0, 1, -1)).toThrow('eqExact(neg): errorBound -1');
    expect(() => eqExact('nan', 0, 1, NaN)).toThrow('eqExact(nan): errorBound NaN');
  });
});

describe('verdict layer: statistical comparison records', () => {
  it('leqStatistical: errorBound = halfWidth + rhsError, margin, δ, method, power z_{0.01}·sd/√n + halfWidth, n', () => {
    const c = leqStatistical('mc ≤ r', BOUND, 0.5, 0.0625, 0.5);
    const { power, ...rest } = c;
    expect(rest).toEqual({ label: 'mc ≤ r', lhs: 0.75, rhs: 0.5, errorBound: 0.625, margin: 0.375, method: 'empirical-bernstein', delta: 1e-10, relation: 'leq', allowed: 0.0625, n: 64 });
    expect(Math.abs(power! - expectedPower(BOUND))).toBeLessThanOrEqual(POWER_TOL);
    // rhsError defaults to 0
    expect(leqStatistical('d', BOUND, 0.5, 1).errorBound).toBe(0.125);
  });
  it('eqStatistical: the same record with relation eq and margin errorBound − |mean − rhs|', () => {
    const c = eqStatistical('mc = r', BOUND, 1.5, 0.25, 0.5);
    const { power, ...rest } = c;
    expect(rest).toEqual({ label: 'mc = r', lhs: 0.75, rhs: 1.5, errorBound: 0.625, margin: -0.125, method: 'empirical-bernstein', delta: 1e-10, relation: 'eq', allowed: 0.25, n: 64 });
    expect(Math.abs(power! - expectedPower(BOUND))).toBeLessThanOrEqual(POWER_TOL);
    expect(eqStatistical('d', BOUND, 0.5, 1).errorBound).toBe(0.125);
  });
  it('allowed = 0 is accepted; a negative or NaN allowed throws and names the comparison', () => {
    expect(leqStatistical('z', BOUND, 1, 0).allowed).toBe(0);
    expect(eqStatistical('z', BOUND, 1, 0).allowed).toBe(0);
    expect(() => leqStatistical('neg', BOUND, 1, -1e-300)).toThrow('leqStatistical(neg): allowed -1e-300');
    expect(() => leqStatistical('nan', BOUND, 1, NaN)).toThrow('leqStatistical(nan): allowed NaN');
    expect(() => eqStatistical('neg', BOUND, 1, -2)).toThrow('eqStatistical(neg): allowed -2');
    expect(() => eqStatistical('nan', BOUND, 1, NaN)).toThrow('eqStatistical(nan): allowed NaN');
  });
  it('fromSequential: the last look as a comparison, method confidence-sequence, stage method kept, δ the total', () => {
    const res: SequentialResult = { decision: 'satisfied', stages: 3, bound: { ...BOUND, method: 'clt', delta: 1e-11 }, stageDelta: 1e-11 };
    const leq = fromSequential('seq ≤', res, 0.5, 'leq', 0.25, 1e-10, 0.5);
    expect(leq).toMatchObject({ relation: 'leq', method: 'confidence-sequence', stageMethod: 'clt', delta: 1e-10, errorBound: 0.625, margin: 0.375, allowed: 0.25, n: 64 });
    const eq = fromSequential('seq =', res, 1.5, 'eq', 0.25, 1e-10);
    expect(eq).toMatchObject({ relation: 'eq', method: 'confidence-sequence', stageMethod: 'clt', delta: 1e-10, errorBound: 0.125, margin: -0.625 });
  });
});

describe('verdict layer: margins (negative ⇔ violation established)', () => {
  it('marginLeq = rhs − lhs + errorBound; equal sides (also ±∞) give the error bound', () => {
    expect(marginLeq(1, 3, 0.5)).toBe(2.5);
    expect(marginLeq(3, 1, 0.5)).toBe(-1.5);
    expect(marginLeq(2, 2, 0.5)).toBe(0.5);
    expect(marginLeq(Infinity, Infinity, 0.5)).toBe(0.5);
    expect(marginLeq(-Infinity, -Infinity, 0)).toBe(0);
    expect(marginLeq(Infinity, 1, 0.5)).toBe(-Infinity);
  });
  it('marginEq = errorBound − |lhs − rhs| on both sides; equal sides (also ±∞) give the error bound', () => {
    expect(marginEq(1, 3, 0.5)).toBe(-1.5);
    expect(marginEq(3, 1, 0.5)).toBe(-1.5);
    expect(marginEq(3, 2.75, 0.5)).toBe(0.25);
    expect(marginEq(2, 2, 0.5)).toBe(0.5);
    expect(marginEq(Infinity, Infinity, 0.5)).toBe(0.5);
    expect(marginEq(-Infinity, 1, 0.5)).toBe(-Infinity);
  });
});

/** A hand-built comparison (fields as the builders would set them). */
function cmp(over: Partial<Comparison> & { margin: number }): Comparison {
  return { label: 'c', lhs: 0, rhs: 0, errorBound: 0, method: 'clt', delta: 1e-10, relation: 'leq', power: null, n: 10, ...over };
}

describe('verdict layer: status of one comparison (violated / inconclusive / satisfied)', () => {
  it('NaN in lhs, rhs or margin throws (each alone), naming the comparison', () => {
    expect(() => comparisonStatus(cmp({ label: 'L', lhs: NaN, margin: 1 }))).toThrow('comparison L: NaN (lhs NaN, rhs 0)');
    expect(() => comparisonStatus(cmp({ label: 'R', rhs: NaN, margin: 1 }))).toThrow('comparison R: NaN (lhs 0, rhs NaN)');
    expect(() => comparisonStatus(cmp({ label: 'M', margin: NaN }))).toThrow('comparison M: NaN');
  });
  it('margin < 0 is violated; margin exactly 0 (and −0) is not', () => {
    expect(comparisonStatus(cmp({ margin: -1e-300 }))).toBe('violated');
    expect(comparisonStatus(cmp({ margin: 0 }))).toBe('satisfied');
    expect(comparisonStatus(cmp({ margin: -0 }))).toBe('satisfied');
    expect(comparisonStatus(leqExact('e', 1, 1, 0))).toBe('satisfied');
  });
  // leq, not violated: lhs − rhs ≤ errorBound; upper excess lhs − rhs + errorBound.
  // lhs 0.5, rhs 0.25, errorBound 0.25: margin 0 (not violated), upper excess exactly 0.5.
  it('leq: inconclusive iff the upper excess lhs − rhs + errorBound is strictly above allowed', () => {
    const base = { lhs: 0.5, rhs: 0.25, errorBound: 0.25, margin: 0 };
    expect(comparisonStatus(cmp({ ...base, allowed: 0.5 }))).toBe('satisfied');
    expect(comparisonStatus(cmp({ ...base, allowed: 0.4375 }))).toBe('inconclusive');
    // the same comparison without sampling (δ = 0) or without an allowance is decided by its margin alone
    expect(comparisonStatus(cmp({ ...base, allowed: 0.4375, delta: 0 }))).toBe('satisfied');
    expect(comparisonStatus(cmp({ ...base }))).toBe('satisfied');
    // lhs well below rhs: upper excess −0.75 + 0.25 = −0.5 ≤ 0 = allowed
    expect(comparisonStatus(cmp({ lhs: 0, rhs: 0.75, errorBound: 0.25, margin: 1, allowed: 0 }))).toBe('satisfied');
    // built through the builder: mean 0.75 ≤ 0.75 with half-width 0.125, allowed 0.0625 < 0.125
    expect(comparisonStatus(leqStatistical('s', BOUND, 0.75, 0.0625))).toBe('inconclusive');
    expect(comparisonStatus(leqStatistical('s', BOUND, 0.75, 0.125))).toBe('satisfied');
  });
  it('eq: the upper excess uses |lhs − rhs| (a mean below rhs counts as much as one above)', () => {
    // lhs 0, rhs 0.25, errorBound 0.5: margin 0.25; |Δ| + eb = 0.75 while the signed form would give 0.25
    const below = { lhs: 0, rhs: 0.25, errorBound: 0.5, margin: 0.25, relation: 'eq' as const };
    expect(comparisonStatus(cmp({ ...below, allowed: 0.5 }))).toBe('inconclusive');
    expect(comparisonStatus(cmp({ ...below, allowed: 0.75 }))).toBe('satisfied');
    expect(comparisonStatus(cmp({ ...below, allowed: 0.5, relation: 'leq' }))).toBe('satisfied');
  });
  it('property: the status follows the rule restated here for random leq / eq statistical comparisons', () => {
    const grid = fc.integer({ min: -8, max: 8 }).map((k) => k / 8);
    fc.assert(
      fc.property(grid, grid, fc.integer({ min: 0, max: 8 }).map((k) => k / 8), fc.integer({ min: 0, max: 8 }).map((k) => k / 8), fc.boolean(), (lhs, rhs, eb, allowed, eq) => {
        const c = cmp({ lhs, rhs, errorBound: eb, relation: eq ? 'eq' : 'leq', allowed, margin: eq ? eb - Math.abs(lhs - rhs) : rhs - lhs + eb });
        const violated = eq ? Math.abs(lhs - rhs) > eb : lhs - rhs > eb;
        const excess = (eq ? Math.abs(lhs - rhs) : lhs - rhs) + eb;
        expect(comparisonStatus(c)).toBe(violated ? 'violated' : excess > allowed ? 'inconclusive' : 'satisfied');
      }),
    );
  });
});

const RANK: Record<CaseStatus, number> = { satisfied: 0, inconclusive: 1, violated: 2 };

/** Brute force: the worst status of the list, and the first comparison of that status with the smallest margin. */
function bruteCase(cs: readonly Comparison[]): { status: CaseStatus; worst: Comparison | null } {
  if (cs.length === 0) return { status: 'satisfied', worst: null };
  const statuses = cs.map((c) => comparisonStatus(c));
  const top = Math.max(...statuses.map((s) => RANK[s]));
  let worst: Comparison | null = null;
  cs.forEach((c, i) => {
    if (RANK[statuses[i]!] === top && (worst === null || c.margin < worst.margin)) worst = c;
  });
  return { status: (['satisfied', 'inconclusive', 'violated'] as const)[top]!, worst };
}

/** Comparisons of a chosen status with margins on a coarse grid (ties happen often). */
const comparisonArb: fc.Arbitrary<Comparison> = fc
  .record({ kind: fc.constantFrom('violated', 'inconclusive', 'satisfied'), m: fc.integer({ min: 0, max: 4 }), id: fc.integer({ min: 0, max: 1e6 }) })
  .map(({ kind, m, id }) => {
    const label = `c${id}`;
    if (kind === 'violated') return cmp({ label, margin: -(m + 1) / 4 });
    // margin m/4 ≥ 0 with lhs = rhs = 0: upper excess = errorBound; allowed below or above it
    const eb = (m + 1) / 4;
    return cmp({ label, margin: m / 4, errorBound: eb, allowed: kind === 'inconclusive' ? eb / 2 : eb });
  });

describe('verdict layer: status of a case (worst over its comparisons)', () => {
  it('an empty case is satisfied with no worst comparison', () => {
    expect(caseStatus([])).toEqual({ status: 'satisfied', worst: null });
  });
  it('hand cases: violated beats a smaller-margin inconclusive; the first of equal margins is kept', () => {
    const sat0 = cmp({ label: 's0', margin: 0, errorBound: 1, allowed: 1 });
    const inc = cmp({ label: 'i', margin: 0.5, errorBound: 1, allowed: 0.5 });
    const inc2 = cmp({ label: 'i2', margin: 0.25, errorBound: 1, allowed: 0.5 });
    const vio = cmp({ label: 'v', margin: -0.5 });
    const vio2 = cmp({ label: 'v2', margin: -0.25 });
    const vio3 = cmp({ label: 'v3', margin: -0.5 });
    expect(caseStatus([sat0, inc]).worst).toBe(inc);
    expect(caseStatus([inc, sat0])).toEqual({ status: 'inconclusive', worst: inc });
    expect(caseStatus([inc, inc2]).worst).toBe(inc2);
    expect(caseStatus([inc2, inc]).worst).toBe(inc2);
    expect(caseStatus([vio, vio2, vio3])).toEqual({ status: 'violated', worst: vio });
    expect(caseStatus([vio2, inc, vio])).toEqual({ status: 'violated', worst: vio });
    expect(caseStatus([vio, inc2]).worst).toBe(vio);
    const s1 = cmp({ label: 's1', margin: 1 });
    const s2 = cmp({ label: 's2', margin: 0.5 });
    const s3 = cmp({ label: 's3', margin: 0.5 });
    expect(caseStatus([s1, s2, s3])).toEqual({ status: 'satisfied', worst: s2 });
  });
  it('property: status and worst comparison agree with brute force', () => {
    fc.assert(
      fc.property(fc.array(comparisonArb, { maxLength: 7 }), (cs) => {
        const got = caseStatus(cs);
        const want = bruteCase(cs);
        expect(got.status).toBe(want.status);
        expect(got.worst).toBe(want.worst);
      }),
      { numRuns: 300 },
    );
  });
});
