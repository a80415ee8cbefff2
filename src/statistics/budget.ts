/**
 * Suite-wide false-alarm budget of one default run (`npm test` / `collapse-check verify`).
 *
 * Guarantee. If every claim expected to hold is true and every statistical comparison uses a
 * confidence bound valid at its stated level, the probability that the run reports any false
 * `fails` is at most `SUITE_FALSE_ALARM_BUDGET = 1e-6` (Bonferroni / union bound over every
 * statistical comparison evaluated in the run, no independence assumed).
 *
 * Split (all by union bound, documented so that `verify` can print it):
 *
 * 1. Suite → assertions. At most `MAX_STATISTICAL_ASSERTIONS_PER_RUN = 10 000` statistical
 *    comparisons are evaluated per default run, each at `ASSERTION_DELTA = 1e-6 / 10 000 = 1e-10`.
 *    An "assertion" is one evaluation of one Monte Carlo comparison (one confidence bound): a
 *    fast-check property with `numRuns` runs and `k` comparisons per run costs `numRuns · k`
 *    assertions, plus its shrink evaluations (point 3).
 * 2. Suite → claims and pipeline. The 22 claim ids of the claim catalogue (src/claims/catalogue.ts), one slot for the engine's own
 *    self-tests (`SELF`) and 2 reserve slots for claims added later (`CLAIM_SLOTS = 25`) each get
 *    `ASSERTIONS_PER_CLAIM = 320` assertions (δ_claim = 320 · 1e-10 = 3.2e-8): 8 000 in all. The
 *    remaining `PIPELINE_ASSERTIONS = 2 000` (δ 2e-7) cover the statistical properties that check
 *    the pipeline itself rather than a claim (samplers vs oracles, Monte Carlo divergences, energies,
 *    RNG laws, audit self-tests): each such file declares its plan in
 *    `properties/support/pipeline-spend.ts`, a test checks the plans fit, and `verify` prints them.
 *    25 · 3.2e-8 + 2e-7 = 1e-6. A claim may spend its allocation on fewer, more powerful
 *    comparisons (`claimComparisonDelta`), never exceed it; `verify` sums the `delta` each ledger
 *    entry declares, per claim and overall, and flags any overspend.
 * 3. Fast-check runs and shrinking. A shrink re-evaluates the property on a smaller input, so it is
 *    another chance of a false failure and of a false counterexample. Each statistical property
 *    therefore gets a fixed evaluation budget `E = numRuns + maxShrinkEvaluations` (counted by
 *    `EvaluationBudget`), charges `E · k · δ` up front, and once `E` evaluations are spent the
 *    property answers "no violation established" without computing, which ends shrinking. So every
 *    evaluation, including every one on the failing path, is covered by the union bound, and the
 *    reported (shrunk) counterexample is itself a violation at level δ per comparison.
 *
 * Exact (closed-form) checks use floating-point error bounds and spend no δ.
 *
 * The deep tier (`--tier deep`) is not covered by this budget: it reports its own spend (sum of
 * its ledger deltas) and is not meant to gate CI.
 */

/** Target false-alarm probability of one whole default run. */
export const SUITE_FALSE_ALARM_BUDGET = 1e-6;

/** Stated maximum number of statistical comparisons (evaluations × bounds) per default run. */
export const MAX_STATISTICAL_ASSERTIONS_PER_RUN = 10_000;

/** δ per statistical comparison in the default run: 1e-6 / 10 000 = 1e-10 (Bonferroni). */
export const ASSERTION_DELTA = SUITE_FALSE_ALARM_BUDGET / MAX_STATISTICAL_ASSERTIONS_PER_RUN;

/**
 * Budget slots: the 22 claim ids of the catalogue (P1-F1, P1-3.1, …, P2-E1), `SELF` for the verdict
 * engine's self-tests, and 2 unassigned reserve slots (so the total stays ≤ 1e-6 when a claim is
 * added). A test checks the registry has at most CLAIM_SLOTS records.
 */
export const CLAIM_SLOTS = 25;

/** Assertions reserved for the pipeline's own statistical properties (not claims). */
export const PIPELINE_ASSERTIONS = 2_000;

/** False-alarm allocation of the pipeline properties: 2 000 · 1e-10 = 2e-7. */
export const PIPELINE_DELTA = PIPELINE_ASSERTIONS * ASSERTION_DELTA;

/** Assertions each claim may spend per default run: (10 000 − 2 000) / 25 = 320. */
export const ASSERTIONS_PER_CLAIM = (MAX_STATISTICAL_ASSERTIONS_PER_RUN - PIPELINE_ASSERTIONS) / CLAIM_SLOTS;

/** False-alarm allocation of one claim: 320 · 1e-10 = 3.2e-8. */
export const CLAIM_DELTA = ASSERTIONS_PER_CLAIM * ASSERTION_DELTA;

/** Budget slot id of the verdict engine's self-tests. */
export const SELF_TEST_SLOT = 'SELF';

/**
 * Default cap on shrink evaluations of one statistical property (fast-check has no such option:
 * `EvaluationBudget` enforces it). 50 steps shrink a 6-field configuration well in practice.
 */
