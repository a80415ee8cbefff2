/**
 * Verdict engine: runs one claim check as a fast-check property and turns the outcome into a
 * `LedgerEntry` (holds / fails / fails-as-stated / inconclusive / weak; never a boolean).
 *
 * - Each generated configuration is one case; `evaluate` returns its comparisons (compare.ts).
 * - fast-check treats a case as failing iff a comparison is *violated* (lower confidence bound of
 *   lhs − rhs > 0, or float-bound violation for exact checks), and shrinks towards the smallest
 *   failing configuration. Undecided cases are counted, never failed, never retried.
 * - Verdict of the check: `fails` (expected holds) / `fails-as-stated` (expected to fail) when a
 *   case is violated; otherwise `inconclusive` if some statistical case stayed undecided although
 *   its power (minimum detectable violation at 0.99) was within its `allowed` resolution (the truth
 *   sits near the bound: possibly a small violation), `weak` if undecided cases had power coarser
 *   than `allowed` (the sample could not resolve the claim), else `holds`. A check expected to fail
 *   as stated that finds no counterexample is `inconclusive`. Sequential extension happens inside
 *   `evaluate` with statistics/bounds.ts `sequentialBound` (valid under optional stopping).
 * - Statistical checks declare their plan (budget.ts): evaluations are counted by an
 *   `EvaluationBudget` (runs + shrinks) so the δ charged in the ledger covers shrinking; once spent,
 *   evaluations answer "no violation" without computing, which ends shrinking. Exact checks stop
 *   shrinking the same way after EXACT_MAX_SHRINK_EVALUATIONS evaluations past the first failure.
 * - The counterexample records the fast-check seed, the path (`counterexamplePath`) and the shrunk
 *   input: `replayCheck` (or `fc.check(prop, { seed, path })`) reproduces it.
 * - Exceptions thrown by `evaluate` are bugs, not evidence: `checkProperty` rethrows them (with the
 *   seed and path) so the test fails loudly and nothing is recorded.
 * - Replaying one printed counterexample alone (issue 16): with `COLLAPSE_REPLAY_CHECK="<claim id> /
 *   <check>"` and `COLLAPSE_REPLAY_PATH=<fast-check path>` in the environment (and the run's seed in
 *   COLLAPSE_SEED), that one check evaluates only the recorded case (fast-check `path` replay, no
 *   shrinking); every other check is unchanged. Refused under `verify` (a one-case replay is not
 *   evidence for the ledger) and without the check name (a path only means something for its own
 *   arbitrary). `replayRequest` reads the two variables.
 */
import fc from 'fast-check';
import type { Comparison, Counterexample, LedgerEntry, Verdict, PlotHint } from './types.ts';
import { caseStatus, comparisonStatus } from './compare.ts';
import { boundCertification, weakerCertification, type BoundCertification } from '../statistics/bound-method.ts';
import { EvaluationBudget, ASSERTION_DELTA, DEFAULT_MAX_SHRINK_EVALUATIONS, EXACT_MAX_SHRINK_EVALUATIONS } from '../statistics/budget.ts';
import { jsonSafe } from '../numerics/json.ts';
import { isSeed } from '../config/seed.ts';
import { LEDGER_DIR_ENV } from './ledger-env.ts';

/** Default seed of the suite when neither fast-check's global config nor COLLAPSE_SEED sets one. */
export const DEFAULT_RUN_SEED = 20260226;

/** The run's seed: fast-check's global seed (set by properties/setup.ts), else COLLAPSE_SEED, else the default. */
export function runSeed(): number {
  const g = fc.readConfigureGlobal().seed;
  if (typeof g === 'number' && Number.isInteger(g)) return g;
  const raw = process.env.COLLAPSE_SEED;
  if (raw !== undefined && /^\s*[0-9]+\s*$/.test(raw) && isSeed(Number(raw))) return Number(raw); // the one seed rule (src/config/seed.ts)
  return DEFAULT_RUN_SEED;
}

/** Environment variable: fast-check path of the one case to replay (see the file comment). */
export const REPLAY_PATH_ENV = 'COLLAPSE_REPLAY_PATH';
/** Environment variable: `<claim id> / <check>` of the check whose case is replayed. */
export const REPLAY_CHECK_ENV = 'COLLAPSE_REPLAY_CHECK';

/**
 * The replay path requested for check `claimId / check` by the environment, or null (no replay
 * requested, or it names another check). Throws when COLLAPSE_REPLAY_PATH is set without
 * COLLAPSE_REPLAY_CHECK, when the path is not fast-check's `n:n:…` form, or under `verify`.
 */
