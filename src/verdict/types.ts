/**
 * Verdict vocabulary and the ledger record shared by `verify`, `audit`, reports and properties.
 * (Contract between modules: change only together with every consumer.)
 */

/** Outcome of one check. Never a bare boolean. */
export type Verdict =
  | 'holds' // every case satisfied the claim at the allowed error
  | 'fails' // a reproducible counterexample violates a claim expected to hold
  | 'fails-as-stated' // a claim known to be false as written, shown with its counterexample
  | 'inconclusive' // the evidence could not separate holds from fails at the allowed error
  | 'weak' // held, but the check's power is too low for its claim (minimum detectable > allowed)
  | 'not-yet-checked'; // registered claim without a check

/** Where a bound comes from and how far it is certified (src/statistics/bound-method.ts). */
import type { BoundCertification, BoundMethod } from '../statistics/bound-method.ts';
export type { BoundCertification, BoundMethod } from '../statistics/bound-method.ts';

/** One side-by-side comparison `lhs ≤ rhs` (or `|lhs − rhs| ≤ tol`) with its evidence. */
export interface Comparison {
  readonly label: string;
  readonly lhs: number;
  readonly rhs: number;
  /** half-width of the confidence interval (or float bound) on lhs − rhs */
  readonly errorBound: number;
  /**
   * (rhs − lhs) + errorBound for `≤` (= minus the lower confidence bound of lhs − rhs);
   * for `|lhs − rhs| ≤ tol`: errorBound − |lhs − rhs| with errorBound = tol + float bound.
   * Negative ⇔ violation established at level δ (src/verdict/compare.ts). An exact-zero-margin
   * case (lhs = rhs) has margin = errorBound ≥ 0 and is never flagged.
   */
  readonly margin: number;
  readonly method: BoundMethod;
  /** for a confidence sequence: the method of its stage bounds (decides its certification class) */
  readonly stageMethod?: BoundMethod;
  /** false-failure probability of this comparison (0 for exact / float bounds) */
  readonly delta: number;
  /** 'leq' (default) or 'eq' (two-sided |lhs − rhs| ≤ errorBound) */
  readonly relation?: 'leq' | 'eq';
  /**
   * largest violation the check tolerates without calling the case inconclusive: a statistical case
   * whose upper bound of lhs − rhs exceeds `allowed` (and is not a violation) is inconclusive
   */
  readonly allowed?: number;
  /** minimum detectable violation of lhs − rhs with probability ≥ 0.99 (null/absent for exact) */
  readonly power?: number | null;
  /** Monte Carlo sample size behind lhs (0 or absent for exact) */
  readonly n?: number;
}

/** Counterexample replay data: fast-check seed and path plus the shrunk input. */
export interface Counterexample {
  readonly seed: number;
  readonly path: string | null;
  readonly input: unknown;
  readonly comparison: Comparison | null;
  readonly message: string;
}

/** One ledger entry per check (byte-stable: no timings, no commit). */
export interface LedgerEntry {
  readonly claimId: string;
  readonly check: string;
  /**
   * further claims this check gives evidence for (counted in their summaries too; the catalogue
   * lists it under them with `via: claimId`); absent when none
   */
  readonly alsoServes?: readonly string[];
  readonly verdict: Verdict;
  readonly expected: 'holds' | 'fails-as-stated';
  readonly cases: number;
  /** Monte Carlo sample size per case (0 for exact checks) */
  readonly n: number;
  readonly statistics: Readonly<Record<string, number | string | null>>;
  /** smallest Comparison.margin over cases (negative ⇔ a violation was established): the worst margin */
  readonly worstMargin: number | null;
  /** total false-failure probability spent by this check */
  readonly delta: number;
  /**
   * weakest certification class among the check's statistical comparisons (src/statistics/
   * bound-method.ts): 'certified' bounds are valid at their δ; a 'normal-approximation' (CLT) or
   * 'asymptotic-estimate' rests on an approximation, and the ledger counts its δ separately.
   * Absent for exact checks.
   */
  readonly certification?: BoundCertification;
  /** minimum detectable violation with probability ≥ 0.99 at this sample size (null for exact checks) */
  readonly power: number | null;
  readonly seed: number;
  readonly replayPath: string | null;
  readonly counterexample: Counterexample | null;
  /** series for plots (bound vs measured, per generation, …), numbers only */
  readonly series?: Readonly<Record<string, readonly (number | null)[]>>;
  /** optional plot hints for `series` (conventions: src/report/README.md); absent ⇒ inferred from key names */
  readonly plots?: readonly PlotHint[];
  readonly notes?: readonly string[];
  /** project-relative test file that recorded the entry (set by recordCheck under vitest) */
  readonly file?: string;
  /** vitest's name of the test that recorded the entry ("describe > … > it"; set by recordCheck under vitest): the replay line's -t */
  readonly test?: string;
}

/** Kind of a report plot (src/report/plots.ts). */
export type PlotKind = 'bound-vs-measured' | 'per-generation' | 'ratio-vs-scale' | 'spectrum' | 'density' | 'series';

/**
 * Optional hint for one plot panel of a ledger entry's `series` (see src/report/README.md).
 * Every field is optional: what is absent is inferred from the series key names.
 */
export interface PlotHint {
  /** series key prefix before `/` that selects the panel ('' or absent: the keys without a prefix) */
  readonly panel?: string;
  readonly kind?: PlotKind;
  readonly title?: string;
  /** series key (within the panel, without the prefix) used as x */
  readonly x?: string;
  /** series keys (within the panel, without the prefix) drawn on y; default: all others */
  readonly y?: readonly string[];
  readonly xScale?: 'linear' | 'log';
  readonly yScale?: 'linear' | 'log';
  readonly xLabel?: string;
  readonly yLabel?: string;
}

export interface Ledger {
  readonly seed: number;
  readonly tier: 'default' | 'deep';
  /** suite-wide false-alarm budget of the run */
  readonly budget: number;
  readonly entries: readonly LedgerEntry[];
  /** one summary per registered claim (registry order), unchecked claims as 'not-yet-checked' */
  readonly claims?: readonly ClaimSummary[];
}

/** Per-claim roll-up of the ledger entries (written by src/ledger/ledger.ts). */
export interface ClaimSummary {
  readonly id: string;
  readonly title: string;
  readonly statement: string;
  readonly source: string;
  readonly expected: 'holds' | 'fails-as-stated';
  /** worst entry verdict: fails > inconclusive > weak > fails-as-stated > holds; 'not-yet-checked' without entries */
  readonly verdict: Verdict;
  readonly checks: number;
  readonly cases: number;
  /** sum of the entries' δ (false-alarm spend of this claim) */
  readonly delta: number;
  /** allocation of this claim in the suite budget (src/statistics/budget.ts) */
  readonly allocation: number;
  /** largest minimum detectable violation over its statistical entries (null: exact only / none) */
  readonly power: number | null;
  readonly worstMargin: number | null;
  readonly assumptions: readonly string[];
  readonly oracle: string;
  readonly propertyFiles: readonly string[];
}