export const DEFAULT_MAX_SHRINK_EVALUATIONS = 50;

/**
 * Cap on shrink evaluations of an exact (δ = 0) check after its first failure. Exact checks charge no
 * δ, so the cap is about time only: fast-check shrinks doubles one step at a time, and a check whose
 * evaluation costs a quadrature near a boundary kept shrinking for > 1 100 evaluations (P1-4.0 at
 * campaign seed 9000003, until the worker ran out of memory). 200 evaluations shrink a 6-field input
 * to a readable counterexample in practice; the counterexample is the smallest failure found by then.
 * The same cap bounds `test.prop` in properties/support/prop.ts.
 */
export const EXACT_MAX_SHRINK_EVALUATIONS = 200;

/** Allocation of one claim (all claims equal; `SELF` included). */
export function claimDelta(_claimId: string): number {
  return CLAIM_DELTA;
}

/**
 * δ per comparison when a claim plans to spend its whole allocation on `plannedComparisons`
 * comparisons (evaluations × bounds, shrinks included): `CLAIM_DELTA / plannedComparisons`.
 * Never below ASSERTION_DELTA's rate would be wasteful, never above CLAIM_DELTA. Throws on a
 * non-positive plan.
 */
export function claimComparisonDelta(claimId: string, plannedComparisons: number): number {
  if (!(plannedComparisons >= 1)) throw new Error(`claimComparisonDelta: plannedComparisons = ${plannedComparisons} < 1`);
  return claimDelta(claimId) / Math.ceil(plannedComparisons);
}

/** Plan of one statistical fast-check property. */
export interface PropertyPlan {
  /** fast-check runs (generated configurations) */
  readonly numRuns: number;
  /** maximum evaluations spent on shrinking after a failure */
  readonly maxShrinkEvaluations?: number;
  /** statistical comparisons (confidence bounds) per evaluation */
  readonly comparisonsPerEvaluation: number;
  /** δ per comparison (default ASSERTION_DELTA) */
  readonly deltaPerComparison?: number;
}

/** Total δ a property charges: (numRuns + maxShrink) · comparisons · δ. */
export function propertyCharge(plan: PropertyPlan): number {
  const evals = plan.numRuns + (plan.maxShrinkEvaluations ?? DEFAULT_MAX_SHRINK_EVALUATIONS);
  return evals * plan.comparisonsPerEvaluation * (plan.deltaPerComparison ?? ASSERTION_DELTA);
}

/**
 * Counts the evaluations of one statistical property (runs + shrinks) against its plan. Call
 * `tryEvaluate()` at the start of each evaluation: it returns false once the budget is spent, and
 * the property must then return "no violation established" without computing (this ends fast-check's
 * shrinking). `charge` is the δ this property declares in its ledger entry.
 */
export class EvaluationBudget {
  readonly maxEvaluations: number;
  readonly deltaPerComparison: number;
  readonly comparisonsPerEvaluation: number;
  private used = 0;

  constructor(plan: PropertyPlan) {
    if (!(plan.numRuns >= 1) || !(plan.comparisonsPerEvaluation >= 1)) throw new Error('EvaluationBudget: numRuns and comparisonsPerEvaluation must be ≥ 1');
    this.maxEvaluations = plan.numRuns + (plan.maxShrinkEvaluations ?? DEFAULT_MAX_SHRINK_EVALUATIONS);
    this.deltaPerComparison = plan.deltaPerComparison ?? ASSERTION_DELTA;
    this.comparisonsPerEvaluation = plan.comparisonsPerEvaluation;
  }

  /** Reserve one evaluation; false when exhausted. */
  tryEvaluate(): boolean {
    if (this.used >= this.maxEvaluations) return false;
    this.used++;
    return true;
  }

  get evaluations(): number {
    return this.used;
  }

  /** δ declared up front for the whole property (the plan's maximum, not the amount used). */
  get charge(): number {
    return this.maxEvaluations * this.comparisonsPerEvaluation * this.deltaPerComparison;
  }
}

/** Printable description of the split (used by `verify`). */
export function budgetSplitLines(): string[] {
  return [
    `suite false-alarm budget ${SUITE_FALSE_ALARM_BUDGET.toExponential(0)} per default run (union bound)`,
    `  = ${MAX_STATISTICAL_ASSERTIONS_PER_RUN} statistical comparisons × δ ${ASSERTION_DELTA.toExponential(0)} each`,
    `  = ${CLAIM_SLOTS} slots (22 claims + SELF + 2 reserve) × ${ASSERTIONS_PER_CLAIM} comparisons (δ_claim ${CLAIM_DELTA.toExponential(1)})`,
    `    + pipeline properties (oracle agreement, audit self-tests) ${PIPELINE_ASSERTIONS} comparisons (δ ${PIPELINE_DELTA.toExponential(0)})`,
    `  fast-check: each property charges (numRuns + ≤ ${DEFAULT_MAX_SHRINK_EVALUATIONS} shrink evaluations) × comparisons × δ; exact checks spend 0`,
  ];
}
