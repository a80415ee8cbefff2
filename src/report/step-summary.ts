/**
 * Markdown summary of a ledger for a CI job page (issue 16): written by `verify` and `merge` to
 * the file named by `$GITHUB_STEP_SUMMARY` when that variable is set (GitHub Actions renders it on
 * the run's page; src/report/ci-outputs.ts appends it).
 *
 * Content, in this order:
 *  1. a heading (seed, tier, commit, shard) and the outcome line of the exit rule
 *     (src/ledger/judgement.ts; a shard judges its entries only);
 *  2. the unexpected verdicts FIRST, each with the command that replays it alone
 *     (src/report/replay.ts);
 *  3. the claims table: id, verdict, expected, worst margin (with the check it comes from: margins
 *     are in each comparison's own units, so a claim's minimum is only meaningful with its check
 *     named; src/numerics/text.ts `formatMargin`), δ spent; claims without checks say "in another
 *     shard" (shard runs) or "pending";
 *  4. the margin legend.
 *
 * Markdown cells escape `|`, newlines and HTML-significant `<`, `>`, `&` (GitHub renders inline HTML).
 * Pure; never throws.
 */
import type { ClaimSummary, Ledger, LedgerEntry } from '../verdict/types.ts';
import { entriesForClaim } from '../ledger/ledger.ts';
import { describeUnexpected, pendingUnchecked, unexpectedVerdicts } from '../ledger/judgement.ts';
import { MARGIN_LEGEND, formatMargin } from '../numerics/text.ts';
import { replayLine } from './replay.ts';

export interface StepSummaryOptions {
  readonly commit: string;
  /** `i/n` for a shard run */
  readonly shard?: string;
  /** claim ids treated as pending (default: the catalogue's) */
  readonly pending?: ReadonlySet<string>;
}

/** Longest check name shown beside a worst margin. */
const MAX_CHECK_CHARS = 60;

/** A table cell: no `|`, no line break, no HTML. */
export function mdCell(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\|/g, '\\|').replace(/\r?\n|\r/g, ' ');
}

/** δ for the table: 0 as `0`, else 2 significant digits in exponent form (`2.1e-9`). */
export function formatDelta(d: number): string {
  if (d === 0) return '0';
  if (!Number.isFinite(d)) return String(d);
  const [m, e] = d.toExponential(1).split('e') as [string, string];
  return `${m.replace(/\.0$/, '')}e${e.replace('+', '')}`;
}

function shorten(s: string): string {
  return s.length <= MAX_CHECK_CHARS ? s : `${s.slice(0, MAX_CHECK_CHARS - 1)}…`;
}

/** The entry holding the claim's worst (smallest) margin, or null when no entry has one. */
export function worstMarginEntry(entries: readonly LedgerEntry[]): LedgerEntry | null {
  let best: LedgerEntry | null = null;
  for (const e of entries) if (e.worstMargin !== null && (best === null || e.worstMargin < best.worstMargin!)) best = e;
  return best;
}

function marginCell(ledger: Ledger, c: ClaimSummary): string {
  const w = worstMarginEntry(entriesForClaim(ledger.entries, c.id));
  return w === null ? '—' : `${formatMargin(w.worstMargin)} (${shorten(w.check)})`;
}

/** The Markdown summary (see the file comment); ends with a newline. */
export function stepSummaryMarkdown(ledger: Ledger, opts: StepSummaryOptions): string {
  const judged = { partial: opts.shard !== undefined, ...(opts.pending ? { pending: opts.pending } : {}) };
  const findings = unexpectedVerdicts(ledger, judged);
  const pending = new Set(pendingUnchecked(ledger, judged));
  const out: string[] = [];
  out.push(`## collapse-check ${opts.shard !== undefined ? `shard ${opts.shard}` : 'run'} — seed ${ledger.seed}, tier ${ledger.tier}, commit \`${mdCell(opts.commit.slice(0, 12))}\``, '');
  out.push(
    findings.length === 0
      ? `**PASS**: every verdict is the expected one (${ledger.entries.length} check${ledger.entries.length === 1 ? '' : 's'}${opts.shard !== undefined ? '; claims without checks here are judged by merge' : ''}).`
      : `**FAIL**: ${findings.length} verdict${findings.length === 1 ? '' : 's'} differ${findings.length === 1 ? 's' : ''} from the expected one.`,
    '',
  );
  if (findings.length > 0) {
    out.push('### Unexpected verdicts', '');
    for (const u of findings) {
      out.push(`- **${mdCell(describeUnexpected(u))}**`);
      const e = u.check !== null ? ledger.entries.find((x) => x.claimId === u.claimId && x.check === u.check) : undefined;
      if (e?.counterexample) out.push(`  ${mdCell(e.counterexample.message)}`);
      if (e) out.push('', '  ```sh', `  ${replayLine(e)}`, '  ```');
      out.push('');
    }
  }
  const claims = ledger.claims ?? [];
  if (claims.length > 0) {
    out.push('### Claims', '');
    out.push('| claim | verdict | expected | worst margin (check) | δ spent |', '| --- | --- | --- | --- | --- |');
    for (const c of claims) {
      const verdict = c.checks === 0 ? (opts.shard !== undefined ? 'in another shard' : pending.has(c.id) ? 'pending' : c.verdict) : c.verdict;
      const mine = entriesForClaim(ledger.entries, c.id);
      const flag = findings.some((u) => (u.check === null ? u.claimId === c.id : mine.some((e) => e.claimId === u.claimId && e.check === u.check))) ? ' ❌' : '';
      out.push(`| ${mdCell(c.id)} | ${mdCell(verdict)}${flag} | ${mdCell(c.expected)} | ${mdCell(marginCell(ledger, c))} | ${formatDelta(c.delta)} |`);
    }
    out.push('', `<sub>${mdCell(MARGIN_LEGEND)}</sub>`);
  }
  out.push('');
  return out.join('\n');
}
