/**
 * Regression replay of the fuzzer's saved counterexamples (fixtures/counterexamples/<claim>/<name>.json,
 * written by `collapse-check fuzz --fixtures`): every fixture's configuration must still violate the
 * same comparison at the verdict engine's confidence (margin < 0: the violation exceeds the
 * evaluation's own error bound, src/verdict/compare.ts) and keep its attribution (broken stated and
 * unstated assumptions). A change of oracle, claim reading or assumption that makes a saved
 * counterexample disappear or change its story fails here and must be looked at.
 * This checks the fuzzer's findings against the current code, not a claim against an independent
 * oracle (those checks are properties/exact/fuzz-targets.test.ts and the claims' own properties).
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { claimSlug, parseFixture } from '../../src/fuzz/fixtures.ts';
import { configProblems } from '../../src/fuzz/space.ts';
import { FUZZ_TARGETS, findTarget } from '../../src/fuzz/targets/index.ts';
import { attributionOf, brokenAssumptions, isViolated } from '../../src/fuzz/target.ts';

const ROOT = join(import.meta.dirname, '..', '..', 'fixtures', 'counterexamples');

function fixtureFiles(): string[] {
  const out: string[] = [];
  for (const dir of readdirSync(ROOT)) {
    const d = join(ROOT, dir);
    if (!statSync(d).isDirectory()) continue;
    for (const f of readdirSync(d)) if (f.endsWith('.json')) out.push(join(d, f));
  }
  return out.sort();
}

const files = fixtureFiles();

describe('fuzz counterexample fixtures replay (P1-3.1, P1-3.3/3.4, P1-4.1, P1-4.2, D-3, P2-2, P2-5)', () => {
  it('fixtures exist and each lives in its claim\'s folder under its own name', () => {
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) {
      const fx = parseFixture(JSON.parse(readFileSync(f, 'utf8')));
      expect(basename(join(f, '..'))).toBe(claimSlug(fx.claim));
      expect(basename(f)).toBe(`${fx.name}.json`);
      expect(findTarget(fx.claim), `unknown claim ${fx.claim}`).not.toBeNull();
    }
    // every fuzz target that has a folder is a known target
    for (const dir of readdirSync(ROOT)) if (statSync(join(ROOT, dir)).isDirectory()) expect(FUZZ_TARGETS.map((t) => claimSlug(t.id))).toContain(dir);
  });

  for (const f of files) {
    const fx = parseFixture(JSON.parse(readFileSync(f, 'utf8')));
    it(`${fx.claim} / ${fx.name}: still violated, attribution ${fx.attribution}`, () => {
      const target = findTarget(fx.claim)!;
      expect(configProblems(target.space, fx.config)).toEqual([]);
      const e = target.evaluate(fx.config);
      const cmp = e.comparisons.find((c) => c.label === fx.comparison.label);
      expect(cmp, `comparison "${fx.comparison.label}" no longer evaluated`).toBeDefined();
      expect(isViolated(cmp!), `margin ${cmp!.margin} (lhs ${cmp!.lhs}, rhs ${cmp!.rhs}, error bound ${cmp!.errorBound})`).toBe(true);
      expect(attributionOf(e)).toBe(fx.attribution);
      const b = brokenAssumptions(e);
      expect(b.stated).toEqual([...fx.brokenStated]);
      expect(b.unstated).toEqual([...fx.brokenUnstated]);
    });
  }
});
