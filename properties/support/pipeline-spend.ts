/**
 * False-alarm plans of the pipeline's own statistical properties (not claims of the catalogue): the
 * `PIPELINE_ASSERTIONS` share of the suite budget (src/statistics/budget.ts). Each entry is the
 * number of statistical comparisons the file can evaluate in the default tier, each at
 * ASSERTION_DELTA, with its derivation. A false failure of a file needs one of its comparisons on
 * the initial runs to fail (shrinking starts only after a failure), so runs × comparisons bounds
 * it; files that charge shrink evaluations too (EvaluationBudget) are counted with them.
 * `properties/exact/pipeline-budget.test.ts` checks the sum fits and that every statistical file
 * is listed.
 *
 * How a file accounts for its spend: `chargePipeline(file, comparisons)` at each statistical
 * comparison (at ≤ ASSERTION_DELTA each). The calls are tallied at run time against the file's
 * plan — a comparison beyond the plan throws, so the plan is enforced, not asserted — and each
 * charge is written as a spend line under `verify` (run.json: "pipeline (counted): <file>"). A file
 * without an EvaluationBudget runs its statistical properties with `endOnFailure` (no shrink
 * evaluations, which the plan does not cover).
 * Every file counts: the former declared route (a file's whole plan recorded once, asserted rather
 * than counted) has no user left and is gone.
 */
import { recordSpend } from '../../src/verdict/record.ts';
import { ASSERTION_DELTA } from '../../src/statistics/budget.ts';

export const PIPELINE_PLANS: Readonly<Record<string, { readonly comparisons: number; readonly derivation: string }>> = {
  'samplers-vs-oracle.test.ts': { comparisons: 70, derivation: 'sub-cases × numRuns, Bonferroni inside each sub-case (file comments)' },
  'energies.test.ts': { comparisons: 65, derivation: 'runs × comparisons, endOnFailure: 4×4 + 4×1 + 3×(4×3) + 3×3 (file comments)' },
  'divergences-monte-carlo.test.ts': { comparisons: 325, derivation: 'EvaluationBudget: (15 runs + 50 shrinks) × (2 + 1 + 2) comparisons' },
  'forward-process.test.ts': { comparisons: 600, derivation: 'EvaluationBudget: (10 runs + 50 shrinks) × 10 comparisons' },
  'ziggurat.test.ts': { comparisons: 6, derivation: '2 runs × (1 whole-sample + 2 outer-region) DKW comparisons, endOnFailure' },
  'rng-distribution.test.ts': { comparisons: 6, derivation: '2 properties × 3 runs × 1 DKW comparison, endOnFailure' },
  'em-fit.test.ts': { comparisons: 90, derivation: '10 runs × 3 components × d ≤ 3 coordinates, endOnFailure' },
  'audit-correct.test.ts': { comparisons: 4, derivation: '4 correct JS samplers × 1 audit at total δ = ASSERTION_DELTA' },
  'audit-python.test.ts': { comparisons: 5, derivation: '≤ 5 correct Python audits in the default tier × 1' },
  'audit-processes.test.ts': { comparisons: 7, derivation: '≤ 7 correct-sampler audits under the forward processes in the default tier × 1 audit at total δ = ASSERTION_DELTA (counted; file comment 3)' },
  'audit-ode.test.ts': { comparisons: 3, derivation: '3 correct PF-ODE samplers (Euler, Heun, AB2) × 1 audit at total δ = ASSERTION_DELTA (counted)' },
  'audit-protocol-v2.test.ts': { comparisons: 2, derivation: '2 correct v2 samplers (JS f32 staggered, numpy f64) × 1 audit at total δ = ASSERTION_DELTA (counted)' },
  'audit-robustness.test.ts': { comparisons: 1, derivation: 'the stderr-heavy correct JS sampler × 1 audit (the Python one is in audit-python)' },
  'audit-checks.test.ts': { comparisons: 3, derivation: 'one assertion over every check at δ/(4·problems) + the first-order-bias case (ladder passes, moments does not fail) at ASSERTION_DELTA each' },
  'audit-buggy-a.test.ts': { comparisons: 0, derivation: 'buggy samplers must fail: a miss is a lack of power, not a false alarm' },
  'audit-buggy-b.test.ts': { comparisons: 0, derivation: 'buggy samplers must fail: a miss is a lack of power, not a false alarm' },
};

export function pipelinePlannedComparisons(): number {
  return Object.values(PIPELINE_PLANS).reduce((a, p) => a + p.comparisons, 0);
}

/** Comparisons charged so far in this process, per file (each file runs once per process; with `isolate: false` the module is shared by the files of one worker, hence the per-file key). */
const tally = new Map<string, number>();

/**
 * Counts `comparisons` statistical comparisons of `file`, each at `deltaPerComparison`
 * (≤ ASSERTION_DELTA), against its plan, and records their spend under `verify`. Throws for an
 * unlisted file, a δ above ASSERTION_DELTA, or a running count above the plan.
 */
export function chargePipeline(file: string, comparisons = 1, deltaPerComparison = ASSERTION_DELTA): void {
  const plan = PIPELINE_PLANS[file];
  if (!plan) throw new Error(`chargePipeline: ${file} has no plan in properties/support/pipeline-spend.ts`);
  if (!Number.isInteger(comparisons) || comparisons < 0) throw new Error(`chargePipeline(${file}): comparisons ${comparisons}`);
  if (!(deltaPerComparison >= 0 && deltaPerComparison <= ASSERTION_DELTA)) throw new Error(`chargePipeline(${file}): δ ${deltaPerComparison} per comparison above ASSERTION_DELTA ${ASSERTION_DELTA}`);
  const n = (tally.get(file) ?? 0) + comparisons;
  if (n > plan.comparisons) throw new Error(`chargePipeline: ${file} charged ${n} statistical comparisons, its plan allows ${plan.comparisons} (${plan.derivation})`);
  tally.set(file, n);
  if (comparisons > 0) recordSpend(`pipeline (counted): ${file}`, comparisons * deltaPerComparison);
}

/** Comparisons charged so far in this process, per file. */
export function pipelineTally(): ReadonlyMap<string, number> {
  return new Map(tally);
}

/** Clears the tally (tests of the tally itself). */
export function resetPipelineTally(): void {
  tally.clear();
}
