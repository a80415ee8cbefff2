/**
 * The suite's false-alarm budget bookkeeping (src/statistics/budget.ts) in exact arithmetic (issue 11,
 * mutation item): the Bonferroni split 1e-6 = 10 000 × 1e-10 = 25 × 320 × 1e-10 + 2 000 × 1e-10 as
 * integers and rationals (BigInt), every derived constant within one rounding of its rational value,
 * the per-comparison split of a claim's allocation (ceil of the plan), a property's charge
 * (runs + shrinks) · comparisons · δ, the evaluation counter, and the printed split.
 *
 * Tolerance: a constant that is a product or quotient of ≤ 2 doubles carries ≤ 2 roundings, i.e.
 * ≤ 2u relative (u = 2⁻⁵³) from the exact rational; ONE_ROUNDING_REL = 2u per operation, stated per
 * check. Counts (integers below 2⁵³) are exact and compared with toBe.
 */
import { describe, expect, it } from 'vitest';
import { fc, test } from '../support/prop.ts';
import { logUniformDouble } from '../support/arbitraries.ts';
import {
  ASSERTION_DELTA,
  ASSERTIONS_PER_CLAIM,
  budgetSplitLines,
  CLAIM_DELTA,
  CLAIM_SLOTS,
  claimComparisonDelta,
  claimDelta,
  DEFAULT_MAX_SHRINK_EVALUATIONS,
  EvaluationBudget,
  MAX_STATISTICAL_ASSERTIONS_PER_RUN,
  PIPELINE_ASSERTIONS,
  PIPELINE_DELTA,
  propertyCharge,
  SELF_TEST_SLOT,
  SUITE_FALSE_ALARM_BUDGET,
} from '../../src/statistics/budget.ts';

const U = 2 ** -53;
/** one rounding of a product or quotient: ≤ u relative; two operations: ≤ 2u (and 2u per op below). */
const ONE_ROUNDING_REL = 2 * U;

/**
 * |x − num/den| ≤ rel · num/den. The reference is the rational num/den (integers below 2⁵³, so
 * Number() is exact) divided once: ≤ u relative from the exact value, added to the allowance.
 */
function expectNearRational(x: number, num: bigint, den: bigint, rel: number): void {
  const value = Number(num) / Number(den);
  expect(Math.abs(x - value), `${x} vs ${num}/${den}`).toBeLessThanOrEqual(rel * value + U * value);
}

describe('budget: the Bonferroni split of the suite false-alarm budget (exact)', () => {
  it('counts: 10 000 comparisons = 25 slots × 320 + 2 000 pipeline; 22 claims + SELF + 2 reserve', () => {
    expect(MAX_STATISTICAL_ASSERTIONS_PER_RUN).toBe(10_000);
    expect(CLAIM_SLOTS).toBe(25);
    expect(PIPELINE_ASSERTIONS).toBe(2_000);
    expect(ASSERTIONS_PER_CLAIM).toBe(320);
    expect(CLAIM_SLOTS * ASSERTIONS_PER_CLAIM + PIPELINE_ASSERTIONS).toBe(MAX_STATISTICAL_ASSERTIONS_PER_RUN);
    expect(SELF_TEST_SLOT).toBe('SELF');
    expect(DEFAULT_MAX_SHRINK_EVALUATIONS).toBe(50);
  });
  it('δ values: 1e-6, 1e-10, 3.2e-8, 2e-7, each within its roundings of the exact rational', () => {
    expect(SUITE_FALSE_ALARM_BUDGET).toBe(1e-6);
    // ASSERTION_DELTA = 1e-6 / 10 000: the decimal 1e-6 (1 rounding) divided once (1 rounding)
    expectNearRational(ASSERTION_DELTA, 1n, 10_000_000_000n, 2 * ONE_ROUNDING_REL);
    // CLAIM_DELTA = 320 · ASSERTION_DELTA: one more rounding
    expectNearRational(CLAIM_DELTA, 32n, 1_000_000_000n, 3 * ONE_ROUNDING_REL);
    expectNearRational(PIPELINE_DELTA, 2n, 10_000_000n, 3 * ONE_ROUNDING_REL);
    // the split adds up: 25 · 3.2e-8 + 2e-7 = 1e-6 (≤ 5 roundings of terms ≤ 1e-6)
    expect(Math.abs(CLAIM_SLOTS * CLAIM_DELTA + PIPELINE_DELTA - SUITE_FALSE_ALARM_BUDGET)).toBeLessThanOrEqual(5 * ONE_ROUNDING_REL * 1e-6);
  });
  it('every claim gets the same allocation CLAIM_DELTA (SELF and unknown ids included)', () => {
    for (const id of ['P1-F1', 'P2-E1', 'SELF', 'not-a-claim']) expect(claimDelta(id)).toBe(CLAIM_DELTA);
  });
});

describe('budget: δ per comparison of a planned claim (CLAIM_DELTA / ⌈plan⌉)', () => {
  it('plans 1, 2, 320 and fractional plans (ceil) split the allocation exactly as a rational', () => {
    expect(claimComparisonDelta('P1-F1', 1)).toBe(CLAIM_DELTA);
    expectNearRational(claimComparisonDelta('P1-F1', 2), 32n, 2_000_000_000n, 4 * ONE_ROUNDING_REL);
    expectNearRational(claimComparisonDelta('P1-F1', 2.5), 32n, 3_000_000_000n, 4 * ONE_ROUNDING_REL);
    expectNearRational(claimComparisonDelta('P1-F1', 1.0001), 32n, 2_000_000_000n, 4 * ONE_ROUNDING_REL);
    expectNearRational(claimComparisonDelta('SELF', 320), 1n, 10_000_000_000n, 4 * ONE_ROUNDING_REL);
  });
  test.prop([fc.integer({ min: 1, max: 1_000_000 })])('integer plans: the plan times its δ is the allocation (within 3 roundings)', (plan) => {
    const d = claimComparisonDelta('P1-3.1', plan);
    expectNearRational(d, 32n, 1_000_000_000n * BigInt(plan), 4 * ONE_ROUNDING_REL);
  });
  it('a plan below 1 (0, 0.5, −3, NaN) throws naming it', () => {
    for (const plan of [0, 0.5, -3, Number.NaN]) {
      expect(() => claimComparisonDelta('P1-F1', plan)).toThrow(`claimComparisonDelta: plannedComparisons = ${plan} < 1`);
    }
  });
});

