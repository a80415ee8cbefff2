/**
 * Human table and `--json` document of a ledger (shared by `verify` and `merge`) and the budget
 * split with the actual spend. The exit rule (any verdict other than the expected one) is
 * src/ledger/judgement.ts.
 */
import type { ClaimSummary, Ledger, LedgerEntry } from '../verdict/types.ts';
import { formatMargin } from '../numerics/text.ts';
import { entriesForClaim } from './ledger.ts';
import { budgetSplitLines, SUITE_FALSE_ALARM_BUDGET, CLAIM_DELTA } from '../statistics/budget.ts';

/** One line of the false-alarm budget split (a claim, a check, or a fast-check run group), as run.json has it. */
export interface BudgetShare {
  /** what the share is for, e.g. a claim id `P1-3.1` or `P1-3.1 / shrinking` */
  readonly label: string;
  /** false-alarm probability allotted to it */
  readonly delta: number;
  readonly note?: string;
}

function fmt(v: number | null | undefined, digits = 3): string {
  if (v === null || v === undefined) return '—';
  if (!Number.isFinite(v)) return v > 0 ? '+Inf' : v < 0 ? '-Inf' : 'NaN';
  if (v === 0) return '0';
  const a = Math.abs(v);
  return a >= 1e-3 && a < 1e5 ? Number(v.toPrecision(digits)).toString() : v.toExponential(digits - 1);
}

/** What a shard run shows for a claim whose checks all run in other shards (instead of not-yet-checked). */
export const IN_ANOTHER_SHARD = 'in another shard';

/** Options of the summary views: `inAnotherShard` = claims of a shard run whose checks run in other shards. */
export interface SummaryOptions {
  readonly inAnotherShard?: ReadonlySet<string>;
}

/** The verdict cell: `in another shard` for a claim without entries that another shard checks. */
function shownVerdict(c: ClaimSummary, opts: SummaryOptions): string {
  return c.checks === 0 && opts.inAnotherShard?.has(c.id) ? IN_ANOTHER_SHARD : c.verdict;
}

/**
 * A claim's worst margin WITH the check that holds it (issue 16): margins are in each comparison's
 * own units, so the minimum over a claim's checks only means something next to its check;
 * src/numerics/text.ts formatMargin prints a positive subnormal margin (an exact check's underflow
 * allowance) as ≈0 instead of 1.00e-318.
 */
function worstMarginCell(ledger: Ledger, id: string): string {
  let w: LedgerEntry | null = null;
  for (const e of entriesForClaim(ledger.entries, id)) if (e.worstMargin !== null && (w === null || e.worstMargin < w.worstMargin!)) w = e;
  return w === null ? '—' : `${formatMargin(w.worstMargin)} (${w.check.length > 40 ? `${w.check.slice(0, 39)}…` : w.check})`;
}

/** Table rows (claim, verdict, checks, cases, worst margin with its check, power, δ spent / allocation). */
export function claimTable(ledger: Ledger, opts: SummaryOptions = {}): string[] {
  const claims = ledger.claims ?? [];
  const head = ['claim', 'verdict', 'expected', 'checks', 'cases', 'worst margin (check)', 'power(0.99)', 'δ spent', 'δ alloc'];
  const rows = claims.map((c) => [c.id, shownVerdict(c, opts), c.expected, String(c.checks), String(c.cases), worstMarginCell(ledger, c.id), fmt(c.power), fmt(c.delta, 2), fmt(c.allocation, 2)]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((x, i) => x.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)];
}

/** Total δ spent by the ledger's entries. */
export function totalSpend(ledger: Ledger): number {
  return ledger.entries.reduce((s, e) => s + e.delta, 0);
}

/** Budget split with spend, per claim that spent anything (for run.json and the printout). */
export function budgetShares(ledger: Ledger): BudgetShare[] {
  const shares: BudgetShare[] = [];
  for (const c of ledger.claims ?? []) {
    if (c.delta > 0) shares.push({ label: c.id, delta: c.allocation, note: `spent ${fmt(c.delta, 3)} over ${c.checks} check(s)${c.delta > c.allocation ? ' — OVER ALLOCATION' : ''}` });
  }
  shares.push({ label: 'unspent / exact checks', delta: Math.max(0, SUITE_FALSE_ALARM_BUDGET - totalSpend(ledger)), note: 'exact (float-bound) checks spend 0' });
  return shares;
}

/** Budget printout: the design (budget.ts) and this run's spend. */
export function budgetLines(ledger: Ledger): string[] {
  const spent = totalSpend(ledger);
  const over = (ledger.claims ?? []).filter((c: ClaimSummary) => c.delta > c.allocation * (1 + 1e-12));
  return [
    ...budgetSplitLines(),
    `this run spent ${fmt(spent, 3)} of ${fmt(ledger.budget, 2)} (${ledger.tier} tier); per-claim allocation ${fmt(CLAIM_DELTA, 2)}` +
      (over.length ? `; OVER allocation: ${over.map((c) => c.id).join(', ')}` : ''),
    ...certificationLines(ledger),
    ...(ledger.tier === 'deep' ? ['deep tier: not covered by the default-run budget (its spend is reported, not capped)'] : []),
  ];
}

/**
 * δ spent per certification class (src/statistics/bound-method.ts): the 1e-6 guarantee holds as
 * stated for 'certified' checks; checks whose weakest bound is a normal approximation (CLT at
 * δ ≈ 1e-10 on moderate n) or an asymptotic estimate are counted apart, so a reader sees how much of
 * the budget rests on an approximation.
 */
export function certificationSpend(ledger: Ledger): Record<string, { checks: number; delta: number }> {
  const out: Record<string, { checks: number; delta: number }> = {};
  for (const e of ledger.entries) {
    if (!(e.delta > 0)) continue;
    const k = e.certification ?? 'unclassified';
    const t = (out[k] ??= { checks: 0, delta: 0 });
    t.checks++;
    t.delta += e.delta;
  }
  return out;
}

function certificationLines(ledger: Ledger): string[] {
  const t = certificationSpend(ledger);
  const keys = Object.keys(t).sort();
  if (!keys.length) return [];
  return [`δ by bound class: ${keys.map((k) => `${k} ${fmt(t[k]!.delta, 3)} over ${t[k]!.checks} check(s)`).join('; ')} (normal approximations are not certified at their δ: see src/statistics/bound-method.ts)`];
}

/**
 * The `--json` document of verify/merge. A claim of a shard run whose checks run in another shard
 * keeps `verdict: 'not-yet-checked'` (the ledger's value) and carries `status: 'in another shard'`.
 */
export function jsonSummary(ledger: Ledger, extra: Record<string, unknown> = {}, opts: SummaryOptions = {}): Record<string, unknown> {
  return {
    seed: ledger.seed,
    budget: ledger.budget,
    tier: ledger.tier,
    spent: totalSpend(ledger),
    spentByBoundClass: certificationSpend(ledger),
    claims: (ledger.claims ?? []).map((c) => ({ id: c.id, verdict: c.verdict, expected: c.expected, checks: c.checks, cases: c.cases, delta: c.delta, power: c.power, worstMargin: c.worstMargin, ...(shownVerdict(c, opts) === IN_ANOTHER_SHARD ? { status: IN_ANOTHER_SHARD } : {}) })),
    ...extra,
  };
}