export function replayRequest(claimId: string, check: string, env: NodeJS.ProcessEnv = process.env): string | null {
  const path = env[REPLAY_PATH_ENV];
  if (path === undefined || path === '') return null;
  const target = env[REPLAY_CHECK_ENV];
  if (target === undefined || target === '') throw new Error(`${REPLAY_PATH_ENV} is set but ${REPLAY_CHECK_ENV} is not: name the check the path belongs to ("<claim id> / <check>")`);
  if (!/^[0-9]+(:[0-9]+)*$/.test(path)) throw new Error(`${REPLAY_PATH_ENV}="${path}" is not a fast-check path (numbers separated by ':')`);
  if (env[LEDGER_DIR_ENV]) throw new Error(`${REPLAY_PATH_ENV} is set during a ledger run (verify): a one-case replay is not evidence; unset it`);
  return target === `${claimId} / ${check}` ? path : null;
}

/** What `evaluate` returns for one case. */
export interface CaseOutcome {
  readonly comparisons: readonly Comparison[];
  /** optional numbers to keep from the worst case (e.g. ε̂², KL) */
  readonly statistics?: Readonly<Record<string, number>>;
}

export interface StatisticalPlan {
  /** statistical comparisons (confidence bounds) per evaluation */
  readonly comparisonsPerEvaluation: number;
  readonly maxShrinkEvaluations?: number;
  /** δ per comparison (default ASSERTION_DELTA) */
  readonly deltaPerComparison?: number;
}

export interface CheckSpec<T> {
  readonly claimId: string;
  /** unique name of the check within the claim (stable: part of the ledger sort key) */
  readonly check: string;
  /**
   * further claim ids this check gives evidence for (e.g. D-2's upper-bound check serves P1-3.4):
   * the ledger counts the entry in their summaries too; list it in the catalogue under each with
   * `via: claimId` (src/claims/catalogue.ts)
   */
  readonly alsoServes?: readonly string[];
  readonly expected: 'holds' | 'fails-as-stated';
  readonly arbitrary: fc.Arbitrary<T>;
  readonly numRuns: number;
  /** present for Monte Carlo checks; absent ⇒ exact check (δ = 0) */
  readonly statistical?: StatisticalPlan;
  /** evaluate one case; `delta` is the δ each statistical comparison must use */
  readonly evaluate: (input: T, ctx: { readonly delta: number }) => CaseOutcome;
  /** fast-check seed (default runSeed()) and replay path */
  readonly seed?: number;
  readonly path?: string;
  /** stop at the first failure without shrinking (replays of a recorded counterexample) */
  readonly endOnFailure?: boolean;
  readonly notes?: readonly string[];
  readonly series?: Readonly<Record<string, readonly (number | null)[]>>;
  readonly plots?: readonly PlotHint[];
  /**
   * per-case series for the report's bound-vs-measured plot (lhs as `measured`, rhs as `bound`, the
   * first comparison of each generated case; `measured.lo/hi` = lhs ∓ errorBound for statistical
   * ones), at most this many points (default 200; 0 = none). Ignored when `series` is given.
   */
  readonly casePoints?: number;
}

export interface CheckResult<T> {
  readonly entry: LedgerEntry;
  /** shrunk counterexample input (null when none) */
  readonly counterexample: T | null;
}

/** Severity used to aggregate verdicts (higher is worse for the build). */
export const VERDICT_SEVERITY: Readonly<Record<Verdict, number>> = {
  'not-yet-checked': 0,
  holds: 1,
  'fails-as-stated': 2,
  weak: 3,
  inconclusive: 4,
  fails: 5,
};

/** Cap on shrink evaluations of an exact check after its first failure (statistics/budget.ts). */
export { EXACT_MAX_SHRINK_EVALUATIONS };

