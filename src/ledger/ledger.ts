/**
 * Ledger assembly: collect the JSON lines recorded by properties (src/verdict/record.ts), sort them
 * deterministically, add one summary per registered claim, and serialise byte-stably.
 *
 * Byte stability: entries are sorted by (registry order of claimId, check name); the JSON has a
 * fixed key order (object literals built here and in the engine), two-space indentation, a final
 * newline, and non-finite numbers as strings ("Infinity"). Nothing time- or machine-dependent goes
 * in (that is run.json). So the same seed gives the same bytes, on one worker or two, sharded and
 * merged or not.
 *
 * Throws on a duplicate (claimId, check) pair: two checks must not share a name.
 */
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ClaimSummary, Ledger, LedgerEntry, Verdict } from '../verdict/types.ts';
import { CLAIMS, claimOrder, claimPropertyFiles, isClaimId } from '../claims/registry.ts';
import { VERDICT_SEVERITY } from '../verdict/engine.ts';
import { claimDelta } from '../statistics/budget.ts';
import { nonFiniteReviver, toJson } from '../numerics/json.ts';

/** Reads every `*.jsonl` in `dir` (recorded entries); missing dir ⇒ []. */
export function collectEntries(dir: string): LedgerEntry[] {
  if (!existsSync(dir)) return [];
  const out: LedgerEntry[] = [];
  for (const f of readdirSync(dir).filter((x) => x.startsWith('entries-') && x.endsWith('.jsonl')).sort()) {
    for (const line of readFileSync(join(dir, f), 'utf8').split('\n')) {
      if (line.trim() === '') continue;
      out.push(JSON.parse(line, nonFiniteReviver) as LedgerEntry);
    }
  }
  return out;
}

/** Spend declarations (record.ts `recordSpend`) in `dir`, sorted by label; missing dir ⇒ []. */
export function collectSpend(dir: string): { label: string; delta: number; file?: string }[] {
  if (!existsSync(dir)) return [];
  const out: { label: string; delta: number; file?: string }[] = [];
  for (const f of readdirSync(dir).filter((x) => x.startsWith('spend-') && x.endsWith('.jsonl')).sort()) {
    for (const line of readFileSync(join(dir, f), 'utf8').split('\n')) if (line.trim() !== '') out.push(JSON.parse(line));
  }
  return out.sort((a, b) => (a.label < b.label ? -1 : a.label > b.label ? 1 : a.delta - b.delta));
}

export function sortEntries(entries: readonly LedgerEntry[]): LedgerEntry[] {
  const sorted = [...entries].sort((a, b) => claimOrder(a.claimId) - claimOrder(b.claimId) || (a.claimId < b.claimId ? -1 : a.claimId > b.claimId ? 1 : 0) || (a.check < b.check ? -1 : a.check > b.check ? 1 : 0));
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i]!.claimId === sorted[i - 1]!.claimId && sorted[i]!.check === sorted[i - 1]!.check) {
      throw new Error(`ledger: duplicate check "${sorted[i]!.claimId} / ${sorted[i]!.check}"`);
    }
  }
  return sorted;
}

/** Worst verdict by severity (fails > inconclusive > weak > fails-as-stated > holds). */
export function worstVerdict(vs: readonly Verdict[]): Verdict {
  let w: Verdict = 'not-yet-checked';
  for (const v of vs) if (VERDICT_SEVERITY[v] > VERDICT_SEVERITY[w]) w = v;
  return w;
}

/** Entries that give evidence for claim `id`: recorded under it, or serving it (`alsoServes`). */
export function entriesForClaim(entries: readonly LedgerEntry[], id: string): LedgerEntry[] {
  return entries.filter((e) => e.claimId === id || (e.alsoServes?.includes(id) ?? false));
}

/**
 * One summary per catalogued claim, in catalogue order (restricted to `claimIds` if given). A
 * claim's summary rolls up the entries recorded under it and those serving it via `alsoServes`.
 */
export function summarise(entries: readonly LedgerEntry[], claimIds?: readonly string[]): ClaimSummary[] {
  const wanted = claimIds ? new Set(claimIds) : null;
  return CLAIMS.filter((c) => !wanted || wanted.has(c.id)).map((c) => {
    const mine = entriesForClaim(entries, c.id);
    // catalogue files ∪ files that recorded entries (deterministic given the entries)
    const files = new Set([...claimPropertyFiles(c.id), ...mine.map((e) => e.file).filter((f): f is string => typeof f === 'string')]);
    const record: ClaimSummary = {
      id: c.id,
      title: c.title,
      statement: c.statement,
      source: `${c.source} ${c.tag}`,
      expected: c.expected,
      verdict: 'not-yet-checked',
      checks: 0,
      cases: 0,
      delta: 0,
      allocation: claimDelta(c.id),
      power: null,
      worstMargin: null,
      assumptions: c.assumptions,
      oracle: c.oracle,
      propertyFiles: [...files].sort(),
    };
    return rollUpSummary(record, entries);
  });
}

