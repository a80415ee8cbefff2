/**
 * Shrinking a violation to a minimal configuration that still violates the claim at the verdict
 * engine's confidence (margin < 0, src/verdict/compare.ts).
 *
 * Greedy, one parameter at a time: for each parameter its candidates (`roundCandidates`: simplest
 * value first, then round numbers of 1–3 significant digits and 1-2-5 values) are tried in order;
 * a candidate is accepted when the configuration still violates the same comparison(s) with the
 * same broken STATED assumptions (the violation group's story: a reference-law violation stays a
 * reference-law violation; violations inside the stated assumptions are searched for separately)
 * and its key (broken unstated assumptions, complexity) is lexicographically smaller: fewer unstated
 * conditions first, then fewer dimensions / generations / digits. Passes repeat until none is
 * accepted or the evaluation cap is reached. Deterministic.
 *
 * Attribution (`repairAssumptions`): shrinking keeps the broken stated set, so a violation found
 * outside two assumptions at once would be reported as needing both. The repair pass asks which of
 * them it needs: one parameter at a time (the same candidates, simplest first), a configuration is
 * accepted when it still violates the same comparison(s) and its broken stated assumptions are a
 * strict subset of the current ones (possibly empty: then it is a counterexample to the claim as
 * stated). Passes repeat until none is accepted or the cap is reached; the result is a local
 * minimum: no single-parameter change among the candidates repairs one more assumption and keeps
 * the violation. Deterministic.
 */
import { configComplexity, roundCandidates, type FuzzConfig } from './space.ts';
import { brokenAssumptions, type FuzzTarget } from './target.ts';
import { evaluateOne, type Evaluated } from './search.ts';

export interface ShrinkResult {
  readonly shrunk: Evaluated;
  readonly evaluations: number;
  readonly passes: number;
}

type Key = readonly [number, number];

function keyOf(target: FuzzTarget, e: Evaluated): Key {
  return [brokenAssumptions(e.evaluation!).unstated.length, configComplexity(target.space, e.config)];
}

/** stated broken set + violated comparisons (the part of the signature a shrink keeps) */
function story(e: Evaluated): string {
  const parts = e.signature.split('|');
  return `${parts[0]}|${parts[2]}`;
}

/** the violated comparisons (the part of the signature a repair keeps) */
function violatedPart(e: Evaluated): string {
  return e.signature.split('|')[2]!;
}

function less(a: Key, b: Key): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! < b[i]!;
  return false;
}

export function shrink(target: FuzzTarget, start: Evaluated, maxEvaluations = 200, stop?: { stopped: boolean }): ShrinkResult {
  if (!start.violated || !start.evaluation) throw new Error('shrink: the start configuration does not violate the claim');
  let cur = start;
  let curKey = keyOf(target, cur);
  const keep = story(start);
  let evaluations = 0;
  let passes = 0;
  let improved = true;
  while (improved && evaluations < maxEvaluations && !stop?.stopped) {
    improved = false;
    passes++;
    for (const p of target.space) {
      for (const cand of roundCandidates(p, cur.config[p.name]!)) {
        if (evaluations >= maxEvaluations) break;
        const config: FuzzConfig = { ...cur.config, [p.name]: cand };
        const e = evaluateOne(target, config);
        evaluations++;
        if (!e.violated || !e.evaluation || story(e) !== keep) continue;
        const k = keyOf(target, e);
        if (less(k, curKey)) {
          cur = e;
          curKey = k;
          improved = true;
          break;
        }
      }
    }
  }
  return { shrunk: cur, evaluations, passes };
}

export interface RepairResult {
  readonly repaired: Evaluated;
  /** the broken stated assumptions repaired (in the order they were repaired), [] when none */
  readonly repairedIds: string[];
  readonly evaluations: number;
}

/** true when every id of `sub` is in `sup` and `sub` is smaller (ids are distinct) */
function strictSubset(sub: readonly string[], sup: readonly string[]): boolean {
  return sub.length < sup.length && sub.every((id) => sup.includes(id));
}

/**
 * Repair the broken stated assumptions a violation does not need (module doc: "Attribution").
 * Throws when `start` does not violate the claim.
 */
export function repairAssumptions(target: FuzzTarget, start: Evaluated, maxEvaluations = 200, stop?: { stopped: boolean }): RepairResult {
  if (!start.violated || !start.evaluation) throw new Error('repairAssumptions: the start configuration does not violate the claim');
  const initial = brokenAssumptions(start.evaluation).stated;
  const keep = violatedPart(start);
  let cur = start;
  let curStated = initial;
  let evaluations = 0;
  let improved = curStated.length > 0;
  while (improved && evaluations < maxEvaluations && !stop?.stopped) {
    improved = false;
    for (const p of target.space) {
      for (const cand of roundCandidates(p, cur.config[p.name]!)) {
        if (evaluations >= maxEvaluations) break;
        const e = evaluateOne(target, { ...cur.config, [p.name]: cand });
        evaluations++;
        if (!e.violated || !e.evaluation || violatedPart(e) !== keep) continue;
        const stated = brokenAssumptions(e.evaluation).stated;
        if (strictSubset(stated, curStated)) {
          cur = e;
          curStated = stated;
          improved = curStated.length > 0;
          break;
        }
      }
      if (improved || curStated.length === 0) break;
    }
  }
  return { repaired: cur, repairedIds: initial.filter((id) => !curStated.includes(id)), evaluations };
}
