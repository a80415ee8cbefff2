/**
 * Building comparisons and classifying one case.
 *
 * Rule (issue 5): an inequality `lhs ≤ rhs` is violated only when the lower confidence bound of
 * lhs − rhs is > 0 at level δ, i.e. `margin = (rhs − lhs) + errorBound < 0`. Exact (closed-form)
 * checks use a floating-point error bound as `errorBound` and δ = 0. So a case with lhs = rhs
 * exactly (zero margin) has margin = errorBound ≥ 0 and is never flagged.
 *
 * A case is `inconclusive` when it is not violated but its upper confidence bound of lhs − rhs
 * exceeds the comparison's `allowed` violation (statistical comparisons only; an exact comparison is
 * decided by its float bound, nothing more can be learned by sampling).
 */
import type { BoundMethod, Comparison } from './types.ts';

export type { Comparison } from './types.ts';
import { minimumDetectable, type MeanBound, type SequentialDecision, type SequentialResult } from '../statistics/bounds.ts';

import { gamma } from '../numerics/rounding.ts';

/** Unit roundoff of binary64 (2^-53); one definition, in src/numerics/rounding.ts. */
export { UNIT_ROUNDOFF } from '../numerics/rounding.ts';

/**
 * A-priori floating-point error bound for a quantity computed by about `ops` roundings of values of
 * size ≤ `scale`: γ_ops · scale with γ_k = k u / (1 − k u) (Higham, Accuracy and Stability, §3.1;
 * γ from src/numerics/rounding.ts, the same arithmetic bit for bit). Callers state `ops` and
 * `scale` in a comment (a condition-number factor belongs in `scale`).
 */
export function floatErrorBound(scale: number, ops: number): number {
  return gamma(ops) * Math.abs(scale);
}

/** Exact/closed-form `lhs ≤ rhs` with a float error bound. */
export function leqExact(label: string, lhs: number, rhs: number, errorBound: number, method: BoundMethod = 'float'): Comparison {
  if (!(errorBound >= 0)) throw new Error(`leqExact(${label}): errorBound ${errorBound}`);
  return { label, lhs, rhs, errorBound, margin: marginLeq(lhs, rhs, errorBound), method, delta: 0, relation: 'leq', power: null, n: 0 };
}

/** Exact/closed-form `|lhs − rhs| ≤ errorBound` (an identity checked to float accuracy). */
export function eqExact(label: string, lhs: number, rhs: number, errorBound: number, method: BoundMethod = 'float'): Comparison {
  if (!(errorBound >= 0)) throw new Error(`eqExact(${label}): errorBound ${errorBound}`);
  return { label, lhs, rhs, errorBound, margin: marginEq(lhs, rhs, errorBound), method, delta: 0, relation: 'eq', power: null, n: 0 };
}

/**
 * Statistical `E[lhs] ≤ rhs` where `bound` is a one-sided confidence bound on the Monte Carlo
 * estimate of lhs (or of lhs − rhs with `rhs` then 0) at level `bound.delta`. `allowed` is the
 * violation the check must be able to resolve (see file comment). `rhsError` adds a float bound
 * on an exactly computed rhs.
 */
export function leqStatistical(label: string, bound: MeanBound, rhs: number, allowed: number, rhsError = 0): Comparison {
  if (!(allowed >= 0)) throw new Error(`leqStatistical(${label}): allowed ${allowed}`);
  const errorBound = bound.halfWidth + rhsError;
  return {
    label,
    lhs: bound.mean,
    rhs,
    errorBound,
    margin: marginLeq(bound.mean, rhs, errorBound),
    method: bound.method,
    delta: bound.delta,
    relation: 'leq',
    allowed,
    power: minimumDetectable(bound),
    n: bound.n,
  };
}

/**
 * Statistical `|E[lhs] − rhs| ≤ 0` (an identity checked by Monte Carlo): `bound` must be two-sided at
 * level `bound.delta` (δ/2 per side); violated when |mean − rhs| > halfWidth (+ rhsError).
 */
