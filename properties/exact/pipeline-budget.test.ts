/**
 * The pipeline share of the false-alarm budget (src/statistics/budget.ts, PIPELINE_ASSERTIONS):
 * every statistical property file that is not a claim check has a plan, calls
 * declarePipelineSpend, and the plans fit.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PIPELINE_ASSERTIONS } from '../../src/statistics/budget.ts';
import { PIPELINE_PLANS, pipelinePlannedComparisons } from '../support/pipeline-spend.ts';

const DIR = join(import.meta.dirname, '..', 'statistical');

describe('pipeline false-alarm plans', () => {
  it(`fit in ${PIPELINE_ASSERTIONS} comparisons`, () => {
    expect(pipelinePlannedComparisons()).toBeLessThanOrEqual(PIPELINE_ASSERTIONS);
  });
  const files = readdirSync(DIR).filter((f) => f.endsWith('.test.ts'));
  for (const f of files) {
    const text = readFileSync(join(DIR, f), 'utf8');
    if (!/ASSERTION_DELTA|EvaluationBudget|auditFile|auditCommand/.test(text)) continue;
    it(`${f} has a plan and declares it`, () => {
      expect(PIPELINE_PLANS[f], `add ${f} to properties/support/pipeline-spend.ts`).toBeDefined();
      expect(text).toContain(`declarePipelineSpend('${f}')`);
    });
  }
});
