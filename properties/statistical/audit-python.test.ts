/**
 * Audit over the wire with stdlib-only Python samplers (issue 7). Default tier (kept short: a full
 * default audit of a Python sampler takes minutes): the documented example (docs/audit.md,
 * fixtures/samplers/python/example_em.py) passes on the gauss-1d problem (the JS buggy samplers carry
 * the default tier's power claims; the Python transport's failure modes are audit-robustness's). Deep tier: every Python fixture on the full default problem set (correct
 * ones pass, O(1) bugs fail, stop-early only reports its order). Skipped with a message when
 * python3 is absent. Budget: each audit expected to pass is one assertion at ASSERTION_DELTA.
 */
import { describe, expect } from 'vitest';
import { fc, test } from '../support/prop.ts';
import { spawnSync } from 'node:child_process';
import { describeDeep } from '../support/tier.ts';
import { auditCommand, describeResult, ONCE, PY } from './audit-support.ts';
import { chargePipeline } from '../support/pipeline-spend.ts';


const hasPython = spawnSync('python3', ['-c', 'import json, random, math'], { encoding: 'utf8' }).status === 0;
if (!hasPython) process.stderr.write('[audit-python] python3 not found: Python audit tests skipped\n');
const describePy = hasPython ? describe : describe.skip;
const describePyDeep = hasPython ? describeDeep : describe.skip;
const seedArb = fc.integer({ min: 0, max: 2 ** 31 - 1 });
/**
 * Per-test limit of a full default audit of a Python sampler (deep tier): ≈ 35–80 s CPU (docs/audit.md),
 * up to ≈ 4–5 min wall on a loaded shared 2-core machine; 15 min leaves room without ever hanging CI.
 */
const FULL_AUDIT_TEST_TIMEOUT_MS = 15 * 60_000;

describePy('audit: stdlib Python samplers over JSON lines (default tier, gauss-1d)', () => {
  test.prop([seedArb], ONCE)('example_em.py (the docs example) passes', async (seed) => {
    chargePipeline('audit-python.test.ts'); // each audit expected to pass: one comparison at ASSERTION_DELTA
    const r = await auditCommand(`python3 ${PY('example_em.py')}`, seed, ['gauss-1d']);
    expect(r.verdict, describeResult(r)).toBe('pass');
  });
});

describePyDeep('audit: every Python fixture on the full default set (deep tier)', () => {
  for (const scheme of ['em', 'ei', 'heun']) {
    test.prop([seedArb], ONCE)(`sampler.py ${scheme} passes`, async (seed) => {
      chargePipeline('audit-python.test.ts');
      const r = await auditCommand(`python3 ${PY('sampler.py')} ${scheme}`, seed);
      expect(r.verdict, describeResult(r)).toBe('pass');
    }, FULL_AUDIT_TEST_TIMEOUT_MS);
  }
  test.prop([seedArb], ONCE)('sampler.py em stderr-heavy passes', async (seed) => {
    chargePipeline('audit-python.test.ts');
    const r = await auditCommand(`python3 ${PY('sampler.py')} em stderr-heavy`, seed);
    expect(r.verdict, describeResult(r)).toBe('pass');
  });
  for (const bug of ['noise-scale', 'drift-sign', 'score-x2', 'score-half', 'no-linear-drift', 'start-standard-normal', 'shared-noise', 'reused-noise', 'wrong-time', 'ignores-score']) {
    test.prop([seedArb], ONCE)(`sampler.py em ${bug} fails`, async (seed) => {
      const r = await auditCommand(`python3 ${PY('sampler.py')} em ${bug}`, seed);
      expect(r.verdict, describeResult(r)).toBe('fail');
    }, FULL_AUDIT_TEST_TIMEOUT_MS);
  }
});