export function eqStatistical(label: string, bound: MeanBound, rhs: number, allowed: number, rhsError = 0): Comparison {
  if (!(allowed >= 0)) throw new Error(`eqStatistical(${label}): allowed ${allowed}`);
  const errorBound = bound.halfWidth + rhsError;
  return {
    label,
    lhs: bound.mean,
    rhs,
    errorBound,
    margin: marginEq(bound.mean, rhs, errorBound),
    method: bound.method,
    delta: bound.delta,
    relation: 'eq',
    allowed,
    power: minimumDetectable(bound),
    n: bound.n,
  };
}

/**
 * Comparison from a sequential bound (statistics/bounds.ts `sequentialBound`): the final look's
 * interval, method 'confidence-sequence', δ = the sequence's total (not the last look's level).
 */
export function fromSequential(label: string, res: SequentialResult, rhs: number, relation: 'leq' | 'eq', allowed: number, totalDelta: number, rhsError = 0): Comparison {
  const c = relation === 'eq' ? eqStatistical(label, res.bound, rhs, allowed, rhsError) : leqStatistical(label, res.bound, rhs, allowed, rhsError);
  return { ...c, method: 'confidence-sequence', stageMethod: res.bound.method, delta: totalDelta };
}

/**
 * The stopping rule of a sequential check (statistics/bounds.ts `sequentialEstimate`, `sequentialBound`)
 * written as the engine's own case rule, so a look stops exactly when the final comparison will be
 * decided: each look's bound becomes the comparison `fromSequential` will build (eq: two-sided bound
 * on lhs; leq: one-sided), and its status maps violated → 'violated', satisfied → 'satisfied',
 * inconclusive → 'undecided' (look again).
 */
export function sequentialDecision(relation: 'leq' | 'eq', rhs: number, allowed: number, rhsError = 0): (b: MeanBound) => SequentialDecision {
  return (b) => {
    const c = relation === 'eq' ? eqStatistical('look', b, rhs, allowed, rhsError) : leqStatistical('look', b, rhs, allowed, rhsError);
    const s = comparisonStatus(c);
    return s === 'inconclusive' ? 'undecided' : s;
  };
}

export function marginLeq(lhs: number, rhs: number, errorBound: number): number {
  if (lhs === rhs) return errorBound; // covers ±∞ = ±∞ (no violation established)
  return rhs - lhs + errorBound;
}

export function marginEq(lhs: number, rhs: number, errorBound: number): number {
  if (lhs === rhs) return errorBound;
  return errorBound - Math.abs(lhs - rhs);
}

export type CaseStatus = 'violated' | 'inconclusive' | 'satisfied';

/** Status of one comparison (see file comment). NaN on either side throws (a bug, not evidence). */
export function comparisonStatus(c: Comparison): CaseStatus {
  if (Number.isNaN(c.lhs) || Number.isNaN(c.rhs) || Number.isNaN(c.margin)) throw new Error(`comparison ${c.label}: NaN (lhs ${c.lhs}, rhs ${c.rhs})`);
  if (c.margin < 0) return 'violated';
  if (c.delta > 0 && c.allowed !== undefined) {
    const upperExcess = c.relation === 'eq' ? Math.abs(c.lhs - c.rhs) + c.errorBound : c.lhs - c.rhs + c.errorBound;
    if (upperExcess > c.allowed) return 'inconclusive';
  }
  return 'satisfied';
}

/** Worst status over several comparisons of one case (violated > inconclusive > satisfied). */
export function caseStatus(cs: readonly Comparison[]): { status: CaseStatus; worst: Comparison | null } {
  let status: CaseStatus = 'satisfied';
  let worst: Comparison | null = null;
  for (const c of cs) {
    const s = comparisonStatus(c);
    if (s === 'violated' && status !== 'violated') {
      status = 'violated';
      worst = c;
    } else if (s === 'inconclusive' && status === 'satisfied') {
      status = 'inconclusive';
      worst = c;
    }
    if (status === 'satisfied' && (worst === null || c.margin < worst.margin)) worst = c;
    else if (s === status && worst !== null && c.margin < worst.margin) worst = c;
  }
  return { status, worst };
}
