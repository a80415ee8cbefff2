/**
 * One fuzzing run of a claim: search (src/fuzz/search.ts) → shrink each violation group
 * (src/fuzz/shrink.ts) → repair the broken stated assumptions it does not need (`repairAssumptions`;
 * when one is repaired, shrink again in the smaller story) → attribute (broken assumptions, "none" =
 * counterexample to the claim as stated) → boundary map (src/fuzz/boundary-map.ts). Pure
 * orchestration: no I/O (the CLI writes).
 *
 * Budget: `evaluations` caps the search's evaluations; `seconds` caps the search's wall time at
 * SEARCH_TIME_SHARE of it (shrinking and the map use the rest; their evaluation counts are capped
 * by SHRINK_EVALUATIONS per group and the map's grid, and reported separately).
 * An interrupt (stop.stopped) ends the search at once; the run then skips shrinking and the map and
 * returns what was found so far, unshrunk (`interrupted: true`).
 *
 * Exit code (CLI contract): 1 when a shrunk violation breaks none of the claim's stated assumptions
 * and the claim is expected to hold as stated; else 0.
 */
import { boundaryMap, type BoundaryMap } from './boundary-map.ts';
import { search, type Evaluated, type SearchResult } from './search.ts';
import { repairAssumptions, shrink } from './shrink.ts';
import { attributionOf, brokenAssumptions, relativeMargin, worstComparison, isViolated, type AssumptionStatus, type Budget, type FuzzTarget } from './target.ts';
import type { FuzzConfig } from './space.ts';
import type { Comparison } from '../verdict/types.ts';

export const SEARCH_TIME_SHARE = 0.75;
export const SHRINK_EVALUATIONS = 200;
/** at most this many violation groups are shrunk (fewest broken stated assumptions first) */
export const MAX_GROUPS_SHRUNK = 8;

export interface FoundViolation {
  readonly name: string;
  /** "none" or the broken stated assumption ids joined by "+" */
  readonly attribution: string;
  readonly brokenStated: string[];
  readonly brokenUnstated: string[];
  readonly assumptions: readonly AssumptionStatus[];
  readonly config: FuzzConfig;
  readonly comparison: Comparison;
  readonly margin: number;
  readonly relativeMargin: number;
  readonly statistics: Readonly<Record<string, number | string | boolean | null>>;
  /** the unshrunk configuration and its margin */
  readonly found: { readonly config: FuzzConfig; readonly margin: number; readonly relativeMargin: number; readonly evaluation: number; readonly seconds: number; readonly groupSize: number };
  /** evaluations spent shrinking and repairing this violation */
  readonly shrinkEvaluations: number;
  readonly shrunk: boolean;
  /** broken stated assumptions of the search's group that the violation turned out not to need */
  readonly repaired: string[];
}

export interface FuzzRunResult {
  readonly target: FuzzTarget;
  readonly seed: number;
  readonly budget: Budget;
  readonly search: Omit<SearchResult, 'groups' | 'best'> & { readonly bestRelativeMargin: number | null };
  readonly violations: FoundViolation[];
  readonly map: BoundaryMap | null;
  readonly interrupted: boolean;
  readonly seconds: number;
  readonly exitCode: 0 | 1;
  readonly summary: string;
}

export interface RunOptions {
  readonly seed: number;
  readonly budget: Budget;
  readonly withMap?: boolean;
  /** shrink cap per violation group (default SHRINK_EVALUATIONS) */
  readonly shrinkEvaluations?: number;
  readonly stop?: { stopped: boolean };
  readonly onProgress?: (stage: string, done: number, note: string) => void;
}

function violatedComparison(e: Evaluated): Comparison {
  const ev = e.evaluation!;
  const vs = ev.comparisons.filter(isViolated);
  return (vs.length > 0 ? vs.sort((a, b) => relativeMargin(a) - relativeMargin(b))[0] : worstComparison(ev))!;
}

function toViolation(target: FuzzTarget, seed: number, shrunk: Evaluated, found: Evaluated, firstIndex: number, firstMs: number, groupSize: number, shrinkEvaluations: number, didShrink: boolean, repaired: string[] = []): FoundViolation {
  const ev = shrunk.evaluation!;
  const b = brokenAssumptions(ev);
  const cmp = violatedComparison(shrunk);
  const attribution = attributionOf(ev);
  const fc = violatedComparison(found);
  return {
    name: `${attribution.replace(/[^A-Za-z0-9]+/g, '-')}${b.unstated.length ? '-' + b.unstated.join('-') : ''}${cmp.label.includes(':') ? '-' + cmp.label.split(':')[0]!.replace(/[^A-Za-z0-9]+/g, '-') : ''}-seed${seed}`.replace(/-+/g, '-'),
    attribution,
    brokenStated: b.stated,
    brokenUnstated: b.unstated,
    assumptions: ev.assumptions,
    config: shrunk.config,
    comparison: cmp,
    margin: cmp.margin,
    relativeMargin: relativeMargin(cmp),
    statistics: ev.statistics,
    found: { config: found.config, margin: fc.margin, relativeMargin: relativeMargin(fc), evaluation: firstIndex, seconds: firstMs / 1000, groupSize },
    shrinkEvaluations,
    shrunk: didShrink,
    repaired,
  };
}

