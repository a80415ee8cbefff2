/**
 * The API property authors call: run a check through the engine, then record and assert it.
 *
 *   import fc from 'fast-check';
 *   import { checkProperty } from '../../src/verdict/engine.ts';
 *   import { recordAndAssert } from '../../src/verdict/record.ts';
 *   import { leqExact, leqStatistical, floatErrorBound } from '../../src/verdict/compare.ts';
 *   import { meanBound } from '../../src/statistics/bounds.ts';
 *
 *   it('P2-5 one round contracts W2', () => {
 *     const { entry } = checkProperty({
 *       claimId: 'P2-5', check: 'W2 contraction, Gaussian pairs', expected: 'holds',
 *       arbitrary: fc.record({ ..., mcSeed: fc.integer() }), numRuns: 100,
 *       // exact check: comparisons with float bounds, δ = 0
 *       evaluate: (x) => ({ comparisons: [leqExact('W2(after) ≤ κ W2(before)', lhs, rhs, floatErrorBound(rhs, 50))] }),
 *       // statistical check instead: declare the plan, use ctx.delta for every bound
 *       //   statistical: { comparisonsPerEvaluation: 1, maxShrinkEvaluations: 20 },
 *       //   evaluate: (x, { delta }) => ({ comparisons: [leqStatistical(label,
 *       //       meanBound(terms, { method: 'clt', delta, sided: 'one' }), rhs, ALLOWED)] }),
 *     });
 *     recordAndAssert(entry);
 *   });
 *
 * `recordCheck(entry)` writes one JSON line when COLLAPSE_LEDGER_DIR is set (verify), else nothing;
 * `assertCheck(entry)` throws (test fails) iff the verdict differs from the check's expected one
 * (`fails`, `inconclusive`, `weak` of a check expected to hold; anything but `fails-as-stated` of a
 * check expected to fail as stated);
 * `recordAndAssert(entry)` does both. Check names must be unique within a claim.
 *
 * Under `collapse-check verify` the env var COLLAPSE_LEDGER_DIR names a directory; each vitest worker
 * appends lines to its own file `entries-<pid>.jsonl`; verify collects and sorts them
 * deterministically (src/ledger/ledger.ts), so worker count and scheduling do not change the ledger.
 * Under plain `npm test` the variable is unset: nothing is written, the assertion still runs.
 * Throws on an unknown claim id, also in `alsoServes` (typo guard, src/claims/catalogue.ts).
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { LedgerEntry } from './types.ts';
import { LEDGER_DIR_ENV } from './ledger-env.ts';
import { currentTestFile, currentTestName } from './test-file.ts';
import { toJson } from '../numerics/json.ts';
import { isClaimId } from '../claims/registry.ts';

export { LEDGER_DIR_ENV } from './ledger-env.ts';

/** Appends the entry as one JSON line (non-finite numbers as strings) when verify collects a ledger. */
export function recordCheck(entry: LedgerEntry): void {
  for (const id of [entry.claimId, ...(entry.alsoServes ?? [])]) {
    if (!isClaimId(id)) throw new Error(`recordCheck: unknown claim id "${id}" (see src/claims/catalogue.ts)`);
  }
  if (entry.alsoServes?.includes(entry.claimId)) throw new Error(`recordCheck: ${entry.claimId} / ${entry.check}: alsoServes repeats its own claim id`);
  const dir = process.env[LEDGER_DIR_ENV];
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  const file = entry.file ?? currentTestFile();
  const test = entry.test ?? currentTestName();
  appendFileSync(join(dir, `entries-${process.pid}.jsonl`), toJson({ ...entry, ...(file ? { file } : {}), ...(test ? { test } : {}) }, 0) + '\n');
}

/**
 * Declares false-alarm spend of statistical assertions that are NOT ledger checks (plain `expect`s
 * at ASSERTION_DELTA in support/unit tests), so `verify` can add them to the run's budget tally:
 * `recordSpend('energies.test.ts: ε⋆² MC vs quadrature', 40 * ASSERTION_DELTA)`. Written to
 * `spend-<pid>.jsonl` beside the entries (never into ledger.json: it is run accounting, in run.json).
 */
export function recordSpend(label: string, delta: number): void {
  if (!(delta >= 0) || !Number.isFinite(delta)) throw new Error(`recordSpend(${label}): δ = ${delta}`);
  const dir = process.env[LEDGER_DIR_ENV];
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  const file = currentTestFile();
  appendFileSync(join(dir, `spend-${process.pid}.jsonl`), toJson({ label, delta, ...(file ? { file } : {}) }, 0) + '\n');
}

/** Error thrown by assertCheck: carries the entry for test output. */
export class CheckFailed extends Error {
  override readonly name = 'CheckFailed';
  constructor(readonly entry: LedgerEntry) {
    const ce = entry.counterexample;
    super(
      `${entry.claimId} / ${entry.check}: verdict ${entry.verdict}, expected ${entry.expected}` +
        (entry.notes?.length ? `\n  ${entry.notes.join('\n  ')}` : '') +
        (ce ? `\n  ${ce.message}\n  replay: seed ${ce.seed}, path ${JSON.stringify(ce.path)}\n  input: ${toJson(ce.input, 0)}` : ''),
    );
  }
}

/**
 * Throws CheckFailed iff the verdict differs from the expected one (issue 11): `fails`,
 * `inconclusive` or `weak` for a check expected to hold; anything but `fails-as-stated` for a check
 * expected to fail as stated (its counterexample vanished). Lost power is a red build.
 */
export function assertCheck(entry: LedgerEntry): void {
  if (entry.verdict !== entry.expected) throw new CheckFailed(entry);
}

export function recordAndAssert(entry: LedgerEntry): void {
  recordCheck(entry);
  assertCheck(entry);
}
