/**
 * The one exit rule of a run (issue 11, "a verdict that differs from the expected one fails the
 * run"), shared by `verify`, `merge` and the report's outcome line.
 *
 * A ledger is unexpected when
 *  1. an entry's verdict differs from the entry's own expected verdict (`holds` or
 *     `fails-as-stated`): `fails`, `inconclusive`, `weak`, and a `holds`/`inconclusive` for a check
 *     expected to fail as stated all count;
 *  2. (whole runs only) a claim's summary verdict (the worst entry verdict) differs from the claim's
 *     expected verdict: a claim expected to hold needs every entry `holds`; a claim expected to fail
 *     as stated needs at least one `fails-as-stated` entry and nothing worse;
 *  3. (whole runs only) a claim without any entry that the catalogue does not mark `pending`.
 *
 * A shard (`verify --shard i/n`) sees only part of the property files, so rules 2 and 3 are left to
 * `merge`, which sees every shard (`partial: true` applies rule 1 only). A pending claim that has
 * entries is judged by them like any other claim. Claim ids unknown to the catalogue are judged by
 * rules 1–2 (and 3 as not pending).
 */
import type { Ledger, Verdict } from '../verdict/types.ts';
import { isClaimId, claim } from '../claims/registry.ts';

export interface UnexpectedVerdict {
  readonly claimId: string;
  /** the check's name, or null for a claim-level finding (rules 2 and 3) */
  readonly check: string | null;
  readonly verdict: Verdict;
  readonly expected: 'holds' | 'fails-as-stated';
  /** one human line: what was seen and what was expected */
  readonly reason: string;
}

export interface JudgementOptions {
  /** the ledger is one shard of a run: only per-entry expectations are judged */
  readonly partial?: boolean;
  /** the claim ids treated as pending (default: those the catalogue marks `pending`) */
  readonly pending?: ReadonlySet<string>;
}

function isPending(id: string, opts: JudgementOptions): boolean {
  return opts.pending ? opts.pending.has(id) : isClaimId(id) && claim(id).pending === true;
}

/** Every finding that makes the run fail (empty ⇔ the ledger meets every expectation). */
export function unexpectedVerdicts(ledger: Ledger, opts: JudgementOptions = {}): UnexpectedVerdict[] {
  const out: UnexpectedVerdict[] = [];
  for (const e of ledger.entries) {
    if (e.verdict !== e.expected) out.push({ claimId: e.claimId, check: e.check, verdict: e.verdict, expected: e.expected, reason: `verdict ${e.verdict}, expected ${e.expected}` });
  }
  if (opts.partial) return out;
  for (const c of ledger.claims ?? []) {
    if (c.checks === 0) {
      if (!isPending(c.id, opts)) out.push({ claimId: c.id, check: null, verdict: c.verdict, expected: c.expected, reason: 'no check recorded, and the claim is not marked pending in the catalogue' });
      continue;
    }
    if (c.verdict !== c.expected) {
      const alreadyByEntry = out.some((u) => u.claimId === c.id && u.check !== null);
      if (!alreadyByEntry) out.push({ claimId: c.id, check: null, verdict: c.verdict, expected: c.expected, reason: `claim verdict ${c.verdict}, expected ${c.expected}` });
    }
  }
  return out;
}

/** Claims of the ledger without entries that the catalogue marks pending (listed, never failed). */
export function pendingUnchecked(ledger: Ledger, opts: JudgementOptions = {}): string[] {
  return (ledger.claims ?? []).filter((c) => c.checks === 0 && isPending(c.id, opts)).map((c) => c.id);
}

/** Exit code of verify/merge: 1 iff an unexpected verdict (or a failed test), else 0. */
export function runExitCode(ledger: Ledger, opts: JudgementOptions & { readonly failedTests?: number } = {}): 0 | 1 {
  return unexpectedVerdicts(ledger, opts).length > 0 || (opts.failedTests ?? 0) > 0 ? 1 : 0;
}

/** One line per finding, for the terminal and the report. */
export function describeUnexpected(u: UnexpectedVerdict): string {
  return `${u.claimId}${u.check !== null ? ` / ${u.check}` : ''}: ${u.reason}`;
}
