/**
 * A SELF ledger entry for a deliberately wrong constant run through the engine as a claim expected to
 * hold: the engine must answer `fails` with a counterexample, and the entry's verdict is `holds` iff it
 * did (same shape as the engine self-tests' SELF entries). Used by the P1-3.3, P1-3.4, D-1 and P1-4.2
 * files for the wrong constants of their claims.
 */
import type { LedgerEntry } from '../../src/verdict/types.ts';

export function wrongConstantSelfEntry(check: string, wrong: LedgerEntry): LedgerEntry {
  const ok = wrong.verdict === 'fails' && wrong.counterexample !== null;
  return {
    claimId: 'SELF',
    check,
    verdict: ok ? 'holds' : 'fails',
    expected: 'holds',
    cases: wrong.cases,
    n: 0,
    statistics: { wrongVerdict: wrong.verdict, shrinks: wrong.statistics.shrinks ?? null },
    worstMargin: null,
    delta: wrong.delta,
    power: null,
    seed: wrong.counterexample?.seed ?? wrong.seed,
    replayPath: wrong.counterexample?.path ?? null,
    counterexample: wrong.counterexample,
    notes: [`wrong constant run as a claim expected to hold: verdict ${wrong.verdict}`],
  };
}