/** Runs the check and builds its ledger entry. Rethrows evaluation errors (see file comment). */
export function checkProperty<T>(spec: CheckSpec<T>): CheckResult<T> {
  const seed = spec.seed ?? runSeed();
  const replayPath = spec.path === undefined ? replayRequest(spec.claimId, spec.check) : null;
  const path = spec.path ?? replayPath ?? undefined;
  const plan = spec.statistical;
  const budget = plan
    ? new EvaluationBudget({ numRuns: spec.numRuns, comparisonsPerEvaluation: plan.comparisonsPerEvaluation, maxShrinkEvaluations: plan.maxShrinkEvaluations ?? DEFAULT_MAX_SHRINK_EVALUATIONS, deltaPerComparison: plan.deltaPerComparison ?? ASSERTION_DELTA })
    : null;
  const delta = budget ? budget.deltaPerComparison : 0;

  let cases = 0;
  let inconclusive = 0;
  let worstMargin: number | null = null;
  let power: number | null = null;
  let maxN = 0;
  let failedSeen = false;
  let lastFailure: { input: T; comparison: Comparison | null; error: unknown } | null = null;
  let worstStats: Readonly<Record<string, number>> | undefined;
  let worstInconclusive: Comparison | null = null;
  const maxPoints = spec.series ? 0 : (spec.casePoints ?? 200);
  const pts: { m: number[]; b: number[]; lo: number[]; hi: number[] } = { m: [], b: [], lo: [], hi: [] };
  let anyStat = false;
  let weakCases = 0;
  let worstWeak: Comparison | null = null;

  let weakestClass: BoundCertification | null = null;
  // once an evaluation threw (or broke its plan), shrinking stays among inputs that throw: a later
  // violation must not replace the error, which is rethrown (found by mutation testing: a check
  // expected to fail as stated passed silently with an evaluate that threw on x ≥ 6)
  let errorSeen = false;
  let exactShrinkEvaluations = 0;
  const predicate = (input: T): boolean => {
    if (budget && !budget.tryEvaluate()) return true; // budget spent: no further evidence, ends shrinking
    if (!budget && failedSeen && exactShrinkEvaluations++ >= EXACT_MAX_SHRINK_EVALUATIONS) return true; // same for exact checks: ends shrinking, keeps the smallest failure found
    let out: CaseOutcome;
    let classified: ReturnType<typeof caseStatus>;
    try {
      out = spec.evaluate(input, { delta });
      // classified here, inside the try: a malformed comparison (NaN side) is an evaluation error
      // of this input, reported with seed, path and input like any other
      classified = caseStatus(out.comparisons);
    } catch (error) {
      failedSeen = true;
      errorSeen = true;
      lastFailure = { input, comparison: null, error };
      return false;
    }
    if (plan) {
      const stat = out.comparisons.filter((c) => c.delta > 0).length;
      if (stat > plan.comparisonsPerEvaluation) {
        failedSeen = true;
        errorSeen = true;
        lastFailure = { input, comparison: null, error: new Error(`${spec.claimId} / ${spec.check}: ${stat} statistical comparisons in one evaluation, plan allows ${plan.comparisonsPerEvaluation}`) };
        return false;
      }
      for (const c of out.comparisons) if (c.delta > delta * (1 + 1e-12)) {
        failedSeen = true;
        errorSeen = true;
        lastFailure = { input, comparison: null, error: new Error(`${spec.claimId} / ${spec.check}: comparison ${c.label} uses δ ${c.delta} > planned ${delta}`) };
        return false;
      }
    } else if (out.comparisons.some((c) => c.delta > 0)) {
      failedSeen = true;
      errorSeen = true;
      lastFailure = { input, comparison: null, error: new Error(`${spec.claimId} / ${spec.check}: statistical comparison in a check without a statistical plan`) };
      return false;
    }
    if (errorSeen) return true; // shrink only among inputs that throw: a later violation never replaces the error
    for (const c of out.comparisons) if (c.delta > 0) weakestClass = weakerCertification(weakestClass, boundCertification(c.method, c.stageMethod));
    const { status, worst } = classified;
    if (!failedSeen) {
      cases++;
      const first = out.comparisons[0];
      if (first && pts.m.length < maxPoints) {
        pts.m.push(first.lhs);
        pts.b.push(first.rhs);
        pts.lo.push(first.lhs - first.errorBound);
        pts.hi.push(first.lhs + first.errorBound);
        if (first.delta > 0) anyStat = true;
      }
      // undecided comparison (not violated, upper bound above `allowed`): weak when its power is
      // coarser than `allowed` (the sample could not resolve the claim), else inconclusive (adequate
      // power, evidence straddles: possibly a small violation).
      let weakHere = false;
      let inconclusiveHere = false;
      for (const c of out.comparisons) {
        if (comparisonStatus(c) === 'inconclusive') {
          if (c.power !== undefined && c.power !== null && c.allowed !== undefined && c.power > c.allowed) {
            weakHere = true;
            if (worstWeak === null || c.power - c.allowed > (worstWeak.power ?? 0) - (worstWeak.allowed ?? 0)) worstWeak = c;
          } else {
            inconclusiveHere = true;
            if (worstInconclusive === null) worstInconclusive = c;
          }
        }
        if (worstMargin === null || c.margin < worstMargin) {
          worstMargin = c.margin;
          worstStats = out.statistics;
        }
        if (c.power !== undefined && c.power !== null) power = power === null ? c.power : Math.max(power, c.power);
        if (c.n !== undefined) maxN = Math.max(maxN, c.n);
      }
      if (inconclusiveHere) inconclusive++;
      else if (weakHere) weakCases++;
    }
    if (status === 'violated') {
      failedSeen = true;
      lastFailure = { input, comparison: worst, error: null };
      if (worst && (worstMargin === null || worst.margin < worstMargin)) worstMargin = worst.margin;
      return false;
    }
    return true;
  };

  const details = fc.check(fc.property(spec.arbitrary, predicate), {
    seed,
    numRuns: spec.numRuns,
    ...(path !== undefined ? { path } : {}),
    ...(spec.endOnFailure || replayPath !== null ? { endOnFailure: true } : {}),
  });

  const failure = lastFailure as { input: T; comparison: Comparison | null; error: unknown } | null;
  if (details.failed && failure && failure.error !== null) {
    const err = failure.error instanceof Error ? failure.error : new Error(String(failure.error));
    err.message = `${spec.claimId} / ${spec.check}: evaluation threw (seed ${seed}, path ${details.counterexamplePath ?? 'null'}, input ${JSON.stringify(jsonSafe(failure.input))}): ${err.message}`;
    throw err;
  }

  let verdict: Verdict;
  let counterexample: Counterexample | null = null;
  const notes: string[] = [...(spec.notes ?? [])];
  if (replayPath !== null) notes.push(`replay of the one case at seed ${seed}, path ${replayPath} (${REPLAY_PATH_ENV}): not a full check`);
  if (details.failed && failure) {
    verdict = spec.expected === 'holds' ? 'fails' : 'fails-as-stated';
    const c = failure.comparison;
    counterexample = {
      seed: details.seed,
      path: details.counterexamplePath,
      input: jsonSafe(failure.input),
      comparison: c ? (jsonSafe(c) as Comparison) : null,
      message: c
        ? `${c.label}: lhs ${c.lhs} > rhs ${c.rhs} beyond error bound ${c.errorBound} (${c.method}, δ ${c.delta}); shrunk ${details.numShrinks} times`
        : 'violation',
    };
  } else if (details.failed) {
    throw new Error(`${spec.claimId} / ${spec.check}: fast-check failed without a recorded case: ${details.errorInstance}`);
  } else if (spec.expected === 'fails-as-stated') {
    verdict = 'inconclusive';
    notes.push('claim expected to fail as stated, but no counterexample was found among the generated cases');
  } else if (inconclusive > 0) {
    verdict = 'inconclusive';
    const w = worstInconclusive as Comparison | null;
    if (w) notes.push(`${inconclusive} case(s) could not separate holds from fails: e.g. ${w.label} lhs ${w.lhs} vs rhs ${w.rhs} ± ${w.errorBound} (allowed ${w.allowed})`);
  } else if (weakCases > 0) {
    verdict = 'weak';
    const w = worstWeak as Comparison | null;
    if (w) notes.push(`${weakCases} case(s) undecided with power below the claim's need: ${w.label} detects only violations ≥ ${w.power} (allowed ${w.allowed}); more samples needed than the plan allows`);
  } else {
    verdict = 'holds';
  }
  const worstCaseStats: Record<string, number | string | null> = {};
  const ws = worstStats as Readonly<Record<string, number>> | undefined;
  if (ws) for (const k of Object.keys(ws).sort()) worstCaseStats[`worstCase.${k}`] = jsonSafe(ws[k]) as number | string | null;

  const entry: LedgerEntry = {
    claimId: spec.claimId,
    check: spec.check,
    ...(spec.alsoServes && spec.alsoServes.length ? { alsoServes: [...spec.alsoServes] } : {}),
    verdict,
    expected: spec.expected,
    cases,
    n: maxN,
    statistics: {
      numRuns: spec.numRuns,
      evaluations: budget ? budget.evaluations : cases + details.numShrinks,
      shrinks: details.numShrinks,
      inconclusiveCases: inconclusive,
      deltaPerComparison: delta,
      weakCases,
      ...worstCaseStats,
    },
    worstMargin,
    delta: budget ? budget.charge : 0,
    ...(budget && weakestClass ? { certification: weakestClass } : {}),
    power,
    seed: details.seed,
    replayPath: details.counterexamplePath,
    counterexample,
    ...(spec.series ? { series: spec.series } : pts.m.length ? { series: anyStat ? { measured: pts.m, 'measured.lo': pts.lo, 'measured.hi': pts.hi, bound: pts.b } : { measured: pts.m, bound: pts.b } } : {}),
    ...(spec.plots ? { plots: spec.plots } : {}),
    ...(notes.length ? { notes } : {}),
  };
  return { entry, counterexample: failure && details.failed ? failure.input : null };
}

/**
 * Re-runs a check on its recorded counterexample (seed + path, no further shrinking: the original
 * run's shrinking may have stopped at its evaluation budget): returns the new entry, whose
 * counterexample input equals the recorded one when the violation reproduces.
 */
export function replayCheck<T>(spec: CheckSpec<T>, entry: LedgerEntry): CheckResult<T> {
  if (!entry.counterexample) throw new Error('replayCheck: entry has no counterexample');
  return checkProperty({ ...spec, seed: entry.counterexample.seed, endOnFailure: true, ...(entry.counterexample.path !== null ? { path: entry.counterexample.path } : {}) });
}