/**
 * The ledger of a run: entries of the selected claims (recorded under one, or serving one), sorted,
 * with one summary per selected claim (every catalogued claim when `claimIds` is absent).
 */
export function buildLedger(opts: { seed: number; tier: 'default' | 'deep'; budget: number; entries: readonly LedgerEntry[]; claimIds?: readonly string[] }): Ledger {
  const wanted = opts.claimIds ? new Set(opts.claimIds) : null;
  const entries = sortEntries(opts.entries.filter((e) => !wanted || wanted.has(e.claimId) || (e.alsoServes?.some((id) => wanted.has(id)) ?? false)));
  return { seed: opts.seed, tier: opts.tier, budget: opts.budget, entries, claims: summarise(entries, opts.claimIds) };
}

export function serialiseLedger(ledger: Ledger): string {
  return toJson(ledger, 2) + '\n';
}

export function parseLedger(text: string): Ledger {
  const l = JSON.parse(text, nonFiniteReviver) as Ledger;
  if (typeof l.seed !== 'number' || !Array.isArray(l.entries)) throw new Error('not a ledger.json (needs seed and entries)');
  return l;
}

/**
 * Merges shard ledgers: same seed and tier required (throws otherwise), entries concatenated and
 * re-sorted, duplicates rejected, claim summaries recomputed over the union of the shards' claims.
 * The result equals the unsharded run's ledger byte for byte.
 */
export function mergeLedgers(ledgers: readonly Ledger[]): Ledger {
  if (ledgers.length === 0) throw new Error('merge: no ledgers');
  const first = ledgers[0]!;
  for (const l of ledgers) {
    if (l.seed !== first.seed) throw new Error(`merge: seeds differ (${first.seed} vs ${l.seed})`);
    if (l.tier !== first.tier) throw new Error(`merge: tiers differ (${first.tier} vs ${l.tier})`);
    if (l.budget !== first.budget) throw new Error(`merge: budgets differ (${first.budget} vs ${l.budget})`);
  }
  const ids = new Set<string>();
  for (const l of ledgers) for (const c of l.claims ?? []) ids.add(c.id);
  const claimIds = ids.size ? CLAIMS.map((c) => c.id).filter((id) => ids.has(id)) : undefined;
  const all = ledgers.flatMap((l) => l.entries);
  const merged = buildLedger({ seed: first.seed, tier: first.tier, budget: first.budget, entries: all, ...(claimIds ? { claimIds } : {}) });
  // claims outside the catalogue (user claims, `verify --claims`): every shard lists their
  // summaries in the same order; re-rolled over the entries of all shards
  const outside = new Map<string, ClaimSummary>();
  for (const l of ledgers) for (const c of l.claims ?? []) if (!isClaimId(c.id) && !outside.has(c.id)) outside.set(c.id, c);
  if (outside.size === 0) return merged;
  const theirs = all.filter((e) => outside.has(e.claimId));
  return { ...merged, entries: sortEntries([...merged.entries, ...theirs]), claims: [...(merged.claims ?? []), ...[...outside.values()].map((c) => rollUpSummary(c, theirs))] };
}

/**
 * A claim summary with its verdict, counts, δ, power and worst margin rolled up from `entries`
 * (recorded under the claim or serving it); the record fields (title, statement, source, expected,
 * allocation, assumptions, oracle, files) are kept from `record`, in its key order. The one roll-up:
 * `summarise` uses it for catalogued claims, verify and merge for user claims (`verify --claims`),
 * whose records travel in the ledger.
 */
export function rollUpSummary(record: ClaimSummary, entries: readonly LedgerEntry[]): ClaimSummary {
  const mine = entriesForClaim(entries, record.id);
  let power: number | null = null;
  let worstMargin: number | null = null;
  for (const e of mine) {
    if (e.power !== null) power = power === null ? e.power : Math.max(power, e.power);
    if (e.worstMargin !== null) worstMargin = worstMargin === null ? e.worstMargin : Math.min(worstMargin, e.worstMargin);
  }
  return {
    ...record,
    verdict: worstVerdict(mine.map((e) => e.verdict)),
    checks: mine.length,
    cases: mine.reduce((s, e) => s + e.cases, 0),
    delta: mine.reduce((s, e) => s + e.delta, 0),
    power,
    worstMargin,
  };
}
