/**
 * What the fuzzer needs from a claim: its configuration space (beyond the assumptions), an exact
 * evaluation of the claim's inequalities at one configuration (comparisons with their error
 * bounds, src/verdict/compare.ts), and the claim's assumptions computed at that configuration.
 *
 * Violation rule (the verdict engine's, src/verdict/compare.ts `comparisonStatus`): a comparison
 * is violated only when its margin (rhs − lhs + errorBound for `≤`) is negative, i.e. the violation
 * exceeds the evaluation's own error bound. Every target uses deterministic oracles (closed forms,
 * the linear-Gaussian moment ODE with step-doubling error control, 1-D quadrature with its error
 * estimate), so δ = 0: a violation is certain up to the stated numerical error.
 *
 * Attribution: the assumptions that do not hold at a (shrunk) violating configuration. `stated`
 * assumptions are the claim's own (registry / statement); the others are conditions the claim does
 * not state but a violation can be traced to (tails, t0 compensation, …). A violation that breaks no
 * stated assumption is a counterexample to the claim as stated ("none").
 */
import type { Comparison } from '../verdict/types.ts';
import { comparisonStatus } from '../verdict/compare.ts';
import type { FuzzConfig, ParamSpec } from './space.ts';

export interface AssumptionStatus {
  readonly id: string;
  readonly label: string;
  readonly holds: boolean;
  /** true: the claim (or its registry record) states it; false: an unstated condition */
  readonly stated: boolean;
  /** the computed quantity behind the decision, in words */
  readonly detail: string;
}

export interface Evaluation {
  readonly comparisons: readonly Comparison[];
  readonly assumptions: readonly AssumptionStatus[];
  readonly statistics: Readonly<Record<string, number | string | boolean | null>>;
}

export interface MapAxis {
  readonly param: string;
  readonly label: string;
  readonly steps: number;
  /** defaults to the parameter's range */
  readonly min?: number;
  readonly max?: number;
}

export interface MapSpec {
  readonly title: string;
  readonly x: MapAxis;
  readonly y: MapAxis;
  /** the other parameters */
  readonly base: FuzzConfig;
  /** label of the comparison that colours the map (the worst comparison when absent) */
  readonly comparison?: string;
  /** assumption ids whose boundary is drawn */
  readonly boundaries: readonly string[];
  /** one line under the title */
  readonly note: string;
}

export interface Budget {
  readonly evaluations: number;
  readonly seconds: number;
}

export interface FuzzTarget {
  /** canonical id used by `--claim` and fixture folders */
  readonly id: string;
  /** other accepted `--claim` spellings */
  readonly aliases: readonly string[];
  /** registry claim ids this target checks */
  readonly claimIds: readonly string[];
  readonly title: string;
  readonly statement: string;
  /** conventions fixing what the claim leaves open (unknown constants, leading-order forms) */
  readonly convention: string;
  readonly oracle: string;
  /** 'fails-as-stated': a violation inside the stated assumptions is expected (exit 0) */
  readonly expectedAsStated: 'holds' | 'fails-as-stated';
  readonly space: readonly ParamSpec[];
  evaluate(config: FuzzConfig): Evaluation;
  readonly map: MapSpec;
  readonly defaultBudget: Budget;
}

/**
 * Margin scaled to [−1, 1]: margin / (|lhs| + |rhs| + errorBound) over the finite terms, −1 for a
 * −∞ margin, +1 for +∞. Comparable across configurations (the search objective); the sign is the
 * margin's.
 */
export function relativeMargin(c: Comparison): number {
  if (c.margin === -Infinity) return -1;
  if (c.margin === Infinity) return 1;
  let scale = c.errorBound;
  if (Number.isFinite(c.lhs)) scale += Math.abs(c.lhs);
  if (Number.isFinite(c.rhs)) scale += Math.abs(c.rhs);
  if (!(scale > 0)) return c.margin < 0 ? -1 : c.margin > 0 ? 1 : 0;
  const r = c.margin / scale;
  return r < -1 ? -1 : r > 1 ? 1 : r;
}

export function isViolated(c: Comparison): boolean {
  return comparisonStatus(c) === 'violated';
}

/** The comparison with the smallest relative margin (null for none). */
export function worstComparison(e: Evaluation): Comparison | null {
  let w: Comparison | null = null;
  let wr = Infinity;
  for (const c of e.comparisons) {
    const r = relativeMargin(c);
    if (r < wr) {
      wr = r;
      w = c;
    }
  }
  return w;
}

/** Search objective: the smallest relative margin over the comparisons (+1 when there are none). */
export function score(e: Evaluation): number {
  const w = worstComparison(e);
  return w === null ? 1 : relativeMargin(w);
}

export function violated(e: Evaluation): boolean {
  return e.comparisons.some(isViolated);
}

/** Ids of the assumptions that do not hold, stated ones first. */
export function brokenAssumptions(e: Evaluation): { stated: string[]; unstated: string[] } {
  return {
    stated: e.assumptions.filter((a) => !a.holds && a.stated).map((a) => a.id),
    unstated: e.assumptions.filter((a) => !a.holds && !a.stated).map((a) => a.id),
  };
}

/** "none" when no stated assumption is broken, else the broken stated ids joined by "+". */
export function attributionOf(e: Evaluation): string {
  const b = brokenAssumptions(e);
  return b.stated.length === 0 ? 'none' : b.stated.join('+');
}
