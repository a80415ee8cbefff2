/**
 * The pipeline share of the false-alarm budget (src/statistics/budget.ts, PIPELINE_ASSERTIONS):
 * every statistical property file that is not a claim check has a plan and counts it with
 * chargePipeline at each statistical comparison, and the plans fit; the run-time tally counts
 * charges, records them as spend, and refuses charges beyond the plan.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ASSERTION_DELTA, PIPELINE_ASSERTIONS } from '../../src/statistics/budget.ts';
import { collectSpend } from '../../src/ledger/ledger.ts';
import { LEDGER_DIR_ENV } from '../../src/verdict/ledger-env.ts';
import { PIPELINE_PLANS, chargePipeline, pipelinePlannedComparisons, pipelineTally, resetPipelineTally } from '../support/pipeline-spend.ts';

const DIR = join(import.meta.dirname, '..', 'statistical');

describe('pipeline false-alarm plans', () => {
  it(`fit in ${PIPELINE_ASSERTIONS} comparisons`, () => {
    expect(pipelinePlannedComparisons()).toBeLessThanOrEqual(PIPELINE_ASSERTIONS);
  });
  const files = readdirSync(DIR).filter((f) => f.endsWith('.test.ts'));
  for (const f of files) {
    const text = readFileSync(join(DIR, f), 'utf8');
    if (!/ASSERTION_DELTA|EvaluationBudget|auditFile|auditCommand/.test(text)) continue;
    it(`${f} has a plan and counts it`, () => {
      expect(PIPELINE_PLANS[f], `add ${f} to properties/support/pipeline-spend.ts`).toBeDefined();
      // the file name literally, or through a constant `const FILE = '<file>'`
      const counted = text.includes(`chargePipeline('${f}'`) || (text.includes(`const FILE = '${f}';`) && /^\s*chargePipeline\(FILE[,)]/m.test(text));
      // a plan of 0 comparisons (e.g. buggy samplers that must fail: a miss is lost power, not a false alarm) has nothing to count
      expect(counted || PIPELINE_PLANS[f]!.comparisons === 0, `${f}: call chargePipeline('${f}', …) at each statistical comparison`).toBe(true);
      expect(counted && PIPELINE_PLANS[f]!.comparisons === 0, `${f}: charges against a plan of 0 comparisons`).toBe(false);
    });
  }
});

describe('pipeline assertions counted at run time (chargePipeline)', () => {
  it('tallies charges per file, records each as spend, and refuses charges beyond the plan', () => {
    const file = 'ziggurat.test.ts';
    const plan = PIPELINE_PLANS[file]!.comparisons;
    const dir = mkdtempSync(join(tmpdir(), 'pipeline-tally-'));
    const saved = process.env[LEDGER_DIR_ENV];
    process.env[LEDGER_DIR_ENV] = dir;
    resetPipelineTally();
    try {
      chargePipeline(file);
      chargePipeline(file, plan - 1);
      expect(pipelineTally().get(file)).toBe(plan);
      expect(() => chargePipeline(file)).toThrow(/charged 7 statistical comparisons, its plan allows 6/);
      expect(pipelineTally().get(file)).toBe(plan); // the refused charge is not counted
      const spend = collectSpend(dir);
      expect(spend.map((x) => x.label)).toEqual([`pipeline (counted): ${file}`, `pipeline (counted): ${file}`]);
      // the recorded spend is what was charged: 1·δ + (plan − 1)·δ, summed in the same order as collectSpend sorts them (equal bit for bit)
      expect(spend.reduce((a, x) => a + x.delta, 0)).toBe(ASSERTION_DELTA + (plan - 1) * ASSERTION_DELTA);
      expect(() => chargePipeline('not-listed.test.ts')).toThrow(/has no plan/);
      expect(() => chargePipeline(file, 0, 2 * ASSERTION_DELTA)).toThrow(/above ASSERTION_DELTA/);
    } finally {
      if (saved === undefined) delete process.env[LEDGER_DIR_ENV];
      else process.env[LEDGER_DIR_ENV] = saved;
      rmSync(dir, { recursive: true, force: true });
      resetPipelineTally();
    }
  });
});
