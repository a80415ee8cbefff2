/**
 * The verdict engine (src/verdict/engine.ts) pinned field by field on hand-built checks whose
 * verdict and ledger entry can be stated in advance (issue 11, mutation item): an exact check that
 * holds, one violated on a known input, a check expected to fail as stated, statistical checks whose
 * hand-built comparisons sit far inside the allowance, straddle it with adequate power
 * (inconclusive), or straddle it with too little power (weak), a statistical violation under its
 * evaluation budget, the plan guards, exceptions, the case-point series, replay by seed and path
 * (spec, `replayCheck`, environment), `runSeed` and `replayRequest`.
 *
 * Oracles (independent of the engine):
 * - the generated inputs, their order, the shrunk counterexample, fast-check's path and shrink count
 *   come from fast-check itself, run here on the same arbitrary and seed with a plain boolean
 *   predicate that restates the violation rule (x ≥ 5 for `x ≤ 4.5` with error bound ¼); for a
 *   statistical check the predicate also restates the evaluation budget (answer "holds" once
 *   numRuns + maxShrinkEvaluations evaluations are spent: src/statistics/budget.ts);
 * - the classification of a hand-built comparison (violated: margin < 0; inconclusive: upper excess
 *   lhs − rhs + errorBound > allowed; weak when its power > allowed) is the documented rule of
 *   src/verdict/compare.ts and types.ts, applied by hand to numbers chosen far from the boundaries
 *   (or exactly on them, where the rule is strict);
 * - every other field is written in the test from the engine's documented contract (the file
 *   comment of engine.ts and `LedgerEntry` in types.ts).
 *
 * Tolerances: every number asserted is a small sum of dyadic rationals (exact in binary64) or the
 * plan's δ charge k·m·δ computed in the same order as the contract states it, so every comparison is
 * exact (`toBe` / `toStrictEqual`); no tolerance is needed.
 *
 * Power of the file: each expected entry is compared in full with `toStrictEqual` (absent keys
 * included), so any change of one ledger field, of a verdict, or of a note's text fails a test.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  checkProperty,
  replayCheck,
  replayRequest,
  runSeed,
  DEFAULT_RUN_SEED,
  REPLAY_CHECK_ENV,
  REPLAY_PATH_ENV,
  VERDICT_SEVERITY,
  type CaseOutcome,
  type CheckSpec,
} from '../../src/verdict/engine.ts';
import { leqExact } from '../../src/verdict/compare.ts';
import { ASSERTION_DELTA } from '../../src/statistics/budget.ts';
import type { BoundMethod, Comparison, LedgerEntry } from '../../src/verdict/types.ts';

/** The suite's fast-check seed (properties/setup.ts), so fresh COLLAPSE_SEED values vary the inputs. */
const SUITE_SEED = fc.readConfigureGlobal().seed as number;
/**
 * A fixed seed whose first failing input of `digit` below is above the smallest one (6, shrunk to
 * 5 in one step), so the shrinking paths are exercised whatever the suite seed is (asserted below).
 */
const SHRINKING_SEED = 42;

/** Inputs 0…9 (shrink towards 0). */
const digit = fc.integer({ min: 0, max: 9 });

/** Margin of `lhs ≤ rhs` with error bound e, restated (types.ts `Comparison.margin`). */
const marginOf = (lhs: number, rhs: number, e: number): number => (lhs === rhs ? e : rhs - lhs + e);

/** A hand-built statistical comparison `E[lhs] ≤ rhs` (no sampling). */
function stat(label: string, lhs: number, rhs: number, halfWidth: number, o: { allowed?: number; power?: number | null; n?: number; method?: BoundMethod; stageMethod?: BoundMethod; delta?: number } = {}): Comparison {
  return {
    label,
    lhs,
    rhs,
    errorBound: halfWidth,
    margin: marginOf(lhs, rhs, halfWidth),
    method: o.method ?? 'clt',
    ...(o.stageMethod ? { stageMethod: o.stageMethod } : {}),
    delta: o.delta ?? ASSERTION_DELTA,
    relation: 'leq',
    ...(o.allowed !== undefined ? { allowed: o.allowed } : {}),
    ...(o.power !== undefined ? { power: o.power } : {}),
    ...(o.n !== undefined ? { n: o.n } : {}),
  };
}

/** fast-check's own run of `arb` with a plain predicate: the evaluation order and its details. */
function plainRun<T>(arb: fc.Arbitrary<T>, pass: (x: T) => boolean, seed: number, numRuns: number, extra: { path?: string; endOnFailure?: boolean } = {}) {
  const log: T[] = [];
  const d = fc.check(
    fc.property(arb, (x) => {
      log.push(x);
      return pass(x);
    }),
    { seed, numRuns, ...extra },
  );
  return { log, d };
}

/** Evaluates case k of a check from a table (the engine calls evaluate once per run, in order). */
function tableEvaluate(table: readonly CaseOutcome[]): () => CaseOutcome {
  let k = 0;
  return () => table[k++]!;
}

