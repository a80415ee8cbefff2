/**
 * Audit power, buggy samplers part B (issue 7): start, noise-structure, time and score-use bugs must
 * get `fail`. The O(1/K) bug (stop one step early) is a consistent first-order scheme: no
 * scheme-agnostic check can separate it from a correct sampler, so it is NOT asserted to fail; the
 * test only checks that the audit reports a ladder/weak-order record for it.
 */
import { describe, expect } from 'vitest';
import { fc, test } from '../support/prop.ts';
import { describeDeep } from '../support/tier.ts';
import { auditFile, BUGGY_PROBLEMS, describeResult, JS, ONCE } from './audit-support.ts';


describe('audit: buggy samplers fail (start / noise structure / time / served score)', () => {
  for (const bug of ['start-standard-normal', 'shared-noise', 'reused-noise', 'wrong-time', 'ignores-score']) {
    test.prop([fc.integer({ min: 0, max: 2 ** 31 - 1 })], ONCE)(`bug-${bug}.mjs fails`, async (seed) => {
      const r = await auditFile(JS(`bug-${bug}.mjs`), seed, BUGGY_PROBLEMS);
      expect(r.verdict, describeResult(r)).toBe('fail');
    });
  }

  test.prop([fc.integer({ min: 0, max: 2 ** 31 - 1 })], ONCE)('bug-stop-early.mjs (O(1/K)): order reported, no claim to catch it', async (seed) => {
    const r = await auditFile(JS('bug-stop-early.mjs'), seed, ['gauss-1d', 'gmm-1d']);
    expect(r.verdict).not.toBe('protocol-error');
    expect(r.problems.length).toBe(2);
    for (const p of r.problems) expect(p.weakOrder).not.toBeNull();
    for (const c of r.checks.filter((c) => c.kind === 'ladder')) expect(c.evidence).toHaveProperty('weakOrder');
  });
});

describeDeep('audit: buggy samplers fail on the full default problem set (start / noise structure / time / served score; deep)', () => {
  for (const bug of ['start-standard-normal', 'shared-noise', 'reused-noise', 'wrong-time', 'ignores-score']) {
    test.prop([fc.integer({ min: 0, max: 2 ** 31 - 1 })], ONCE)(`bug-${bug}.mjs fails (all problems)`, async (seed) => {
      const r = await auditFile(JS(`bug-${bug}.mjs`), seed);
      expect(r.verdict, describeResult(r)).toBe('fail');
    });
  }
});
