/**
 * Counterexample fixtures: `fixtures/counterexamples/<claim-slug>/<name>.json`, one shrunk
 * violation each, replayed by properties/theorems/counterexample-replay.test.ts (the configuration
 * must still violate at the verdict engine's confidence and keep its attribution).
 *
 * Format `collapse-check/counterexample@1`: claim (fuzz target id), claimIds, name, seed, config,
 * attribution ("none" or broken stated assumption ids), brokenStated, brokenUnstated, margin,
 * relativeMargin, comparison {label, lhs, rhs, errorBound}, provenance {command, foundAtEvaluation,
 * shrinkEvaluations, oracle, convention}. Non-finite numbers as the strings "Infinity"/"-Infinity".
 * `parseFixture` throws on any other shape.
 */
import type { FoundViolation } from './run.ts';
import type { FuzzTarget } from './target.ts';
import type { FuzzConfig } from './space.ts';
import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseJson } from '../numerics/json.ts';
import type { SavedCounterexample } from '../report/render.ts';

export const FIXTURE_FORMAT = 'collapse-check/counterexample@1';

export interface CounterexampleFixture {
  readonly format: typeof FIXTURE_FORMAT;
  readonly claim: string;
  readonly claimIds: readonly string[];
  readonly name: string;
  readonly seed: number;
  readonly config: FuzzConfig;
  readonly attribution: string;
  readonly brokenStated: readonly string[];
  readonly brokenUnstated: readonly string[];
  readonly margin: number;
  readonly relativeMargin: number;
  readonly comparison: { readonly label: string; readonly lhs: number; readonly rhs: number; readonly errorBound: number };
  readonly provenance: { readonly command: string; readonly foundAtEvaluation: number; readonly shrinkEvaluations: number; readonly oracle: string; readonly convention: string };
}

/** Folder name of a claim: every run of non-alphanumerics (except '.') → '-'. */
export function claimSlug(claim: string): string {
  return claim.replace(/[^A-Za-z0-9.]+/g, '-');
}

export function fixtureOf(target: FuzzTarget, v: FoundViolation, seed: number, command: string): CounterexampleFixture {
  return {
    format: FIXTURE_FORMAT,
    claim: target.id,
    claimIds: target.claimIds,
    name: v.name,
    seed,
    config: v.config,
    attribution: v.attribution,
    brokenStated: v.brokenStated,
    brokenUnstated: v.brokenUnstated,
    margin: v.margin,
    relativeMargin: v.relativeMargin,
    comparison: { label: v.comparison.label, lhs: v.comparison.lhs, rhs: v.comparison.rhs, errorBound: v.comparison.errorBound },
    provenance: { command, foundAtEvaluation: v.found.evaluation, shrinkEvaluations: v.shrinkEvaluations, oracle: target.oracle, convention: target.convention },
  };
}

const num = (v: unknown, what: string): number => {
  if (v === 'Infinity') return Infinity;
  if (v === '-Infinity') return -Infinity;
  if (typeof v !== 'number') throw new Error(`fixture: ${what} is not a number`);
  return v;
};

/** Parses and checks a fixture document (throws naming the first bad field). */
export function parseFixture(raw: unknown): CounterexampleFixture {
  if (typeof raw !== 'object' || raw === null) throw new Error('fixture: not an object');
  const o = raw as Record<string, unknown>;
  if (o.format !== FIXTURE_FORMAT) throw new Error(`fixture: format ${String(o.format)} ≠ ${FIXTURE_FORMAT}`);
  for (const k of ['claim', 'name', 'attribution']) if (typeof o[k] !== 'string') throw new Error(`fixture: ${k} missing`);
  if (typeof o.config !== 'object' || o.config === null) throw new Error('fixture: config missing');
  const cmp = o.comparison as Record<string, unknown> | undefined;
  if (!cmp || typeof cmp.label !== 'string') throw new Error('fixture: comparison missing');
  const prov = o.provenance as Record<string, unknown> | undefined;
  if (!prov || typeof prov.command !== 'string') throw new Error('fixture: provenance missing');
  return {
    format: FIXTURE_FORMAT,
    claim: o.claim as string,
    claimIds: (o.claimIds as string[]) ?? [],
    name: o.name as string,
    seed: num(o.seed, 'seed'),
    config: o.config as FuzzConfig,
    attribution: o.attribution as string,
    brokenStated: (o.brokenStated as string[]) ?? [],
    brokenUnstated: (o.brokenUnstated as string[]) ?? [],
    margin: num(o.margin, 'margin'),
    relativeMargin: num(o.relativeMargin, 'relativeMargin'),
    comparison: { label: cmp.label, lhs: num(cmp.lhs, 'comparison.lhs'), rhs: num(cmp.rhs, 'comparison.rhs'), errorBound: num(cmp.errorBound, 'comparison.errorBound') },
    provenance: prov as unknown as CounterexampleFixture['provenance'],
  };
}

/**
 * Every saved fixture under `<root>/fixtures/counterexamples/`, grouped by the claim ids it bears on
 * (a P1-3.3/3.4 fixture is listed under both), for the report's claim sections. A directory that
 * does not exist gives {}; a file that does not parse throws naming it (the replay test would fail
 * on it too).
 */
export function savedCounterexamples(root: string): Record<string, SavedCounterexample[]> {
  const base = join(root, 'fixtures', 'counterexamples');
  const out: Record<string, SavedCounterexample[]> = {};
  if (!existsSync(base)) return out;
  for (const dir of readdirSync(base).sort()) {
    const d = join(base, dir);
    if (!statSync(d).isDirectory()) continue;
    for (const f of readdirSync(d).sort()) {
      if (!f.endsWith('.json')) continue;
      const file = join(d, f);
      let fx: CounterexampleFixture;
      try {
        fx = parseFixture(parseJson(readFileSync(file, 'utf8')));
      } catch (err) {
        throw new Error(`${relative(root, file)}: ${(err as Error).message}`);
      }
      const ids = fx.claimIds.length ? fx.claimIds : [fx.claim];
      for (const id of ids) (out[id] ??= []).push({ file: relative(root, file), attribution: fx.attribution, label: fx.comparison.label, lhs: fx.comparison.lhs, rhs: fx.comparison.rhs });
    }
  }
  return out;
}