/** Runs `fn` with environment variables set (undefined = unset), restoring them afterwards. */
function withEnv<R>(vars: Record<string, string | undefined>, fn: () => R): R {
  const saved: Record<string, string | undefined> = {};
  for (const k of Object.keys(vars)) saved[k] = process.env[k];
  try {
    for (const [k, v] of Object.entries(vars)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    return fn();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

/** Runs `fn` with fast-check's global seed removed (so runSeed falls through to the environment). */
function withoutGlobalSeed<R>(fn: () => R): R {
  const saved = fc.readConfigureGlobal();
  const { seed: _seed, ...rest } = saved;
  fc.configureGlobal(rest);
  try {
    return fn();
  } finally {
    fc.configureGlobal(saved);
  }
}

describe('SELF verdict engine: an exact check that holds has a fully determined entry', () => {
  it('two comparisons per case: worst margin, worst-case statistics (sorted keys), series, no δ', () => {
    const { log } = plainRun(digit, () => true, SUITE_SEED, 20);
    const r = checkProperty({
      claimId: 'SELF',
      check: 'exact holds',
      expected: 'holds',
      arbitrary: digit,
      numRuns: 20,
      seed: SUITE_SEED,
      evaluate: (x, ctx) => {
        expect(ctx.delta).toBe(0); // exact check: δ = 0 is passed to evaluate
        return { comparisons: [leqExact('x ≤ 10', x, 10, 0.25), leqExact('2x ≤ 30', 2 * x, 30, 0)], statistics: { z: x, a: 10 - x, inf: Infinity } };
      },
    });
    // margins 10.25 − x and 30 − 2x: the first is smaller for every x ≤ 9 (difference 19.75 − x)
    const xMax = Math.max(...log);
    expect(r.counterexample).toBeNull();
    expect(r.entry).toStrictEqual({
      claimId: 'SELF',
      check: 'exact holds',
      verdict: 'holds',
      expected: 'holds',
      cases: 20,
      n: 0,
      statistics: { numRuns: 20, evaluations: 20, shrinks: 0, inconclusiveCases: 0, deltaPerComparison: 0, weakCases: 0, 'worstCase.a': 10 - xMax, 'worstCase.inf': 'Infinity', 'worstCase.z': xMax }, // +∞ as the JSON string
      worstMargin: 10.25 - xMax,
      delta: 0,
      power: null,
      seed: SUITE_SEED,
      replayPath: null,
      counterexample: null,
      series: { measured: log, bound: log.map(() => 10) },
    } satisfies LedgerEntry);
    expect(Object.keys(r.entry.statistics).slice(-3)).toEqual(['worstCase.a', 'worstCase.inf', 'worstCase.z']);
  });

  it('ties of the worst margin keep the first case’s statistics; a case without comparisons counts but adds nothing', () => {
    // case k: lhs = rhs = 0 with error bound e_k, so margin = e_k (equal sides); statistics {k}; case 5 empty
    const bounds = [1, 0.5, 1, 0.5, 0.75];
    const table: CaseOutcome[] = bounds.map((e, k) => ({ comparisons: [leqExact(`c${k}`, 0, 0, e)], statistics: { k } }));
    table.push({ comparisons: [], statistics: { k: 99 } });
    const r = checkProperty({ claimId: 'SELF', check: 'ties', expected: 'holds', arbitrary: fc.constant(0), numRuns: 6, seed: SUITE_SEED, evaluate: tableEvaluate(table) });
    // worst margin 0.5 first reached at case 1: its statistics are kept (strict <, not case 3's); case 5 counted
    expect(r.entry.worstMargin).toBe(0.5);
    expect(r.entry.statistics['worstCase.k']).toBe(1);
    expect(r.entry.cases).toBe(6);
    expect(r.entry.series).toStrictEqual({ measured: [0, 0, 0, 0, 0], bound: [0, 0, 0, 0, 0] });
  });

  it('no comparisons at all: holds, worst margin null, no series, power null', () => {
    const r = checkProperty({ claimId: 'SELF', check: 'empty', expected: 'holds', arbitrary: digit, numRuns: 4, seed: SUITE_SEED, evaluate: () => ({ comparisons: [] }) });
    expect(r.entry).toStrictEqual({
      claimId: 'SELF',
      check: 'empty',
      verdict: 'holds',
      expected: 'holds',
      cases: 4,
      n: 0,
      statistics: { numRuns: 4, evaluations: 4, shrinks: 0, inconclusiveCases: 0, deltaPerComparison: 0, weakCases: 0 },
      worstMargin: null,
      delta: 0,
      power: null,
      seed: SUITE_SEED,
      replayPath: null,
      counterexample: null,
    } satisfies LedgerEntry);
  });
});

/**
 * The violated check of this block: `x ≤ 4.5` with float error bound ¼ on x ∈ {0,…,9}. Margin
 * 4.75 − x < 0 ⇔ x ≥ 5, so the smallest violating input (fast-check shrinks integers towards 0) is 5.
 * lhs(x) = x for x < 5 and 20 − x for x ≥ 5 makes the SHRUNK case the worst (margin 4.75 − 15 at
 * x = 5, above −5.25 at x = 9), so the worst margin must follow the shrinking steps too;
 * `lhsUp` (x + 10 for x ≥ 5) makes the FIRST failure the worst, so a later, milder violation found
 * while shrinking must not replace it (the worst margin is a minimum, not the last value).
 */
const lhsOf = (x: number): number => (x < 5 ? x : 20 - x);
const lhsUp = (x: number): number => (x < 5 ? x : x + 10);
const violatedAt = (x: number): boolean => x >= 5;
const wrongBound = (x: number): CaseOutcome => ({ comparisons: [leqExact('x ≤ 4.5', lhsOf(x), 4.5, 0.25)] });

describe('SELF verdict engine: a check violated on a known input fails with the shrunk counterexample', () => {
  for (const [expected, verdict] of [
    ['holds', 'fails'],
    ['fails-as-stated', 'fails-as-stated'],
  ] as const) {
    it(`expected ${expected} → ${verdict}; counterexample x = 5 with fast-check's own seed, path and shrink count`, () => {
      for (const [seed, lhsFn] of [[SHRINKING_SEED, lhsOf], [SHRINKING_SEED, lhsUp], [SUITE_SEED, lhsOf]] as const) {
        const evaluate = (x: number): CaseOutcome => ({ comparisons: [leqExact('x ≤ 4.5', lhsFn(x), 4.5, 0.25)] });
        // 60 runs: at the suite seed a run without any x ≥ 5 would make the premise fail (≈ 2⁻⁶⁰ if the
        // digits were uniform; 20 000 seeds tried at 20 runs: the first x ≥ 5 came by run 16 every time)
        const numRuns = 60;
        const { log, d } = plainRun(digit, (x) => !violatedAt(x), seed, numRuns);
        expect(d.failed).toBe(true);
        const cases = log.findIndex(violatedAt) + 1;
        if (seed === SHRINKING_SEED) {
          // premises: shrinking happens, and the worst violation is the shrunk one (lhsFn) or the first one (lhsUp)
          expect(d.numShrinks).toBeGreaterThanOrEqual(1);
          const violatedMargins = log.filter(violatedAt).map((x) => 4.75 - lhsFn(x));
          expect(Math.min(...violatedMargins)).toBe(lhsFn === lhsUp ? violatedMargins[0] : violatedMargins[violatedMargins.length - 1]);
          expect(Math.min(...violatedMargins)).not.toBe(lhsFn === lhsUp ? violatedMargins[violatedMargins.length - 1] : violatedMargins[0]);
        }
        const worstMargin = Math.min(...log.slice(0, cases).map((x) => 4.75 - lhsFn(x)), ...log.filter(violatedAt).map((x) => 4.75 - lhsFn(x)));
        const r = checkProperty({ claimId: 'SELF', check: 'wrong bound', expected, arbitrary: digit, numRuns, seed, evaluate });
        expect(r.counterexample).toBe(5);
        expect(r.entry).toStrictEqual({
          claimId: 'SELF',
          check: 'wrong bound',
          verdict,
          expected,
          cases,
          n: 0,
          // the engine's `evaluations` of an exact check is cases + fast-check's successful shrink steps
          statistics: { numRuns, evaluations: cases + d.numShrinks, shrinks: d.numShrinks, inconclusiveCases: 0, deltaPerComparison: 0, weakCases: 0 },
          worstMargin,
          delta: 0,
          power: null,
          seed,
          replayPath: d.counterexamplePath,
          counterexample: {
            seed,
            path: d.counterexamplePath,
            input: 5,
            comparison: { label: 'x ≤ 4.5', lhs: lhsFn(5), rhs: 4.5, errorBound: 0.25, margin: 4.75 - lhsFn(5), method: 'float', delta: 0, relation: 'leq', power: null, n: 0 },
            message: `x ≤ 4.5: lhs ${lhsFn(5)} > rhs 4.5 beyond error bound 0.25 (float, δ 0); shrunk ${d.numShrinks} times`,
          },
          series: { measured: log.slice(0, cases).map(lhsFn), bound: log.slice(0, cases).map(() => 4.5) },
        } satisfies LedgerEntry);
      }
    });
  }

  it('a check expected to fail as stated that finds nothing is inconclusive, with the note after the spec’s notes', () => {
    const r = checkProperty({ claimId: 'SELF', check: 'nothing found', expected: 'fails-as-stated', arbitrary: fc.integer({ min: 0, max: 4 }), numRuns: 10, seed: SUITE_SEED, notes: ['spec note'], evaluate: wrongBound });
    expect(r.entry.verdict).toBe('inconclusive');
    expect(r.entry.counterexample).toBeNull();
    expect(r.counterexample).toBeNull();
    expect(r.entry.notes).toStrictEqual(['spec note', 'claim expected to fail as stated, but no counterexample was found among the generated cases']);
  });

  it('non-finite inputs and comparison fields are recorded in the JSON form ("Infinity", "-Infinity")', () => {
    const d = plainRun(fc.constant(Infinity), () => false, SUITE_SEED, 3).d;
    // ∞ ≤ 1 with error bound 0: margin 1 − ∞ = −∞ < 0 ⇒ violated
    const r = checkProperty({ claimId: 'SELF', check: 'infinite', expected: 'holds', arbitrary: fc.constant(Infinity), numRuns: 3, seed: SUITE_SEED, evaluate: (x) => ({ comparisons: [leqExact('∞ ≤ 1', x, 1, 0)] }) });
    expect(r.counterexample).toBe(Infinity);
    expect(r.entry.worstMargin).toBe(-Infinity);
    expect(r.entry.counterexample).toStrictEqual({
      seed: SUITE_SEED,
      path: d.counterexamplePath,
      input: 'Infinity',
      comparison: { label: '∞ ≤ 1', lhs: 'Infinity', rhs: 1, errorBound: 0, margin: '-Infinity', method: 'float', delta: 0, relation: 'leq', power: null, n: 0 },
      message: `∞ ≤ 1: lhs Infinity > rhs 1 beyond error bound 0 (float, δ 0); shrunk ${d.numShrinks} times`,
    });
  });

  it('endOnFailure: no shrinking, the first violating input is the counterexample', () => {
    const { log } = plainRun(digit, (x) => !violatedAt(x), SHRINKING_SEED, 20);
    const first = log.find(violatedAt)!;
    expect(first).toBeGreaterThan(5); // premise of the seed: the first failure is not already minimal
    const r = checkProperty({ claimId: 'SELF', check: 'end on failure', expected: 'holds', arbitrary: digit, numRuns: 20, seed: SHRINKING_SEED, endOnFailure: true, evaluate: wrongBound });
    expect(r.counterexample).toBe(first);
    expect(r.entry.statistics.shrinks).toBe(0);
    expect(r.entry.counterexample!.input).toBe(first);
  });
});

describe('SELF verdict engine: statistical checks (hand-built comparisons with known classification)', () => {
  it('far inside the allowance ⇒ holds; δ charge (numRuns + maxShrink)·k·δ; power and n are the maxima; series with the interval', () => {
    // case k: lhs k/8 ≤ 1 with half-width ¼, allowed ½: upper excess k/8 − ¾ ≤ ½ for k ≤ 5 ⇒ satisfied
    const powers = [0.25, 0.375, 0.125, 0.0625, 0.3125, 0.1875];
    const table: CaseOutcome[] = powers.map((p, k) => ({
      comparisons: [stat(`s${k}`, k / 8, 1, 0.25, { allowed: 0.5, power: p, n: 100 + ((k * 7) % 6), method: 'hoeffding' }), leqExact('exact', 0, 1, 0), stat(`t${k}`, 0, 1, 0.125, { allowed: 0.5, method: 'confidence-sequence', stageMethod: 'hoeffding' })],
    }));
    const r = checkProperty({ claimId: 'SELF', check: 'inside', expected: 'holds', arbitrary: fc.constant(0), numRuns: 6, seed: SUITE_SEED, statistical: { comparisonsPerEvaluation: 2, maxShrinkEvaluations: 4 }, evaluate: tableEvaluate(table) });
    const lhs = powers.map((_, k) => k / 8);
    expect(r.entry).toStrictEqual({
      claimId: 'SELF',
      check: 'inside',
      verdict: 'holds',
      expected: 'holds',
      cases: 6,
      n: 105, // max of 100 + (7k mod 6) over k = 0…5
      statistics: { numRuns: 6, evaluations: 6, shrinks: 0, inconclusiveCases: 0, deltaPerComparison: ASSERTION_DELTA, weakCases: 0 },
      worstMargin: 1.25 - 5 / 8, // smallest of 1.25 − k/8 (s_k), 1 (exact) and 1.125 (t_k)
      delta: (6 + 4) * 2 * ASSERTION_DELTA,
      certification: 'certified', // hoeffding, and a confidence sequence of hoeffding stages
      power: 0.375,
      seed: SUITE_SEED,
      replayPath: null,
      counterexample: null,
      series: { measured: lhs, 'measured.lo': lhs.map((v) => v - 0.25), 'measured.hi': lhs.map((v) => v + 0.25), bound: lhs.map(() => 1) },
    } satisfies LedgerEntry);
  });

  it('certification is the weakest class seen; exact comparisons in a statistical plan are neither counted nor classed', () => {
    const run = (methods: readonly (readonly BoundMethod[])[], stage?: BoundMethod) =>
      checkProperty({
        claimId: 'SELF',
        check: 'classes',
        expected: 'holds',
        arbitrary: fc.constant(0),
        numRuns: methods.length,
        seed: SUITE_SEED,
        statistical: { comparisonsPerEvaluation: 1 },
        evaluate: tableEvaluate(methods.map((ms) => ({ comparisons: [leqExact('e1', 0, 1, 0), ...ms.map((m, i) => stat(`${m}${i}`, 0, 1, 0.125, { allowed: 1, method: m, ...(stage ? { stageMethod: stage } : {}) })), leqExact('e2', 0, 1, 0)] }))),
      }).entry;
    expect(run([['clt'], ['hoeffding']]).certification).toBe('normal-approximation');
    expect(run([['hoeffding'], ['clt'], ['hoeffding']]).certification).toBe('normal-approximation');
    expect(run([['hoeffding'], ['quadrature']]).certification).toBe('asymptotic-estimate');
    expect(run([['confidence-sequence']], 'empirical-bernstein').certification).toBe('certified');
    expect(run([['confidence-sequence']]).certification).toBe('normal-approximation');
    // only exact comparisons (δ = 0) in a statistical plan: no certification key, δ still charged
    const exactOnly = run([[], []]);
    expect(exactOnly).not.toHaveProperty('certification');
    expect(exactOnly.verdict).toBe('holds');
    expect(exactOnly.delta).toBe((2 + 50) * 1 * ASSERTION_DELTA); // default maxShrinkEvaluations 50 (budget.ts)
    // first comparison exact ⇒ the series has no interval even though a later one is statistical
    expect(Object.keys(run([['clt']]).series!)).toEqual(['measured', 'bound']);
  });

  it('straddling with adequate power ⇒ inconclusive (counted per case, the first such comparison quoted); weak cases counted apart', () => {
    // lhs = rhs = 1, half-width ¾: margin ¾ ≥ 0 (not violated), upper excess ¾ > allowed ½ ⇒ undecided;
    // power ≤ ½ (or none) ⇒ inconclusive, power > ½ ⇒ weak
    const und = (label: string, power: number | null | undefined) => stat(label, 1, 1, 0.75, { allowed: 0.5, ...(power !== undefined ? { power } : {}) });
    const ok = stat('ok', 0, 1, 0.25, { allowed: 0.5, power: 0.125 });
    const table: CaseOutcome[] = [
      { comparisons: [ok] },
      { comparisons: [ok, und('W1', 0.75)] }, // weak only
      { comparisons: [und('I2', 0.5), und('I2b', null)] }, // two inconclusive comparisons: one case; power = allowed is not weak
      { comparisons: [und('W3', 1.5), und('I3', undefined)] }, // weak and inconclusive: counted inconclusive
      { comparisons: [und('W4', 0.625)] }, // weak only
    ];
    const r = checkProperty({ claimId: 'SELF', check: 'straddle', expected: 'holds', arbitrary: fc.constant(0), numRuns: 5, seed: SUITE_SEED, statistical: { comparisonsPerEvaluation: 2, maxShrinkEvaluations: 0 }, evaluate: tableEvaluate(table) });
    expect(r.entry.verdict).toBe('inconclusive');
    expect(r.entry.statistics.inconclusiveCases).toBe(2);
    expect(r.entry.statistics.weakCases).toBe(2);
    expect(r.entry.power).toBe(1.5);
    expect(r.entry.worstMargin).toBe(0.75);
    expect(r.entry.notes).toStrictEqual(['2 case(s) could not separate holds from fails: e.g. I2 lhs 1 vs rhs 1 ± 0.75 (allowed 0.5)']);
    expect(r.entry.counterexample).toBeNull();
  });

  it('an undecided comparison without a power (null or absent) is inconclusive, never weak, whatever its allowance', () => {
    // allowed −¼ (a hand-built comparison demanding a margin): upper excess ¾ > −¼ ⇒ undecided; no power ⇒ inconclusive
    for (const power of [null, undefined]) {
      const c = stat('no power', 1, 1, 0.75, { allowed: -0.25, ...(power !== undefined ? { power } : {}) });
      const r = checkProperty({ claimId: 'SELF', check: 'no power', expected: 'holds', arbitrary: fc.constant(0), numRuns: 2, seed: SUITE_SEED, statistical: { comparisonsPerEvaluation: 1, maxShrinkEvaluations: 0 }, evaluate: () => ({ comparisons: [c] }) });
      expect([r.entry.verdict, r.entry.statistics.inconclusiveCases, r.entry.statistics.weakCases, r.entry.power]).toEqual(['inconclusive', 2, 0, null]);
    }
  });

  it('straddling with too little power ⇒ weak; the note quotes the largest power excess (first on ties)', () => {
    const und = (label: string, power: number) => stat(label, 1, 1, 0.75, { allowed: 0.5, power });
    // power − allowed: 0.25, 1, 1 (tie: the first stays), 0.5
    const table: CaseOutcome[] = [{ comparisons: [und('W0', 0.75)] }, { comparisons: [und('W1', 1.5)] }, { comparisons: [und('W1b', 1.5)] }, { comparisons: [und('W3', 1)] }];
    const r = checkProperty({ claimId: 'SELF', check: 'weak', expected: 'holds', arbitrary: fc.constant(0), numRuns: 4, seed: SUITE_SEED, statistical: { comparisonsPerEvaluation: 1, maxShrinkEvaluations: 0 }, evaluate: tableEvaluate(table) });
    expect(r.entry.verdict).toBe('weak');
    expect(r.entry.statistics.weakCases).toBe(4);
    expect(r.entry.statistics.inconclusiveCases).toBe(0);
    expect(r.entry.notes).toStrictEqual(["4 case(s) undecided with power below the claim's need: W1 detects only violations ≥ 1.5 (allowed 0.5); more samples needed than the plan allows"]);
    // the same cases with a smaller excess first and the largest last: the last is quoted
    const rising = checkProperty({ claimId: 'SELF', check: 'weak', expected: 'holds', arbitrary: fc.constant(0), numRuns: 3, seed: SUITE_SEED, statistical: { comparisonsPerEvaluation: 1, maxShrinkEvaluations: 0 }, evaluate: tableEvaluate([{ comparisons: [und('A', 0.625)] }, { comparisons: [und('B', 0.75)] }, { comparisons: [und('C', 2)] }]) });
    expect(rising.entry.notes![0]).toContain(': C detects only violations ≥ 2 (allowed 0.5)');
    // the excess is power − allowed, not the power: X (2 vs 1.5, excess ½) is milder than Y (1.5 vs ½, excess 1);
    // half-width 2 makes both undecided (upper excess 2 > allowed)
    const wide = (label: string, power: number, allowed: number) => stat(label, 1, 1, 2, { allowed, power });
    const excess = checkProperty({ claimId: 'SELF', check: 'weak', expected: 'holds', arbitrary: fc.constant(0), numRuns: 2, seed: SUITE_SEED, statistical: { comparisonsPerEvaluation: 1, maxShrinkEvaluations: 0 }, evaluate: tableEvaluate([{ comparisons: [wide('X', 2, 1.5)] }, { comparisons: [wide('Y', 1.5, 0.5)] }]) });
    expect(excess.entry.notes).toStrictEqual(["2 case(s) undecided with power below the claim's need: Y detects only violations ≥ 1.5 (allowed 0.5); more samples needed than the plan allows"]);
  });

  it('a statistical violation: fails with the counterexample found within the evaluation budget; δ is the plan’s', () => {
    // x ≤ 4.5 with half-width ¼ (clt): violated iff x ≥ 5, as in the exact block; power and n per x
    const evaluate = (x: number, ctx: { readonly delta: number }): CaseOutcome => ({
      comparisons: [stat('mc x ≤ 4.5', lhsOf(x), 4.5, 0.25, { allowed: 0.5, power: x / 16, n: 10 * x, delta: ctx.delta })],
    });
    // (numRuns, maxShrinkEvaluations): the budget caps runs + shrinks together, so one run makes the
    // shrink cap bite: at SHRINKING_SEED the first input 6 fails, then 0 and 3 pass and 5 fails
    for (const [numRuns, maxShrink] of [[1, 0], [1, 2], [1, 3], [20, 50]] as const) {
      const cap = numRuns + maxShrink;
      let used = 0;
      // the budget restated: once `cap` evaluations are spent, every further one answers "holds"
      const { log, d } = plainRun(digit, (x) => (used >= cap ? true : (used++, !violatedAt(x))), SHRINKING_SEED, numRuns);
      const evaluated = log.slice(0, Math.min(log.length, cap));
      const cases = log.findIndex(violatedAt) + 1;
      const shrunk = d.counterexample![0];
      const r = checkProperty({ claimId: 'SELF', check: 'mc wrong bound', expected: 'holds', arbitrary: digit, numRuns, seed: SHRINKING_SEED, statistical: { comparisonsPerEvaluation: 1, maxShrinkEvaluations: maxShrink }, evaluate });
      const worstMargin = Math.min(...log.slice(0, cases).map((x) => 4.75 - lhsOf(x)), ...evaluated.filter(violatedAt).map((x) => 4.75 - lhsOf(x)));
      expect(r.counterexample).toBe(shrunk);
      expect(r.entry).toStrictEqual({
        claimId: 'SELF',
        check: 'mc wrong bound',
        verdict: 'fails',
        expected: 'holds',
        cases,
        n: Math.max(...log.slice(0, cases).map((x) => 10 * x)),
        statistics: { numRuns, evaluations: used, shrinks: d.numShrinks, inconclusiveCases: 0, deltaPerComparison: ASSERTION_DELTA, weakCases: 0 },
        worstMargin,
        delta: cap * 1 * ASSERTION_DELTA,
        certification: 'normal-approximation',
        power: Math.max(...log.slice(0, cases).map((x) => x / 16)),
        seed: SHRINKING_SEED,
        replayPath: d.counterexamplePath,
        counterexample: {
          seed: SHRINKING_SEED,
          path: d.counterexamplePath,
          input: shrunk,
          comparison: stat('mc x ≤ 4.5', lhsOf(shrunk), 4.5, 0.25, { allowed: 0.5, power: shrunk / 16, n: 10 * shrunk }),
          message: `mc x ≤ 4.5: lhs ${lhsOf(shrunk)} > rhs 4.5 beyond error bound 0.25 (clt, δ ${ASSERTION_DELTA}); shrunk ${d.numShrinks} times`,
        },
        series: {
          measured: log.slice(0, cases).map(lhsOf),
          'measured.lo': log.slice(0, cases).map((x) => lhsOf(x) - 0.25),
          'measured.hi': log.slice(0, cases).map((x) => lhsOf(x) + 0.25),
          bound: log.slice(0, cases).map(() => 4.5),
        },
      } satisfies LedgerEntry);
      // premise: the budget really stopped the shrinking (6 kept), or let it reach the minimum 5
      expect(shrunk).toBe(maxShrink < 3 ? 6 : 5);
    }
  });

  it('deltaPerComparison from the plan is passed to evaluate and charged', () => {
    const seen: number[] = [];
    const r = checkProperty({
      claimId: 'SELF',
      check: 'plan δ',
      expected: 'holds',
      arbitrary: fc.constant(0),
      numRuns: 3,
      seed: SUITE_SEED,
      statistical: { comparisonsPerEvaluation: 2, maxShrinkEvaluations: 1, deltaPerComparison: 2 ** -40 },
      evaluate: (_x, { delta }) => {
        seen.push(delta);
        return { comparisons: [stat('a', 0, 1, 0.125, { allowed: 1, delta }), stat('b', 0, 1, 0.125, { allowed: 1, delta })] };
      },
    });
    expect(seen).toEqual([2 ** -40, 2 ** -40, 2 ** -40]);
    expect(r.entry.delta).toBe(8 * 2 ** -40); // (3 + 1) · 2 · 2⁻⁴⁰, exact
    expect(r.entry.statistics.deltaPerComparison).toBe(2 ** -40);
  });
});

describe('SELF verdict engine: plan guards and exceptions fail loudly with seed, path and input', () => {
  const failingPath = (arb: fc.Arbitrary<number>, pass: (x: number) => boolean, seed: number) => plainRun(arb, pass, seed, 20).d;

  it('more statistical comparisons than planned, a δ above the plan, a statistical comparison without a plan', () => {
    const d = failingPath(fc.constant(7), () => false, SUITE_SEED);
    const prefix = `SELF / g: evaluation threw (seed ${SUITE_SEED}, path ${d.counterexamplePath}, input 7): SELF / g: `;
    const spec = (evaluate: CheckSpec<number>['evaluate'], plan = true): CheckSpec<number> => ({ claimId: 'SELF', check: 'g', expected: 'holds', arbitrary: fc.constant(7), numRuns: 3, seed: SUITE_SEED, ...(plan ? { statistical: { comparisonsPerEvaluation: 1 } } : {}), evaluate });
    const two = stat('a', 0, 1, 0.125, { allowed: 1 });
    expect(() => checkProperty(spec(() => ({ comparisons: [two, two] })))).toThrow(prefix + '2 statistical comparisons in one evaluation, plan allows 1');
    // the δ guard's slack is 1e-12 relative: 1e-11 above is refused, 1e-13 above is accepted
    const over = ASSERTION_DELTA * (1 + 1e-11);
    expect(() => checkProperty(spec(() => ({ comparisons: [stat('big', 0, 1, 0.125, { allowed: 1, delta: over })] })))).toThrow(prefix + `comparison big uses δ ${over} > planned ${ASSERTION_DELTA}`);
    expect(checkProperty(spec(() => ({ comparisons: [stat('fine', 0, 1, 0.125, { allowed: 1, delta: ASSERTION_DELTA * (1 + 1e-13) })] }))).entry.verdict).toBe('holds');
    // exactly at the slack (δ · (1 + 1e-12), the same product) is still accepted: the refusal is strict
    expect(checkProperty(spec(() => ({ comparisons: [stat('edge', 0, 1, 0.125, { allowed: 1, delta: ASSERTION_DELTA * (1 + 1e-12) })] }))).entry.verdict).toBe('holds');
    expect(() => checkProperty(spec(() => ({ comparisons: [leqExact('e', 0, 1, 0), two] }), false))).toThrow(prefix + 'statistical comparison in a check without a statistical plan');
  });

  it('an exception of evaluate is rethrown (same object) with the shrunk input; non-Error values are wrapped', () => {
    const d = failingPath(digit, (x) => !violatedAt(x), SHRINKING_SEED);
    const boom = new Error('boom');
    let thrown: unknown;
    try {
      checkProperty({ claimId: 'SELF', check: 'throws', expected: 'holds', arbitrary: digit, numRuns: 20, seed: SHRINKING_SEED, evaluate: (x) => {
        if (violatedAt(x)) throw boom;
        return { comparisons: [] };
      } });
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBe(boom);
    expect(boom.message).toBe(`SELF / throws: evaluation threw (seed ${SHRINKING_SEED}, path ${d.counterexamplePath}, input 5): boom`);
    // the input is quoted in its JSON form (+∞ as "Infinity", not null)
    const dInf = failingPath(fc.constant(Infinity), () => false, SUITE_SEED);
    expect(() => checkProperty({ claimId: 'SELF', check: 'throws', expected: 'holds', arbitrary: fc.constant(Infinity), numRuns: 2, seed: SUITE_SEED, evaluate: () => {
      throw new Error('at infinity');
    } })).toThrow(`SELF / throws: evaluation threw (seed ${SUITE_SEED}, path ${dInf.counterexamplePath}, input "Infinity"): at infinity`);
    for (const [value, text] of [['plain string', 'plain string'], [undefined, 'undefined']] as const) {
      expect(() => checkProperty({ claimId: 'SELF', check: 'throws', expected: 'holds', arbitrary: digit, numRuns: 20, seed: SHRINKING_SEED, evaluate: (x) => {
        if (violatedAt(x)) throw value;
        return { comparisons: [] };
      } })).toThrow(`SELF / throws: evaluation threw (seed ${SHRINKING_SEED}, path ${d.counterexamplePath}, input 5): ${text}`);
    }
  });

  it('a NaN comparison is an evaluation error of its input: fails the run loudly with seed, path and input', () => {
    const nan = { ...leqExact('nan', 0, 1, 0), lhs: Number.NaN };
    const dZero = failingPath(fc.constant(0), () => false, SUITE_SEED);
    expect(() => checkProperty({ claimId: 'SELF', check: 'nan', expected: 'holds', arbitrary: fc.constant(0), numRuns: 2, seed: SUITE_SEED, evaluate: () => ({ comparisons: [nan] }) })).toThrow(
      `SELF / nan: evaluation threw (seed ${SUITE_SEED}, path ${dZero.counterexamplePath}, input 0): comparison nan: NaN (lhs NaN, rhs 1)`,
    );
  });
});

describe('SELF verdict engine: what the spec adds to the entry (series, plots, notes, alsoServes)', () => {
  const base = { claimId: 'SELF', check: 'extras', expected: 'holds' as const, arbitrary: digit, seed: SUITE_SEED, evaluate: (x: number) => ({ comparisons: [leqExact('x ≤ 9', x, 9, 0)] }) };

  it('casePoints caps the per-case series (default 200, 0 = none); a given series replaces it', () => {
    const { log } = plainRun(digit, () => true, SUITE_SEED, 5);
    expect(checkProperty({ ...base, numRuns: 5, casePoints: 3 }).entry.series).toStrictEqual({ measured: log.slice(0, 3), bound: [9, 9, 9] });
    expect(checkProperty({ ...base, numRuns: 5, casePoints: 0 }).entry).not.toHaveProperty('series');
    const many = checkProperty({ ...base, numRuns: 201 }).entry.series!;
    expect(many.measured!.length).toBe(200);
    const given = { 'per-generation/x': [1, null, 3] };
    const withSeries = checkProperty({ ...base, numRuns: 5, series: given, casePoints: 5 }).entry;
    expect(withSeries.series).toBe(given);
  });

  it('plots and notes are copied; alsoServes only when non-empty', () => {
    const plots = [{ kind: 'series' as const, title: 't' }];
    const notes = ['n1', 'n2'];
    const e = checkProperty({ ...base, numRuns: 2, plots, notes, alsoServes: ['P1-F1'] }).entry;
    expect(e.plots).toBe(plots);
    expect(e.notes).toStrictEqual(['n1', 'n2']);
    expect(e.notes).not.toBe(notes);
    expect(e.alsoServes).toStrictEqual(['P1-F1']);
    const plain = checkProperty({ ...base, numRuns: 2, alsoServes: [] }).entry;
    expect(plain).not.toHaveProperty('alsoServes');
    expect(plain).not.toHaveProperty('plots');
    expect(plain).not.toHaveProperty('notes');
  });
});

describe('SELF verdict engine: seeds and replay', () => {
  it('runSeed: fast-check’s global seed, else COLLAPSE_SEED (integer 0 … 2⁵³ − 1, spaces allowed), else 20260226', () => {
    expect(DEFAULT_RUN_SEED).toBe(20260226);
    // read now, not at module level: the campaign's seed sweep moves the global seed between repeats
    expect(runSeed()).toBe(fc.readConfigureGlobal().seed);
    // the global seed wins over COLLAPSE_SEED
    withoutGlobalSeed(() => {
      fc.configureGlobal({ ...fc.readConfigureGlobal(), seed: 31 });
      expect(withEnv({ COLLAPSE_SEED: '9' }, runSeed)).toBe(31);
      fc.configureGlobal({ ...fc.readConfigureGlobal(), seed: 0 });
      expect(withEnv({ COLLAPSE_SEED: '9' }, runSeed)).toBe(0);
    });
    withoutGlobalSeed(() => {
      const cases: [string | undefined, number][] = [
        [undefined, 20260226],
        ['123', 123],
        [' 42 ', 42],
        ['0', 0],
        ['9007199254740991', 9007199254740991],
        ['9007199254740992', 20260226], // 2⁵³: not a seed
        ['-1', 20260226],
        ['1.5', 20260226],
        ['12a', 20260226],
        ['a12', 20260226],
        ['', 20260226],
        // forms Number() reads as integers but the rule refuses (digits only)
        ['1e3', 20260226],
        [' 1e3', 20260226],
        ['0x10', 20260226],
        ['+5', 20260226],
      ];
      for (const [raw, want] of cases) expect(withEnv({ COLLAPSE_SEED: raw }, runSeed)).toBe(want);
      // a spec without a seed runs on runSeed()
      expect(withEnv({ COLLAPSE_SEED: '77' }, () => checkProperty({ claimId: 'SELF', check: 's', expected: 'holds', arbitrary: digit, numRuns: 1, evaluate: () => ({ comparisons: [] }) }).entry.seed)).toBe(77);
    });
    withoutGlobalSeed(() => {
      fc.configureGlobal({ ...fc.readConfigureGlobal(), seed: 1.5 as number });
      expect(withEnv({ COLLAPSE_SEED: '9' }, runSeed)).toBe(9); // a non-integer global seed is ignored
    });
  });

  it('replayRequest: the path for the named check, null otherwise; malformed requests throw', () => {
    expect(REPLAY_PATH_ENV).toBe('COLLAPSE_REPLAY_PATH');
    expect(REPLAY_CHECK_ENV).toBe('COLLAPSE_REPLAY_CHECK');
    const env = (path?: string, check?: string, ledger?: string): NodeJS.ProcessEnv => ({
      ...(path !== undefined ? { COLLAPSE_REPLAY_PATH: path } : {}),
      ...(check !== undefined ? { COLLAPSE_REPLAY_CHECK: check } : {}),
      ...(ledger !== undefined ? { COLLAPSE_LEDGER_DIR: ledger } : {}),
    });
    expect(replayRequest('P1-F1', 'c', env())).toBeNull();
    expect(replayRequest('P1-F1', 'c', env('', 'P1-F1 / c'))).toBeNull();
    expect(replayRequest('P1-F1', 'c', env('3:1:4', 'P1-F1 / c'))).toBe('3:1:4');
    expect(replayRequest('P1-F1', 'c', env('31:41:592', 'P1-F1 / c'))).toBe('31:41:592');
    expect(replayRequest('P1-F1', 'c', env('12', 'P1-F1 / c', ''))).toBe('12');
    expect(replayRequest('P1-F1', 'c', env('3:1', 'P1-F1 / d'))).toBeNull();
    expect(replayRequest('P1-F1', 'c', env('3:1', 'P1-F1 /c'))).toBeNull();
    const noCheck = 'COLLAPSE_REPLAY_PATH is set but COLLAPSE_REPLAY_CHECK is not: name the check the path belongs to ("<claim id> / <check>")';
    expect(() => replayRequest('P1-F1', 'c', env('3'))).toThrow(noCheck);
    expect(() => replayRequest('P1-F1', 'c', env('3', ''))).toThrow(noCheck);
    for (const bad of ['a', '1:', ':1', '1::2', '1:2x', 'x1:2', '1 2', '-1']) {
      expect(() => replayRequest('P1-F1', 'c', env(bad, 'P1-F1 / c'))).toThrow(`COLLAPSE_REPLAY_PATH="${bad}" is not a fast-check path (numbers separated by ':')`);
    }
    expect(() => replayRequest('P1-F1', 'c', env('3', 'P1-F1 / c', '/tmp/x'))).toThrow('COLLAPSE_REPLAY_PATH is set during a ledger run (verify): a one-case replay is not evidence; unset it');
    // the default environment is process.env
    expect(withEnv({ COLLAPSE_REPLAY_PATH: '5:2', COLLAPSE_REPLAY_CHECK: 'P1-F1 / c', COLLAPSE_LEDGER_DIR: undefined }, () => replayRequest('P1-F1', 'c'))).toBe('5:2');
  });

  it('spec path and replayCheck reproduce the counterexample without shrinking; an entry without one is refused', () => {
    const spec: CheckSpec<number> = { claimId: 'SELF', check: 'replay', expected: 'holds', arbitrary: digit, numRuns: 20, seed: SHRINKING_SEED, evaluate: wrongBound };
    const first = checkProperty(spec).entry;
    const again = replayCheck(spec, first);
    expect(again.counterexample).toBe(5);
    expect(again.entry.verdict).toBe('fails');
    expect(again.entry.counterexample!.input).toBe(5);
    expect(again.entry.statistics.shrinks).toBe(0);
    expect(again.entry.cases).toBe(1); // the path's one case
    expect(again.entry.seed).toBe(SHRINKING_SEED);
    expect(() => replayCheck(spec, { ...first, counterexample: null })).toThrow('replayCheck: entry has no counterexample');
    // a recorded counterexample without a path replays from the seed alone (first failure, no shrinking)
    const { log } = plainRun(digit, (x) => !violatedAt(x), SHRINKING_SEED, 20);
    const noPath = replayCheck(spec, { ...first, counterexample: { ...first.counterexample!, path: null } });
    expect(noPath.counterexample).toBe(log.find(violatedAt));
    // an explicit path is used as given, even when the environment holds a malformed request
    const byPath = withEnv({ COLLAPSE_REPLAY_PATH: '1', COLLAPSE_REPLAY_CHECK: undefined }, () => checkProperty({ ...spec, path: first.counterexample!.path!, endOnFailure: true }));
    expect(byPath.counterexample).toBe(5);
    expect(byPath.entry).not.toHaveProperty('notes');
  });

  it('environment replay: only the named check evaluates the one recorded case, with a note; others run in full', () => {
    const spec: CheckSpec<number> = { claimId: 'SELF', check: 'env replay', expected: 'holds', arbitrary: digit, numRuns: 20, seed: SHRINKING_SEED, evaluate: wrongBound };
    const path = checkProperty(spec).entry.counterexample!.path!;
    const env = { COLLAPSE_REPLAY_PATH: path, COLLAPSE_REPLAY_CHECK: 'SELF / env replay', COLLAPSE_LEDGER_DIR: undefined };
    const replayed = withEnv(env, () => checkProperty(spec));
    expect(replayed.counterexample).toBe(5);
    expect(replayed.entry.cases).toBe(1);
    expect(replayed.entry.statistics.shrinks).toBe(0);
    expect(replayed.entry.notes).toStrictEqual([`replay of the one case at seed ${SHRINKING_SEED}, path ${path} (COLLAPSE_REPLAY_PATH): not a full check`]);
    // the path of the FIRST failure (6 at this seed, before shrinking): replayed alone, not shrunk to 5
    const firstPath = plainRun(digit, (x) => !violatedAt(x), SHRINKING_SEED, 20, { endOnFailure: true }).d.counterexamplePath!;
    const unshrunk = withEnv({ ...env, COLLAPSE_REPLAY_PATH: firstPath }, () => checkProperty(spec));
    expect(unshrunk.counterexample).toBe(6);
    expect(unshrunk.entry.statistics.shrinks).toBe(0);
    const other = withEnv(env, () => checkProperty({ ...spec, check: 'another' }));
    const { log } = plainRun(digit, (x) => !violatedAt(x), SHRINKING_SEED, 20);
    expect(other.entry.cases).toBe(log.findIndex(violatedAt) + 1);
    expect(other.entry).not.toHaveProperty('notes');
  });
});

describe('SELF verdict engine: verdict severity order (fails > inconclusive > weak > fails-as-stated > holds > not-yet-checked)', () => {
  it('the ranks', () => {
    expect(VERDICT_SEVERITY).toStrictEqual({ 'not-yet-checked': 0, holds: 1, 'fails-as-stated': 2, weak: 3, inconclusive: 4, fails: 5 });
  });
});