export async function runFuzz(target: FuzzTarget, opts: RunOptions): Promise<FuzzRunResult> {
  const t0 = performance.now();
  const res = await search(target, {
    seed: opts.seed,
    maxEvaluations: opts.budget.evaluations,
    maxMs: opts.budget.seconds * 1000 * SEARCH_TIME_SHARE,
    stop: opts.stop,
    onProgress: (n, g, s) => opts.onProgress?.('search', n, `${g} violation group(s), best relative margin ${Number.isFinite(s) ? s.toFixed(3) : '—'}`),
  });
  const interrupted = res.stoppedBy === 'interrupt' || Boolean(opts.stop?.stopped);
  // fewest broken stated assumptions first ("none" = counterexamples as stated lead), then most violating
  const statedCount = (sig: string) => (sig.startsWith('none|') ? 0 : sig.split('|')[0]!.split('+').length);
  const groups = [...res.groups].sort((a, b) => statedCount(a.signature) - statedCount(b.signature) || a.best.score - b.best.score);
  const violations: FoundViolation[] = [];
  const seen = new Set<string>();
  for (const g of groups.slice(0, interrupted ? groups.length : MAX_GROUPS_SHRUNK)) {
    if (interrupted) {
      violations.push(toViolation(target, opts.seed, g.best, g.best, g.firstIndex, g.firstMs, g.count, 0, false));
      continue;
    }
    const cap = opts.shrinkEvaluations ?? SHRINK_EVALUATIONS;
    const s = shrink(target, g.best, cap, opts.stop);
    const r = repairAssumptions(target, s.shrunk, cap, opts.stop);
    const again = r.repairedIds.length > 0 ? shrink(target, r.repaired, cap, opts.stop) : null;
    const evaluations = s.evaluations + r.evaluations + (again?.evaluations ?? 0);
    opts.onProgress?.('shrink', violations.length + 1, `group ${g.signature}: ${evaluations} evaluations${r.repairedIds.length ? `, repaired ${r.repairedIds.join('+')}` : ''}`);
    const v = toViolation(target, opts.seed, again?.shrunk ?? s.shrunk, g.best, g.firstIndex, g.firstMs, g.count, evaluations, true, r.repairedIds);
    // one violation per (attribution, unstated broken set, violated comparison): groups that shrink to the same story merge
    const key = `${v.attribution}|${v.brokenUnstated.join('+')}|${v.comparison.label}`;
    if (seen.has(key)) continue;
    seen.add(key);
    violations.push(v);
  }
  const stoppedNow = interrupted || Boolean(opts.stop?.stopped);
  const map = opts.withMap === false || stoppedNow ? null : boundaryMap(target, opts.stop);
  const inside = violations.filter((v) => v.attribution === 'none');
  const exitCode: 0 | 1 = inside.length > 0 && target.expectedAsStated === 'holds' ? 1 : 0;
  const best = res.best as Evaluated | null;
  const bestRel = best && best.evaluation ? best.score : null;
  const summary =
    violations.length === 0
      ? `no violation found within the budget: ${res.tried} configurations tried (${res.stoppedBy === 'time' ? 'time budget' : res.stoppedBy === 'interrupt' ? 'interrupted' : 'evaluation budget'}), smallest relative margin ${bestRel === null ? '—' : bestRel.toFixed(4)}`
      : `${violations.length} violation(s) after ${res.tried} configurations: ${violations.map((v) => (v.attribution === 'none' ? 'none of the stated assumptions broken (counterexample to the claim as stated)' : `breaks ${v.attribution}`)).join('; ')}` +
        (inside.length > 0 && target.expectedAsStated === 'fails-as-stated' ? ' (the claim is registered as failing as stated)' : '');
  return {
    target,
    seed: opts.seed,
    budget: opts.budget,
    search: { tried: res.tried, errors: res.errors, stoppedBy: res.stoppedBy, elapsedMs: res.elapsedMs, firstConfigs: res.firstConfigs, bestRelativeMargin: bestRel },
    violations,
    map,
    interrupted: stoppedNow,
    seconds: (performance.now() - t0) / 1000,
    exitCode,
    summary,
  };
}