describe('budget: a property charges (numRuns + shrinks) · comparisons · δ', () => {
  test.prop([fc.integer({ min: 1, max: 10_000 }), fc.option(fc.integer({ min: 0, max: 500 }), { nil: undefined }), fc.integer({ min: 1, max: 50 }), fc.option(logUniformDouble(1e-15, 1e-3), { nil: undefined })])(
    'propertyCharge and EvaluationBudget.charge: exact evaluation count, one rounding for × δ',
    (numRuns, maxShrinkEvaluations, comparisonsPerEvaluation, deltaPerComparison) => {
      const plan = { numRuns, comparisonsPerEvaluation, ...(maxShrinkEvaluations === undefined ? {} : { maxShrinkEvaluations }), ...(deltaPerComparison === undefined ? {} : { deltaPerComparison }) };
      const evaluations = numRuns + (maxShrinkEvaluations ?? 50);
      const delta = deltaPerComparison ?? ASSERTION_DELTA;
      // evaluations · comparisons is an integer < 2⁵³ (exact), times δ: one rounding
      const expected = evaluations * comparisonsPerEvaluation * delta;
      expect(propertyCharge(plan)).toBe(expected);
      const b = new EvaluationBudget(plan);
      expect(b.maxEvaluations).toBe(evaluations);
      expect(b.comparisonsPerEvaluation).toBe(comparisonsPerEvaluation);
      expect(b.deltaPerComparison).toBe(delta);
      expect(b.charge).toBe(expected);
      expect(b.evaluations).toBe(0);
    },
  );
  it('defaults: 50 shrink evaluations and δ = 1e-10 (10 runs, 2 comparisons: 120 · 1e-10)', () => {
    expectNearRational(propertyCharge({ numRuns: 10, comparisonsPerEvaluation: 2 }), 120n, 10_000_000_000n, 3 * ONE_ROUNDING_REL);
    expect(propertyCharge({ numRuns: 10, maxShrinkEvaluations: 0, comparisonsPerEvaluation: 1, deltaPerComparison: 0.25 })).toBe(2.5);
  });
});

describe('budget: EvaluationBudget counts evaluations and refuses past its plan', () => {
  it('numRuns + maxShrink evaluations succeed, every later one fails; the count stops at the maximum', () => {
    const b = new EvaluationBudget({ numRuns: 2, maxShrinkEvaluations: 1, comparisonsPerEvaluation: 4, deltaPerComparison: 0.01 });
    expect(b.maxEvaluations).toBe(3);
    const answers: boolean[] = [];
    const counts: number[] = [];
    for (let i = 0; i < 5; i++) {
      answers.push(b.tryEvaluate());
      counts.push(b.evaluations);
    }
    expect(answers).toEqual([true, true, true, false, false]);
    expect(counts).toEqual([1, 2, 3, 3, 3]);
    // the charge is the plan's maximum, not the amount used: 3 · 4 · 0.01
    expect(Math.abs(b.charge - 0.12)).toBeLessThanOrEqual(3 * ONE_ROUNDING_REL * 0.12);
  });
  it('default shrink allowance: 1 run + 50 shrinks = 51 evaluations', () => {
    const b = new EvaluationBudget({ numRuns: 1, comparisonsPerEvaluation: 1 });
    let ok = 0;
    while (b.tryEvaluate()) ok++;
    expect(ok).toBe(51);
    expect(b.deltaPerComparison).toBe(ASSERTION_DELTA);
  });
  it('numRuns or comparisonsPerEvaluation below 1 (or NaN) throws', () => {
    const msg = 'EvaluationBudget: numRuns and comparisonsPerEvaluation must be ≥ 1';
    expect(() => new EvaluationBudget({ numRuns: 0, comparisonsPerEvaluation: 1 })).toThrow(msg);
    expect(() => new EvaluationBudget({ numRuns: 1, comparisonsPerEvaluation: 0 })).toThrow(msg);
    expect(() => new EvaluationBudget({ numRuns: Number.NaN, comparisonsPerEvaluation: 1 })).toThrow(msg);
    expect(() => new EvaluationBudget({ numRuns: 1, comparisonsPerEvaluation: 0.5 })).toThrow(msg);
    expect(new EvaluationBudget({ numRuns: 1, comparisonsPerEvaluation: 1 }).maxEvaluations).toBe(51);
  });
});

describe('budget: the printed split (used by verify)', () => {
  it('five lines naming the budget, the split into slots and pipeline, and the fast-check charge', () => {
    expect(budgetSplitLines()).toEqual([
      'suite false-alarm budget 1e-6 per default run (union bound)',
      '  = 10000 statistical comparisons × δ 1e-10 each',
      '  = 25 slots (22 claims + SELF + 2 reserve) × 320 comparisons (δ_claim 3.2e-8)',
      '    + pipeline properties (oracle agreement, audit self-tests) 2000 comparisons (δ 2e-7)',
      '  fast-check: each property charges (numRuns + ≤ 50 shrink evaluations) × comparisons × δ; exact checks spend 0',
    ]);
  });
});
